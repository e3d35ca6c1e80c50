"""The answer-only campaigns: deterministic, labelled, and shaped as their module docstring says.

They check the scenario's promises (key counts, requests per key, spans, frames, wordings, API shapes),
not how any detector treats it.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from typing import Any

import pytest

from benchmarks.traffic_scenarios import answer_only_campaigns as module
from benchmarks.traffic_scenarios import timing
from benchmarks.traffic_scenarios.answer_only_campaigns import (
    BLEND_KEYS,
    BLEND_REQUESTS,
    BLEND_SPAN,
    CAMPAIGNS,
    LEARNER_REQUESTS,
    LEARNER_SPAN,
    RING_REQUESTS,
    SCENARIO,
    answer_only_campaigns,
)
from benchmarks.traffic_scenarios.records import MODELS, PATHS
from tests.benchmarks.records_view import by_key

Record = dict[str, Any]

# The exam-item shapes the rule names: line-start fields, lettered options, "Options:" lines.
FRAME = re.compile(
    r"^(?:Q|A|Question|Answer|Context|Passage|Premise|Hypothesis|Student|Teacher|Claim|Options):|\([A-E]\) ",
    re.MULTILINE,
)
LEARNER = re.compile(r"^(?:My answer|I chose|I put|I said|I went with|Student:)", re.MULTILINE)
# Words that would make an instruction a harvesting order on its own, which these campaigns avoid.
EXPLICIT = re.compile(r"chain of thought|step by step|step-by-step|hidden|reasoning trace|every step|internal", re.I)
BULK_HEAD = re.compile(r"^(?:\d+\.|#\d+|Item \d+|\[\d+\])$", re.MULTILINE)  # a numbered block's own line
FOREIGN = re.compile(r"[¿ñäöüßéèà]|\b(?:Wie|Quel|Combien|Cuántos)\b")


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return answer_only_campaigns(random.Random(1), 0.25)


def _of(records: list[Record], name: str) -> list[Record]:
    return [r for r in records if r["label"]["campaign"] == CAMPAIGNS[name]]


def _system(rec: Record) -> str | None:
    payload = rec["payload"]
    for name in ("system", "instructions"):
        if name in payload:
            return str(payload[name])
    return next((str(t["content"]) for t in payload.get("messages", []) if t["role"] == "system"), None)


def _user(rec: Record) -> str:
    payload = rec["payload"]
    turns = payload.get("messages", payload.get("input", []))
    return "\n\n".join(str(t["content"]) for t in turns if t["role"] == "user")


def _instruction(rec: Record) -> str:
    """The request's instruction: the system prompt, else the one paragraph of the user text with no frame."""
    system = _system(rec)
    if system:
        return system
    plain = [p for p in _user(rec).split("\n\n") if not FRAME.search(p)]
    assert len(plain) == 1, _user(rec)
    return plain[0]


def _span(records: list[Record]) -> float:
    times = [r["ts"] for r in records]
    return float(max(times) - min(times))


def test_deterministic_per_seed_and_different_across_seeds(records: list[Record]) -> None:
    assert answer_only_campaigns(random.Random(1), 0.25) == records
    assert answer_only_campaigns(random.Random(2), 0.25) != records


def test_labels_and_order(records: list[Record]) -> None:
    assert {r["label"]["campaign"] for r in records} == set(CAMPAIGNS.values())
    assert all(r["label"]["scenario"] == SCENARIO == "answer_only_campaigns" for r in records)
    assert all(r["label"]["campaign_request"] is True for r in records if r["label"]["campaign"] != CAMPAIGNS["blend"])
    assert records == sorted(records, key=lambda r: (r["ts"], r["client"]))
    # No key belongs to two campaigns.
    owners = {(r["client"], r["label"]["campaign"]) for r in records}
    assert len(owners) == len({r["client"] for r in records})


def test_api_shapes_are_valid_and_mixed(records: list[Record]) -> None:
    seen: Counter[str] = Counter()
    for r in records:
        payload, api = r["payload"], next(a for a, path in PATHS.items() if path == r["path"])
        seen[api] += 1
        assert payload["model"] in MODELS[api]
        if api == "anthropic":
            assert isinstance(payload["max_tokens"], int)
            assert {t["role"] for t in payload["messages"]} <= {"user", "assistant"}
            assert isinstance(payload.get("system", ""), str)
            assert "input" not in payload
        elif api == "responses":
            assert {t["role"] for t in payload["input"]} <= {"user", "assistant"}
            assert isinstance(payload.get("instructions", ""), str)
            assert "messages" not in payload
        else:
            roles = [t["role"] for t in payload["messages"]]
            assert set(roles) <= {"system", "user", "assistant"} and "system" not in roles[1:]
        assert r["headers"]["user-agent"] and r["headers"]["x-forwarded-for"]
    assert set(seen) == set(PATHS)
    # Every client keeps one API shape, as one SDK integration would.
    for rs in by_key(records).values():
        assert len({r["path"] for r in rs}) == 1


def test_every_harvest_request_carries_a_frame_and_a_generic_instruction(records: list[Record]) -> None:
    harvest = [r for r in records if r["label"]["campaign_request"]]
    assert harvest
    for r in harvest:
        assert FRAME.search(_user(r)), _user(r)
        assert not FRAME.search(_instruction(r))
        # A short everyday phrase, never a spelled-out harvesting order.
        assert len(_instruction(r)) <= 80
        assert not EXPLICIT.search(_instruction(r))


def test_single_use_keys_share_one_exact_instruction(records: list[Record]) -> None:
    single = _of(records, "single_use")
    assert len({r["client"] for r in single}) == len(single) == round(500 * 0.25)
    assert len({_instruction(r) for r in single}) == 1
    assert len({r["headers"]["x-forwarded-for"] for r in single}) > 0.95 * len(single)
    assert _span(single) <= timing.DAY


def test_ring_sends_five_per_key_with_eight_plus_two_wordings(records: list[Record]) -> None:
    ring = _of(records, "ring")
    per_key = by_key(ring)
    assert len(per_key) == round(300 * 0.25)
    assert {len(v) for v in per_key.values()} == {RING_REQUESTS}
    assert _span(ring) <= timing.DAY
    assert len({r["headers"]["x-forwarded-for"] for r in ring}) > len(per_key)  # a rotating pool
    bulk = [r for r in ring if BULK_HEAD.search(_user(r))]
    single = [r for r in ring if r not in bulk]
    assert 0.10 <= len(bulk) / len(ring) <= 0.30
    assert len({_instruction(r) for r in single}) == 8
    assert len({_instruction(r) for r in bulk}) == 2
    assert not {_instruction(r) for r in single} & {_instruction(r) for r in bulk}
    assert 6 <= len({_instruction(r) for r in ring}) <= 10
    foreign = sum(bool(FOREIGN.search(_user(r))) for r in ring)
    assert 0.10 <= foreign / len(ring) <= 0.60  # a fifth of the items, and bulk requests hold several


def test_learners_state_an_answer_and_keep_one_wording(records: list[Record]) -> None:
    learner = _of(records, "learner")
    per_key = by_key(learner)
    assert len(per_key) == round(300 * 0.25)
    assert {len(v) for v in per_key.values()} == {LEARNER_REQUESTS}
    assert all(LEARNER.search(_user(r)) for r in learner)
    assert all(len({_instruction(r) for r in rs}) == 1 for rs in per_key.values())
    assert 2 <= len({_instruction(r) for r in learner}) <= len(module._LEARNER_ASKS)
    assert _span(learner) <= LEARNER_SPAN
    assert all(_span(rs) <= 3 * 1200 for rs in per_key.values())  # one sitting per key


def test_learner_answer_is_the_gold_label() -> None:
    rng = random.Random(7)
    for _ in range(300):
        item = module._item(rng)
        text = module.learner_text(item, "Mark my answer and explain why.", rng)
        stated = [line for line in text.split("\n") if LEARNER.match(line)]
        assert len(stated) == 1 and item.gold in stated[0]
        if item.kind == "choice":
            assert item.options[module._LETTERS.index(item.gold)] in item.gold_text()


def test_blend_hides_a_quarter_of_harvest_among_ordinary_requests(records: list[Record]) -> None:
    blend = _of(records, "blend")
    per_key = by_key(blend)
    assert len(per_key) == BLEND_KEYS
    for rs in per_key.values():
        assert len(rs) == BLEND_REQUESTS
        assert sum(r["label"]["campaign_request"] for r in rs) == BLEND_REQUESTS // 4
        assert _span(rs) <= BLEND_SPAN
    cover = [r for r in blend if not r["label"]["campaign_request"]]
    assert not any(FRAME.search(_user(r)) for r in cover)
    harvest = [r for r in blend if r["label"]["campaign_request"]]
    assert all(_system(r) is None for r in harvest)
    assert len({_instruction(r) for r in harvest}) >= 50  # wordings drawn afresh, not one shared instruction


def test_campaign_sizes_scale_except_the_blend() -> None:
    small = answer_only_campaigns(random.Random(3), 0.01)
    big = answer_only_campaigns(random.Random(3), 0.5)
    for name, base in (("single_use", 500), ("ring", 300), ("learner", 300)):
        assert len({r["client"] for r in _of(small, name)}) == 30
        assert len({r["client"] for r in _of(big, name)}) == round(base * 0.5)
    for recs in (small, big):
        assert len({r["client"] for r in _of(recs, "blend")}) == BLEND_KEYS


@pytest.mark.parametrize("scale", [0.0, -1.0, math.inf, math.nan])
def test_bad_scale_raises(scale: float) -> None:
    with pytest.raises(ValueError):
        answer_only_campaigns(random.Random(1), scale)
