"""``querysentry replay``: the whole pipeline over a traffic file, offline and at full speed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import IO, Any

import click

from querysentry.cli.check_cmd import _detector
from querysentry.cli.common import CliError, atomic_output, echo_json, fail, json_option, progress
from querysentry.engine.record import log_line
from querysentry.errors import QuerySentryError
from querysentry.replay import ClientSummary, read_traffic, replay, replay_engine


@click.command(name="replay")
@click.argument("traffic", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Per-request decision records (JSONL, the live decision log's format: `querysentry report` reads it).",
)
@click.option("--summary", type=click.Path(path_type=Path, dir_okay=False), help="Per-client summary (JSON).")
@click.option("--store", default="memory://", show_default=True, help="Behaviour store URL (memory:// or redis://).")
@click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), help="Index directory.")
@click.option("--thresholds", "thresholds_file", type=click.Path(path_type=Path), help="Thresholds JSON file.")
@click.option(
    "--campaigns/--no-campaigns",
    "find_campaigns",
    default=True,
    show_default=True,
    help="Find campaigns across clients in this traffic (imported intel campaigns always match).",
)
@json_option
def replay_command(
    traffic: Path,
    output: Path | None,
    summary: Path | None,
    store: str,
    index_dir: Path | None,
    thresholds_file: Path | None,
    find_campaigns: bool,
    as_json: bool,
) -> None:
    """Replay TRAFFIC (JSONL: ts, client, payload or text, optional path and label).

    Prints the clients that were flagged (or, with --json, the summary as JSON). Stops with an
    error naming file:line at the first bad line; output files are only written when all went well.
    """
    from querysentry.batching import CachedEmbedder
    from querysentry.behaviour import BehaviourTracker
    from querysentry.detector import Detector

    if not traffic.is_file():
        raise CliError(f"{traffic}: no such file")
    with traffic.open("rb") as raw:
        total = sum(1 for line in raw if line.strip())
    try:
        tracker = BehaviourTracker(store=store)
        base = _detector(index_dir, thresholds_file, ())
        # Replays repeat system prompts and history: the caches make them nearly free.
        detector = Detector(
            encoder=base.encoder,
            index=base.index_handle,
            thresholds=base.thresholds,
            embed=CachedEmbedder(base.encoder.encode),
            search_cache=100_000,
        )
        clients: dict[str, ClientSummary] = {}
        sink: contextlib.AbstractContextManager[IO[str] | None] = (
            atomic_output(output) if output is not None else contextlib.nullcontext(None)
        )
        engine = replay_engine(detector, tracker, campaigns="auto" if find_campaigns else "shared")
        with progress("replaying", total) as report, sink as out:

            async def run() -> None:
                done = 0
                async for result in replay(read_traffic(traffic), engine):
                    clients.setdefault(result.record.client, ClientSummary(result.record.client)).add(result)
                    if out is not None:
                        out.write(json.dumps(log_line(result.to_dict()), ensure_ascii=False) + "\n")
                    done += 1
                    if done % 256 == 0 or done == total:
                        report(done, total)
                await engine.aclose()

            asyncio.run(run())
    except (QuerySentryError, ValueError) as exc:
        raise fail(exc) from None
    result: dict[str, Any] = {
        "requests": total,
        "clients": len(clients),
        "flagged_clients": sum(1 for c in clients.values() if c.first_flagged_at is not None),
        "summaries": [c.to_dict() for c in sorted(clients.values(), key=lambda c: (-c.max_risk, c.client))],
    }
    if summary is not None:
        with atomic_output(summary) as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    if as_json:
        echo_json(result)
        return
    click.echo(f"{total} requests from {len(clients)} clients; {result['flagged_clients']} clients flagged")
    for row in result["summaries"]:
        if not row["flagged"]:
            continue
        cluster = f"  cluster {row['cluster_id']}" if row["cluster_id"] else ""
        reason = row["reasons"][0] if row["reasons"] else ""
        click.echo(
            f"{row['client']}\t{row['max_level']} from request {row['first_flagged_request']} of {row['requests']}"
            f"{cluster}\t{reason}"
        )
