"""``querysentry patterns``: validate, extend and compare pattern library files.

``patterns add`` never bumps a library version by itself: it reports the version of a library whose
``library.json`` sets one and asks for a bump, which ``--version NEW`` does in the same atomic step.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from querysentry.cli.common import CliError, echo_json, fail, json_option, load_library_or_fail
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.errors import QuerySentryError
from querysentry.index import embed_patterns, load_index
from querysentry.library import (
    AppendPlan,
    LibraryDiff,
    default_library_dir,
    diff_libraries,
    logged_segment,
    new_pattern,
    plan_append,
    text_key,
    validate_library,
)


@click.group()
def patterns() -> None:
    """Validate, extend and compare pattern libraries."""


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


@patterns.command()
@click.option(
    "--library",
    "library_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Library directory or .jsonl file to append to.",
)
@click.option("--category", help="Pattern category (default with --from-log: the record's category).")
@click.option("--severity", default="medium", show_default=True, help="high, medium or low.")
@click.option("--id", "pattern_id", help="Pattern id (default: category prefix + hash of the text).")
@click.option("--lang", default="en", show_default=True, help="Language code of the text.")
@click.option("--notes", default="", help="Free-form notes stored with the pattern.")
@click.option("--file", "file_name", help="File of a library directory to append to (default: CATEGORY.jsonl).")
@click.option("--version", "new_version", help="Also set the version in the library's library.json.")
@click.option("--text", help="The pattern text.")
@click.option(
    "--from-log",
    "from_log",
    type=click.Path(path_type=Path),
    help="A JSON decision log written with log_prompts=True; use with --request-id.",
)
@click.option(
    "--request-id",
    "request_id",
    help="The request whose matched segment becomes the pattern: the request_id field of its decision record "
    "(the id the middleware generated; a caller's own X-Request-ID, logged as caller_request_id, is never used). "
    "Refused if more than one decision record has it.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also add the pattern to this index directory (atomically; a watching middleware reloads it).",
)
@json_option
def add(
    library_path: Path,
    category: str | None,
    severity: str,
    pattern_id: str | None,
    lang: str,
    notes: str,
    file_name: str | None,
    new_version: str | None,
    text: str | None,
    from_log: Path | None,
    request_id: str | None,
    index_dir: Path | None,
    as_json: bool,
) -> None:
    """Append one pattern to a library file, refusing a duplicate id or text.

    Give the text with --text, or take a logged segment with --from-log LOG --request-id RID
    (matched on the record's request_id field only, never caller_request_id; more than one
    matching decision record is an error).
    In a library directory the pattern goes to CATEGORY.jsonl unless --file names another file.
    The library's version is never changed silently: pass --version NEW to set it.
    """
    if (text is None) == (from_log is None):
        raise CliError("give the pattern text with either --text or --from-log (with --request-id)")
    if from_log is not None and request_id is None:
        raise CliError("--from-log needs --request-id")
    if request_id is not None and from_log is None:
        raise CliError("--request-id needs --from-log")
    try:
        if from_log is not None and request_id is not None:
            logged = logged_segment(from_log, request_id)
            text = logged.text
            if category is None:
                if logged.category is None:
                    raise CliError(f"{from_log}:{logged.line}: the record has no category; give --category")
                category = logged.category
        if category is None:
            raise CliError("--category is required with --text")
        pattern = new_pattern(text or "", category, severity=severity, pattern_id=pattern_id, lang=lang, notes=notes)
        plan = plan_append(library_path, pattern, file_name=file_name, version=new_version)
        index_report: dict[str, Any] | None = None
        if index_dir is None:
            plan.write()
        else:
            index_report = _write_with_index(plan, index_dir)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    _report_add(plan, index_report, new_version is not None, as_json)


def _write_with_index(plan: AppendPlan, directory: Path) -> dict[str, Any]:
    """Embed and add the pattern to the index in memory, then write the library and save the index.

    Everything that can fail for a reason of its own (loading, embedding, duplicates) happens before
    any file is written; if saving the index fails, the library file is restored.
    """
    encoder = Encoder()
    current = load_index(directory, expected_fingerprint=encoder.fingerprint)
    pattern = plan.pattern
    key = text_key(pattern.text)
    for existing in current.patterns:
        if text_key(existing.text) == key:
            raise CliError(f"the same text is already in index {directory} as pattern {existing.id}")
    if current.get(pattern.id) is not None:
        raise CliError(f"pattern id {pattern.id} is already in index {directory}")
    manifest = current.manifest
    in_sync = manifest.library_version == plan.before.version and set(current.patterns) == set(plan.before)
    updated = current.with_added([pattern], embed_patterns([pattern], encoder))
    if in_sync:
        # The index mirrors this library: keep its recorded library version in step.
        updated.manifest = dataclasses.replace(updated.manifest, library_version=plan.after.version)
    warning = (
        None
        if in_sync
        else (
            f"index {directory} was built from library {manifest.library_name} {manifest.library_version} "
            f"({manifest.count} patterns), not from {plan.before.name} {plan.before.version} "
            f"({len(plan.before)} patterns); the pattern was added to it anyway"
        )
    )
    plan.write()
    try:
        updated.save(directory)
    except BaseException:
        plan.restore()
        raise
    return {
        "directory": str(directory),
        "count": updated.manifest.count,
        "version": updated.version,
        "in_sync": in_sync,
        "warning": warning,
    }


def _report_add(plan: AppendPlan, index_report: dict[str, Any] | None, version_set: bool, as_json: bool) -> None:
    pattern, before, after = plan.pattern, plan.before, plan.after
    bump_needed = plan.has_explicit_version and not version_set
    if as_json:
        echo_json(
            {
                "added": pattern.to_json(),
                "file": str(plan.file),
                "created_file": plan.original_text is None,
                "library": {
                    "name": after.name,
                    "patterns": len(after),
                    "old_version": before.version,
                    "version": after.version,
                    "version_set": version_set,
                    "bump_needed": bump_needed,
                },
                "index": index_report,
            }
        )
        return
    click.echo(f"added {pattern.id} ({pattern.category.value}, {pattern.severity.value}) to {plan.file}")
    if version_set:
        click.echo(f"library {after.name}: version {before.version} -> {after.version}")
    elif bump_needed:
        click.echo(f"library {after.name} is still version {after.version}: bump it with --version or in library.json")
    else:
        click.echo(f"library {after.name}: content version {before.version} -> {after.version}")
    if index_report is not None:
        click.echo(
            f"index {index_report['directory']}: {index_report['count']} patterns, version {index_report['version']}"
        )
        if index_report["warning"]:
            click.echo(f"warning: {index_report['warning']}", err=True)


@patterns.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--exit-code", is_flag=True, help="Exit with status 1 if the libraries differ.")
@json_option
def diff(old: Path, new: Path, exit_code: bool, as_json: bool) -> None:
    """Show patterns added, removed and changed (same id) from library OLD to NEW, and the version change.

    OLD and NEW are each a library directory or a .jsonl file. The exit status is 0 unless
    --exit-code is given and they differ.
    """
    try:
        result = diff_libraries(load_library_or_fail(old), load_library_or_fail(new))
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    if as_json:
        echo_json(result.to_json())
    else:
        _print_diff(result)
    if exit_code and not result.is_empty:
        sys.exit(1)


def _print_diff(result: LibraryDiff) -> None:
    if result.version_changed:
        click.echo(f"version {result.old_version} -> {result.new_version}")
    else:
        click.echo(f"version {result.old_version} (unchanged)")
    for sign, group in (("+", result.added), ("-", result.removed)):
        for p in group:
            click.echo(f"{sign} {p.id}\t{p.category.value}\t{p.severity.value}\t{p.text}")
    for change in result.changed:
        old, new = change.old.to_json(), change.new.to_json()
        parts = [
            f"{name}: {json.dumps(old[name], ensure_ascii=False)} -> {json.dumps(new[name], ensure_ascii=False)}"
            for name in change.fields
        ]
        click.echo(f"~ {change.new.id}\t{'; '.join(parts)}")
    click.echo(f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed")
