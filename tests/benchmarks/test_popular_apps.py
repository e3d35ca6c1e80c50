"""The popular-apps population: honest bring-your-own-key users sharing one system prompt per app."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest

from benchmarks.traffic_scenarios import popular_apps as pa
from benchmarks.traffic_scenarios.records import MODELS
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

APPS = {pa.HOMEWORK_SYSTEM: "homework", pa.REASONING_SYSTEM: "reasoning", pa.LANGUAGE_SYSTEM: "language"}
KEY_RANGES = {"homework": (380, 420), "reasoning": (140, 160), "language": (90, 110)}


@pytest.fixture(scope="module")
def lines() -> list[dict[str, Any]]:
    return pa.popular_app_users(random.Random(1), 1.0)


def _system(line: dict[str, Any]) -> str:
    first = line["payload"]["messages"][0]
    assert first["role"] == "system"
    return str(first["content"])


def _keys_by_app(lines: list[dict[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        out[APPS[_system(line)]].add(line["client"])
    return out


def test_deterministic_for_a_seed() -> None:
    assert pa.popular_app_users(random.Random(7), 1.0) == pa.popular_app_users(random.Random(7), 1.0)
    assert pa.popular_app_users(random.Random(7), 1.0) != pa.popular_app_users(random.Random(8), 1.0)


def test_all_honest_and_labelled(lines: list[dict[str, Any]]) -> None:
    for line in lines:
        assert line["label"] == {"scenario": "popular_apps", "campaign": "benign", "campaign_request": False}
        assert line["path"] == "/v1/chat/completions"
        assert line["payload"]["model"] in MODELS["chat"]
        assert line["payload"]["messages"][-1]["role"] == "user"
        assert line["payload"]["messages"][-1]["content"].strip()


def test_sorted_and_within_the_days(lines: list[dict[str, Any]]) -> None:
    times = [line["ts"] for line in lines]
    assert times == sorted(times)
    assert times[0] >= START and times[-1] < START + 4 * DAY


def test_size_bound(lines: list[dict[str, Any]]) -> None:
    assert 1000 < len(lines) < 3000
    for seed in range(2, 6):
        assert len(pa.popular_app_users(random.Random(seed), 1.0)) < 3000


def test_one_system_prompt_per_app_shared_by_all_its_keys(lines: list[dict[str, Any]]) -> None:
    assert {_system(line) for line in lines} == set(APPS)
    prompts_per_key: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        prompts_per_key[line["client"]].add(_system(line))
    assert all(len(p) == 1 for p in prompts_per_key.values())


def test_key_counts_per_app(lines: list[dict[str, Any]]) -> None:
    keys = _keys_by_app(lines)
    for app, (low, high) in KEY_RANGES.items():
        assert low <= len(keys[app]) <= high, app


def test_requests_per_key(lines: list[dict[str, Any]]) -> None:
    per_key: dict[str, int] = defaultdict(int)
    for line in lines:
        per_key[line["client"]] += 1
    keys = _keys_by_app(lines)
    # Homework: 1-6 requests (a class-burst student may send a few more), most 1-3.
    homework = [per_key[k] for k in keys["homework"]]
    assert max(homework) <= 9
    assert sum(1 for n in homework if n <= 3) > 0.6 * len(homework)
    # Reasoning template: 1-10 questions, plus perhaps one smoke test of a fresh deployment.
    assert max(per_key[k] for k in keys["reasoning"]) <= 11


def test_each_key_is_its_own_client(lines: list[dict[str, Any]]) -> None:
    agents: dict[str, set[str]] = defaultdict(set)
    addresses: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        agents[line["client"]].add(line["headers"]["user-agent"])
        addresses[line["headers"]["x-forwarded-for"]].add(line["client"])
    assert all(len(a) == 1 for a in agents.values())
    # Most addresses serve one key; only a school network is shared by a whole class.
    shared = [keys for keys in addresses.values() if len(keys) > 1]
    assert len(shared) <= 10


def test_homework_uses_the_app_user_agent(lines: list[dict[str, Any]]) -> None:
    agents = {line["headers"]["user-agent"] for line in lines if _system(line) == pa.HOMEWORK_SYSTEM}
    assert sum(1 for a in agents if a.startswith("SolveSprout/")) >= 10


def test_class_burst(lines: list[dict[str, Any]]) -> None:
    first_seen: dict[str, float] = {}
    items_per_key: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        for message in line["payload"]["messages"]:
            if message["role"] != "user":
                continue
            for item in pa.WORKSHEET:
                if item in message["content"]:
                    items_per_key[line["client"]].add(item)
                    first_seen.setdefault(line["client"], line["ts"])
    assert all(_system(line) == pa.HOMEWORK_SYSTEM for line in lines if line["client"] in items_per_key)
    starts = sorted(first_seen.values())
    best = max(sum(1 for t in starts if s <= t < s + HOUR) for s in starts)
    assert best >= 30
    # The students share the worksheet: every item asked by several of them, none by all.
    askers: dict[str, int] = defaultdict(int)
    for items in items_per_key.values():
        for item in items:
            askers[item] += 1
    assert len(askers) >= 8
    assert all(n < len(items_per_key) for n in askers.values())
    # Most of the class is on the school's one address.
    by_address: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line["client"] in items_per_key:
            by_address[line["headers"]["x-forwarded-for"]].add(line["client"])
    assert max(len(keys) for keys in by_address.values()) >= 15


def test_follow_ups_carry_history(lines: list[dict[str, Any]]) -> None:
    multi = [line for line in lines if len(line["payload"]["messages"]) > 2]
    assert len(multi) > 0.15 * len(lines)
    for line in multi:
        roles = [m["role"] for m in line["payload"]["messages"][1:]]
        assert roles == ["user", "assistant"] * (len(roles) // 2) + ["user"]


def test_language_app_mixes_languages(lines: list[dict[str, Any]]) -> None:
    texts = [line["payload"]["messages"][-1]["content"] for line in lines if _system(line) == pa.LANGUAGE_SYSTEM]
    assert any(any("\u3040" <= ch <= "\u30ff" for ch in t) for t in texts)  # Japanese kana
    assert any("ñ" in t or "¿" in t or "está" in t for t in texts)
    assert any("ü" in t or "ß" in t or " ich " in t.lower() for t in texts)


def test_scale_does_not_change_the_population() -> None:
    assert pa.popular_app_users(random.Random(3), 0.2) == pa.popular_app_users(random.Random(3), 1.0)
