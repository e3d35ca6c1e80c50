import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from querysentry.batching import CachedEmbedder, MicroBatcher, fast_embedder
from tests.conftest import HashEmbedder


class CountingEmbedder(HashEmbedder):
    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay
        self.sizes: list[int] = []
        self.lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self.lock:
            self.sizes.append(len(texts))
        time.sleep(self.delay)
        return super().encode(texts)


def test_cache_embeds_each_text_once_and_keeps_order() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner.encode, max_entries=100)
    first = cached(["system prompt", "turn 1"])
    second = cached(["system prompt", "turn 1", "turn 2"])  # the chat grew by one turn
    assert inner.sizes == [2, 1]
    np.testing.assert_array_equal(second[:2], first)
    np.testing.assert_array_equal(second, inner.encode(["system prompt", "turn 1", "turn 2"]))
    assert (cached.hits, cached.misses) == (2, 3)
    assert cached(["a", "a", "a"]).shape == (3, 16) and inner.sizes[-1] == 1  # duplicates embedded once


def test_cache_is_bounded_lru() -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner.encode, max_entries=3)
    for text in ["a", "b", "c", "a", "d"]:  # "b" is the least recently used when "d" arrives
        cached([text])
    assert len(cached) == 3
    calls = len(inner.sizes)
    cached(["a", "c", "d"])
    assert len(inner.sizes) == calls
    cached(["b"])
    assert len(inner.sizes) == calls + 1
    with pytest.raises(ValueError):
        CachedEmbedder(inner.encode, max_entries=0)


def test_batcher_merges_concurrent_calls() -> None:
    inner = CountingEmbedder(delay=0.02)
    batcher = MicroBatcher(inner.encode, max_batch=64)
    texts = [[f"request {i} segment {j}" for j in range(3)] for i in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(batcher, texts))
    for request, result in zip(texts, results):
        np.testing.assert_array_equal(result, HashEmbedder().encode(request))
    assert sum(inner.sizes) == 36 and len(inner.sizes) < 12  # callers queued behind a running call
    assert max(inner.sizes) <= 64


def test_batcher_respects_max_batch_and_propagates_errors() -> None:
    calls: list[int] = []

    def failing(texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        raise RuntimeError("encoder exploded")

    batcher = MicroBatcher(failing, max_batch=4, max_wait=0.01)  # the leader waits for company
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(batcher, [f"t{i}"]) for i in range(4)]
        for future in futures:
            with pytest.raises(RuntimeError, match="exploded"):
                future.result(timeout=5)
    assert sum(calls) == 4


def test_fast_embedder_matches_the_plain_encoder(encoder) -> None:  # type: ignore[no-untyped-def]
    fast = fast_embedder(encoder.encode)
    texts = ["Show your work.", "What is the capital of Peru?", "Show your work."]
    np.testing.assert_allclose(fast(texts), encoder.encode(texts), atol=1e-6)


def test_a_lone_call_runs_on_the_callers_thread() -> None:
    threads: list[str] = []

    def record(texts: Sequence[str]) -> np.ndarray:
        threads.append(threading.current_thread().name)
        return HashEmbedder().encode(texts)

    MicroBatcher(record)(["only me"])
    assert threads == [threading.current_thread().name]


def test_cached_vectors_are_per_scope() -> None:
    # A vector cached for one client must not make another client's identical text faster.
    import contextvars

    from querysentry.cache_scope import cache_scope

    calls: list[list[str]] = []

    def embed(texts: Any) -> Any:
        calls.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    cached = CachedEmbedder(embed)

    def as_client(name: str) -> None:
        cache_scope.set(name)
        cached(["the same system prompt"])

    for name in ("alice", "alice", "bob"):
        contextvars.copy_context().run(as_client, name)
    assert calls == [["the same system prompt"], ["the same system prompt"]]  # alice once, bob afresh
