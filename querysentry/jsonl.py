"""Reading JSON Lines files with errors that name ``file:line``.

Lines are split on ``\\n`` only: ``str.splitlines`` would also split on U+2028 and friends, which
are ordinary characters inside JSON strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from querysentry.errors import InputError

__all__ = ["iter_jsonl"]


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(line number, value, error)`` for every non-blank line of ``path``.

    ``error`` is ``"invalid JSON: …"`` (and ``value`` None) for a line that does not parse, so a
    caller may either stop at the first bad line or collect them all. An unreadable file raises
    ``InputError``. O(file size).
    """
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: unreadable: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg}"
        except RecursionError:  # a line of 100,000 nested brackets must be an error, not a crash
            yield number, None, "invalid JSON: nested too deeply"
        else:
            yield number, value, None
