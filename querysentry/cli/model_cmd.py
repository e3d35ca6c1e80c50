"""``querysentry model``: what encoder is shipped, and is it intact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from querysentry.cli.common import echo_json, fail, json_option
from querysentry.encoder.model_files import load_manifest
from querysentry.errors import QuerySentryError


@click.group()
def model() -> None:
    """Inspect the shipped encoder."""


@model.command()
@click.option("--model-dir", type=click.Path(path_type=Path, file_okay=False), help="Another model directory.")
@click.option("--verify", is_flag=True, help="Also check every file's sha256.")
@json_option
def info(model_dir: Path | None, verify: bool, as_json: bool) -> None:
    """Show the encoder manifest (name, source, dimensions, fidelity, fingerprint)."""
    try:
        manifest = load_manifest(model_dir)
        if verify:
            manifest.verify()
    except QuerySentryError as exc:
        raise fail(exc) from None
    if as_json:
        echo_json({"directory": str(manifest.directory), "verified": verify, **manifest.raw})
        return
    raw = manifest.raw
    rows: list[tuple[str, str]] = [
        ("model", manifest.name),
        ("directory", str(manifest.directory)),
        ("dimensions", str(manifest.dims)),
        ("max_tokens", str(manifest.max_tokens)),
    ]
    for key in _SHOWN_KEYS:
        if key in raw:
            rows.extend(_flatten(key, raw[key]))
    rows.append(("fingerprint", manifest.fingerprint))
    if verify:
        rows.append(("files", "ok (sha256 verified)"))
    click.echo(format_rows(rows))


# What a user asks "which model is this, and how faithful is it?" about; --json has everything.
_SHOWN_KEYS = ("source", "license", "quantization", "pooling", "normalization", "fidelity")


def _flatten(key: str, value: Any, depth: int = 0) -> list[tuple[str, str]]:
    """An object's fields as dotted keys (``fidelity.nn_agreement``), lists comma-joined, scalars as JSON text.

    One level deep: deeper objects (side measurements) would only widen the key column; --json has them.
    """
    if isinstance(value, dict):
        if depth > 0:
            return []
        return [row for name, inner in value.items() for row in _flatten(f"{key}.{name}", inner, depth + 1)]
    if isinstance(value, list):
        return [(key, ", ".join(_scalar(v) for v in value))]
    return [(key, _scalar(value))]


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # true/false/null and numbers as JSON writes them


def format_rows(rows: list[tuple[str, str]]) -> str:
    """``key: value`` lines with every value starting in the same column."""
    width = max((len(key) for key, _ in rows), default=0) + 1
    return "\n".join(f"{key + ':':<{width}} {value}" for key, value in rows)
