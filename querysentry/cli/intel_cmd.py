"""``querysentry intel``: signed STIX 2.1 bundles of what this deployment learnt, and importing others'.

keygen makes a signing key, export writes a signed bundle from decision logs (and the operator's
own patterns), verify checks a received bundle, import merges it into an index's shared layer,
remove takes a source out again, list shows the layer and mode sets a source to tag-only.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from querysentry.cli.common import CliError, echo_json, fail, json_option, load_library_or_fail
from querysentry.errors import QuerySentryError
from querysentry.intel.model import BundleInfo, Mode, VerifiedBundle, utc_now
from querysentry.intel.shared import SharedLayer, SourceRecord

_trust_option = click.option(
    "--trust",
    "trust",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A trusted public key (KEY.pub from `intel keygen`); repeat for several.",
)
_index_option = click.option(
    "--index",
    "index_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Index directory whose shared layer (INDEX/shared) to change.",
)


def _require_dependencies() -> None:
    """Say how to install what bundles need, instead of a traceback (reading the shared layer needs neither)."""
    missing = [name for name in ("stix2", "cryptography") if importlib.util.find_spec(name) is None]
    if missing:
        raise CliError(f"`querysentry intel` needs {' and '.join(missing)}: pip install 'querysentry[intel]'")


@click.group()
def intel() -> None:
    """Share what this deployment learnt as signed STIX 2.1 bundles, and import others'."""


@intel.command()
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="KEY file.")
@click.option("--source", help="Bind the key to this source id: bundles it signs for another are refused.")
@click.option("--force", is_flag=True, help="Replace KEY and KEY.pub if they exist.")
@json_option
def keygen(output: Path, source: str | None, force: bool, as_json: bool) -> None:
    """Write a new Ed25519 signing key to KEY (mode 0600) and its public half to KEY.pub."""
    _require_dependencies()
    from querysentry.intel.signing import keygen as make_key
    from querysentry.intel.signing import public_key_path

    try:
        key = make_key(output, source=source, force=force)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    public = public_key_path(output)
    if as_json:
        echo_json({"key": str(output), "public_key": str(public), "key_id": key.key_id, "source": source})
    else:
        click.echo(f"wrote {output} and {public} (key id {key.key_id}); give {public.name} to those who import")


def _records(paths: tuple[Path, ...]) -> Iterator[dict[str, Any]]:
    from querysentry.jsonl import read_jsonl

    for path in paths:
        for _, value in read_jsonl(path):
            if isinstance(value, dict):
                yield value


@intel.command()
@click.option(
    "--from",
    "logs",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A JSON decision log or `replay -o` output; repeat for several.",
)
@click.option(
    "--patterns",
    "library_path",
    type=click.Path(path_type=Path, exists=True),
    help="The operator's own pattern library (directory or .jsonl) to share (as text hashes).",
)
@click.option("--include-text", is_flag=True, help="Also share pattern texts (they are hashes otherwise).")
@click.option("--sign", "key_path", required=True, type=click.Path(path_type=Path, dir_okay=False), help="KEY.")
@click.option("--source", help="Source id of this deployment (default: the one the key is bound to).")
@click.option(
    "--store",
    "store_url",
    help="Also export the campaigns a live behaviour store holds (redis://…), with their vectors.",
)
@click.option("--producer", help="Producer name shown to importers (default: the source id).")
@click.option("--ttl-days", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="BUNDLE.json.")
@json_option
def export(
    logs: tuple[Path, ...],
    library_path: Path | None,
    include_text: bool,
    key_path: Path,
    source: str | None,
    store_url: str | None,
    producer: str | None,
    ttl_days: float,
    output: Path,
    as_json: bool,
) -> None:
    """Write a signed bundle (BUNDLE.json and BUNDLE.json.sig) of campaigns and patterns.

    Campaign summaries come from the decision records given with --from (client keys are counted,
    never written; prompt text is never read) and from a live store with --store (with their
    centroid vectors and the shipped encoder's fingerprint); patterns from --patterns, as the
    sha256 of their normalised text unless --include-text.
    """
    _require_dependencies()
    from querysentry.intel.export import campaigns_from_records, pattern_indicators
    from querysentry.intel.signing import load_signing_key, write_signed_bundle
    from querysentry.intel.stix import to_bundle

    if not logs and library_path is None and store_url is None:
        raise CliError("nothing to export: give decision logs (--from), a store (--store) or patterns (--patterns)")
    try:
        key = load_signing_key(key_path)
        source_id = source or key.source
        if source_id is None:
            raise CliError(f"{key_path} is bound to no source: give --source")
        now = utc_now()
        info = BundleInfo(producer or source_id, source_id, now, now + timedelta(days=ttl_days))
        campaigns = campaigns_from_records(_records(logs))
        if store_url is not None:
            import asyncio

            from querysentry.encoder import load_manifest
            from querysentry.intel.export import campaigns_from_store

            known = {c.campaign_id for c in campaigns}
            live = asyncio.run(campaigns_from_store(store_url, load_manifest().fingerprint))
            campaigns = (*campaigns, *(c for c in live if c.campaign_id not in known))
        patterns = (
            pattern_indicators(load_library_or_fail(library_path), include_text=include_text) if library_path else ()
        )
        _, sig_path = write_signed_bundle(to_bundle(info, patterns, campaigns), output, key)
    except (QuerySentryError, OSError, ValueError) as exc:
        raise fail(exc) from None
    if as_json:
        echo_json(
            {
                "bundle": str(output),
                "signature": str(sig_path),
                "info": info.to_json(),
                "patterns": len(patterns),
                "campaigns": len(campaigns),
                "key_id": key.key_id,
            }
        )
    else:
        click.echo(
            f"wrote {output} ({len(patterns)} patterns, {len(campaigns)} campaigns, source {source_id}, "
            f"expires {info.expires.isoformat(timespec='seconds')}) and {sig_path}"
        )


def _verify(bundle: Path, trust: tuple[Path, ...]) -> VerifiedBundle:
    _require_dependencies()
    from querysentry.intel.signing import load_trusted_key, verify

    return verify(bundle, [load_trusted_key(path) for path in trust])


def _summary(verified: VerifiedBundle) -> dict[str, Any]:
    return {
        "bundle_id": verified.bundle_id,
        "info": verified.info.to_json(),
        "key_id": verified.key_id,
        "patterns": len(verified.patterns),
        "campaigns": len(verified.campaigns),
    }


@intel.command(name="verify")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@_trust_option
@json_option
def verify_command(bundle: Path, trust: tuple[Path, ...], as_json: bool) -> None:
    """Check BUNDLE's signature (BUNDLE.sig), signer, schema, provenance and expiry; exit 2 on any failure."""
    try:
        verified = _verify(bundle, trust)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    info = verified.info
    if as_json:
        echo_json({"ok": True, **_summary(verified)})
    else:
        click.echo(
            f"ok: {bundle} from {info.producer} (source {info.source_id}), {len(verified.patterns)} patterns, "
            f"{len(verified.campaigns)} campaigns, expires {info.expires.isoformat(timespec='seconds')}"
        )


def _report(record: SourceRecord, action: str, layer: SharedLayer, as_json: bool) -> None:
    if as_json:
        echo_json({"action": action, "source": record.to_json(), "layer_version": layer.version})
    else:
        click.echo(
            f"{action} {record.source} ({record.patterns} patterns, {record.campaigns} campaigns, {record.mode}); "
            f"shared layer {layer.directory} is at version {layer.version}"
        )


@intel.command(name="import")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@_trust_option
@_index_option
@click.option("--tag-only", is_flag=True, help="Its indicators only tag verdicts, never act.")
@json_option
def import_command(bundle: Path, trust: tuple[Path, ...], index_dir: Path, tag_only: bool, as_json: bool) -> None:
    """Verify BUNDLE and merge it into INDEX/shared, replacing an older bundle of its source.

    Nothing is written if any check fails. A watching middleware picks up the new version.
    """
    layer = SharedLayer.for_index(index_dir)
    mode: Mode = "tag_only" if tag_only else "enforce"
    try:
        record = layer.import_bundle(_verify(bundle, trust), mode=mode)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    _report(record, "imported", layer, as_json)


@intel.command()
@click.argument("source")
@_index_option
@json_option
def remove(source: str, index_dir: Path, as_json: bool) -> None:
    """Take SOURCE's indicators out of INDEX/shared (as if it had never been imported)."""
    layer = SharedLayer.for_index(index_dir)
    try:
        record = layer.remove(source)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    _report(record, "removed", layer, as_json)


@intel.command(name="mode")
@click.argument("source")
@click.argument("mode", type=click.Choice(["enforce", "tag_only"]))
@_index_option
@json_option
def mode_command(source: str, mode: Mode, index_dir: Path, as_json: bool) -> None:
    """Set SOURCE's indicators to act (enforce) or only tag verdicts (tag_only)."""
    layer = SharedLayer.for_index(index_dir)
    try:
        record = layer.set_mode(source, mode)
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    _report(record, "set", layer, as_json)


@intel.command(name="list")
@_index_option
@json_option
def list_command(index_dir: Path, as_json: bool) -> None:
    """List the sources in INDEX/shared."""
    layer = SharedLayer.for_index(index_dir)
    try:
        version, records = layer.version, layer.sources()
    except (QuerySentryError, OSError) as exc:
        raise fail(exc) from None
    now = utc_now()
    if as_json:
        echo_json({"version": version, "sources": [{**r.to_json(), "expired": r.expired(now)} for r in records]})
        return
    for r in records:
        state = "EXPIRED" if r.expired(now) else f"until {r.expires.isoformat(timespec='seconds')}"
        click.echo(f"{r.source}\t{r.mode}\t{r.patterns} patterns\t{r.campaigns} campaigns\t{state}\t{r.producer}")
    click.echo(f"shared layer {layer.directory}: version {version}, {len(records)} sources")
