"""What a deployment exports: campaign summaries from decision records, and its own patterns.

Decision records do not carry campaign fields yet (campaign detection, issue 11, is to add them).
``campaigns_from_records`` is written against the fields it is expected to add, and is kept small
so that it can follow whatever that work settles on. A record is a decision-log line (the fields
under its ``querysentry`` key are read) or a flat dict (a ``replay -o`` line); it counts towards a
campaign when it has:

``campaign_id``         str, required: the campaign the request was attributed to
``campaign_signature``  list of hex str: the campaign template's instruction unit hashes
                        (``behaviour.fingerprint.unit_hash``); the union over its records is shared
``categories``          list of str, or ``category`` (str): the request's extraction categories
``campaign_linkage``    list of str, optional: how the request's client was tied to the campaign
                        (for example ``template``, ``shared_key``)
``ts``                  seconds since the epoch, or ISO 8601 (a log line's ``time`` if absent)
``client``              counted (distinct clients = ``member_count``), never exported

Nothing else of a record is read, so prompt text in it (``log_prompts``) cannot reach a bundle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from querysentry.categories import Category
from querysentry.errors import InputError
from querysentry.intel.model import MAX_HASHES, CampaignSignature, PatternIndicator, parse_time
from querysentry.library import Pattern

__all__ = ["campaigns_from_records", "campaigns_from_store", "pattern_indicators"]


def pattern_indicators(patterns: Iterable[Pattern], *, include_text: bool = False) -> tuple[PatternIndicator, ...]:
    """The shareable form of operator-added ``patterns``: text hashes, and texts only with ``include_text``."""
    return tuple(PatternIndicator.from_pattern(p, include_text=include_text) for p in patterns)


@dataclass
class _Campaign:
    hashes: dict[str, int] = field(default_factory=dict)  # records per hash, in order of first sight
    categories: dict[Category, None] = field(default_factory=dict)
    linkage: dict[str, None] = field(default_factory=dict)
    clients: set[str] = field(default_factory=set)
    requests: int = 0
    first: datetime | None = None
    last: datetime | None = None


def campaigns_from_records(records: Iterable[Mapping[str, Any]]) -> tuple[CampaignSignature, ...]:
    """One ``CampaignSignature`` per ``campaign_id`` in ``records``, in order of first appearance.

    Records without a ``campaign_id`` are skipped, and so is a campaign none of whose records
    has a ``campaign_signature`` (there is nothing to recognise it by). A campaign keeps the
    ``MAX_HASHES`` hashes most of its records carry. A malformed campaign field is an
    ``InputError`` naming the record (1-based). O(records).
    """
    campaigns: dict[str, _Campaign] = {}
    for number, record in enumerate(records, start=1):
        nested = record.get("querysentry")
        fields = nested if isinstance(nested, Mapping) else record
        campaign_id = fields.get("campaign_id")
        if campaign_id is None:
            continue
        try:
            _add(campaigns.setdefault(str(campaign_id), _Campaign()), fields, record)
        except (TypeError, ValueError) as exc:
            raise InputError(f"record {number}: {exc}") from None
    return tuple(_signature(campaign_id, c) for campaign_id, c in campaigns.items() if c.hashes)


def _add(campaign: _Campaign, fields: Mapping[str, Any], record: Mapping[str, Any]) -> None:
    for unit in dict.fromkeys(_strings(fields.get("campaign_signature"), "campaign_signature")):
        campaign.hashes[unit] = campaign.hashes.get(unit, 0) + 1
    categories = fields.get("campaign_categories", fields.get("categories"))
    if not categories and fields.get("category") is not None:
        categories = [fields["category"]]
    campaign.categories.update(dict.fromkeys(Category(c) for c in _strings(categories, "categories")))
    campaign.linkage.update(dict.fromkeys(_strings(fields.get("campaign_linkage"), "campaign_linkage")))
    client = fields.get("client")
    if isinstance(client, str) and client:
        campaign.clients.add(client)
    campaign.requests += 1
    ts = _time(fields.get("ts", record.get("time")))
    if ts is not None:
        campaign.first = ts if campaign.first is None else min(campaign.first, ts)
        campaign.last = ts if campaign.last is None else max(campaign.last, ts)


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return value


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("ts must be seconds since the epoch or an ISO 8601 time")
    if isinstance(value, str):
        return parse_time(value)
    return datetime.fromtimestamp(value, timezone.utc)


def _signature(campaign_id: str, c: _Campaign) -> CampaignSignature:
    if c.first is None or c.last is None:
        raise InputError(f"campaign {campaign_id}: no record has a time (ts)")
    try:
        return CampaignSignature(
            campaign_id=campaign_id,
            # The units most of its records share: a stray hash seen once must not crowd them out.
            instruction_hashes=tuple(sorted(c.hashes, key=lambda h: -c.hashes[h])[:MAX_HASHES]),
            categories=tuple(c.categories),
            member_count=len(c.clients),
            request_count=c.requests,
            first_seen=c.first,
            last_seen=c.last,
            linkage_kinds=tuple(c.linkage),
        )
    except ValueError as exc:
        raise InputError(f"campaign {campaign_id}: {exc}") from None


async def campaigns_from_store(url: str, encoder_fingerprint: str) -> tuple[CampaignSignature, ...]:
    """The campaigns a live deployment's behaviour store holds (``memory://`` is empty, so this
    is for ``redis://``), each with its centroid and the fingerprint of the encoder that made it.

    Member keys are stored as hashes and are never read; no text is in the store.
    """
    from querysentry.behaviour.campaigns import CampaignTracker
    from querysentry.storage import store_from_url

    store = store_from_url(url)
    try:
        tracker = CampaignTracker(store=store)
        await tracker.refresh(0.0, force=True)
        found = []
        for campaign in tracker.campaigns():
            hashes = campaign.signature(MAX_STORE_HASHES)
            if not hashes:
                continue
            categories = tuple(Category(c) for c, _ in campaign.categories.most_common() if c in _CATEGORY_VALUES)
            found.append(
                CampaignSignature(
                    campaign_id=campaign.id,
                    instruction_hashes=hashes,
                    categories=categories,
                    member_count=max(1, campaign.member_count),
                    request_count=max(1, campaign.requests),
                    first_seen=datetime.fromtimestamp(campaign.first_seen, timezone.utc),
                    last_seen=datetime.fromtimestamp(max(campaign.first_seen, campaign.last_seen), timezone.utc),
                    vector=tuple(float(x) for x in campaign.centroid),
                    encoder_fingerprint=encoder_fingerprint,
                )
            )
        return tuple(found)
    finally:
        await store.close()


MAX_STORE_HASHES = 16
_CATEGORY_VALUES = frozenset(c.value for c in Category)
