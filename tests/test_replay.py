import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from querysentry import Detector
from querysentry.behaviour import BehaviourTracker
from querysentry.errors import InputError
from querysentry.replay import parse_record, read_traffic, replay, replay_engine

CHAT = {
    "model": "m",
    "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi there."}],
}


@pytest.mark.parametrize(
    ("line", "api", "roles"),
    [
        ({"ts": 1, "client": "a", "payload": CHAT}, "openai_chat", ["system", "user"]),
        (
            {
                "ts": 1,
                "client": "a",
                "payload": {"system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]},
            },
            "anthropic",
            ["system", "user"],
        ),
        (
            {"ts": 1, "client": "a", "payload": {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}},
            "gemini",
            ["user"],
        ),
        ({"ts": 1, "client": "a", "payload": {"prompt": "Hi"}}, "openai_completions", ["user"]),
        ({"ts": "2026-01-01T00:00:00Z", "client": "a", "text": "Hi"}, "text", ["user"]),
    ],
)
def test_every_supported_shape_replays(line: dict[str, Any], api: str, roles: list[str]) -> None:
    record = parse_record(line, 3)
    assert record.api == api and [m.role for m in record.messages] == roles


def test_iso_timestamps_are_seconds_since_the_epoch() -> None:
    assert parse_record({"ts": "2026-01-01T00:00:00Z", "client": "a", "text": "x"}, 1).ts == 1767225600.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ([], "a line must be a JSON object"),
        ({"client": "a", "text": "x"}, "'ts' must be a number"),
        ({"ts": True, "client": "a", "text": "x"}, "'ts' must be a number"),
        ({"ts": "yesterday", "client": "a", "text": "x"}, "not an ISO 8601 time"),
        ({"ts": 1, "text": "x"}, "'client' must be a non-empty string"),
        ({"ts": 1, "client": "a"}, "needs 'payload'"),
        ({"ts": 1, "client": "a", "payload": {"messages": "nope"}}, "unsupported payload"),
        ({"ts": 1, "client": "a", "payload": CHAT, "path": 3}, "'path' must be a string"),
    ],
)
def test_bad_lines_name_file_and_line(line: Any, message: str) -> None:
    with pytest.raises(InputError, match=rf"traffic.jsonl:7: .*{message}"):
        parse_record(line, 7, "traffic.jsonl")


def test_reader_splits_on_newlines_only_and_reports_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    text = "line one\u2028still line one"
    path.write_text(
        json.dumps({"ts": 1, "client": "a", "text": text}, ensure_ascii=False) + "\n\n{oops\n", encoding="utf-8"
    )
    records = read_traffic(path)
    assert next(records).messages[0].content == text
    with pytest.raises(InputError, match=r"t.jsonl:3: invalid JSON"):
        next(records)


def test_replay_counts_late_records_at_the_latest_time(encoder: Any) -> None:
    detector = Detector(encoder=encoder)
    records = [
        parse_record({"ts": ts, "client": "a", "text": "Hello there, friend."}, n)
        for n, ts in enumerate([10, 5, 20], 1)
    ]

    async def go() -> list[Any]:
        return [r async for r in replay(records, replay_engine(detector, BehaviourTracker()), batch=2)]

    results = asyncio.run(go())
    assert [r.record.line for r in results] == [1, 2, 3]
    assert all(r.action == "allow" for r in results)
