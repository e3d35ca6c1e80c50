"""The honest step-by-step app crowds: deterministic, benign, one system prompt per app, realistic shape."""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter, defaultdict
from typing import Any

import pytest

from benchmarks.traffic_scenarios import app_crowds
from benchmarks.traffic_scenarios.app_crowds import (
    CODING_SYSTEM,
    EXAM_SYSTEM,
    SCENARIO,
    TUTOR_SYSTEM,
    WIDGET_SYSTEM,
    app_crowd_users,
)
from benchmarks.traffic_scenarios.timing import START

APPS = {WIDGET_SYSTEM: "widget", TUTOR_SYSTEM: "tutor", EXAM_SYSTEM: "exam", CODING_SYSTEM: "coding"}


@pytest.fixture(scope="module")
def lines() -> list[dict[str, Any]]:
    return app_crowd_users(random.Random(1), 1.0)


def _system(line: dict[str, Any]) -> str | None:
    payload = line["payload"]
    value: str | None
    if line["path"] == "/v1/messages":
        value = payload.get("system")
    elif line["path"] == "/v1/responses":
        value = payload.get("instructions")
    else:
        first = payload["messages"][0]
        value = first["content"] if first["role"] == "system" else None
    return value


def _turns(line: dict[str, Any]) -> list[dict[str, Any]]:
    payload = line["payload"]
    turns = payload["input"] if line["path"] == "/v1/responses" else payload["messages"]
    return [t for t in turns if t["role"] != "system"]


def _by_app(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        out[APPS[str(_system(line))]].append(line)
    return out


def test_deterministic_for_a_seed(lines: list[dict[str, Any]]) -> None:
    again = app_crowd_users(random.Random(1), 1.0)
    assert json.dumps(again, sort_keys=True) == json.dumps(lines, sort_keys=True)
    assert json.dumps(app_crowd_users(random.Random(2), 1.0)) != json.dumps(lines)


def test_every_line_benign_and_sorted(lines: list[dict[str, Any]]) -> None:
    assert all(
        line["label"] == {"scenario": SCENARIO, "campaign": "benign", "campaign_request": False} for line in lines
    )
    assert [(line["ts"], line["client"]) for line in lines] == sorted((line["ts"], line["client"]) for line in lines)
    assert min(line["ts"] for line in lines) >= START
    assert min(line["ts"] for line in lines) < START + 24 * 3600
    assert 3000 <= len(lines) <= 5000
    assert {line["path"] for line in lines} == {"/v1/chat/completions", "/v1/messages", "/v1/responses"}


def test_each_app_one_system_prompt_shared_by_its_keys(lines: list[dict[str, Any]]) -> None:
    assert {_system(line) for line in lines} == set(APPS)  # every line carries one of the four prompts
    owner: dict[str, str] = {}
    for line in lines:
        app = APPS[str(_system(line))]
        assert owner.setdefault(line["client"], app) == app  # a key belongs to exactly one app
    keys = Counter(owner.values())
    assert keys == {"widget": 300, "tutor": 30, "exam": 200, "coding": 150}


def test_widget_never_carries_history(lines: list[dict[str, Any]]) -> None:
    widget = _by_app(lines)["widget"]
    assert all(len(_turns(line)) == 1 and _turns(line)[0]["role"] == "user" for line in widget)
    per_key = Counter(line["client"] for line in widget)
    assert set(per_key.values()) <= {1, 2, 3}


def test_tutoring_power_users_and_history_shares(lines: list[dict[str, Any]]) -> None:
    apps = _by_app(lines)
    per_key = Counter(line["client"] for line in apps["tutor"])
    assert len(per_key) == 30
    assert all(20 <= n <= 60 for n in per_key.values())
    shares = {app: sum(len(_turns(line)) > 1 for line in group) / len(group) for app, group in apps.items()}
    assert 0.12 <= shares["tutor"] <= 0.3
    assert 0.03 <= shares["exam"] <= 0.12
    assert 0.2 <= shares["coding"] <= 0.4
    for line in apps["tutor"] + apps["coding"]:  # history alternates user / assistant and ends with the user
        roles = [turn["role"] for turn in _turns(line)]
        assert roles == ["user", "assistant"] * (len(roles) // 2) + ["user"]
    assert all(2 <= n <= 8 for n in Counter(line["client"] for line in apps["exam"]).values())
    assert all(1 <= n <= 15 for n in Counter(line["client"] for line in apps["coding"]).values())


def test_scale_grows_but_never_shrinks_keys() -> None:
    small = app_crowd_users(random.Random(3), 0.01)
    assert len({line["client"] for line in small}) == 680
    bigger = app_crowd_users(random.Random(3), 1.5)
    assert len({line["client"] for line in bigger}) == 1020


@pytest.mark.parametrize("scale", [0, -1.0, math.nan, math.inf, "1", True])
def test_bad_scale_raises(scale: Any) -> None:
    with pytest.raises(ValueError):
        app_crowd_users(random.Random(1), scale)


def test_fast() -> None:
    started = time.perf_counter()
    app_crowd_users(random.Random(4), 1.0)
    assert time.perf_counter() - started < 5.0
    assert app_crowds.APP_KEYS["tutor"] == 30
