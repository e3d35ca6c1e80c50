"""Making the encoder cheap under traffic: an LRU cache of segment vectors and a micro-batcher.

Both are ``embed`` callables (``Sequence[str] -> vectors``) that wrap another one, so they stack
in front of ``Encoder.encode`` and plug into ``Detector(embed=...)``:

- ``CachedEmbedder``: a chat resends its whole history and its system prompt with every turn; the
  segments of those messages are the same strings each time, so only the new turn is embedded.
- ``MicroBatcher``: concurrent requests (each checked in its own worker thread) share encoder
  calls: whoever finds the encoder idle embeds its own texts and everything that queued behind
  it (up to ``max_batch`` texts) in one ORT call; one larger call costs less than many small ones,
  and a lone request never waits.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from querysentry.cache_scope import cache_scope
from querysentry.encoder.pooling import FloatArray

__all__ = ["CachedEmbedder", "MicroBatcher", "fast_embedder"]

Embed = Callable[[Sequence[str]], FloatArray]


class CachedEmbedder:
    """An LRU cache of vectors by text in front of ``embed``; thread-safe, bounded to ``max_entries``.

    Entries are keyed by the current ``querysentry.cache_scope`` too (the client, in the
    middleware), so one client's texts never make another's faster. Memory is about
    ``max_entries × (dims × 4 bytes + text)``: 50,000 entries of 384-d vectors
    take ~80 MB.
    """

    def __init__(
        self, embed: Embed, max_entries: int = 50_000, on_lookup: Callable[[int, int], None] | None = None
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self._embed = embed
        self.on_lookup = on_lookup  # (hits, misses) per call, e.g. for metrics
        self.max_entries = max_entries
        self._vectors: OrderedDict[tuple[str, str], FloatArray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        scope = cache_scope.get()
        found: dict[str, FloatArray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get((scope, text))
                if vector is not None:
                    self._vectors.move_to_end((scope, text))
                    found[text] = vector
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            # Embedded outside the lock: a slow encode must not stall the cache hits of others.
            for text, vector in zip(missing, self._embed(missing)):
                found[text] = vector
            with self._lock:
                for text in missing:
                    self._vectors[scope, text] = found[text]
                    self._vectors.move_to_end((scope, text))
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
        with self._lock:
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
        if self.on_lookup is not None:
            self.on_lookup(len(texts) - len(missing), len(missing))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


@dataclass
class _Job:
    texts: Sequence[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: FloatArray | None = None
    error: BaseException | None = None


class MicroBatcher:
    """Merge concurrent ``embed`` calls into fewer, larger calls.

    Leader/follower: a caller that finds no batch running becomes the leader and embeds its own
    texts together with everything queued meanwhile (up to ``max_batch`` texts per call), until
    the queue is empty; callers that arrive while a call runs queue up and wait for the leader.
    A lone request therefore runs at once on its own thread, with no hand-off, and batches form
    exactly when requests pile up behind a running call. ``max_wait`` > 0 makes a leader wait that
    long for company first (more batching, more latency).
    """

    def __init__(
        self,
        embed: Embed,
        *,
        max_batch: int = 64,
        max_wait: float = 0.0,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        if max_batch < 1 or max_wait < 0:
            raise ValueError("max_batch must be >= 1 and max_wait >= 0")
        self._embed = embed
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.on_batch = on_batch  # texts per encoder call, e.g. for metrics
        self._lock = threading.Lock()
        self._pending: list[_Job] = []
        self._leading = False
        self.batches: list[int] = []  # texts per call, most recent last (bounded)

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return self._embed(texts)
        job = _Job(texts)
        with self._lock:
            self._pending.append(job)
            lead = not self._leading
            if lead:
                self._leading = True
        if lead:
            if self.max_wait:
                time.sleep(self.max_wait)
            self._lead()
        job.done.wait()
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _lead(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._leading = False
                    return
                batch: list[_Job] = []
                count = 0
                while self._pending and (not batch or count + len(self._pending[0].texts) <= self.max_batch):
                    job = self._pending.pop(0)
                    batch.append(job)
                    count += len(job.texts)
            self._serve(batch)

    def _serve(self, jobs: list[_Job]) -> None:
        texts = [t for job in jobs for t in job.texts]
        self.batches = [*self.batches[-999:], len(texts)]
        if self.on_batch is not None:
            self.on_batch(len(texts))
        try:
            vectors = self._embed(texts)
        except BaseException as exc:  # every waiting caller must wake up, with the error
            for job in jobs:
                job.error = exc
                job.done.set()
            return
        offset = 0
        for job in jobs:
            job.result = vectors[offset : offset + len(job.texts)]
            offset += len(job.texts)
            job.done.set()


def fast_embedder(
    embed: Embed,
    *,
    cache_entries: int = 50_000,
    max_batch: int = 64,
    max_wait: float = 0.0,
    on_lookup: Callable[[int, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> CachedEmbedder:
    """The cache in front of the micro-batcher in front of ``embed``: what the middleware uses."""
    batcher = MicroBatcher(embed, max_batch=max_batch, max_wait=max_wait, on_batch=on_batch)
    return CachedEmbedder(batcher, max_entries=cache_entries, on_lookup=on_lookup)
