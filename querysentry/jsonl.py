"""Reading JSON Lines files, streamed, with errors that name ``file:line``.

Lines are split on ``\\n`` only: ``str.splitlines`` (and universal newlines) would also split on
``\\r``, U+2028 and friends, which are ordinary characters inside JSON strings. A ``\\r\\n`` line
end still reads, since JSON allows the ``\\r`` as trailing whitespace. Files are read line by line,
so memory is bounded by the longest line, not the file.

Three layers, each built on the one before: ``iter_lines`` (numbered raw lines), ``iter_jsonl``
(every line parsed, bad ones reported so a caller may collect them all) and ``read_jsonl``
(strict: the first bad line is an ``InputError``). ``parse_json_line`` parses one line the way
all of them do, for a caller that filters lines before parsing them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from querysentry.errors import InputError

__all__ = ["iter_jsonl", "iter_lines", "parse_json_line", "read_jsonl"]


def iter_lines(path: Path | str, *, errors: str = "strict") -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` for every line of ``path`` (1-based, ``\\n`` kept).

    ``errors="replace"`` reads a log whose one bad byte should cost one line, not the file.

    A file that cannot be opened or decoded as UTF-8 raises ``InputError`` (``path: unreadable:
    …``) when the iteration reaches the problem. O(file size), one line in memory at a time.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8", errors=errors, newline="\n") as handle:
            # The yield sits inside the try only to catch read errors: nothing the caller does
            # with a line is raised in here.
            yield from enumerate(handle, start=1)
    except (OSError, UnicodeDecodeError) as exc:
        # "No such file or directory", not "[Errno 2] No such file or directory: '…'" again.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"{path}: unreadable: {reason}") from None


def parse_json_line(line: str) -> tuple[Any, str | None]:
    """``(value, None)`` for a line of JSON, ``(None, "invalid JSON: …")`` for anything else."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg}"
    except RecursionError:  # a line of 100,000 nested brackets must be an error, not a crash
        return None, "invalid JSON: nested too deeply"


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(line number, value, error)`` for every non-blank line of ``path``.

    ``error`` is ``"invalid JSON: …"`` (and ``value`` None) for a line that does not parse, so a
    caller may either stop at the first bad line or collect them all. An unreadable file raises
    ``InputError``. O(file size), streamed.
    """
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        value, error = parse_json_line(line)
        yield number, value, error


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, value)`` for every non-blank line; the first bad line ends it.

    A line that does not parse raises ``InputError("path:line: invalid JSON: …")``, an
    unreadable file ``InputError("path: unreadable: …")``. O(file size), streamed.
    """
    for number, value, error in iter_jsonl(path):
        if error is not None:
            raise InputError(f"{path}:{number}: {error}")
        yield number, value
