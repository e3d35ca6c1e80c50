import logging

import pytest

from querysentry.storage import outage
from querysentry.storage.outage import OutageGate


def test_one_warning_per_outage_probes_every_retry_after_and_only_the_probe_ends_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="querysentry")
    now = [100.0]
    monkeypatch.setattr(outage.time, "monotonic", lambda: now[0])
    hooks: list[None] = []
    gate = OutageGate("the part", "a local stand-in", 5.0, on_fallback=lambda: hooks.append(None))
    assert gate.start_call() is False  # healthy: use Redis
    gate.failed(ConnectionError("refused"))
    gate.failed(ConnectionError("refused again"))  # the same outage
    assert gate.degraded and len(hooks) == 1
    assert [r.levelno for r in caplog.records].count(logging.WARNING) == 1
    assert gate.start_call() is None  # within retry_after: serve locally
    gate.succeeded(False)  # a call sent before the outage finishing late does not end it
    assert gate.degraded
    now[0] += 5.0
    assert gate.start_call() is True  # the probe
    assert gate.start_call() is None  # only one probe at a time
    gate.succeeded(True)
    assert not gate.degraded and "reachable again for the part" in caplog.text


def test_unexpected_errors_are_logged_with_their_traceback(caplog: pytest.LogCaptureFixture) -> None:
    gate = OutageGate("throttle", "a local rate limit", 1.0, expected=(ConnectionError,))
    gate.failed(ValueError("WRONGTYPE"))
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert "throttle storage failed" in record.getMessage() and record.exc_info is not None
