"""The model as a STIX 2.1 bundle, built and read with the ``stix2`` library.

A bundle holds, in this order:

* the QuerySentry project's ``identity`` and the ``extension-definition`` of our property
  extension (fixed ids and times: the same two objects in every bundle);
* the producer's ``identity`` (``identity_class`` ``system``), whose extension carries the
  ``source_id`` and the bundle's ``expires``; its ``created`` is the bundle's creation time;
* one ``indicator`` per shared pattern (``pattern_type`` ``querysentry``, pattern
  ``text_sha256:<hex>``, ``valid_until`` = expires);
* per campaign a ``campaign`` (first/last seen, sizes, categories, linkage kinds), an
  ``indicator`` of its signature (pattern ``instruction_hashes:<h1>,<h2>,…``) and a
  ``relationship`` indicator --indicates--> campaign.

Every object the producer made has ``created_by_ref`` = the producer. The QuerySentry fields
ride in one property extension (``EXTENSION_ID``) whose ``kind`` says which object it is on;
they are registered with ``stix2`` with strict types, so ``stix2.parse(..., allow_custom=False)``
checks them like spec properties and refuses any custom property, ours included, that is not
declared. Object ids are uuid5 of the source and the object's own key, so exporting the same
knowledge again yields new versions (same id, later ``modified``) of the same objects.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import stix2  # type: ignore[import-untyped]
from stix2.exceptions import STIXError  # type: ignore[import-untyped]
from stix2.properties import (  # type: ignore[import-untyped]
    EnumProperty,
    ListProperty,
    Property,
    TimestampProperty,
)
from stix2.v21 import CustomExtension  # type: ignore[import-untyped]

from querysentry.categories import Category, Severity
from querysentry.intel.errors import BundleSchemaError, BundleTooLargeError
from querysentry.intel.model import (
    MAX_HASHES,
    MAX_TEXT_CHARS,
    MAX_VECTOR_DIMS,
    BundleInfo,
    CampaignSignature,
    PatternIndicator,
)

__all__ = [
    "EXTENSION_ID",
    "MAX_OBJECTS",
    "PATTERN_TYPE",
    "ParsedBundle",
    "bundle_bytes",
    "from_bundle",
    "parse_bundle",
    "to_bundle",
]

PATTERN_TYPE = "querysentry"
PATTERN_VERSION = "1"
EXTENSION_ID = "extension-definition--5b0e7c1a-3f4d-4c8e-9a61-2d7f0b9e4c35"
EXTENSION_VERSION = "1.0.0"
_T = TypeVar("_T")
_PROJECT_IDENTITY = "identity--9d3b1f62-7a0c-4e55-b8d4-61c2a7e0f813"
_DEFINED = datetime(2026, 1, 1, tzinfo=timezone.utc)  # when the extension was defined: never changes
_NAMESPACE = uuid.UUID("0c6f3d2e-8a41-4b7f-9e15-3a9d2c7b5e60")  # of our uuid5 object ids
# stix2 checks 600 to 1,500 objects a second (2 shared cores; vectors are the slow part):
# 10,000 objects, ~10,000 patterns or ~3,300 campaigns, take about 10 s to verify.
MAX_OBJECTS = 10_000
_MAX_ID_CHARS = 128
_KINDS = ("producer", "pattern", "campaign", "campaign_signature")
_KIND_OBJECT = {
    "producer": "identity",
    "pattern": "indicator",
    "campaign": "campaign",
    "campaign_signature": "indicator",
}
_REQUIRED = {
    "producer": {"source_id", "expires"},
    "pattern": {"category", "severity", "text_sha256", "pattern_id"},
    "campaign": {"campaign_id", "member_count", "request_count"},
    "campaign_signature": {"campaign_id", "instruction_hashes"},
}
_OPTIONAL = {
    "producer": set(),
    "pattern": {"text"},
    "campaign": {"categories", "linkage_kinds"},
    "campaign_signature": {"instruction_texts", "vector", "encoder_fingerprint"},
}
_SCHEMA = (
    "QuerySentry indicator fields. kind: producer (source_id, expires) on the producer identity; "
    "pattern (category, severity, text_sha256 = sha256 of the NFKC-casefolded, whitespace-collapsed "
    "text, pattern_id, optional text) on indicators; campaign (campaign_id, categories, member_count, "
    "request_count, linkage_kinds) on campaigns; campaign_signature (campaign_id, instruction_hashes, "
    "optional instruction_texts, optional vector with its encoder_fingerprint) on indicators."
)


class _Text(Property):  # type: ignore[misc]
    """A string and nothing else (``StringProperty`` turns any value into one), bounded in length."""

    def __init__(self, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(**kwargs)

    def clean(self, value: Any, allow_custom: bool = False, interoperability: bool = False) -> tuple[str, bool]:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if len(value) > self.limit:
            raise ValueError(f"must be at most {self.limit} characters")
        return value, False


class _Count(Property):  # type: ignore[misc]
    """A non-negative JSON integer (``IntegerProperty`` accepts "5", 5.7 and true)."""

    def clean(self, value: Any, allow_custom: bool = False, interoperability: bool = False) -> tuple[int, bool]:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("must be a non-negative integer")
        return value, False


class _Number(Property):  # type: ignore[misc]
    """A finite JSON number (``FloatProperty`` cannot sit in a list in stix2 3.0 and accepts strings)."""

    def clean(self, value: Any, allow_custom: bool = False, interoperability: bool = False) -> tuple[float, bool]:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError("must be a finite number")
        return float(value), False


class _BoundedList(ListProperty):  # type: ignore[misc]
    """A JSON list of at most ``limit`` items, each checked by ``contained``."""

    def __init__(self, contained: Any, limit: int) -> None:
        self.limit = limit
        super().__init__(contained)

    def clean(self, value: Any, allow_custom: bool, interoperability: bool = False) -> tuple[list[Any], bool]:
        if not isinstance(value, list):  # ListProperty makes a list of a lone string, or of a dict's keys
            raise ValueError("must be a list")
        if len(value) > self.limit:
            raise ValueError(f"must have at most {self.limit} items")
        result: tuple[list[Any], bool] = super().clean(value, allow_custom, interoperability)
        return result


@CustomExtension(
    type=EXTENSION_ID,
    properties=[
        ("kind", EnumProperty(list(_KINDS), required=True)),
        ("source_id", _Text(_MAX_ID_CHARS)),
        ("expires", TimestampProperty()),
        ("category", _Text(_MAX_ID_CHARS)),
        ("severity", _Text(_MAX_ID_CHARS)),
        ("text_sha256", _Text(_MAX_ID_CHARS)),
        ("pattern_id", _Text(_MAX_ID_CHARS)),
        ("text", _Text(MAX_TEXT_CHARS)),
        ("campaign_id", _Text(_MAX_ID_CHARS)),
        ("categories", _BoundedList(_Text(_MAX_ID_CHARS), len(Category))),
        ("member_count", _Count()),
        ("request_count", _Count()),
        ("linkage_kinds", _BoundedList(_Text(_MAX_ID_CHARS), MAX_HASHES)),
        ("instruction_hashes", _BoundedList(_Text(_MAX_ID_CHARS), MAX_HASHES)),
        ("instruction_texts", _BoundedList(_Text(MAX_TEXT_CHARS), MAX_HASHES)),
        ("vector", _BoundedList(_Number(), MAX_VECTOR_DIMS)),
        ("encoder_fingerprint", _Text(_MAX_ID_CHARS)),
    ],
)
class _QuerySentryExtension:
    extension_type = "property-extension"


@dataclass(frozen=True)
class ParsedBundle:
    """What ``parse_bundle`` read: the bundle's id besides what ``from_bundle`` returns."""

    bundle_id: str
    info: BundleInfo
    patterns: tuple[PatternIndicator, ...]
    campaigns: tuple[CampaignSignature, ...]


# ---------------------------------------------------------------------------------------- writing


def _stix_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(_NAMESPACE, '|'.join(parts))}"


def _extension(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    # STIX forbids empty lists; an absent optional field means "none".
    values = {k: v for k, v in fields.items() if v is not None and v != []}
    return {EXTENSION_ID: {"extension_type": "property-extension", "kind": kind, **values}}


def _pattern_string(kind: str, values: Iterable[str]) -> str:
    return f"{kind}:{','.join(values)}"


def _fixed_objects() -> list[Any]:
    project = stix2.Identity(
        id=_PROJECT_IDENTITY, name="QuerySentry", identity_class="organization", created=_DEFINED, modified=_DEFINED
    )
    definition = stix2.ExtensionDefinition(
        id=EXTENSION_ID,
        created_by_ref=_PROJECT_IDENTITY,
        created=_DEFINED,
        modified=_DEFINED,
        name="QuerySentry indicator fields",
        schema=_SCHEMA,
        version=EXTENSION_VERSION,
        extension_types=["property-extension"],
    )
    return [project, definition]


def _pattern_indicator(p: PatternIndicator, info: BundleInfo, producer: str) -> Any:
    return stix2.Indicator(
        id=_stix_id("indicator", "pattern", info.source_id, p.pattern_id),
        created_by_ref=producer,
        created=info.created,
        modified=info.created,
        name=f"QuerySentry {p.category.value} pattern {p.pattern_id}",
        indicator_types=["benign" if p.category is Category.BENIGN else "malicious-activity"],
        pattern=_pattern_string("text_sha256", [p.text_hash]),
        pattern_type=PATTERN_TYPE,
        pattern_version=PATTERN_VERSION,
        valid_from=info.created,
        valid_until=info.expires,
        extensions=_extension(
            "pattern",
            {
                "category": p.category.value,
                "severity": p.severity.value,
                "text_sha256": p.text_hash,
                "pattern_id": p.pattern_id,
                "text": p.text,
            },
        ),
    )


def _campaign_objects(c: CampaignSignature, info: BundleInfo, producer: str) -> list[Any]:
    categories = [x.value for x in c.categories]
    campaign = stix2.Campaign(
        id=_stix_id("campaign", info.source_id, c.campaign_id),
        created_by_ref=producer,
        created=info.created,
        modified=info.created,
        name=f"QuerySentry campaign {c.campaign_id}",
        description=(
            f"{c.request_count} requests from {c.member_count} clients; "
            f"categories: {', '.join(categories) or 'none'}; linked by: {', '.join(c.linkage_kinds) or 'unknown'}"
        ),
        first_seen=c.first_seen,
        last_seen=c.last_seen,
        extensions=_extension(
            "campaign",
            {
                "campaign_id": c.campaign_id,
                "categories": categories,
                "member_count": c.member_count,
                "request_count": c.request_count,
                "linkage_kinds": list(c.linkage_kinds),
            },
        ),
    )
    signature = stix2.Indicator(
        id=_stix_id("indicator", "campaign_signature", info.source_id, c.campaign_id),
        created_by_ref=producer,
        created=info.created,
        modified=info.created,
        name=f"QuerySentry campaign signature {c.campaign_id}",
        indicator_types=["malicious-activity"],
        pattern=_pattern_string("instruction_hashes", c.instruction_hashes),
        pattern_type=PATTERN_TYPE,
        pattern_version=PATTERN_VERSION,
        valid_from=info.created,
        valid_until=info.expires,
        extensions=_extension(
            "campaign_signature",
            {
                "campaign_id": c.campaign_id,
                "instruction_hashes": list(c.instruction_hashes),
                "instruction_texts": list(c.instruction_texts) if c.instruction_texts is not None else None,
                "vector": list(c.vector) if c.vector is not None else None,
                "encoder_fingerprint": c.encoder_fingerprint,
            },
        ),
    )
    relationship = stix2.Relationship(
        id=_stix_id("relationship", "indicates", signature.id, campaign.id),
        created_by_ref=producer,
        created=info.created,
        modified=info.created,
        relationship_type="indicates",
        source_ref=signature.id,
        target_ref=campaign.id,
    )
    return [campaign, signature, relationship]


def to_bundle(info: BundleInfo, patterns: Iterable[PatternIndicator], campaigns: Iterable[CampaignSignature]) -> Any:
    """A ``stix2.Bundle`` of ``patterns`` and ``campaigns`` made by ``info``'s producer.

    The bundle id is uuid5 of the source and the creation time, so the same inputs give the same
    bundle, byte for byte (``bundle_bytes``). ``ValueError`` for two patterns (or campaigns) with
    one id, or more than ``MAX_OBJECTS`` objects. O(objects).
    """
    patterns, campaigns = list(patterns), list(campaigns)
    for label, ids in (("pattern", [p.pattern_id for p in patterns]), ("campaign", [c.campaign_id for c in campaigns])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"two {label}s with one id: ids must be unique in a bundle")
    producer = stix2.Identity(
        id=_stix_id("identity", "producer", info.source_id),
        name=info.producer,
        identity_class="system",
        created=info.created,
        modified=info.created,
        extensions=_extension("producer", {"source_id": info.source_id, "expires": info.expires}),
    )
    objects = [*_fixed_objects(), producer]
    objects += [_pattern_indicator(p, info, producer.id) for p in patterns]
    for campaign in campaigns:
        objects += _campaign_objects(campaign, info, producer.id)
    if len(objects) > MAX_OBJECTS:
        raise ValueError(f"{len(objects)} STIX objects: more than a bundle may hold ({MAX_OBJECTS})")
    bundle_id = _stix_id("bundle", info.source_id, info.created.astimezone(timezone.utc).isoformat())
    return stix2.Bundle(objects=objects, id=bundle_id, allow_custom=False)


def bundle_bytes(bundle: Any) -> bytes:
    """The bytes a bundle is written (and signed) as: compact JSON in stix2's property order, UTF-8, a newline."""
    text: str = bundle.serialize()
    return (text + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------- reading


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _load_json(text: str | bytes) -> Any:
    try:
        # NaN and Infinity are Python's extension to JSON; a vector of them would poison a search.
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise BundleSchemaError(f"not JSON: {exc}") from None
    except RecursionError:
        raise BundleSchemaError("not JSON: nested too deeply") from None


def from_bundle(
    json_text: str | bytes, *, max_objects: int = MAX_OBJECTS
) -> tuple[BundleInfo, tuple[PatternIndicator, ...], tuple[CampaignSignature, ...]]:
    """``(info, patterns, campaigns)`` of a bundle that ``to_bundle`` could have written.

    Raises ``BundleTooLargeError`` for more than ``max_objects`` objects and ``BundleSchemaError``
    for anything else that is not such a bundle: invalid STIX 2.1, a custom property or object,
    a missing or extra object, an inconsistent field. It does not check signatures or expiry
    (``verify`` does). O(objects): about 1 ms an object in stix2.
    """
    parsed = parse_bundle(json_text, max_objects=max_objects)
    return parsed.info, parsed.patterns, parsed.campaigns


def parse_bundle(json_text: str | bytes, *, max_objects: int = MAX_OBJECTS) -> ParsedBundle:
    """``from_bundle``, with the bundle's id."""
    data = _load_json(json_text)
    if not isinstance(data, dict) or data.get("type") != "bundle":
        raise BundleSchemaError('not a STIX bundle: the top level must be an object with "type": "bundle"')
    objects = data.get("objects")
    if not isinstance(objects, list):
        raise BundleSchemaError('not a STIX bundle: "objects" must be a list')
    if len(objects) > max_objects:
        raise BundleTooLargeError(f"bundle has {len(objects)} objects, more than the limit of {max_objects}")
    try:
        bundle = stix2.parse(data, allow_custom=False, version="2.1")
    except (STIXError, ValueError, TypeError) as exc:
        raise BundleSchemaError(f"not valid STIX 2.1: {exc}") from None
    return _Decoder(list(bundle.get("objects", []))).decode(bundle.id)


def _plain_time(value: datetime) -> datetime:
    # stix2's STIXdatetime carries a display precision; the model holds ordinary UTC datetimes.
    utc = value.astimezone(timezone.utc)
    return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, timezone.utc)


class _Decoder:
    """Checks a parsed bundle's objects against the shape ``to_bundle`` writes, then builds the model."""

    def __init__(self, objects: list[Any]) -> None:
        self.objects = objects
        self.by_id: dict[str, Any] = {}
        for obj in objects:
            if obj.id in self.by_id:
                raise BundleSchemaError(f"{obj.id}: appears twice")
            self.by_id[obj.id] = obj

    def decode(self, bundle_id: str) -> ParsedBundle:
        self._check_extension_definition()
        producer = self._producer()
        info = self._info(producer)
        patterns: list[PatternIndicator] = []
        signatures: dict[str, Any] = {}
        campaigns: list[Any] = []
        relationships: list[Any] = []
        for obj in self.objects:
            if obj.id in (producer.id, _PROJECT_IDENTITY, EXTENSION_ID):
                continue
            if obj.get("created_by_ref") != producer.id:
                raise BundleSchemaError(f"{obj.id}: not created by the bundle's producer {producer.id}")
            if obj.type == "relationship":
                relationships.append(obj)
                continue
            kind, fields = self._fields(obj)
            if obj.type == "indicator":
                self._check_indicator(obj, info)
            if kind == "pattern":
                patterns.append(self._build(obj, _pattern, fields))
                self._check_pattern_string(obj, "text_sha256", [fields["text_sha256"]])
            elif kind == "campaign_signature":
                signatures[obj.id] = obj
            else:
                campaigns.append(obj)
        pairs = self._pair(signatures, campaigns, relationships)
        built = tuple(self._campaign(campaign, signature) for campaign, signature in pairs)
        _require_unique("pattern id", [p.pattern_id for p in patterns])
        _require_unique("campaign id", [c.campaign_id for c in built])
        return ParsedBundle(bundle_id, info, tuple(patterns), built)

    def _check_extension_definition(self) -> None:
        definition = self.by_id.get(EXTENSION_ID)
        if definition is None or definition.type != "extension-definition":
            raise BundleSchemaError(f"no {EXTENSION_ID} (the QuerySentry extension definition)")
        if str(definition.version).split(".")[0] != EXTENSION_VERSION.split(".")[0]:
            raise BundleSchemaError(
                f"{EXTENSION_ID}: version {definition.version}, this QuerySentry reads {EXTENSION_VERSION}"
            )
        for obj in self.objects:
            if obj.type == "extension-definition" and obj.id != EXTENSION_ID:
                raise BundleSchemaError(f"{obj.id}: an extension QuerySentry does not know")
            if obj.type not in ("identity", "extension-definition", "indicator", "campaign", "relationship"):
                raise BundleSchemaError(f"{obj.id}: a {obj.type} object, which QuerySentry bundles do not hold")

    def _producer(self) -> Any:
        found = []
        for obj in self.objects:
            if obj.type == "identity" and obj.id != _PROJECT_IDENTITY:
                kind, _ = self._fields(obj)
                if kind == "producer":
                    found.append(obj)
        if len(found) != 1:
            raise BundleSchemaError(f"a bundle needs exactly one producer identity, this one has {len(found)}")
        return found[0]

    def _info(self, producer: Any) -> BundleInfo:
        _, fields = self._fields(producer)
        return self._build(
            producer,
            lambda f: BundleInfo(
                producer.name, f["source_id"], _plain_time(producer.created), _plain_time(f["expires"])
            ),
            fields,
        )

    def _fields(self, obj: Any) -> tuple[str, dict[str, Any]]:
        """The kind and fields of our extension on ``obj``, checked against what that kind carries."""
        extension = (obj.get("extensions") or {}).get(EXTENSION_ID)
        if extension is None:
            raise BundleSchemaError(f"{obj.id}: no QuerySentry extension ({EXTENSION_ID})")
        fields = {k: v for k, v in extension.items() if k not in ("extension_type", "kind")}
        kind = extension["kind"]
        if _KIND_OBJECT[kind] != obj.type:
            raise BundleSchemaError(f"{obj.id}: a {obj.type} cannot be of kind {kind}")
        missing = sorted(_REQUIRED[kind] - set(fields))
        extra = sorted(set(fields) - _REQUIRED[kind] - _OPTIONAL[kind])
        if missing or extra:
            problems = [f"missing {', '.join(missing)}"] if missing else []
            problems += [f"unexpected {', '.join(extra)}"] if extra else []
            raise BundleSchemaError(f"{obj.id} ({kind}): {'; '.join(problems)}")
        return kind, fields

    def _check_indicator(self, obj: Any, info: BundleInfo) -> None:
        if obj.pattern_type != PATTERN_TYPE:
            raise BundleSchemaError(f"{obj.id}: pattern_type {obj.pattern_type!r}, expected {PATTERN_TYPE!r}")
        if obj.get("valid_until") is None or _plain_time(obj.valid_until) != info.expires:
            raise BundleSchemaError(f"{obj.id}: valid_until is not the bundle's expiry {info.expires.isoformat()}")

    def _check_pattern_string(self, obj: Any, kind: str, values: Sequence[str]) -> None:
        if obj.pattern != _pattern_string(kind, values):
            raise BundleSchemaError(f"{obj.id}: pattern does not match its QuerySentry fields")

    def _pair(
        self, signatures: dict[str, Any], campaigns: list[Any], relationships: list[Any]
    ) -> list[tuple[Any, Any]]:
        """Each campaign with the one signature that indicates it (and no relationship besides)."""
        by_campaign: dict[str, Any] = {}
        campaign_ids = {c.id for c in campaigns}
        for rel in relationships:
            if rel.relationship_type != "indicates" or rel.source_ref not in signatures:
                raise BundleSchemaError(f"{rel.id}: only campaign signature --indicates--> campaign is expected")
            if rel.target_ref not in campaign_ids:
                raise BundleSchemaError(f"{rel.id}: target {rel.target_ref} is not a campaign in this bundle")
            if rel.target_ref in by_campaign or any(s is signatures[rel.source_ref] for s in by_campaign.values()):
                raise BundleSchemaError(f"{rel.id}: a campaign and its signature are paired once")
            by_campaign[rel.target_ref] = signatures[rel.source_ref]
        paired = {s.id for s in by_campaign.values()}
        unpaired = sorted(set(signatures) - paired) + sorted(campaign_ids - set(by_campaign))
        if unpaired:
            raise BundleSchemaError(f"{unpaired[0]}: no indicates relationship pairs it")
        return [(c, by_campaign[c.id]) for c in campaigns]

    def _campaign(self, campaign: Any, signature: Any) -> CampaignSignature:
        _, summary = self._fields(campaign)
        _, sign = self._fields(signature)
        if summary["campaign_id"] != sign["campaign_id"]:
            raise BundleSchemaError(f"{signature.id}: indicates {campaign.id}, which has another campaign_id")
        if campaign.get("first_seen") is None or campaign.get("last_seen") is None:
            raise BundleSchemaError(f"{campaign.id}: first_seen and last_seen are required")
        self._check_pattern_string(signature, "instruction_hashes", sign["instruction_hashes"])
        texts, vector = sign.get("instruction_texts"), sign.get("vector")
        return self._build(
            signature,
            lambda f: CampaignSignature(
                campaign_id=summary["campaign_id"],
                instruction_hashes=tuple(sign["instruction_hashes"]),
                categories=tuple(Category(c) for c in summary.get("categories", ())),
                member_count=summary["member_count"],
                request_count=summary["request_count"],
                first_seen=_plain_time(campaign.first_seen),
                last_seen=_plain_time(campaign.last_seen),
                linkage_kinds=tuple(summary.get("linkage_kinds", ())),
                instruction_texts=tuple(texts) if texts is not None else None,
                vector=tuple(vector) if vector is not None else None,
                encoder_fingerprint=sign.get("encoder_fingerprint"),
            ),
            sign,
        )

    @staticmethod
    def _build(obj: Any, build: Callable[[dict[str, Any]], _T], fields: dict[str, Any]) -> _T:
        try:
            return build(fields)
        except ValueError as exc:  # the model's own checks, and unknown Category/Severity values
            raise BundleSchemaError(f"{obj.id}: {exc}") from None


def _pattern(fields: dict[str, Any]) -> PatternIndicator:
    return PatternIndicator(
        Category(fields["category"]),
        Severity(fields["severity"]),
        fields["text_sha256"],
        fields["pattern_id"],
        fields.get("text"),
    )


def _require_unique(label: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise BundleSchemaError(f"{label} {value} appears twice")
        seen.add(value)
