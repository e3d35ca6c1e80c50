"""``querysentry canary check``: a text marked for one client is traced back to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from querysentry.cli.canary_cmd import KEY_ENV
from querysentry.countermeasures import CanaryConfig, CanaryMarker
from querysentry.engine.record import log_line

KEY = b"deployment-canary-key-7"
ANSWER = (
    "Tides usually follow the moon. They often rise twice a day, and the gap is nearly twelve hours. "
    "Spring tides are typically larger. Perhaps the simplest model treats the ocean as one basin. "
    "The water moves quickly near narrow straits, and the range is roughly a metre in open sea. "
    "Storms can completely change a tide's height. Furthermore, winds frequently push water ashore."
)
CLIENTS = ["key:alpha", "key:bravo", "key:charlie"]

Run = Callable[..., Result]


def marked(text: str, client: str, key: bytes = KEY, **options: Any) -> str:
    """``text`` as the countermeasures send it to ``client`` (streamed in 9-character pieces)."""
    marker = CanaryMarker(CanaryConfig(key, client, **options))
    out: list[str] = []
    for start in range(0, len(text), 9):
        out += marker.feed(text[start : start + 9])
    return "".join(out + marker.release())


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "canary.key"
    path.write_bytes(KEY + b"\n")  # as `echo` writes it: the newline is not part of the key
    return path


@pytest.fixture
def candidates(tmp_path: Path) -> Path:
    path = tmp_path / "clients.txt"
    path.write_text("# suspects\n" + "\n".join(CLIENTS) + "\n\n")
    return path


def test_a_marked_text_names_its_client(run: Run, key_file: Path, candidates: Path) -> None:
    text = marked(ANSWER, "key:bravo")
    assert text != ANSWER
    result = run("canary", "check", text, "--key-file", str(key_file), "--candidates", str(candidates))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["marked for key:bravo (confidence 1.0000)"]


def test_json_output_ranks_every_candidate(run: Run, key_file: Path, candidates: Path) -> None:
    text = marked(ANSWER, "key:charlie")
    result = run("canary", "check", text, "--key-file", str(key_file), "--candidates", str(candidates), "--json")
    data = json.loads(result.stdout)
    assert [entry["client"] for entry in data["marked"]] == ["key:charlie"]
    assert data["marked"][0]["confidence"] > 0.99 and data["best"] == data["marked"][0]
    assert data["candidates"] == 3 and data["invisible_marks"] >= 1


def test_phrasing_alone_is_enough_for_a_long_answer(run: Run, key_file: Path, candidates: Path) -> None:
    # The invisible characters stripped (as a normaliser would): the word choices still tell.
    text = marked(ANSWER * 3, "key:alpha", zero_width=False)
    result = run("canary", "check", text, "--key-file", str(key_file), "--candidates", str(candidates), "--json")
    data = json.loads(result.stdout)
    assert data["invisible_marks"] == 0
    assert data["best"]["client"] == "key:alpha"


def test_unmarked_text_or_the_wrong_key_finds_no_mark(run: Run, key_file: Path, candidates: Path) -> None:
    for text in (ANSWER, marked(ANSWER, "key:bravo", key=b"another deployment's key")):
        args = ("canary", "check", text, "--key-file", str(key_file), "--candidates", str(candidates))
        result = run(*args)
        assert result.exit_code == 0 and result.stdout.startswith("no mark found for any of 3 candidates")
        assert run(*args, "--exit-code").exit_code == 1


def _decision(client: str, *, level: str | None, action: str = "allow", campaign: str | None = None) -> str:
    record = {"schema": 1, "request_id": client + "-r", "client": client, "action": action,
              "client_level": level, "campaign_level": campaign}  # fmt: skip
    return json.dumps(log_line(record, ts=1_800_000_000.0))


def test_candidates_from_a_decision_log_are_its_flagged_clients(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "decisions.jsonl"
    log.write_text(
        "\n".join([
            _decision("key:ok-one", level="ok"),
            "an application's own log line",
            _decision("key:tagged", level="tag"),
            _decision("key:by-action", level=None, action="tag"),
            _decision("key:by-campaign", level="ok", campaign="throttle"),
        ])
        + "\n"
    )  # fmt: skip
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    found = run("canary", "check", marked(ANSWER, "key:by-campaign"), "--from-log", str(log), "--json")
    data = json.loads(found.stdout)
    assert data["candidates"] == 3 and [m["client"] for m in data["marked"]] == ["key:by-campaign"]
    # A client in good standing is no candidate: its answers were never marked.
    missed = run("canary", "check", marked(ANSWER, "key:ok-one"), "--from-log", str(log), "--json")
    assert json.loads(missed.stdout)["marked"] == []


def test_text_from_stdin(run: Run, key_file: Path, candidates: Path) -> None:
    text = marked(ANSWER, "key:alpha")
    result = run("canary", "check", "-", "--key-file", str(key_file), "--candidates", str(candidates), input=text)
    assert result.stdout.startswith("marked for key:alpha")


def test_missing_key_or_candidates_is_a_one_line_error(
    run: Run, key_file: Path, candidates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    no_key = run("canary", "check", "text", "--candidates", str(candidates))
    assert no_key.exit_code == 2 and KEY_ENV in no_key.stderr
    no_candidates = run("canary", "check", "text", "--key-file", str(key_file))
    assert no_candidates.exit_code == 2 and "--candidates" in no_candidates.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody\n")
    none_left = run("canary", "check", "text", "--key-file", str(key_file), "--candidates", str(empty))
    assert none_left.exit_code == 2 and "no candidate clients" in none_left.stderr
    missing = run("canary", "check", "text", "--key-file", str(tmp_path / "absent.key"), "--candidates", str(empty))
    assert missing.exit_code == 2 and "absent.key" in missing.stderr
