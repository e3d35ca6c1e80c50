"""``querysentry patterns``: work on pattern library files."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from querysentry.cli.common import echo_json, fail, json_option
from querysentry.errors import QuerySentryError
from querysentry.library import default_library_dir, validate_library


@click.group()
def patterns() -> None:
    """Validate and inspect pattern libraries."""


@patterns.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@json_option
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Validate pattern files or directories (default: the shipped library).

    Every problem is printed as file:line; the exit status is 1 if there is any.
    """
    targets = list(paths) or [default_library_dir()]
    problems: list[str] = []
    counts: Counter[str] = Counter()
    seen: dict[str, str] = {}
    for target in targets:
        try:
            found, target_problems = validate_library(target)
        except QuerySentryError as exc:
            raise fail(exc) from None
        problems.extend(str(p) for p in target_problems)
        for pattern in found:
            if pattern.id in seen:
                problems.append(f"{target}: duplicate id {pattern.id} (also in {seen[pattern.id]})")
            seen.setdefault(pattern.id, str(target))
            counts[pattern.category.value] += 1
    if as_json:
        echo_json(
            {"ok": not problems, "patterns": sum(counts.values()), "by_category": dict(counts), "problems": problems}
        )
    else:
        for problem in problems:
            click.echo(problem, err=True)
        summary = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
        click.echo(f"{'ok' if not problems else 'INVALID'}: {sum(counts.values())} patterns ({summary})")
    if problems:
        sys.exit(1)
