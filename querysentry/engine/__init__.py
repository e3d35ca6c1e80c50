"""The decision engine: requests in, outcomes and decision records out, with no ASGI in it.

Names load on first use (PEP 562), so that ``querysentry.engine.record``, the decision-record
schema which the pattern library, the report and telemetry read, loads no detector: the detector
imports the library, and the library reads decision records.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from querysentry.engine.config import EngineConfig
    from querysentry.engine.engine import Engine, Extractor, default_detector
    from querysentry.engine.outcome import UNSCANNED_STATUSES, Outcome, current_outcome
    from querysentry.engine.record import DECISION_MESSAGE, SCHEMA_VERSION, decision_record, log_line, record_of
    from querysentry.engine.request import Request

__all__ = [
    "DECISION_MESSAGE",
    "SCHEMA_VERSION",
    "UNSCANNED_STATUSES",
    "Engine",
    "EngineConfig",
    "Extractor",
    "Outcome",
    "Request",
    "current_outcome",
    "decision_record",
    "default_detector",
    "log_line",
    "record_of",
]

_MODULE = {
    "EngineConfig": "config",
    "Engine": "engine",
    "Extractor": "engine",
    "default_detector": "engine",
    "UNSCANNED_STATUSES": "outcome",
    "Outcome": "outcome",
    "current_outcome": "outcome",
    "DECISION_MESSAGE": "record",
    "SCHEMA_VERSION": "record",
    "decision_record": "record",
    "log_line": "record",
    "record_of": "record",
    "Request": "request",
}


def __getattr__(name: str) -> Any:
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module 'querysentry.engine' has no attribute {name!r}")
    return getattr(import_module(f"querysentry.engine.{module}"), name)
