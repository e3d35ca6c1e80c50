"""The hidden-system-prompt harvest campaigns: deterministic, labelled, bounded, instruction in system/developer."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Any

import pytest

from benchmarks.traffic_scenarios.hidden_system import CHIT_CHAT_SYSTEMS, hidden_system_campaigns

CAMPAIGNS = {f"hidden-system-{i}" for i in range(5)}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return hidden_system_campaigns(random.Random(1), 0.25)


def _instruction(rec: dict[str, Any]) -> str | None:
    """The system or developer message of a chat payload (the first message, when it is one)."""
    first = rec["payload"]["messages"][0]
    return str(first["content"]) if first["role"] in {"system", "developer"} else None


def _user(rec: dict[str, Any]) -> str:
    return str(rec["payload"]["messages"][-1]["content"])


def test_deterministic_for_a_seed() -> None:
    assert hidden_system_campaigns(random.Random(7), 0.25) == hidden_system_campaigns(random.Random(7), 0.25)
    assert hidden_system_campaigns(random.Random(7), 0.25) != hidden_system_campaigns(random.Random(8), 0.25)


def test_every_record_is_a_labelled_campaign_request(records: list[dict[str, Any]]) -> None:
    assert {r["label"]["scenario"] for r in records} == {"hidden_system"}
    # Every request is a harvesting one except campaign 2's small talk, its cover traffic.
    assert all(r["label"]["campaign_request"] is True for r in records if r["label"]["campaign"] != "hidden-system-2")
    cover = [r for r in records if r["label"]["campaign"] == "hidden-system-2" and not r["label"]["campaign_request"]]
    assert cover and all(r["payload"]["messages"][0]["content"] in CHIT_CHAT_SYSTEMS for r in cover)
    assert {r["label"]["campaign"] for r in records} == CAMPAIGNS


def test_chat_api_shape(records: list[dict[str, Any]]) -> None:
    for r in records:
        assert r["path"] == "/v1/chat/completions"
        assert r["payload"]["messages"][-1]["role"] == "user"
        assert set(r["headers"]) >= {"user-agent", "x-forwarded-for"}


def test_every_record_carries_an_instruction_message(records: list[dict[str, Any]]) -> None:
    for r in records:
        text = _instruction(r)
        assert text, r
        assert text not in _user(r)  # the demand is in the system/developer turn, not the user turn


def test_harvest_instruction_is_never_a_chit_chat_prompt_outside_the_dilution_campaign(
    records: list[dict[str, Any]],
) -> None:
    for r in records:
        if r["label"]["campaign"] != "hidden-system-2":
            assert _instruction(r) not in CHIT_CHAT_SYSTEMS


def test_dilution_keys_are_half_cover_half_harvest(records: list[dict[str, Any]]) -> None:
    per_key: dict[str, list[bool]] = defaultdict(list)
    for r in records:
        if r["label"]["campaign"] == "hidden-system-2":
            per_key[r["client"]].append(_instruction(r) in CHIT_CHAT_SYSTEMS)
    assert per_key
    for flags in per_key.values():
        assert 5 <= len(flags) <= 8
        assert sum(1 for cover in flags if not cover) == len(flags) // 2


def test_developer_role_is_used_by_the_persona_campaign(records: list[dict[str, Any]]) -> None:
    roles = Counter(r["payload"]["messages"][0]["role"] for r in records if r["label"]["campaign"] == "hidden-system-3")
    assert roles["developer"] > 0 and roles["system"] > 0


def test_records_sorted_by_time(records: list[dict[str, Any]]) -> None:
    times = [r["ts"] for r in records]
    assert times == sorted(times)


def test_size_bound_at_default_scale(records: list[dict[str, Any]]) -> None:
    assert 500 <= len(records) < 2000
    bigger = hidden_system_campaigns(random.Random(1), 0.5)
    assert len({r["client"] for r in bigger}) > len({r["client"] for r in records})


def test_tiny_scale_still_gives_every_campaign() -> None:
    assert {r["label"]["campaign"] for r in hidden_system_campaigns(random.Random(3), 0.001)} == CAMPAIGNS


def test_single_use_keys_never_repeat_an_instruction(records: list[dict[str, Any]]) -> None:
    single = [r for r in records if r["label"]["campaign"] == "hidden-system-1"]
    assert len(single) > 100
    assert len({r["client"] for r in single}) == len(single)  # each key used exactly once
    systems = [_instruction(r) for r in single]
    assert len(set(systems)) == len(systems)


def test_paraphrase_fleet_two_requests_per_key_within_a_day(records: list[dict[str, Any]]) -> None:
    per_key: dict[str, list[float]] = defaultdict(list)
    for r in records:
        if r["label"]["campaign"] == "hidden-system-0":
            per_key[r["client"]].append(r["ts"])
    assert per_key and all(len(ts) == 2 for ts in per_key.values())
    assert all(max(ts) - min(ts) <= 24 * 3600 for ts in per_key.values())


def test_rejects_a_non_positive_scale() -> None:
    with pytest.raises(ValueError):
        hidden_system_campaigns(random.Random(1), 0.0)
