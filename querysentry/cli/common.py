"""Helpers every command shares: one-line errors, JSON output, progress, atomic writes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from querysentry.errors import QuerySentryError


class CliError(click.ClickException):
    """A one-line error with exit code 2 (bad input or unusable files)."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"querysentry: error: {self.format_message()}", err=True)


def fail(exc: QuerySentryError | OSError | ValueError | KeyError) -> CliError:
    message = str(exc).strip().splitlines()
    if len(message) > 1:
        # Multi-line library errors: keep the first line, count the rest, so errors stay one line.
        return CliError(f"{message[0]} {'; '.join(m.strip() for m in message[1:4])}")
    return CliError(message[0] if message else type(exc).__name__)


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
    """Write ``path`` through a temp file in the same directory; nothing is left on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
