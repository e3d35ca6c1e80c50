"""``querysentry canary check``: which client a suspect text was marked for.

The answers QuerySentry served to flagged clients carry a per-client canary mark when the
deployment sets ``CountermeasureSettings(canary_key=...)`` (``querysentry.countermeasures.canary``
says what survives and what does not). Given the same key and the client ids that may have been
served, ``canary check`` scores each one; a text marked for nobody scores about 0 for all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from querysentry.cli.common import CliError, echo_json, fail, json_option
from querysentry.countermeasures import canary_check, extract_payloads
from querysentry.policy import level_rank
from querysentry.report import read_decisions

KEY_ENV = "QUERYSENTRY_CANARY_KEY"


@click.group()
def canary() -> None:
    """Canary marks in responses to flagged clients."""


def read_key(key_file: Path | None) -> bytes:
    """The deployment's canary key: ``key_file``'s bytes (trailing whitespace and newline left out,
    as an editor or ``echo`` adds them), else ``$QUERYSENTRY_CANARY_KEY`` as UTF-8."""
    if key_file is not None:
        try:
            key = key_file.read_bytes().rstrip()
        except OSError as exc:
            raise fail(exc) from None
        if not key:
            raise CliError(f"{key_file}: the key file is empty")
        return key
    value = os.environ.get(KEY_ENV, "")
    if not value:
        raise CliError(f"give the canary key with --key-file or ${KEY_ENV}")
    return value.encode("utf-8")


def read_candidates(path: Path) -> list[str]:
    """Client ids, one a line; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise fail(exc) from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def flagged_clients(path: Path, lowest: str = "tag") -> list[str]:
    """The clients of a decision log that reached ``lowest`` or above: the strongest of a record's
    client level, campaign level and action, as the middleware plans countermeasures. O(log)."""
    floor = level_rank(lowest)
    clients: dict[str, None] = {}
    try:
        for decision in read_decisions(path):
            fields = decision.fields
            client = fields.get("client")
            if not isinstance(client, str) or not client or client in clients:
                continue
            levels = (fields.get("client_level"), fields.get("campaign_level"), fields.get("action"))
            if max(level_rank(level if isinstance(level, str) else None) for level in levels) >= floor:
                clients[client] = None
    except OSError as exc:
        raise fail(exc) from None
    return list(clients)


def _candidates(candidates_file: Path | None, from_log: Path | None) -> list[str]:
    if candidates_file is None and from_log is None:
        raise CliError("give the candidate clients with --candidates FILE or --from-log LOG")
    found: list[str] = []
    if candidates_file is not None:
        found += read_candidates(candidates_file)
    if from_log is not None:
        found += flagged_clients(from_log)
    return list(dict.fromkeys(found))


def _read_text(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


@canary.command()
@click.argument("text")
@click.option(
    "--key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"File holding the deployment's canary key (default: ${KEY_ENV}).",
)
@click.option(
    "--candidates",
    "candidates_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Client ids that may have been served the text, one a line.",
)
@click.option(
    "--from-log",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A JSON decision log: its clients at level tag and above are the candidates.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.9,
    show_default=True,
    help="Confidence from which a client is reported as marked.",
)
@click.option("--exit-code", is_flag=True, help="Exit with status 1 when no mark is found.")
@json_option
def check(
    text: str,
    key_file: Path | None,
    candidates_file: Path | None,
    from_log: Path | None,
    min_confidence: float,
    exit_code: bool,
    as_json: bool,
) -> None:
    """Say which candidate client TEXT (- reads it from stdin) was marked for, with confidence.

    Confidence is 1 - p x candidates, where p is the chance that unmarked text agrees as well
    with that client's mark; a whole invisible mark gives about 1.0. Paraphrase, translation and
    a distiller who strips the marks leave nothing to find: no mark found is not proof of
    innocence.
    """
    key = read_key(key_file)
    clients = _candidates(candidates_file, from_log)
    if not clients:
        raise CliError("no candidate clients (the file is empty, or the log has no client at level tag or above)")
    suspect = _read_text(text)
    scores = canary_check(suspect, key, clients)
    marked = [(client, confidence) for client, confidence in scores if confidence >= min_confidence]
    if as_json:
        echo_json(_report(scores, marked, len(extract_payloads(suspect))))
    else:
        _print(marked, scores, len(clients))
    if exit_code and not marked:
        sys.exit(1)


def _report(scores: Iterable[tuple[str, float]], marked: list[tuple[str, float]], payloads: int) -> dict[str, object]:
    ranked = [{"client": client, "confidence": round(confidence, 6)} for client, confidence in scores]
    return {
        "marked": [{"client": client, "confidence": round(confidence, 6)} for client, confidence in marked],
        "candidates": len(ranked),
        "invisible_marks": payloads,
        "best": ranked[0] if ranked else None,
    }


def _print(marked: list[tuple[str, float]], scores: list[tuple[str, float]], candidates: int) -> None:
    for client, confidence in marked:
        click.echo(f"marked for {client} (confidence {confidence:.4f})")
    if not marked:
        best = f"; best {scores[0][0]} at {scores[0][1]:.4f}" if scores else ""
        click.echo(f"no mark found for any of {candidates} candidates{best}")
