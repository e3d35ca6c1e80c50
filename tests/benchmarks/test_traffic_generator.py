"""The traffic generator (benchmarks/traffic_scenarios) and the scoring of benchmarks/traffic.py."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from benchmarks import traffic
from benchmarks.traffic_scenarios import SCENARIOS, generate
from benchmarks.traffic_scenarios.fills import CONCEPT_QUESTIONS
from benchmarks.traffic_scenarios.languages import LANGUAGES
from benchmarks.traffic_scenarios.scenarios import RING_KEYS, RING_REQUESTS, SINGLE_USE_KEYS
from querysentry.replay import parse_record

Record = dict[str, Any]


@pytest.fixture(scope="module")
def seed_traffic() -> list[Record]:
    return generate(11)


def _keys(records: list[Record], scenario: str) -> Counter[str]:
    return Counter(r["client"] for r in records if r["label"]["scenario"] == scenario)


def _user_texts(record: Record) -> list[str]:
    payload = record["payload"]
    turns = payload.get("messages") or payload.get("input") or []
    return [t["content"] for t in turns if t.get("role") == "user" and isinstance(t.get("content"), str)]


def test_same_seed_same_traffic_other_seed_other_traffic() -> None:
    names = ["judge", "students", "prompt_extraction"]
    assert generate(5, names) == generate(5, names)
    assert generate(5, names) != generate(6, names)


def test_a_scenario_alone_is_the_same_as_in_the_full_run(seed_traffic: list[Record]) -> None:
    alone = generate(11, ["obfuscated"])
    assert alone == [r for r in seed_traffic if r["label"]["scenario"] == "obfuscated"]


def test_every_record_is_a_valid_replay_line(seed_traffic: list[Record]) -> None:
    assert {r["label"]["scenario"] for r in seed_traffic} == set(SCENARIOS)
    times = [r["ts"] for r in seed_traffic]
    assert times == sorted(times)
    for number, record in enumerate(seed_traffic, start=1):
        parsed = parse_record(json.loads(json.dumps(record)), number)
        assert parsed.messages, record["label"]
        assert set(record["headers"]) >= {"user-agent", "x-forwarded-for"}
        label = record["label"]
        assert set(label) == {"scenario", "campaign", "campaign_request"}
        if SCENARIOS[label["scenario"]].kind == "campaign":
            assert label["campaign"] != "benign"
        else:
            assert label == {"scenario": label["scenario"], "campaign": "benign", "campaign_request": False}


def test_rings_and_single_use_keys_have_the_issue_sizes_at_scale_one() -> None:
    ring = generate(3, ["ring"], scale=1.0)
    per_key = _keys(ring, "ring")
    assert len(per_key) == RING_KEYS == 1000
    assert set(per_key.values()) == {RING_REQUESTS} == {8}
    assert max(r["ts"] for r in ring) - min(r["ts"] for r in ring) <= 24 * 3600
    assert len({r["headers"]["user-agent"] for r in ring}) == 1  # one automation client
    assert len({r["headers"]["x-forwarded-for"] for r in ring}) > 100  # rotating proxies
    single = _keys(generate(3, ["single_use"], scale=1.0), "single_use")
    assert len(single) == SINGLE_USE_KEYS == 3000
    assert set(single.values()) == {1}


def test_default_scale_is_a_quarter_of_the_large_campaigns(seed_traffic: list[Record]) -> None:
    assert len(_keys(seed_traffic, "ring")) == 250
    assert len(_keys(seed_traffic, "single_use")) == 750


def test_honest_populations_have_the_stated_sizes(seed_traffic: list[Record]) -> None:
    assert sorted(_keys(seed_traffic, "students").values()) == [200] * 5
    assert sorted(_keys(seed_traffic, "heavy_users").values()) == [1000] * 2
    evaluation = _keys(seed_traffic, "evaluation")
    assert len(evaluation) == 2 and min(evaluation.values()) >= 300
    assert len(_keys(seed_traffic, "reasoning_app_users")) == 120
    assert len(_keys(seed_traffic, "ordinary")) == 200


def test_blends_are_five_percent_of_three_hundred(seed_traffic: list[Record]) -> None:
    per_key: dict[str, Counter[bool]] = defaultdict(Counter)
    for r in seed_traffic:
        if r["label"]["scenario"] == "blend_5pct":
            per_key[r["client"]][r["label"]["campaign_request"]] += 1
    assert per_key and all(c[True] == 15 and c[False] == 285 for c in per_key.values())


def test_paraphrasing_campaigns_rephrase_every_request(seed_traffic: list[Record]) -> None:
    texts = [tuple(_user_texts(r)) for r in seed_traffic if r["label"]["scenario"] == "paraphrase"]
    assert len(texts) >= 400 and len(set(texts)) == len(texts)


def test_tool_harvesting_sends_openai_tools(seed_traffic: list[Record]) -> None:
    tool_records = [r for r in seed_traffic if r["label"]["scenario"] == "tool_trace"]
    assert tool_records
    for record in tool_records:
        tools = record["payload"]["tools"]
        assert tools and all(t["type"] == "function" and "parameters" in t["function"] for t in tools)


def test_non_english_campaigns_cover_the_issue_languages(seed_traffic: list[Record]) -> None:
    campaigns = {r["label"]["campaign"] for r in seed_traffic if r["label"]["scenario"] == "non_english"}
    assert {f"non-english-{code}-reasoning" for code in ("zh", "ru", "es", "ja", "ko")} <= campaigns
    assert set(LANGUAGES) >= {"zh", "ru", "es", "ja", "ko"}


def test_obfuscated_requests_carry_look_alike_or_invisible_characters(seed_traffic: list[Record]) -> None:
    texts = [" ".join(_user_texts(r)) for r in seed_traffic if r["label"]["scenario"] == "obfuscated"]
    assert texts and sum(1 for t in texts if any(ord(ch) > 0x2000 for ch in t)) > len(texts) / 3


def test_prompt_extraction_rotates_through_many_attacks(seed_traffic: list[Record]) -> None:
    attacks = {_user_texts(r)[-1] for r in seed_traffic if r["label"]["scenario"] == "prompt_extraction"}
    assert len(attacks) >= 40


def test_fills_recur_across_unrelated_honest_clients_and_campaigns(seed_traffic: list[Record]) -> None:
    where: dict[str, set[tuple[str, str]]] = defaultdict(set)
    questions = set(CONCEPT_QUESTIONS)
    for record in seed_traffic:
        for text in _user_texts(record):
            for question in questions:
                if question in text:
                    where[question].add((record["label"]["scenario"], record["client"]))
    shared = [
        q
        for q, seen in where.items()
        if len({s for s, _ in seen if SCENARIOS[s].kind != "campaign"}) >= 2
        and any(SCENARIOS[s].kind == "campaign" for s, _ in seen)
    ]
    assert len(shared) >= 10


def test_cli_writes_traffic_without_replaying(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    assert traffic.main(["--seeds", "1", "--scenario", "judge", "--no-replay", "--write", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == generate(1, ["judge"])


# --------------------------------------------------------------------------- scoring


def _rec(client: str, campaign: str, is_campaign: bool, scenario: str = "ring") -> Record:
    return {"client": client, "label": {"scenario": scenario, "campaign": campaign, "campaign_request": is_campaign}}


def _dec(action: str = "allow", level: str = "ok") -> dict[str, Any]:
    return {"action": action, "client_level": level, "flagged": action != "allow", "category": None, "reasons": []}


def test_after_100_counts_only_keys_active_once_the_campaign_is_established() -> None:
    records, decisions = [], []
    for i in range(100):  # key a: the first 100 requests, acted on at its 5th; not eligible
        records.append(_rec("a", "c", True))
        decisions.append(_dec("throttle" if i == 4 else "allow"))
    for i in range(5):  # key b: requests 101-105, acted on at 103
        records.append(_rec("b", "c", True))
        decisions.append(_dec("allow", "tag" if i == 2 else "ok"))
    for _ in range(5):  # key c: requests 106-110, never acted on
        records.append(_rec("c", "c", True))
        decisions.append(_dec())
    row = traffic.score(records, decisions)["ring"]
    assert row["after_100_keys"] == 2
    assert row["after_100"] == 0.5
    assert row["within_100"] == pytest.approx(2 / 3)
    assert row["campaign_request_of_first_action"] == {"c": 5}
    assert row["median_campaign_requests_to_first_action"] == 4  # key a at 5, key b at 3
    # Key a was acted on by its request's own action only, key b through its client level.
    assert row["after_100_client_level"] == 0.5
    assert row["within_100_client_level"] == pytest.approx(1 / 3)


def test_blend_keys_count_all_their_requests_towards_within_300() -> None:
    records = [_rec("k", "b", i % 20 == 0, "blend_5pct") for i in range(320)]
    decisions = [_dec("tag") if i == 310 else _dec() for i in range(320)]
    row = traffic.score(records, decisions)["blend_5pct"]
    assert row["within_300"] == 0.0 and row["acted_ever"] == 1.0
    assert row["median_requests_to_first_action"] == 311


def test_honest_clients_flagged_and_blocked_and_evaluation_apart() -> None:
    records = [_rec(f"u{i}", "benign", False, "ordinary") for i in range(4)]
    records += [_rec("e", "benign", False, "evaluation")] * 3
    decisions = [_dec(), _dec("tag"), _dec(level="block"), _dec(), _dec(), _dec("block"), _dec()]
    rows = traffic.score(records, decisions)
    assert rows["ordinary"]["flagged_clients"] == 2 and rows["ordinary"]["blocked_clients"] == 1
    assert rows["ordinary"]["client_level_flagged"] == 1
    assert rows["benign_total"]["clients"] == 4  # the evaluation customer is not among them
    (customer,) = rows["evaluation"]["customers"]
    assert customer["blocked"] and customer["first_action_request"] == 2
    report = traffic.aggregate([rows])
    assert report["benign_total"]["target"]["met"] is False
    assert report["evaluation"]["target"]["met"] is False


def test_decide_all_returns_one_decision_per_record() -> None:
    records = generate(2, ["prompt_extraction"])[:4] + generate(2, ["ordinary"])[:4]
    decisions = traffic.decide_all(records, threads=1)
    assert [d["client"] for d in decisions] == [r["client"] for r in records]
    for decision in decisions:
        assert decision["action"] in ("allow", "tag", "throttle", "block")
        assert decision["client_level"] in ("ok", "tag", "throttle", "block")
        assert isinstance(decision["flagged"], bool)
