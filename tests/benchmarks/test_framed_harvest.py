"""Contract tests for the framed-harvest attack population (``benchmarks/traffic_scenarios/framed_harvest.py``).

They check the population's promises (campaigns, keys, requests per key, frames, wordings, languages, budget,
API shapes, timing, addresses, labels, scale), not how any detector treats it.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import pytest

from benchmarks.traffic_scenarios.framed_harvest import CAMPAIGNS, SCENARIO, framed_harvest_campaigns
from benchmarks.traffic_scenarios.timing import DAY, HOUR, START
from tests.benchmarks.records_view import by_key as _by_key
from tests.benchmarks.records_view import turns as _turns

Record = dict[str, Any]
PATHS = {"chat": "/v1/chat/completions", "anthropic": "/v1/messages", "responses": "/v1/responses"}
# Written here, not imported: keys at scale 1.0, harvesting requests per key, cover requests per key.
EXPECTED = {
    "budget_pool": (20, 90, 150, 0, 0),
    "polyglot_paraphrase": (60, 8, 20, 0, 0),
    "gold_check": (45, 10, 24, 2, 6),
    "frame_mix": (36, 10, 24, 0, 0),
    "slow_wide": (200, 5, 20, 0, 0),
}
# Exam-item frames: line-start fields or lettered/numbered options (JSON, table and YAML frames: STYLES).
FRAME = re.compile(
    r"^(?:Question(?: \d+)?|Answer|Passage|Q|A|Pregunta|Frage|Pergunta|Вопрос|问题|問題|문제)[:：]"
    r"|^\s*\(?[A-D1-4][.)] ",
    re.MULTILINE,
)
# Words that would make a request a harvesting order on its own; these campaigns avoid them.
ORDER_WORDS = re.compile(
    r"step[- ]by[- ]step|chain[- ]of[- ]thought|system prompt|training data|synthetic|hidden|your thinking|"
    r"scratchpad|inner monologue|label (?:these|this) for",
    re.IGNORECASE,
)
LANGUAGES = {
    "es": re.compile(r"¿|respuesta|Explícame|por favor"),
    "de": re.compile(r"Antwort|Warum|Erklär|Aufgabe|Frage"),
    "fr": re.compile(r"réponse|Pourquoi|Explique|question, tu"),
    "pt": re.compile(r"resposta|Não|alternativas|explica isso|Por que"),
    "ru": re.compile(r"[А-Яа-яЁё]"),
    "ko": re.compile(r"[\uac00-\ud7a3]"),
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "zh": re.compile(r"^[^\u3040-\u30ff]*[\u4e00-\u9fff][^\u3040-\u30ff]*$"),
}
STYLES = {
    "json": re.compile(r"^\{\n  \"id\": ", re.MULTILINE),
    "table": re.compile(r"^\| field \| value \|\n\|---\|---\|", re.MULTILINE),
    "yaml": re.compile(r"^item: \d+\nsubject: \w+", re.MULTILINE),
    "exam": re.compile(r"^Item \d+ \[\w+\] \(1 mark\)", re.MULTILINE),
    "numbered": re.compile(r"^\d+\. .+(?:\n.*)*\n   1\) ", re.MULTILINE),
    "short": re.compile(r"^Q: .+(?:\n.*)*\nOptions: \(A\) ", re.MULTILINE),
    "qa": re.compile(r"^Question: .+(?:\n.*)*\n\(A\) ", re.MULTILINE),
}


@pytest.fixture(scope="module")
def traffic() -> list[Record]:
    return framed_harvest_campaigns(random.Random(1), 1.0)


def _campaigns(records: list[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        out[rec["label"]["campaign"]].append(rec)
    return out


def _first(rec: Record) -> str:
    return str(_turns(rec)[0]["content"])


def _framed(text: str) -> bool:
    return bool(FRAME.search(text)) or any(pattern.search(text) for pattern in STYLES.values())


def _single_line_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if "\n" not in p]


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    assert framed_harvest_campaigns(random.Random(9), 0.25) == framed_harvest_campaigns(random.Random(9), 0.25)
    assert framed_harvest_campaigns(random.Random(9), 0.25) != framed_harvest_campaigns(random.Random(10), 0.25)


def test_fast() -> None:
    began = time.perf_counter()
    framed_harvest_campaigns(random.Random(1), 1.0)
    assert time.perf_counter() - began < 5.0


def test_labels(traffic: list[Record]) -> None:
    assert SCENARIO == "framed_harvest"
    for rec in traffic:
        tag = rec["label"]
        assert set(tag) == {"scenario", "campaign", "campaign_request"}
        assert tag["scenario"] == "framed_harvest"
        assert tag["campaign"] in EXPECTED
        assert isinstance(tag["campaign_request"], bool)
        if tag["campaign"] != "gold_check":
            assert tag["campaign_request"], "only the students send cover traffic"
        if tag["campaign_request"]:
            assert _framed(_first(rec)), "every harvesting request carries an item frame"
        else:
            assert not _framed(_first(rec)), "cover traffic is plain chat"
            assert len(_turns(rec)) == 1


def test_keys_and_requests_per_key() -> None:
    assert {
        name: (s.keys, s.min_requests, s.max_requests, s.min_cover, s.max_cover) for name, s in CAMPAIGNS.items()
    } == (EXPECTED)
    for seed in (1, 2, 3):
        traffic = framed_harvest_campaigns(random.Random(seed), 1.0)
        assert 4000 <= len(traffic) <= 8000
        all_keys: set[str] = set()
        for name, recs in _campaigns(traffic).items():
            keys, low, high, cover_low, cover_high = EXPECTED[name]
            by_key = _by_key(recs)
            assert len(by_key) == keys, name
            for key_recs in by_key.values():
                harvest = sum(1 for r in key_recs if r["label"]["campaign_request"])
                assert low <= harvest <= high, name
                assert cover_low <= len(key_recs) - harvest <= cover_high, name
            assert not all_keys & set(by_key), "a key belongs to one campaign"
            all_keys |= set(by_key)
        assert set(_campaigns(traffic)) == set(EXPECTED)
        assert 300 <= len(all_keys) <= 600


def test_payloads_have_valid_api_shapes(traffic: list[Record]) -> None:
    used = Counter(r["path"] for r in traffic)
    assert set(used) == set(PATHS.values())
    for rec in traffic:
        payload = rec["payload"]
        assert isinstance(payload["model"], str) and payload["model"]
        if rec["path"] == PATHS["anthropic"]:
            assert payload["max_tokens"] > 0 and "instructions" not in payload and "input" not in payload
            assert payload.get("system") is None or isinstance(payload["system"], str)
        elif rec["path"] == PATHS["responses"]:
            assert "messages" not in payload and isinstance(payload["input"], list)
        else:
            assert rec["path"] == PATHS["chat"] and "input" not in payload
            roles = [m["role"] for m in payload["messages"]]
            assert "system" not in roles[1:]
        turns = _turns(rec)
        assert [t["role"] for t in turns] == ["user", "assistant"] * (len(turns) // 2) + ["user"]
        assert all(isinstance(t["content"], str) and t["content"].strip() for t in turns)
        assert rec["headers"]["user-agent"] and rec["headers"]["x-forwarded-for"]


def test_inside_the_week_and_sorted(traffic: list[Record]) -> None:
    assert all(START <= r["ts"] < START + 7 * DAY for r in traffic)
    assert [r["ts"] for r in traffic] == sorted(r["ts"] for r in traffic)


def test_no_order_words(traffic: list[Record]) -> None:
    for rec in traffic:
        for turn in _turns(rec):
            assert not ORDER_WORDS.search(turn["content"]), turn["content"]


def test_budget_pool_stays_under_its_budget() -> None:
    for seed in (1, 4):
        pool = _campaigns(framed_harvest_campaigns(random.Random(seed), 1.0))["budget_pool"]
        for key_recs in _by_key(pool).values():
            times = [r["ts"] for r in key_recs]
            for i, t in enumerate(times):
                in_window = sum(1 for s in times[: i + 1] if s >= t - 6 * HOUR)
                assert in_window <= 50, "fewer than ~60 framed requests in any 6 hours"
                decayed = sum(0.5 ** ((t - s) / (6 * HOUR)) for s in times[: i + 1])
                assert decayed <= 60.0, "the key's decayed count stays well under the ~80 that tags"
            assert len(times) > 80, "without the budget the key would cross the tagging count"
            assert (times[-1] - times[0]) < 2 * DAY
            assert sum(1 for a, b in pairwise(times) if b - a > HOUR) >= 2, "sessions with rests between"


def test_budget_pool_rotates_shared_residential_proxies(traffic: list[Record]) -> None:
    pool = _campaigns(traffic)["budget_pool"]
    keys_per_ip: dict[str, set[str]] = defaultdict(set)
    for key, key_recs in _by_key(pool).items():
        ips = {r["headers"]["x-forwarded-for"] for r in key_recs}
        assert len(ips) >= 10, "each request from a proxy address"
        for ip in ips:
            keys_per_ip[ip].add(key)
    assert max(len(k) for k in keys_per_ip.values()) >= 3, "keys reuse the pool's addresses"
    assert len({r["headers"]["user-agent"] for r in pool}) >= 10, "each key its own SDK version"


def test_polyglot_paraphrases_in_many_wordings_and_languages(traffic: list[Record]) -> None:
    recs = _campaigns(traffic)["polyglot_paraphrase"]
    asks = []
    for rec in recs:
        single = _single_line_paragraphs(_first(rec))
        assert len(single) == 1, "one generic request beside a multi-line frame"
        asks.append(single[0])
    counts = Counter(asks)
    assert len(counts) >= 120
    assert counts.most_common(1)[0][1] <= 0.02 * len(recs)
    for lang, marker in LANGUAGES.items():
        hits = sum(1 for a in asks if marker.search(a))
        assert hits >= 0.03 * len(recs), lang
    english = sum(1 for a in asks if a.isascii())
    assert 0.2 * len(recs) <= english <= 0.5 * len(recs)
    # field labels in the request's language now and then
    frames = " ".join(_first(r) for r in recs)
    for field in ("Pregunta:", "Frage:", "Réponse:", "Pergunta:", "Вопрос:", "问题:", "問題:", "문제:"):
        assert field in frames
    # the same wording comes back rarely: at most twice in any 24 hours, and the pool is walked in turn
    when: dict[str, list[float]] = defaultdict(list)
    for rec, ask in zip(recs, asks):
        when[ask].append(rec["ts"])
    for times in when.values():
        assert all(sum(1 for s in times if t <= s < t + DAY) <= 2 for t in times)
    gaps = sorted(b - a for times in when.values() for a, b in pairwise(sorted(times)))
    assert gaps[len(gaps) // 10] > 12 * HOUR


def test_frame_mix_uses_every_style(traffic: list[Record]) -> None:
    recs = _campaigns(traffic)["frame_mix"]
    styles: Counter[str] = Counter()
    for key_recs in _by_key(recs).values():
        key_styles = set()
        for rec in key_recs:
            found = [name for name, pattern in STYLES.items() if pattern.search(_first(rec))]
            assert len(found) == 1, _first(rec)
            key_styles.add(found[0])
            styles[found[0]] += 1
        assert len(key_styles) == len(STYLES), "each key cycles through all the styles"
        ips = {r["headers"]["x-forwarded-for"] for r in key_recs}
        assert len(ips) >= 5, "a rotating proxy pool"
    assert all(n >= 0.1 * len(recs) for n in styles.values())
    nets = Counter(r["headers"]["x-forwarded-for"].rsplit(".", 1)[0] for r in recs)
    assert len(nets) <= 10, "a datacenter pool: a few /24 networks"
    assert any(r["payload"].get("system") or r["payload"].get("instructions") for r in recs)


def test_gold_check_poses_as_students(traffic: list[Record]) -> None:
    recs = _campaigns(traffic)["gold_check"]
    learner = re.compile(r"^(?:My answer: \(?|I put \(|I chose |I went with \()[A-D]", re.MULTILINE)
    harvest = [r for r in recs if r["label"]["campaign_request"]]
    assert all(learner.search(_first(r)) for r in harvest), "the frame carries the student's (gold) answer"
    follow_ups = [r for r in harvest if len(_turns(r)) == 3]
    assert len(follow_ups) >= 0.03 * len(harvest)
    assert all(r["headers"]["user-agent"].startswith("Mozilla/5.0") for r in recs)
    keys_per_ip: dict[str, set[str]] = defaultdict(set)
    for rec in recs:
        keys_per_ip[rec["headers"]["x-forwarded-for"]].add(rec["client"])
    assert max(len(k) for k in keys_per_ip.values()) >= 3, "a dorm's shared address"
    sittings = [
        1 + sum(1 for a, b in pairwise(key_recs) if b["ts"] - a["ts"] > HOUR) for key_recs in _by_key(recs).values()
    ]
    assert sum(1 for n in sittings if n > 1) >= 0.8 * len(sittings), "most students come back in separate sittings"
    all_gaps = sorted(b["ts"] - a["ts"] for k in _by_key(recs).values() for a, b in pairwise(k))
    assert all_gaps[len(all_gaps) // 2] < 15 * 60, "within a sitting, minutes apart"
    assert len({_first(r) for r in recs if not r["label"]["campaign_request"]}) >= 10


def test_slow_wide_harvests_thousands_of_items(traffic: list[Record]) -> None:
    recs = _campaigns(traffic)["slow_wide"]
    stems = re.compile(r"^Question(?: \d+)?: (.+)$", re.MULTILINE)
    items = {m for r in recs for m in stems.findall(_first(r))}
    assert len(items) >= 3000
    batches = sum(1 for r in recs if "Question 3: " in _first(r))
    assert 0.4 * len(recs) <= batches <= 0.6 * len(recs)
    keys_per_ip: dict[str, set[str]] = defaultdict(set)
    for key, key_recs in _by_key(recs).items():
        ips = {r["headers"]["x-forwarded-for"] for r in key_recs}
        assert len(ips) == 1
        keys_per_ip[ips.pop()].add(key)
        assert key_recs[-1]["ts"] - key_recs[0]["ts"] <= 4 * DAY
    assert sum(1 for keys in keys_per_ip.values() if len(keys) > 1) >= 5, "some keys reuse an address"


def test_texts_vary(traffic: list[Record]) -> None:
    harvest = [_first(r) for r in traffic if r["label"]["campaign_request"] and len(_turns(r)) == 1]
    assert len(set(harvest)) >= 0.97 * len(harvest)


def test_scale_changes_only_the_largest_campaign() -> None:
    small = _campaigns(framed_harvest_campaigns(random.Random(3), 0.5))
    large = _campaigns(framed_harvest_campaigns(random.Random(3), 2.0))
    for name in EXPECTED:
        if name != "slow_wide":
            assert small[name] == large[name], name
    assert len(_by_key(small["slow_wide"])) == 100
    assert len(_by_key(large["slow_wide"])) == 400
