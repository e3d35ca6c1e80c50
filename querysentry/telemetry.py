"""Logging helpers: a filter that puts the current request's outcome on every record, a JSON
formatter, a one-call setup (:func:`configure_logging`) and ``dictConfig`` configurations.

QuerySentry logs to the ``querysentry`` logger and installs no handlers on import: where the
records go is the application's choice, and a plain ``uvicorn.run(app)`` shows none of them until
the application calls :func:`configure_logging` (or passes ``log_config=uvicorn_log_config()``).
One record per decision carries the outcome's fields (no prompt text); ``querysentry report``
reads a file of these lines.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO, Any

from querysentry.engine.outcome import Outcome, current_outcome
from querysentry.engine.record import DECISION_MESSAGE, LOGGER_NAME

_otel_trace: Any
try:  # optional: span attributes when OpenTelemetry is installed, a no-op otherwise
    from opentelemetry import trace as _otel_trace
except ModuleNotFoundError:  # pragma: no cover - exercised when the package is absent
    _otel_trace = None

__all__ = [
    "DECISION_MESSAGE",
    "LOGGING_CONFIG_EXAMPLE",
    "JsonFormatter",
    "QuerySentryLogFilter",
    "annotate_span",
    "configure_logging",
    "uvicorn_log_config",
]

# The name marks the handlers configure_logging installed, so that a second call replaces them.
_HANDLER_NAME = "querysentry.configure_logging"

# Attributes every LogRecord has; anything else was passed through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class QuerySentryLogFilter(logging.Filter):
    """Adds ``record.querysentry`` (the current request's outcome fields) to every record.

    Attach it to a handler so that the application's own log lines written while a request is
    handled carry the request id, client key and action too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "querysentry"):
            outcome = current_outcome.get()
            record.querysentry = outcome.log_fields() if outcome is not None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


LOGGING_CONFIG_EXAMPLE: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"querysentry": {"()": "querysentry.telemetry.QuerySentryLogFilter"}},
    "formatters": {"json": {"()": "querysentry.telemetry.JsonFormatter"}},
    "handlers": {
        "json": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["querysentry"]},
    },
    "loggers": {"querysentry": {"handlers": ["json"], "level": "INFO", "propagate": False}},
}


def configure_logging(
    *, path: str | None = None, level: int | str = "INFO", stream: IO[str] | None = None
) -> list[logging.Handler]:
    """Send the ``querysentry`` logger's records as JSON lines to ``path`` (appended) and/or ``stream``.

    With neither, the lines go to ``sys.stderr``. Only the ``querysentry`` logger is touched (its
    level and handlers); records still propagate to the root logger as usual. Calling it again
    replaces (and closes) the handlers of the previous call instead of adding more. Returns the new
    handlers, so that a caller can remove them: ``logger.removeHandler(h); h.close()``.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = []
    if path is not None:
        # A closed FileHandler reopens on the next record, so uvicorn's own dictConfig (which
        # closes every existing handler) does not silence it.
        handlers.append(logging.FileHandler(path, encoding="utf-8"))
    if stream is not None or path is None:
        handlers.append(logging.StreamHandler(stream if stream is not None else sys.stderr))
    for handler in handlers:
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(QuerySentryLogFilter())
        logger.addHandler(handler)
    logger.setLevel(level)
    return handlers


def uvicorn_log_config(path: str | None = "querysentry.jsonl") -> dict[str, Any]:
    """A ``dictConfig`` for uvicorn (``uvicorn.run(app, log_config=...)``): uvicorn's own default
    console logging, plus QuerySentry's records as JSON lines appended to ``path`` (stderr if None).

    ``integrations/uvicorn_log_config.json`` is this function's output, for ``--log-config``.
    """
    json_handler: dict[str, Any] = {"formatter": "json", "filters": ["querysentry"]}
    if path is None:
        json_handler.update({"class": "logging.StreamHandler", "stream": "ext://sys.stderr"})
    else:
        json_handler.update({"class": "logging.FileHandler", "filename": path, "encoding": "utf-8"})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"querysentry": {"()": "querysentry.telemetry.QuerySentryLogFilter"}},
        "formatters": {
            "json": {"()": "querysentry.telemetry.JsonFormatter"},
            # uvicorn's defaults, under the names uvicorn expects (it sets use_colors on them).
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(message)s",
                "use_colors": None,
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            },
        },
        "handlers": {
            "querysentry_json": json_handler,
            "default": {"formatter": "default", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
            "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            LOGGER_NAME: {"handlers": ["querysentry_json"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def annotate_span(outcome: Outcome) -> None:
    """Put the outcome on the current OpenTelemetry span, when OpenTelemetry is installed."""
    if _otel_trace is None:
        return
    span = _otel_trace.get_current_span()
    if not span.is_recording():
        return
    verdict = outcome.verdict
    span.set_attribute("querysentry.action", outcome.action)
    span.set_attribute("querysentry.status", outcome.status)
    span.set_attribute("querysentry.flagged", outcome.flagged)
    if verdict is not None:
        span.set_attribute("querysentry.score", round(verdict.score, 4))
        span.set_attribute("querysentry.index_version", verdict.index_version)
        if verdict.flagged and verdict.category is not None:
            span.set_attribute("querysentry.category", verdict.category.value)
