"""Thresholds files: reading one, and the calibrated file that ships with QuerySentry.

The file I/O of ``querysentry.scoring``, kept apart so that scoring stays pure. A thresholds file
is the JSON of ``Thresholds.to_json`` (what ``querysentry calibrate`` writes, with its extra
``calibration`` notes, which are ignored here).
"""

from __future__ import annotations

import json
from pathlib import Path

from querysentry.errors import QuerySentryError
from querysentry.scoring import Thresholds

__all__ = ["THRESHOLDS_FILE", "default_thresholds", "load_thresholds"]

THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "thresholds.json"


def load_thresholds(path: Path | str) -> Thresholds:
    """The thresholds in the JSON file at ``path``; ``QuerySentryError`` naming it if unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise QuerySentryError(f"{path}: unreadable thresholds file: {exc}") from None
    if not isinstance(data, dict):
        raise QuerySentryError(f"{path}: expected a JSON object")
    return Thresholds.from_json(data, source=str(path))


def default_thresholds() -> Thresholds:
    """The shipped, calibrated thresholds (``querysentry/data/thresholds.json``), else the built-in ones."""
    if THRESHOLDS_FILE.is_file():
        return load_thresholds(THRESHOLDS_FILE)
    return Thresholds()
