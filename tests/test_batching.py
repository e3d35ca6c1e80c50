import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import SimpleNamespace
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


class GatedEmbed:
    """An ``embed`` that records each call and holds the first one until ``release`` is set.

    While the leader's call is held, the test queues followers one by one, so which texts form
    which batch is fixed by the test, not by thread timing.
    """

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.entered.set()
            assert self.release.wait(timeout=10), "the test never released the first call"
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError(f"encoder exploded on {self.fail_on}")
        return HashEmbedder().encode(texts)


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a state another thread will reach; the outcome never depends on how long it takes."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        time.sleep(0.001)


def queue_behind_a_running_call(
    batcher: MicroBatcher, embed: GatedEmbed, pool: ThreadPoolExecutor, requests: list[list[str]]
) -> list[Future[np.ndarray]]:
    """Start ``requests[0]`` (it leads and is held), then queue the others in order behind it."""
    futures = [pool.submit(batcher, requests[0])]
    assert embed.entered.wait(timeout=10)
    for number, texts in enumerate(requests[1:], start=1):
        futures.append(pool.submit(batcher, texts))
        wait_until(lambda queued=number: len(batcher._pending) == queued)
    return futures


def test_batcher_merges_concurrent_calls() -> None:
    embed = GatedEmbed()
    batcher = MicroBatcher(embed, max_batch=64)
    requests = [[f"request {i} segment {j}" for j in range(3)] for i in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = queue_behind_a_running_call(batcher, embed, pool, requests)
        embed.release.set()
        results = [f.result(timeout=10) for f in futures]
    for request, result in zip(requests, results):
        np.testing.assert_array_equal(result, HashEmbedder().encode(request))
    # The leader's own call, then the eleven callers that queued behind it, all in one call.
    assert [len(call) for call in embed.calls] == [3, 33]
    assert embed.calls[1] == [text for request in requests[1:] for text in request]
    assert batcher.batches[-2:] == [3, 33]


def test_batcher_respects_max_batch_and_propagates_errors() -> None:
    embed = GatedEmbed(fail_on="bad")
    batcher = MicroBatcher(embed, max_batch=4)
    sizes = [1, 2, 2, 3, 1, 1, 6, 1]
    requests = [[f"r{i}-{j}" for j in range(n)] for i, n in enumerate(sizes)]
    requests[4] = ["bad"]  # shares a batch with request 3: both callers get the error
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = queue_behind_a_running_call(batcher, embed, pool, requests)
        embed.release.set()
        outcomes: list[np.ndarray | BaseException] = []
        for future in futures:
            try:
                outcomes.append(future.result(timeout=10))
            except RuntimeError as exc:
                outcomes.append(exc)
    # Queued jobs are taken in order while they fit in max_batch (4) texts: 5 waits for the next
    # call rather than join 6 (7 texts). A job is never split, so 6 texts go alone.
    batches = [[0], [1, 2], [3, 4], [5], [6], [7]]
    assert embed.calls == [[t for i in batch for t in requests[i]] for batch in batches]
    assert [len(call) for call in embed.calls] == [1, 4, 4, 1, 6, 1]
    for number, (request, outcome) in enumerate(zip(requests, outcomes)):
        if number in (3, 4):  # every caller of the failed call wakes up with its error
            assert isinstance(outcome, RuntimeError) and "exploded on bad" in str(outcome)
        else:  # and the calls after it are served as usual
            assert isinstance(outcome, np.ndarray)
            np.testing.assert_array_equal(outcome, HashEmbedder().encode(request))


def test_max_wait_makes_the_leader_wait_for_company(monkeypatch: pytest.MonkeyPatch) -> None:
    import querysentry.batching as batching

    calls: list[list[str]] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        return HashEmbedder().encode(texts)

    batcher = MicroBatcher(embed, max_batch=8, max_wait=0.5)
    waited: list[float] = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        followers: list[Future[np.ndarray]] = []

        def sleep(seconds: float) -> None:  # the leader's wait: company arrives during it
            waited.append(seconds)
            for name in ("second", "third"):
                followers.append(pool.submit(batcher, [name]))
                wait_until(lambda: len(batcher._pending) == 1 + len(followers))  # the leader's job too

        monkeypatch.setattr(batching, "time", SimpleNamespace(sleep=sleep))
        first = batcher(["first"])
        results = [first, *(f.result(timeout=10) for f in followers)]
    assert waited == [0.5]
    assert calls == [["first", "second", "third"]]
    for name, result in zip(["first", "second", "third"], results):
        np.testing.assert_array_equal(result, HashEmbedder().encode([name]))


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
