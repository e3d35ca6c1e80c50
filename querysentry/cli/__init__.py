"""The ``querysentry`` command line (needs the ``cli`` extra: ``pip install 'querysentry[cli]'``)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point; prints how to install the CLI extra if click is missing."""
    try:
        import click  # noqa: F401
    except ModuleNotFoundError:
        print(
            "querysentry: error: the command line needs the 'cli' extra: pip install 'querysentry[cli]'",
            file=sys.stderr,
        )
        return 2
    from querysentry.cli.app import run

    return run(argv)
