"""Helpers every command shares: one-line errors, JSON output, progress, atomic writes."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from querysentry.errors import LibraryError, QuerySentryError
from querysentry.fileio import atomic_writer
from querysentry.library import PatternLibrary, load_library


class CliError(click.ClickException):
    """A one-line error with exit code 2 (bad input or unusable files)."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"querysentry: error: {self.format_message()}", err=True)


_MORE = re.compile(r"…\s*and (\d+) more")
_SHOWN_DETAILS = 3


def fail(exc: QuerySentryError | OSError | ValueError | KeyError, *, more: str | None = None) -> CliError:
    """A one-line ``CliError`` from ``exc``.

    A multi-line message (a library's list of problems) keeps its first line and the first few
    details and says how many were left out; ``more`` says where to see them all.
    """
    if isinstance(exc, OSError) and exc.strerror:
        # str(OSError) is "[Errno 20] Not a directory: '/x'"; say it the way the other errors do.
        return CliError(f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror)
    if isinstance(exc, KeyError) and exc.args:
        return CliError(str(exc.args[0]))  # str(KeyError) is the key's repr
    first, *details = [line.strip() for line in str(exc).strip().splitlines() if line.strip()] or [type(exc).__name__]
    if not details:
        return CliError(first)
    hidden = 0
    counted = _MORE.fullmatch(details[-1])
    if counted:  # the message already says how many it left out: add them to ours
        hidden, details = int(counted.group(1)), details[:-1]
    hidden += max(0, len(details) - _SHOWN_DETAILS)
    message = f"{first} {'; '.join(details[:_SHOWN_DETAILS])}"
    if hidden:
        message += f"; and {hidden} more" + (f" ({more})" if more else "")
    return CliError(message)


def load_library_or_fail(path: Path) -> PatternLibrary:
    """``load_library(path)``, its errors as one line that points at ``patterns validate``."""
    try:
        return load_library(path)
    except LibraryError as exc:
        raise fail(exc, more=f"`querysentry patterns validate {path}` lists them all") from None


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line (whitespace runs become one space), cut after a whole word to at most
    ``limit`` characters and marked with "…" when it was longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    space = head.rfind(" ")
    # Cut at the last word boundary, unless that throws away more than half (one very long "word").
    cut = head[:space] if space > limit // 2 else flat[:limit]
    return cut.rstrip(" ,;:") + "…"


json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """A progress callback ``(done, total)``; draws a bar on stderr only when it is a terminal."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda done, total: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        shown = 0

        def update(done: int, _total: int) -> None:
            nonlocal shown
            bar.update(done - shown)
            shown = done

        yield update


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Write ``path`` (and its missing parent directories) through ``fileio.atomic_writer``:
    replaced only once everything is written and fsynced, nothing left behind on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(path) as handle:
        yield handle
