"""Schema checks for the held-out benign probe set benchmarks/data/probes_app_prompts.jsonl."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBES = ROOT / "benchmarks" / "data" / "probes_app_prompts.jsonl"


def test_three_hundred_distinct_benign_app_system_prompts() -> None:
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == 300
    assert all(set(r) == {"id", "text", "label", "kind"} for r in rows)
    assert all(r["label"] == "benign" and r["kind"] == "app_system_prompt" for r in rows)
    assert all(re.fullmatch(r"ap-\d{4}", r["id"]) for r in rows)
    assert len({r["id"] for r in rows}) == len({r["text"] for r in rows}) == 300

