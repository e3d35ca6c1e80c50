"""The forged-history campaigns: deterministic, labelled, and shaped as their brief says."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

import pytest

from benchmarks.traffic_scenarios.forged_history import SCENARIO, forged_history_campaigns

CAMPAIGNS = {"forged-ring-0", "forged-few-use-0", "real-sessions-0", "forged-single-use-0"}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return forged_history_campaigns(random.Random(1), 0.25)


def _turns(rec: dict[str, Any]) -> list[dict[str, Any]]:
    payload = rec["payload"]
    turns = payload.get("messages", payload.get("input", []))
    return [t for t in turns if t["role"] != "system"]


def _system(rec: dict[str, Any]) -> str | None:
    payload = rec["payload"]
    for name in ("system", "instructions"):
        if name in payload:
            return str(payload[name])
    return next((str(t["content"]) for t in payload.get("messages", []) if t["role"] == "system"), None)


def _has_conversation(rec: dict[str, Any]) -> bool:
    """An assistant turn before a later user turn."""
    roles = [t["role"] for t in _turns(rec)]
    return "assistant" in roles and roles[-1] == "user" and roles.index("assistant") < len(roles) - 1


def _of(records: list[dict[str, Any]], campaign: str) -> list[dict[str, Any]]:
    return [r for r in records if r["label"]["campaign"] == campaign]


def test_deterministic(records: list[dict[str, Any]]) -> None:
    assert forged_history_campaigns(random.Random(1), 0.25) == records
    assert forged_history_campaigns(random.Random(2), 0.25) != records


def test_labels_and_order(records: list[dict[str, Any]]) -> None:
    assert {r["label"]["campaign"] for r in records} == CAMPAIGNS
    assert all(r["label"]["scenario"] == SCENARIO == "forged_history" for r in records)
    assert all(r["label"]["campaign_request"] is True for r in records)
    assert records == sorted(records, key=lambda r: (r["ts"], r["client"]))
    assert all(_system(r) for r in records)  # the harvesting instruction always rides in the system slot


def test_ring_keys_send_six_each_with_a_forged_share_near_thirty_percent(records: list[dict[str, Any]]) -> None:
    ring = _of(records, "forged-ring-0")
    per_key = Counter(r["client"] for r in ring)
    assert len(per_key) >= 30
    assert set(per_key.values()) == {6}
    forged = sum(_has_conversation(r) for r in ring)
    assert 0.25 <= forged / len(ring) <= 0.35
    assert len({_system(r) for r in ring}) == 1
    assert len({r["headers"]["x-forwarded-for"] for r in ring}) > len(per_key)  # a rotating pool


def test_few_use_and_single_use_shapes(records: list[dict[str, Any]]) -> None:
    few = _of(records, "forged-few-use-0")
    per_key: dict[str, list[dict[str, Any]]] = {}
    for r in few:
        per_key.setdefault(r["client"], []).append(r)
    assert len(per_key) >= 30
    assert all(len(v) == 3 and _has_conversation(v[0]) for v in per_key.values())
    assert len({_system(r) for r in few}) == 3
    single = _of(records, "forged-single-use-0")
    assert len({r["client"] for r in single}) == len(single) >= 30
    share = sum(_has_conversation(r) for r in single) / len(single)
    assert 0.10 <= share <= 0.20
    assert len({_system(r) for r in single}) == 1


def test_real_sessions_follow_ups_carry_the_previous_exchange(records: list[dict[str, Any]]) -> None:
    sessions = _of(records, "real-sessions-0")
    per_key = Counter(r["client"] for r in sessions)
    assert len(per_key) == 60
    assert all(20 <= n <= 40 for n in per_key.values())
    follow_ups = [r for r in sessions if sum(t["role"] == "user" for t in _turns(r)) > 1]
    assert follow_ups
    assert all(_has_conversation(r) for r in follow_ups)
    for r in follow_ups:
        roles = [t["role"] for t in _turns(r)]
        assert roles == ["user", "assistant"] * (len(roles) // 2) + ["user"]
        assert len(roles) <= 2 * 10 - 1  # sessions are at most ten turns long


def test_real_sessions_keep_their_size_while_the_others_scale() -> None:
    small = forged_history_campaigns(random.Random(3), 0.1)
    big = forged_history_campaigns(random.Random(3), 0.5)
    for campaign, base in (("forged-ring-0", 300), ("forged-few-use-0", 400), ("forged-single-use-0", 500)):
        assert len({r["client"] for r in _of(small, campaign)}) == max(30, round(base * 0.1))
        assert len({r["client"] for r in _of(big, campaign)}) == round(base * 0.5)
    assert len({r["client"] for r in _of(small, "real-sessions-0")}) == 60
    assert len({r["client"] for r in _of(big, "real-sessions-0")}) == 60


@pytest.mark.parametrize("scale", [0.0, -1.0, math.inf, math.nan])
def test_bad_scale_raises(scale: float) -> None:
    with pytest.raises(ValueError):
        forged_history_campaigns(random.Random(1), scale)
