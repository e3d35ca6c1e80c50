"""Contract tests for the conversing-harvest campaigns (``benchmarks/traffic_scenarios/conversing_harvest.py``).

They check what the population promises (labels, sizes, order, payloads, that follow-ups really re-send the
same key's earlier turns, each campaign's shape, scale), not how any detector treats it.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import defaultdict
from typing import Any

import pytest

from benchmarks.traffic_scenarios.conversing_harvest import CAMPAIGNS, SCENARIO, conversing_harvest_campaigns
from benchmarks.traffic_scenarios.timing import DAY, START
from tests.benchmarks.records_view import by_key, turns

Record = dict[str, Any]
PATHS = {"/v1/chat/completions", "/v1/messages", "/v1/responses"}
PLAIN_ORDER = re.compile(
    r"chain of thought|step[- ]by[- ]step|every intermediate|all of your reasoning|entire reasoning|complete reasoning"
)
LANGUAGES = {
    "fr": re.compile(r"Combien font|Résoudre pour x|Un train parcourt|Un sac contient"),
    "es": re.compile(r"¿Cuánto es|Resuelve para x|Un tren recorre|Una bolsa tiene"),
    "de": re.compile(r"Wie viel ist|Löse nach x|Ein Zug fährt|In einem Beutel"),
    "pt": re.compile(r"Quanto é|Resolva para x|Um trem percorre|Um saco tem"),
    "it": re.compile(r"Quanto fa|Risolvi per x|Un treno percorre|Un sacchetto"),
}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return conversing_harvest_campaigns(random.Random(1), 0.25)


def _of(records: list[Record], campaign: str) -> list[Record]:
    return [r for r in records if r["label"]["campaign"] == campaign]


def _system(rec: Record) -> str | None:
    payload = rec["payload"]
    for name in ("system", "instructions"):
        if name in payload:
            return str(payload[name])
    return next((str(t["content"]) for t in payload.get("messages", []) if t["role"] == "system"), None)


def _is_follow_up(rec: Record) -> bool:
    roles = [t["role"] for t in turns(rec)]
    return "assistant" in roles and roles[-1] == "user"


def _last(rec: Record) -> str:
    return str(turns(rec)[-1]["content"])


def test_deterministic_per_seed(records: list[Record]) -> None:
    assert conversing_harvest_campaigns(random.Random(1), 0.25) == records
    assert conversing_harvest_campaigns(random.Random(2), 0.25) != records


def test_labels_are_well_formed(records: list[Record]) -> None:
    for rec in records:
        assert set(rec["label"]) == {"scenario", "campaign", "campaign_request"}
        assert rec["label"]["scenario"] == SCENARIO == "conversing_harvest"
        assert rec["label"]["campaign"] in CAMPAIGNS
        assert isinstance(rec["label"]["campaign_request"], bool)
    assert {r["label"]["campaign"] for r in records} == set(CAMPAIGNS)


def test_sorted_inside_the_week_and_serialisable(records: list[Record]) -> None:
    assert records == sorted(records, key=lambda r: (r["ts"], r["client"]))
    assert records[0]["ts"] >= START and records[-1]["ts"] < START + 7 * DAY
    for rec in records:
        assert set(rec) == {"ts", "client", "payload", "path", "label", "headers"}
        assert rec["path"] in PATHS
        assert {"user-agent", "x-forwarded-for"} <= set(rec["headers"])
        assert json.loads(json.dumps(rec)) == rec


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sizes_within_bounds(seed: int) -> None:
    recs = conversing_harvest_campaigns(random.Random(seed), 0.25)
    assert 150 <= len({r["client"] for r in recs}) <= 250
    assert 3000 <= len(recs) <= 6000


def test_each_campaign_has_its_own_keys(records: list[Record]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        owners[rec["client"]].add(rec["label"]["campaign"])
    assert all(len(c) == 1 for c in owners.values())


def test_follow_ups_resend_the_same_keys_earlier_turns(records: list[Record]) -> None:
    """Every assistant turn a request carries follows a conversation that same key sent before, verbatim."""
    follow_ups = 0
    for key_records in by_key(records).values():
        sent: set[str] = set()
        times = [r["ts"] for r in key_records]
        assert times == sorted(set(times))  # strictly increasing, so "before" is unambiguous
        for rec in key_records:
            conversation, system = turns(rec), _system(rec)
            for i, turn in enumerate(conversation):
                if turn["role"] == "assistant":
                    assert json.dumps([system, conversation[:i]]) in sent
            follow_ups += _is_follow_up(rec)
            sent.add(json.dumps([system, conversation]))
    assert follow_ups > 1000


def test_cheap_verify_keys_all_pass_the_two_follow_up_bar(records: list[Record]) -> None:
    keys = by_key(_of(records, "cheap-verify-0"))
    assert len(keys) == 30
    assert all(10 <= len(v) <= 40 for v in keys.values())
    assert all(sum(map(_is_follow_up, v)) >= 2 for v in keys.values())
    share = sum(_is_follow_up(r) for v in keys.values() for r in v) / sum(map(len, keys.values()))
    assert 0.55 <= share <= 0.85
    assert all(r["label"]["campaign_request"] for v in keys.values() for r in v)


def test_seeded_crowd_converses_first_then_harvests(records: list[Record]) -> None:
    keys = by_key(_of(records, "seeded-crowd-0"))
    assert len(keys) == 100
    seeded = 0
    for v in keys.values():
        first_harvest = next(i for i, r in enumerate(v) if r["label"]["campaign_request"])
        cover = v[:first_harvest]
        assert all(not r["label"]["campaign_request"] for r in cover)
        assert all(r["label"]["campaign_request"] and not _is_follow_up(r) for r in v[first_harvest:])
        assert 14 <= len(v) - first_harvest <= 30
        if cover:
            assert 1 <= sum(map(_is_follow_up, cover)) <= 2
            seeded += 1
    assert seeded / len(keys) >= 0.6


def test_sysprompt_keys_verify_early_under_one_of_three_prompts(records: list[Record]) -> None:
    recs = _of(records, "sysprompt-verified-0")
    assert len({_system(r) for r in recs}) == 3
    keys = by_key(recs)
    assert len(keys) == 24
    for v in keys.values():
        assert len({_system(r) for r in v}) == 1
        assert not v[0]["label"]["campaign_request"] and _is_follow_up(v[1])
        assert 1 <= sum(map(_is_follow_up, v)) <= 2 and all(_is_follow_up(r) for r in v[1:2])
        assert all(r["label"]["campaign_request"] for r in v[1:])


def test_slow_polyglot_is_slow_and_speaks_five_languages(records: list[Record]) -> None:
    recs = _of(records, "slow-polyglot-0")
    keys = by_key(recs)
    assert len(keys) == 20
    assert all(10 <= len(v) <= 18 and sum(map(_is_follow_up, v)) >= 2 for v in keys.values())
    spans = sorted(v[-1]["ts"] - v[0]["ts"] for v in keys.values())
    assert spans[len(spans) // 2] > 2 * DAY
    text = "\n".join(str(t["content"]) for r in recs for t in turns(r))
    assert all(pattern.search(text) for pattern in LANGUAGES.values())


def test_plain_mixed_keys_send_plain_orders_in_and_out_of_follow_ups(records: list[Record]) -> None:
    keys = by_key(_of(records, "plain-mixed-0"))
    assert len(keys) == 15
    for v in keys.values():
        plain = [r for r in v if PLAIN_ORDER.search(_last(r))]
        assert 3 <= len(plain) <= 4  # two or three inline, one standing
        assert any(_is_follow_up(r) for r in plain)
        # a standing order stated once, then follow-ups that carry it only in the re-sent history
        inherited = [r for r in v if _is_follow_up(r) and not PLAIN_ORDER.search(_last(r))]
        assert any(PLAIN_ORDER.search(str(turns(r)[0]["content"])) for r in inherited)


def test_items_are_many_and_distinct(records: list[Record]) -> None:
    harvest = [_last(r) for r in _of(records, "seeded-crowd-0") if r["label"]["campaign_request"]]
    stems = {re.sub(r"\n\(A\).*", "", text, flags=re.DOTALL) for text in harvest}
    assert len(stems) >= 0.95 * len(harvest)


def test_scale_grows_only_the_seeded_crowd() -> None:
    small = conversing_harvest_campaigns(random.Random(3), 0.1)
    big = conversing_harvest_campaigns(random.Random(3), 0.5)
    assert len({r["client"] for r in _of(small, "seeded-crowd-0")}) == 40
    assert len({r["client"] for r in _of(big, "seeded-crowd-0")}) == 200
    for campaign in CAMPAIGNS:
        if campaign != "seeded-crowd-0":
            assert _of(small, campaign) == _of(big, campaign)


@pytest.mark.parametrize("scale", [0.0, -1.0, math.inf, math.nan])
def test_bad_scale_raises(scale: float) -> None:
    with pytest.raises(ValueError):
        conversing_harvest_campaigns(random.Random(1), scale)
