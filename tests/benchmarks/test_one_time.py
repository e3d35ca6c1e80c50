"""Contract tests for the honest one-time-users population (``benchmarks/traffic_scenarios/one_time.py``).

They check the population's promises (size, shape, labels, timing, shared prompts), not how any
detector treats it.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest

from benchmarks.traffic_scenarios.one_time import APPS, TEMPLATES, one_time_users, population_sizes
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START

Record = dict[str, Any]
SCALES = [0.25, 1.0]
# Written here, not imported, so the test judges "reasoning-flavoured" on its own terms.
REASONING = re.compile(r"step|reasoning|working|think", re.IGNORECASE)


@pytest.fixture(scope="module", params=SCALES)
def traffic(request: pytest.FixtureRequest) -> tuple[float, list[Record]]:
    scale: float = request.param
    return scale, one_time_users(random.Random(5), scale)


def _system(rec: Record) -> str | None:
    payload = rec["payload"]
    if "system" in payload:
        return str(payload["system"])
    return next((m["content"] for m in payload["messages"] if m["role"] == "system"), None)


def _first_requests(records: list[Record]) -> dict[str, Record]:
    first: dict[str, Record] = {}
    for rec in sorted(records, key=lambda r: r["ts"]):
        first.setdefault(rec["client"], rec)
    return first


def test_deterministic_for_a_seed() -> None:
    assert one_time_users(random.Random(9), 0.25) == one_time_users(random.Random(9), 0.25)
    assert one_time_users(random.Random(9), 0.25) != one_time_users(random.Random(10), 0.25)


def test_key_counts_per_sub_population(traffic: tuple[float, list[Record]]) -> None:
    scale, records = traffic
    sizes = population_sizes(scale)
    first = _first_requests(records).values()
    app_agents = {agent for app in APPS for agent, _ in app.agents}
    templates = {system for system, _, _ in TEMPLATES}
    apps = sum(1 for r in first if r["headers"]["user-agent"] in app_agents)
    trial = sum(1 for r in first if _system(r) in templates)
    assert len(first) == sum(sizes.values())
    assert (apps, trial) == (sizes["apps"], sizes["trial"])
    assert len(first) - apps - trial == sizes["snippets"]
    assert len(first) >= 300
    if scale == 1.0:
        assert 550 <= len(first) <= 650


def test_population_does_not_shrink_below_half() -> None:
    assert sum(population_sizes(0.05).values()) == sum(population_sizes(0.25).values()) >= 300
    assert sum(population_sizes(2.0).values()) == 2 * sum(population_sizes(1.0).values())


def test_most_keys_send_a_single_request(traffic: tuple[float, list[Record]]) -> None:
    per_key = Counter(r["client"] for r in traffic[1])
    assert set(per_key.values()) <= {1, 2, 3}
    singles = sum(1 for n in per_key.values() if n == 1)
    assert 0.70 <= singles / len(per_key) <= 0.80


def test_every_record_is_a_benign_one_time_request(traffic: tuple[float, list[Record]]) -> None:
    for rec in traffic[1]:
        assert rec["label"] == {"scenario": "one_time_users", "campaign": "benign", "campaign_request": False}


def test_every_payload_has_the_shape_records_builds(traffic: tuple[float, list[Record]]) -> None:
    for rec in traffic[1]:
        payload, path = rec["payload"], rec["path"]
        assert path in ("/v1/chat/completions", "/v1/messages")
        turns = payload["messages"]
        assert isinstance(payload["model"], str) and payload["model"]
        if path == "/v1/messages":
            assert isinstance(payload["system"], str) and payload["system"]
            assert payload["max_tokens"] > 0
        else:
            assert turns[0]["role"] == "system"
            turns = turns[1:]
        # user / assistant alternate, starting and ending with the user, and nothing is empty
        assert [t["role"] for t in turns] == ["user", "assistant"] * (len(turns) // 2) + ["user"]
        assert all(isinstance(t["content"], str) and t["content"].strip() for t in turns)
        assert rec["headers"]["user-agent"] and rec["headers"]["x-forwarded-for"]


def test_follow_ups_extend_the_earlier_conversation(traffic: tuple[float, list[Record]]) -> None:
    by_key: dict[str, list[Record]] = {}
    for rec in sorted(traffic[1], key=lambda r: r["ts"]):
        by_key.setdefault(rec["client"], []).append(rec)
    conversations = 0
    for recs in by_key.values():
        for before, after in pairwise(recs):
            assert _system(before) == _system(after)
            assert 0 <= after["ts"] - before["ts"] <= 20 * 60  # within minutes
            if len(after["payload"]["messages"]) > len(before["payload"]["messages"]):
                conversations += 1
                grown = after["payload"]["messages"]
                assert grown[: len(before["payload"]["messages"])] == before["payload"]["messages"]
    assert conversations > 0


def test_reasoning_prompts_are_shared_by_many_keys(traffic: tuple[float, list[Record]]) -> None:
    first = _first_requests(traffic[1]).values()
    shared = Counter(_system(r) for r in first)
    reasoning = [s for s, n in shared.items() if s and n >= 30 and REASONING.search(s)]
    ordinary = [s for s in shared if s and not REASONING.search(s)]
    assert len(reasoning) >= 4
    assert len(ordinary) >= 3


def test_messages_vary(traffic: tuple[float, list[Record]]) -> None:
    first = list(_first_requests(traffic[1]).values())
    texts = Counter(r["payload"]["messages"][-1]["content"] for r in first)
    assert len(texts) >= 0.6 * len(first)
    assert texts.most_common(1)[0][1] <= 0.05 * len(first)
    assert any(re.search(r"\bA[).:]", t) and re.search(r"\bD[).:]", t) for t in texts)  # multiple choice
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in texts)  # written in zh/ja


def test_timestamps_inside_the_window(traffic: tuple[float, list[Record]]) -> None:
    assert all(START <= r["ts"] <= START + 2 * DAY for r in traffic[1])


def test_there_is_a_burst_of_new_keys(traffic: tuple[float, list[Record]]) -> None:
    starts = sorted(r["ts"] for r in _first_requests(traffic[1]).values())
    right, busiest = 0, 0
    for left, t in enumerate(starts):
        while right < len(starts) and starts[right] - t <= HOUR:
            right += 1
        busiest = max(busiest, right - left)
    assert busiest >= 30
    # ... but it is a burst, not the whole population: arrivals are spread over both days
    days = Counter(int((t - START) // DAY) for t in starts)
    assert days[0] >= 0.2 * len(starts) and days[1] >= 0.2 * len(starts)


def test_addresses_are_mostly_personal(traffic: tuple[float, list[Record]]) -> None:
    first = _first_requests(traffic[1]).values()
    ips = Counter(r["headers"]["x-forwarded-for"] for r in first)
    assert len(ips) >= 0.9 * len(first)
    assert 3 <= ips.most_common(1)[0][1] <= 8  # a handful behind one campus or office NAT
