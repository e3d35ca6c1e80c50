"""``querysentry report``: one self-contained HTML page from the middleware's JSON decision log."""

from __future__ import annotations

from pathlib import Path

import click

from querysentry.cli.common import CliError, atomic_output, echo_json, fail, json_option


@click.command(name="report")
@click.argument("log", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML file to write."
)
@click.option("--title", default="QuerySentry report", show_default=True, help="Page title.")
@json_option
def report_command(log: Path, output: Path, title: str, as_json: bool) -> None:
    """Build an HTML report from LOG (a JSON decision log, or the output of `querysentry replay -o`).

    Only the decision records (message "querysentry decision") are used; other lines are skipped
    and counted. The page has no scripts and loads nothing: it can be mailed or archived as is.
    Prints a one-line summary (or, with --json, the aggregate as JSON).
    """
    # Imported here so that `querysentry --help` stays fast.
    from querysentry.report import build_report, render_html

    if not log.is_file():
        raise CliError(f"{log}: no such file")
    try:
        data = build_report(log)
    except (OSError, ValueError) as exc:
        raise fail(exc) from exc
    if data.requests == 0:
        # Most likely the wrong file, or a log written without JsonFormatter: say what was looked for.
        raise CliError(
            f'{log}: no querysentry decision records (message "querysentry decision") in {data.skipped_lines} lines'
        )
    page = render_html(data, title=title)
    try:
        with atomic_output(output) as handle:
            handle.write(page)
    except OSError as exc:
        raise fail(exc) from exc
    if as_json:
        echo_json({"output": str(output), **data.to_dict()})
        return
    s = data.to_dict()["summary"]
    click.echo(
        f"{output}: {s['requests']} requests from {s['clients']} clients, {s['flagged_requests']} flagged "
        f"({s['flagged_clients']} clients, {s['clusters']} clusters, {s['campaigns']} campaigns); "
        f"{s['lines_skipped']} lines skipped"
    )
