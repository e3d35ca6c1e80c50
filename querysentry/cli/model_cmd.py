"""``querysentry model``: what encoder is shipped, and is it intact."""

from __future__ import annotations

from pathlib import Path

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
    click.echo(f"model        {manifest.name}")
    click.echo(f"directory    {manifest.directory}")
    click.echo(f"dimensions   {manifest.dims}, max {manifest.max_tokens} tokens")
    for key in ("source", "license", "quantization", "pooling", "normalization", "fidelity"):
        if key in raw:
            click.echo(f"{key:<12} {raw[key]}")
    click.echo(f"fingerprint  {manifest.fingerprint}")
    if verify:
        click.echo("files        ok (sha256 verified)")
