"""Schema checks for the held-out probe set benchmarks/data/probes_fresh.jsonl."""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBES = ROOT / "benchmarks" / "data" / "probes_fresh.jsonl"

ATTACK_KINDS = {
    "reasoning_trace": 30,
    "instruction_generation": 30,
    "preference_labelling": 30,
    "agent_trace": 30,
    "prompt_extraction": 30,
    "synthetic_data": 30,
}
BENIGN_KINDS = {
    "app_system_prompt": 100,
    "homework": 80,
    "ordinary": 60,
    "evaluation_item": 30,
}
KEYS = {"id", "text", "label", "kind"}
ID_FORMAT = re.compile(r"pf-\d{4}")
REASONING_WORDS = re.compile(r"step|reason|think|work", re.IGNORECASE)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    lines = PROBES.read_text(encoding="utf-8").splitlines()
    parsed: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"blank line {number}"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {number} is not an object"
        parsed.append(row)
    return parsed


def test_every_row_has_exactly_the_schema_keys_with_string_values(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert set(row) == KEYS, row
        assert all(isinstance(row[key], str) for key in KEYS), row


def test_ids_are_well_formed_and_unique(rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    assert all(ID_FORMAT.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_labels_are_valid_and_match_their_kind(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert row["label"] in {"attack", "benign"}, row["id"]
        expected = "attack" if row["kind"] in ATTACK_KINDS else "benign"
        assert row["kind"] in ATTACK_KINDS or row["kind"] in BENIGN_KINDS, row["id"]
        assert row["label"] == expected, row["id"]


def test_per_kind_counts(rows: list[dict[str, Any]]) -> None:
    assert Counter(row["kind"] for row in rows) == Counter({**ATTACK_KINDS, **BENIGN_KINDS})


def test_texts_are_non_empty_and_unique(rows: list[dict[str, Any]]) -> None:
    texts = [row["text"].strip() for row in rows]
    assert all(texts)
    normalised = [" ".join(text.lower().split()) for text in texts]
    duplicates = [text for text, n in Counter(normalised).items() if n > 1]
    assert not duplicates


def test_enough_app_system_prompts_ask_for_reasoning_or_work(rows: list[dict[str, Any]]) -> None:
    prompts = [row["text"] for row in rows if row["kind"] == "app_system_prompt"]
    assert sum(1 for text in prompts if REASONING_WORDS.search(text)) >= 35
