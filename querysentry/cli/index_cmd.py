"""``querysentry index``: build, change and inspect index directories."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from querysentry.cli.common import (
    CliError,
    echo_json,
    excerpt,
    fail,
    json_option,
    load_library_or_fail,
    progress,
)
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.errors import QuerySentryError
from querysentry.index import (
    INDEX_FILE,
    PatternIndex,
    build_index,
    embed_patterns,
    load_index,
    read_manifest,
    verify_files,
)
from querysentry.library import default_library, merge_libraries

_VERIFY_SAMPLE = 32
_VERIFY_MIN_COSINE = 0.99

dir_argument = click.argument("directory", type=click.Path(path_type=Path, file_okay=False))


@click.group()
def index() -> None:
    """Build and maintain pattern index directories."""


def _summary(idx: PatternIndex, directory: Path) -> dict[str, object]:
    m = idx.manifest
    return {
        "directory": str(directory),
        "kind": m.kind,
        "count": m.count,
        "version": m.version,
        "library": {"name": m.library_name, "version": m.library_version},
        "encoder": {"name": m.encoder_name, "fingerprint": m.encoder_fingerprint, "dims": m.dims},
        "created_at": m.created_at,
    }


def _load(directory: Path, encoder: Encoder | None = None) -> PatternIndex:
    fingerprint = (encoder or Encoder()).fingerprint
    return load_index(directory, expected_fingerprint=fingerprint)


@index.command()
@click.option(
    "--library",
    "libraries",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Pattern file or directory (repeatable). Default: the shipped library.",
)
@click.option("--include-default", is_flag=True, help="Add the shipped library to --library.")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Index directory.")
@click.option("--kind", type=click.Choice(["auto", "flat", "hnsw"]), default="auto", show_default=True)
@json_option
def build(libraries: tuple[Path, ...], include_default: bool, out: Path, kind: str, as_json: bool) -> None:
    """Embed a pattern library and write an index directory (atomically)."""
    try:
        loaded = [load_library_or_fail(p) for p in libraries]
        if include_default or not loaded:
            loaded.insert(0, default_library())
        library = merge_libraries(loaded)
        encoder = Encoder()
        with progress("embedding patterns", len(library)) as report:
            built = build_index(library, encoder, kind=kind, progress=report)
        built.save(out)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    if as_json:
        echo_json(_summary(built, out))
    else:
        click.echo(f"built {out}: {built.manifest.count} patterns, {built.manifest.kind}, version {built.version}")


@index.command()
@dir_argument
@click.argument("patterns_file", type=click.Path(path_type=Path, exists=True))
@click.option("--replace", is_flag=True, help="Replace patterns whose id is already in the index.")
@json_option
def add(directory: Path, patterns_file: Path, replace: bool, as_json: bool) -> None:
    """Add the patterns of PATTERNS_FILE without a full rebuild.

    An id that is already in the index is refused (nothing is written) unless --replace is given.
    """
    try:
        new = list(load_library_or_fail(patterns_file))
        encoder = Encoder()
        current = _load(directory, encoder)
        existing = [p.id for p in new if current.get(p.id) is not None]
        if existing and not replace:
            raise CliError(_already_there(existing, directory))
        with progress("embedding patterns", len(new)) as report:
            vectors = embed_patterns(new, encoder, report)
        updated = current.with_added(new, vectors)
        updated.save(directory)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    added = [p.id for p in new if p.id not in existing]
    if as_json:
        echo_json({**_summary(updated, directory), "added": added, "replaced": existing})
        return
    replaced = f", replaced {len(existing)} ({', '.join(existing)})" if existing else ""
    click.echo(
        f"added {len(added)} pattern(s){replaced}; {updated.manifest.count} in {directory}, version {updated.version}"
    )


def _already_there(ids: list[str], directory: Path) -> str:
    if len(ids) == 1:
        return f"pattern id {ids[0]} is already in {directory}; pass --replace to replace it"
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    return f"pattern ids {shown} are already in {directory}; pass --replace to replace them"


@index.command()
@dir_argument
@click.argument("pattern_ids", nargs=-1, required=True)
@json_option
def remove(directory: Path, pattern_ids: tuple[str, ...], as_json: bool) -> None:
    """Remove patterns by id without re-embedding the rest."""
    try:
        current = _load(directory)
        updated = current.without(pattern_ids)
        updated.save(directory)
    except KeyError as exc:
        raise CliError(f"no such pattern id(s) in {directory}: {exc.args[0]}") from None
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    if as_json:
        echo_json({**_summary(updated, directory), "removed": list(pattern_ids)})
    else:
        click.echo(f"removed {len(pattern_ids)} pattern(s); {updated.manifest.count} left, version {updated.version}")


@index.command(name="list")
@dir_argument
@click.option("--category", help="Only this category.")
@json_option
def list_(directory: Path, category: str | None, as_json: bool) -> None:
    """List the patterns in an index."""
    try:
        current = _load(directory)
    except QuerySentryError as exc:
        raise fail(exc) from None
    chosen = [p for p in current.patterns if category is None or p.category.value == category]
    for pattern in chosen:
        if as_json:
            echo_json(pattern.to_json())
        else:
            click.echo(f"{pattern.id}\t{pattern.category.value}\t{pattern.severity.value}\t{excerpt(pattern.text, 80)}")


@index.command()
@dir_argument
@json_option
def info(directory: Path, as_json: bool) -> None:
    """Show an index's manifest (without loading the encoder)."""
    try:
        manifest = read_manifest(directory)
    except QuerySentryError as exc:
        raise fail(exc) from None
    data = manifest.to_json()
    data["version"] = manifest.version
    if as_json:
        echo_json(data)
        return
    click.echo(f"index      {directory}")
    click.echo(f"version    {manifest.version}")
    click.echo(f"kind       {manifest.kind}, {manifest.count} patterns, {manifest.dims} dims")
    click.echo(f"library    {manifest.library_name} {manifest.library_version}")
    click.echo(f"encoder    {manifest.encoder_name} ({manifest.encoder_fingerprint[:16]}…)")
    click.echo(f"created    {manifest.created_at}")


@index.command()
@dir_argument
@json_option
def verify(directory: Path, as_json: bool) -> None:
    """Check checksums, consistency, the encoder fingerprint, and re-embed a sample of patterns."""
    try:
        encoder = Encoder()
        verify_files(directory, read_manifest(directory))
        current = _load(directory, encoder)
        patterns = current.patterns[:: max(1, len(current) // _VERIFY_SAMPLE)][:_VERIFY_SAMPLE]
        stored = current.stored_vectors([p.id for p in patterns])
        fresh = encoder.encode([p.text for p in patterns])
        cosines = (stored * fresh).sum(axis=1) if patterns else np.ones(1)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    worst = float(cosines.min())
    ok = worst >= _VERIFY_MIN_COSINE
    if as_json:
        echo_json(
            {"ok": ok, "checked": len(patterns), "min_cosine": round(worst, 5), "file": str(directory / INDEX_FILE)}
        )
    else:
        click.echo(f"{'ok' if ok else 'FAILED'}: checksums match; {len(patterns)} re-embedded, min cosine {worst:.4f}")
    if not ok:
        raise CliError(f"{directory}: stored vectors do not match their pattern texts (min cosine {worst:.4f})")
