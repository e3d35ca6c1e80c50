"""The root ``querysentry`` command group."""

from __future__ import annotations

import logging

import click

from querysentry import __version__
from querysentry.cli.canary_cmd import canary
from querysentry.cli.check_cmd import check
from querysentry.cli.eval_cmd import calibrate_command, eval_command
from querysentry.cli.index_cmd import index
from querysentry.cli.intel_cmd import intel
from querysentry.cli.model_cmd import model
from querysentry.cli.patterns_cmd import patterns
from querysentry.cli.replay_cmd import replay_command
from querysentry.cli.report_cmd import report_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="querysentry")
@click.option("-v", "--verbose", is_flag=True, help="Log progress and warnings to stderr.")
def cli(verbose: bool) -> None:
    """QuerySentry: detect distillation and extraction prompts, offline."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(message)s")


cli.add_command(canary)
cli.add_command(check)
cli.add_command(index)
cli.add_command(intel)
cli.add_command(model)
cli.add_command(patterns)
cli.add_command(replay_command)
cli.add_command(eval_command)
cli.add_command(calibrate_command)
cli.add_command(report_command)


def run(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="querysentry", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
