"""``memory://``: behaviour state in this process, bounded in keys and in fields per key.

The default store, and the fallback when Redis is unreachable. Keys are kept in LRU order with a
TTL; past ``max_keys`` the least recently used key is dropped, so a flood of distinct client keys
(a million rotating API keys) costs at most ``max_keys × max_fields`` counters. Each key's fields
are bounded by ``Decay.max_fields`` in ``apply_bump``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from querysentry.storage.base import Decay, apply_bump

__all__ = ["MemoryStore"]


class MemoryStore:
    """An LRU of decayed counter hashes with TTLs. Safe to share between threads and event loops."""

    def __init__(self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be >= 1")
        self.max_keys = max_keys
        # TTLs run on a monotonic clock of their own: ``now`` passed to bump is traffic time, which
        # an offline replay sets from log timestamps.
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, dict[str, float]]] = OrderedDict()
        self._lock = threading.Lock()
        # Part of the Store contract; memory has no outages, so the hook is never called.
        self.on_fallback: Callable[[], None] | None = None

    def __len__(self) -> int:
        return len(self._data)

    async def bump(self, key: str, increments: Mapping[str, float], now: float, decay: Decay) -> dict[str, float]:
        return self.bump_sync(key, increments, now, decay)

    def bump_sync(self, key: str, increments: Mapping[str, float], now: float, decay: Decay) -> dict[str, float]:
        """``bump`` without the event loop (offline replay, tests)."""
        with self._lock:
            fields = self._live(key)
            updated = apply_bump(fields or {}, increments, now, decay)
            self._data[key] = (self._clock() + decay.ttl, updated)
            self._data.move_to_end(key)
            while len(self._data) > self.max_keys:
                self._data.popitem(last=False)
            return dict(updated)

    async def get(self, key: str) -> dict[str, float]:
        with self._lock:
            return dict(self._live(key) or {})

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        with self._lock:
            self._data.clear()

    def _live(self, key: str) -> dict[str, float] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, fields = entry
        if expires <= self._clock():
            del self._data[key]
            return None
        return fields
