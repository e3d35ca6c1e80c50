"""Views of generated replay records that the population tests share: by key, and the turns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from benchmarks.traffic_scenarios.records import PATHS

Record = dict[str, Any]


def by_key(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Each key's records in time order."""
    out: dict[str, list[Record]] = defaultdict(list)
    for rec in sorted(records, key=lambda r: r["ts"]):
        out[rec["client"]].append(rec)
    return out


def turns(rec: Record) -> list[dict[str, Any]]:
    """The conversation turns without any system prompt, whatever the API shape."""
    payload = rec["payload"]
    if rec["path"] == PATHS["responses"]:
        return list(payload["input"])
    messages = list(payload["messages"])
    return [m for m in messages if m["role"] != "system"] if rec["path"] == PATHS["chat"] else messages
