from pathlib import Path

import pytest

from querysentry.errors import InputError
from querysentry.jsonl import iter_jsonl, parse_json_line, read_jsonl


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


def test_lines_are_streamed_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.jsonl"
    padding = b'{"pad": "' + b"x" * 1000 + b'"}\n'
    # The last line is not UTF-8, a megabyte after the first ones.
    path.write_bytes(b'{"n": 1}\n{"n": 2}\n' + padding * 1000 + b'"caf\xe9"\n')

    def whole_file(*args: object, **kwargs: object) -> str:
        raise AssertionError("read the whole file at once")

    monkeypatch.setattr(Path, "read_text", whole_file)
    rows = iter_jsonl(path)
    # The good lines arrive before the reader ever reaches the bad bytes.
    assert next(rows) == (1, {"n": 1}, None)
    assert next(rows) == (2, {"n": 2}, None)
    with pytest.raises(InputError, match="unreadable"):
        for _ in rows:
            pass


def test_only_newline_ends_a_line(tmp_path: Path) -> None:
    path = tmp_path / "ends.jsonl"
    path.write_bytes('{"a": "x\u2028y"}\r\n{"b": 2}\n\n'.encode())
    assert list(iter_jsonl(path)) == [(1, {"a": "x\u2028y"}, None), (2, {"b": 2}, None)]


def test_unreadable_names_the_reason_without_an_errno(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(InputError) as info:
        list(iter_jsonl(missing))
    assert str(info.value) == f"{missing}: unreadable: No such file or directory"


def test_read_jsonl_stops_at_the_first_bad_line_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "traffic.jsonl"
    path.write_text('{"a": 1}\n\n{broken\n{also broken\n', encoding="utf-8")
    rows = read_jsonl(path)
    assert next(rows) == (1, {"a": 1})
    with pytest.raises(InputError) as info:
        next(rows)
    assert str(info.value).startswith(f"{path}:3: invalid JSON: ")
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_jsonl(deep))
    assert str(info.value) == f"{deep}:1: invalid JSON: nested too deeply"
    with pytest.raises(InputError, match="unreadable"):
        list(read_jsonl(tmp_path / "missing.jsonl"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"a": [1, 2]}\n', ({"a": [1, 2]}, None)),
        ("{nope\n", (None, "invalid JSON: Expecting property name enclosed in double quotes")),
        ("[" * 50_000, (None, "invalid JSON: nested too deeply")),
    ],
)
def test_parse_json_line(line: str, expected: tuple[object, str | None]) -> None:
    assert parse_json_line(line) == expected
