"""``querysentry check``: verdicts for a prompt, stdin, or a JSONL file of requests."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from querysentry.categories import EXTRACTION_CATEGORIES, Category
from querysentry.cli.common import CliError, atomic_output, echo_json, excerpt, fail, json_option, progress
from querysentry.errors import InputError, QuerySentryError
from querysentry.jsonl import read_jsonl
from querysentry.messages import MessagesLike
from querysentry.verdict import Verdict

if TYPE_CHECKING:
    from querysentry.detector import Detector

_BATCH = 32
# Fields a JSONL request may carry its prompt in, tried in this order.
_TEXT_FIELDS = ("messages", "text", "prompt", "input")


def read_requests(path: Path) -> list[tuple[str, MessagesLike]]:
    """Parse a JSONL file of requests up front, so a bad line fails before any output is written.

    Each line is an object with ``messages`` (chat messages), or ``text`` / ``prompt`` / ``input``
    (a string), and an optional ``id``. Errors name ``file:line``.
    """
    requests: list[tuple[str, MessagesLike]] = []
    for number, record in read_jsonl(path):
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: expected a JSON object")
        field = next((f for f in _TEXT_FIELDS if f in record), None)
        if field is None:
            raise InputError(f"{path}:{number}: no 'messages', 'text', 'prompt' or 'input' field")
        value = record[field]
        if (field == "messages" and not isinstance(value, list)) or (
            field != "messages" and not isinstance(value, str)
        ):
            raise InputError(f"{path}:{number}: '{field}' has the wrong type")
        requests.append((str(record.get("id", number)), value))
    return requests


def _describe(verdict: Verdict) -> str:
    if verdict.flagged:
        segment = verdict.segment.text if verdict.segment else ""
        head = f"FLAGGED  {verdict.category.value if verdict.category else '?'}"
        # The multilingual lane decides by a head's log-odds, not by a pattern.
        source = "multilingual lane" if verdict.segment and verdict.segment.kind == "multilingual" else None
        detail = (
            f"score {verdict.score:.3f} >= threshold {verdict.threshold:.3f}; "
            f'{source or f"pattern {verdict.pattern_id}"}; segment: "{excerpt(segment, 100)}"'
        )
        return f"{head}  ({detail})"
    note = " (a benign look-alike suppressed a match)" if verdict.suppressed else ""
    near = f"; nearest {verdict.category.value} at {verdict.score:.3f}" if verdict.category else ""
    return f"ok{note}{near}"


@click.command()
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(path_type=Path, dir_okay=False), help="JSONL file of requests.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write verdict JSONL here.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), help="Index directory.")
@click.option("--thresholds", "thresholds_file", type=click.Path(path_type=Path), help="Thresholds JSON file.")
@click.option("--threshold", "overrides", multiple=True, metavar="CATEGORY=VALUE", help="Override one threshold.")
@click.option(
    "--multilingual",
    "multilingual_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Also read non-English messages with this exported multilingual encoder (models/export_multilingual.py).",
)
@click.option("--exit-code", is_flag=True, help="Exit with status 3 when any request is flagged.")
@json_option
def check(
    text: str | None,
    file_: Path | None,
    output: Path | None,
    index_dir: Path | None,
    thresholds_file: Path | None,
    overrides: tuple[str, ...],
    multilingual_dir: Path | None,
    exit_code: bool,
    as_json: bool,
) -> None:
    """Check TEXT, stdin (TEXT is '-' or absent), or --file JSONL.

    With --file, --json prints one verdict per line (JSONL), as -o writes it.
    """
    if text is not None and file_ is not None:
        raise CliError("give either TEXT or --file, not both")
    try:
        if file_ is not None:
            requests = read_requests(file_)
        else:
            if text is None or text == "-":
                if sys.stdin.isatty():
                    raise CliError("no TEXT given and stdin is a terminal; see `querysentry check --help`")
                text = sys.stdin.read()
            requests = [("1", text)]
        detector = _detector(index_dir, thresholds_file, overrides, multilingual_dir)
        verdicts: list[tuple[str, Verdict]] = []
        with progress("checking", len(requests)) as report:
            for start in range(0, len(requests), _BATCH):
                batch = requests[start : start + _BATCH]
                verdicts.extend(zip((i for i, _ in batch), detector.check_many([r for _, r in batch])))
                report(len(verdicts), len(requests))
    except QuerySentryError as exc:
        raise fail(exc) from None
    if output is not None:
        with atomic_output(output) as handle:
            for request_id, verdict in verdicts:
                handle.write(json.dumps({"id": request_id, **verdict.to_dict()}, ensure_ascii=False) + "\n")
    elif as_json:
        for request_id, verdict in verdicts:
            echo_json({"id": request_id, **verdict.to_dict()} if file_ is not None else verdict.to_dict())
    elif file_ is not None:
        for request_id, verdict in verdicts:
            click.echo(f"{request_id}\t{_describe(verdict)}")
    else:
        click.echo(_describe(verdicts[0][1]))
    if exit_code and any(v.flagged for _, v in verdicts):
        sys.exit(3)


def _detector(
    index_dir: Path | None,
    thresholds_file: Path | None,
    overrides: tuple[str, ...],
    multilingual_dir: Path | None = None,
) -> Detector:
    # Imported here: loading the encoder stack is only worth it once the input has been read.
    from querysentry.detector import Detector
    from querysentry.threshold_files import default_thresholds, load_thresholds

    thresholds = load_thresholds(thresholds_file) if thresholds_file else default_thresholds()
    parsed: dict[str, float] = {}
    known = {c.value for c in Category}
    for item in overrides:
        name, _, value = item.partition("=")
        try:
            parsed[name] = float(value)
        except ValueError:
            raise CliError(f"--threshold expects CATEGORY=VALUE, got '{item}'") from None
        if name.partition(":")[0] not in known:
            # Said here: the library's own error is Python's "'x' is not a valid Category".
            categories = ", ".join(c.value for c in EXTRACTION_CATEGORIES)
            raise CliError(
                f"--threshold: unknown category '{name}' (known: {categories}; "
                "CATEGORY:explicit sets the lane of high-severity patterns)"
            )
    try:
        thresholds = thresholds.with_overrides(parsed)
    except ValueError as exc:
        raise CliError(f"--threshold: {exc}") from None
    # Offline work: the encoder may use every core (the middleware keeps one for the event loop).
    from querysentry.encoder.onnx_encoder import Encoder

    encoder = Encoder(threads=os.cpu_count() or 1)
    lane = None
    if multilingual_dir is not None:
        from querysentry.multilingual import MultilingualLane

        lane = MultilingualLane.load(Encoder(model_dir=multilingual_dir, threads=os.cpu_count() or 1))
    detector = Detector(encoder=encoder, index=index_dir, thresholds=thresholds, multilingual=lane)
    if index_dir is not None:
        # The index directory's shared intel layer (``intel import --index``), as the middleware uses it.
        from querysentry.engine.shared import SharedIntel
        from querysentry.errors import QuerySentryError

        try:
            update = SharedIntel(index_dir, encoder.fingerprint, encoder.encode, dims=encoder.dims).load()
        except QuerySentryError as exc:
            raise CliError(f"{index_dir}: shared intel layer: {exc}") from None
        if update is not None:
            detector.index_handle.set_overlay(update.overlay)
    return detector
