"""``MemoryStore`` bounds: a flood of distinct keys costs at most ``max_keys`` hashes."""

from __future__ import annotations

import asyncio
import re
import tracemalloc

import pytest

from querysentry.storage import MemoryStore, store_from_url
from querysentry.storage.base import Decay

DECAY = Decay(half_life=3600.0, window=100.0, max_fields=4)


def test_flood_of_distinct_keys_stays_bounded() -> None:
    store = MemoryStore(max_keys=1000)
    increments = {"_n": 1.0, "fp": 1.0, "@lvl": 1.0}
    tracemalloc.start()
    try:
        for i in range(1000):  # fill first, so the baseline holds a full store
            store.bump_sync(f"key-{i}", increments, 1.0, DECAY)
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        for i in range(1000, 200_000):
            store.bump_sync(f"key-{i}", increments, float(i), DECAY)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(store) == 1000
    # A full store is about 1000 × 0.7 KB; unbounded, 199,000 more keys would be over 100 MB.
    assert baseline < 5_000_000
    assert peak - baseline < 5_000_000, (baseline, peak)
    assert current - baseline < 1_000_000, (baseline, current)
    assert asyncio.run(store.get("key-0")) == {}  # evicted
    assert asyncio.run(store.get("key-199999"))["_n"] == 1.0


def test_lru_keeps_recently_bumped_keys() -> None:
    store = MemoryStore(max_keys=3)
    for key in ("a", "b", "c"):
        store.bump_sync(key, {"_n": 1.0}, 1.0, DECAY)
    store.bump_sync("a", {"_n": 1.0}, 2.0, DECAY)  # a is now the most recent; b the least
    store.bump_sync("d", {"_n": 1.0}, 3.0, DECAY)
    assert len(store) == 3
    assert asyncio.run(store.get("b")) == {}
    assert asyncio.run(store.get("a"))["_n"] == pytest.approx(1.0 * 0.99 + 1.0, rel=1e-3)
    assert {k for k in "acd" if asyncio.run(store.get(k))} == {"a", "c", "d"}


def test_store_from_url_memory() -> None:
    store = store_from_url("memory://?max_keys=10")
    assert isinstance(store, MemoryStore)
    assert store.max_keys == 10
    default = store_from_url("memory://")
    assert isinstance(default, MemoryStore)
    assert default.max_keys == 100_000


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memory://?max_keys=10&maxkeys=5", "unknown memory:// option(s): maxkeys"),
        ("memory://?max_keys=0", "max_keys must be >= 1"),
    ],
)
def test_store_from_url_memory_bad_options(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        store_from_url(url)
