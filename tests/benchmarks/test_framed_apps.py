"""Contract tests for the honest framed-apps population (``benchmarks/traffic_scenarios/framed_apps.py``).

They check the population's promises (apps, keys, requests per key, fields in the user turns, API shapes,
conversations, timing, shared addresses, labels), not how any detector treats it.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import pytest

from benchmarks.traffic_scenarios.framed_apps import APPS, END, SCENARIO, framed_app_users
from benchmarks.traffic_scenarios.timing import HOUR, START
from tests.benchmarks.records_view import by_key as _by_key
from tests.benchmarks.records_view import turns as _turns

Record = dict[str, Any]
PATHS = {"chat": "/v1/chat/completions", "anthropic": "/v1/messages", "responses": "/v1/responses"}
AGENT_TO_APP = {shape.agent: name for name, shape in APPS.items()}
# Written here, not imported: what each app's framed user turn must contain.
FIELDS = {
    "grading": re.compile(r"Question.*Student answer:.*Mark scheme:", re.DOTALL),
    "docs": re.compile(r"^Context:\n.+\n\nQuestion: .+", re.DOTALL),
    "flashcards": re.compile(r"^(Deck: .+\n)?Q: .+\nA: .+", re.DOTALL),
    "practice": re.compile(r"\(A\) .+\n\(B\) .+\n\(C\) .+\n\(D\) .+", re.DOTALL),
    "reading": re.compile(r"^Passage: .+\nQuestion: .+\nMy answer: .+", re.DOTALL),
}


@pytest.fixture(scope="module")
def traffic() -> list[Record]:
    return framed_app_users(random.Random(5), 0.25)


def _app(rec: Record) -> str:
    return AGENT_TO_APP[rec["headers"]["user-agent"].split("/", 1)[0]]


def _by_app(records: list[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        out[_app(rec)].append(rec)
    return out


def _system(rec: Record) -> str:
    payload = rec["payload"]
    if rec["path"] == PATHS["responses"]:
        return str(payload["instructions"])
    if rec["path"] == PATHS["anthropic"]:
        return str(payload["system"])
    return str(payload["messages"][0]["content"])


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    assert framed_app_users(random.Random(9), 0.25) == framed_app_users(random.Random(9), 0.25)
    assert framed_app_users(random.Random(9), 0.25) != framed_app_users(random.Random(10), 0.25)


def test_scale_does_not_change_the_population() -> None:
    assert framed_app_users(random.Random(3), 0.05) == framed_app_users(random.Random(3), 2.0)


def test_fast() -> None:
    began = time.perf_counter()
    framed_app_users(random.Random(1), 1.0)
    assert time.perf_counter() - began < 5.0


def test_every_record_is_benign(traffic: list[Record]) -> None:
    assert SCENARIO == "framed_apps"
    for rec in traffic:
        assert rec["label"] == {"scenario": "framed_apps", "campaign": "benign", "campaign_request": False}


def test_keys_and_requests_per_key(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    assert set(apps) == set(APPS)
    all_keys: set[str] = set()
    for name, shape in APPS.items():
        per_key = Counter(r["client"] for r in apps[name])
        assert len(per_key) == shape.keys, name
        assert min(per_key.values()) == shape.min_requests, name
        assert max(per_key.values()) == shape.max_requests, name
        assert not all_keys & set(per_key), "a key belongs to one app"
        all_keys |= set(per_key)
    assert 600 <= len(all_keys) <= 700
    # docs users are light, teachers heavy
    docs = Counter(r["client"] for r in apps["docs"])
    teachers = Counter(r["client"] for r in apps["grading"])
    assert sum(docs.values()) / len(docs) < 3.5 < 20 < sum(teachers.values()) / len(teachers)


def test_payloads_have_valid_api_shapes(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    for name, shape in APPS.items():
        used = Counter(r["path"] for r in apps[name])
        assert set(used) == {PATHS[api] for api in shape.apis}, name  # each app uses exactly its APIs
    for rec in traffic:
        payload = rec["payload"]
        assert isinstance(payload["model"], str) and payload["model"]
        if rec["path"] == PATHS["anthropic"]:
            assert payload["max_tokens"] > 0 and "instructions" not in payload
        elif rec["path"] == PATHS["responses"]:
            assert "messages" not in payload and isinstance(payload["input"], list)
        else:
            assert payload["messages"][0]["role"] == "system"
        assert _system(rec).strip()
        turns = _turns(rec)
        assert [t["role"] for t in turns] == ["user", "assistant"] * (len(turns) // 2) + ["user"]
        assert all(isinstance(t["content"], str) and t["content"].strip() for t in turns)
        assert rec["headers"]["user-agent"] and rec["headers"]["x-forwarded-for"]


def test_user_turns_carry_the_apps_fields(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():
        opening = [_turns(r)[0]["content"] for r in recs]  # the first user turn of each chat
        framed = sum(1 for text in opening if FIELDS[name].search(text))
        if name == "grading":  # teachers now and then ask something unrelated
            assert 0.9 * len(opening) <= framed < len(opening)
        else:
            assert framed == len(opening), name
    docs = [_turns(r)[-1]["content"] for r in _by_app(traffic)["docs"]]
    assert all(FIELDS["docs"].search(t) for t in docs)  # the backend frames even "thanks!"


def test_follow_ups_extend_an_earlier_request(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    for name, recs in apps.items():
        seen: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
        follow_ups = 0
        for key, key_recs in _by_key(recs).items():
            for i, rec in enumerate(key_recs):
                turns = _turns(rec)
                if len(turns) > 1:
                    follow_ups += 1
                    assert turns[-2]["role"] == "assistant"
                    assert turns[:-2] in seen[key], "history is the chat this person had"
                    # the latest match: the same card can come up, word for word, days earlier
                    earlier = next(r for r in reversed(key_recs[:i]) if _turns(r) == turns[:-2])
                    assert _system(earlier) == _system(rec)
                    assert 0 < rec["ts"] - earlier["ts"] <= 20 * 60
                seen[key].append(turns)
        assert follow_ups >= 0.03 * len(recs), name


def test_other_languages(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    cards = " ".join(_turns(r)[-1]["content"] for r in apps["flashcards"])
    for word in ("respuesta", "Antwort", "réponse", "resposta"):
        assert word in cards
    reading = " ".join(_turns(r)[-1]["content"] for r in apps["reading"])
    for word in ("respuesta", "Antwort", "réponse", "resposta", "risposta"):
        assert word in reading


def test_inside_the_week_with_human_rhythms(traffic: list[Record]) -> None:
    assert all(START <= r["ts"] < END for r in traffic)
    apps = _by_app(traffic)
    for key_recs in _by_key(apps["grading"]).values():  # marking comes in separate sittings
        gaps = [b["ts"] - a["ts"] for a, b in pairwise(key_recs)]
        assert sum(1 for g in gaps if g > HOUR) >= 1  # sittings start hours apart (two can share an evening)
        assert sorted(gaps)[len(gaps) // 2] < 10 * 60  # within a sitting, minutes apart
    docs_hours = Counter(int(((r["ts"] - START) / HOUR) % 24) for r in apps["docs"])
    night = sum(docs_hours[h] for h in range(2, 6))  # office hours in Europe and America, never 02-06 UTC
    assert night <= 0.02 * len(apps["docs"])


def test_template_releases_and_shared_addresses(traffic: list[Record]) -> None:
    apps = _by_app(traffic)
    for name, recs in apps.items():
        versions = {r["headers"]["user-agent"].split("/", 1)[1].split(" ", 1)[0] for r in recs}
        assert len(versions) == 2, name  # before and after the week's release
    for name, least in (("grading", 3), ("docs", 10)):  # a school's and an office's NAT address
        keys_per_ip: dict[str, set[str]] = defaultdict(set)
        for rec in apps[name]:
            keys_per_ip[rec["headers"]["x-forwarded-for"]].add(rec["client"])
        assert max(len(k) for k in keys_per_ip.values()) >= least, name
    ips_per_key: dict[str, set[str]] = defaultdict(set)
    for rec in traffic:
        ips_per_key[rec["client"]].add(rec["headers"]["x-forwarded-for"])
    assert sum(1 for ips in ips_per_key.values() if len(ips) > 1) >= 0.2 * len(ips_per_key)


def test_messages_vary(traffic: list[Record]) -> None:
    for name, recs in _by_app(traffic).items():
        # opening turns: replies in a chat ("makes sense", "thanks!") repeat, as they do in life
        opening = [r for r in recs if len(_turns(r)) == 1]
        texts = Counter(_turns(r)[0]["content"] for r in opening)
        assert len(texts) >= 0.3 * len(opening), name
        assert texts.most_common(1)[0][1] <= 0.05 * len(opening), name
