from pathlib import Path

import pytest

from querysentry.errors import InputError
from querysentry.jsonl import iter_jsonl


def test_lines_values_and_errors_with_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{broken\n"text with \u2028 inside"\n', encoding="utf-8")
    rows = list(iter_jsonl(path))
    assert rows[0] == (1, {"a": 1}, None)
    assert rows[1][0] == 3 and rows[1][1] is None and rows[1][2].startswith("invalid JSON")
    assert rows[2] == (4, "text with \u2028 inside", None)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unreadable"):
        list(iter_jsonl(tmp_path / "missing.jsonl"))
    (tmp_path / "latin1.jsonl").write_bytes(b'"caf\xe9"\n')
    with pytest.raises(InputError, match="unreadable"):
        list(iter_jsonl(tmp_path / "latin1.jsonl"))


def test_a_deeply_nested_line_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "ok"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    rows = list(iter_jsonl(path))
    assert rows[0] == (1, {"text": "ok"}, None)
    assert rows[1] == (2, None, "invalid JSON: nested too deeply")
