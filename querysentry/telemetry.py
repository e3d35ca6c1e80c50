"""Logging helpers: a filter that puts the current request's outcome on every record, a JSON
formatter, and a ``dictConfig`` example.

QuerySentry logs to the ``querysentry`` logger and installs no handlers: where the records go is
the application's choice. One record per decision carries the outcome's fields (no prompt text).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from querysentry.middleware import DECISION_MESSAGE, current_outcome

__all__ = ["DECISION_MESSAGE", "LOGGING_CONFIG_EXAMPLE", "JsonFormatter", "QuerySentryLogFilter"]

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
