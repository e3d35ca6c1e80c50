from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from querysentry.cli.app import cli


@pytest.fixture
def run() -> Callable[..., Result]:
    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
