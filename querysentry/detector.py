"""The request-level detector: normalize → segment → embed → match → decide.

``Detector()`` with no arguments uses the shipped encoder, the shipped pattern library (its
prebuilt index, or an in-memory build when that is stale) and the shipped calibrated thresholds.
Nothing here knows about ASGI; the middleware calls ``check`` from a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path

from querysentry.categories import Category
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.encoder.pooling import FloatArray
from querysentry.errors import PatternIndexError
from querysentry.index import IndexHandle, PatternIndex, SearchHit, build_index, load_index
from querysentry.library import default_library
from querysentry.messages import DEFAULT_SCAN_ROLES, MessagesLike, coerce_messages
from querysentry.scoring import Thresholds, decide, default_thresholds
from querysentry.text.normalize import normalize
from querysentry.text.segment import Segment, SegmentationConfig, segment_messages
from querysentry.text.structure import benchmark_frames
from querysentry.verdict import Timings, Verdict

__all__ = ["Detector", "default_index"]

LOG = logging.getLogger("querysentry")
DEFAULT_SEGMENTATION = SegmentationConfig()
SHIPPED_INDEX_DIR = Path(__file__).resolve().parent / "data" / "index"
# Normalisation rules whose firing is itself a sign of evasion (whitespace and NFKC are not).
EVASION_RULES = frozenset(
    {
        "tag_characters",
        "zero_width",
        "bidi_controls",
        "variation_selectors",
        "confusables",
        "letter_spacing",
        "base64_blob",
        "hex_blob",
    }
)


def default_index(encoder: Encoder) -> PatternIndex:
    """The shipped library's index: the prebuilt one if it matches, else built in memory."""
    library = default_library()
    try:
        shipped = load_index(SHIPPED_INDEX_DIR, expected_fingerprint=encoder.fingerprint)
    except PatternIndexError as exc:
        LOG.warning("shipped index unusable (%s); building it in memory", exc)
    else:
        if shipped.manifest.patterns_checksum == library.checksum:
            return shipped
        LOG.warning("shipped index is stale against the shipped library; building it in memory")
    return build_index(library, encoder)


class Detector:
    """Scores a prompt (or a list of chat messages) against the pattern index.

    ``search_cache`` > 0 keeps that many segments' nearest patterns (per index version) in an LRU,
    so repeated history and shared system prompts cost neither encoder nor search time.

    Thread-safe: ``check`` may be called from many threads at once; the index can be swapped
    through ``detector.index_handle`` while checks run.
    """

    def __init__(
        self,
        *,
        encoder: Encoder | None = None,
        index: PatternIndex | IndexHandle | Path | str | None = None,
        thresholds: Thresholds | Mapping[str | Category, float] | None = None,
        segmentation: SegmentationConfig = DEFAULT_SEGMENTATION,
        top_k: int = 10,
        scan_roles: frozenset[str] = DEFAULT_SCAN_ROLES,
        embed: Callable[[Sequence[str]], FloatArray] | None = None,
        search_cache: int = 0,
    ) -> None:
        self.encoder = encoder if encoder is not None else Encoder()
        # ``embed`` lets a cache or a micro-batcher stand between the detector and the encoder.
        self.embed = embed if embed is not None else self.encoder.encode
        if isinstance(index, IndexHandle):
            self.index_handle = index
        elif isinstance(index, PatternIndex):
            self.index_handle = IndexHandle(index)
        elif index is not None:
            loaded = load_index(index, expected_fingerprint=self.encoder.fingerprint)
            self.index_handle = IndexHandle(loaded, directory=index)
        else:
            self.index_handle = IndexHandle(default_index(self.encoder))
        if thresholds is None:
            self.thresholds = default_thresholds()
        elif isinstance(thresholds, Thresholds):
            self.thresholds = thresholds
        else:
            self.thresholds = default_thresholds().with_overrides(thresholds)
        if top_k < 1:
            raise ValueError("top_k must be >= 1")
        self.segmentation = segmentation
        self.top_k = top_k
        self.scan_roles = scan_roles
        # The nearest patterns of a segment depend only on its text and the index version, so a
        # repeated message (chat history, a shared system prompt) skips the encoder and FAISS.
        self.search_cache = search_cache
        self._hits: OrderedDict[tuple[str, str], list[SearchHit]] = OrderedDict()
        self._hits_lock = threading.Lock()

    def check(self, request: MessagesLike) -> Verdict:
        """Score one prompt string or list of messages."""
        return self.check_many([request])[0]

    def check_many(self, requests: Sequence[MessagesLike]) -> list[Verdict]:
        """Score many requests with one encoder call for all their segments (faster in bulk)."""
        started = time.perf_counter()
        prepared = [self._prepare(r) for r in requests]
        normalized_at = time.perf_counter()
        index = self.index_handle.current
        texts = [s.text for segments, _, _ in prepared for s in segments]
        found = self._cached_hits(index.version, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        vectors = self.embed(missing) if missing else None
        embedded_at = time.perf_counter()
        if vectors is not None:
            fresh = dict(zip(missing, index.search(vectors, self.top_k)))
            found.update(fresh)
            self._remember_hits(index.version, fresh)
        searched_at = time.perf_counter()
        stages = (started, normalized_at, embedded_at, searched_at)
        return [self._verdict(p, found, index.version, stages, len(requests), len(texts)) for p in prepared]

    def check_cached(self, request: MessagesLike) -> Verdict | None:
        """The verdict of ``request`` if every segment's nearest patterns are in the search cache,
        else None; no encoder or FAISS call. Cheap enough for an event loop (normalisation and
        dictionary lookups), which is how the middleware skips the worker thread for repeats."""
        if not self.search_cache:
            return None
        started = time.perf_counter()
        prepared = self._prepare(request)
        index = self.index_handle.current
        texts = [s.text for s in prepared[0]]
        found = self._cached_hits(index.version, texts)
        if not texts or len(found) < len(set(texts)):
            return None
        now = time.perf_counter()
        return self._verdict(prepared, found, index.version, (started, now, now, now), 1, len(texts))

    def _verdict(
        self,
        prepared: tuple[list[Segment], tuple[str, ...], frozenset[str]],
        found: Mapping[str, list[SearchHit]],
        version: str,
        stages: tuple[float, float, float, float],
        requests: int,
        texts: int,
    ) -> Verdict:
        segments, evasion, frames = prepared
        started, normalized_at, embedded_at, searched_at = stages
        decision = decide([(s, found[s.text]) for s in segments], self.thresholds, frames)
        share = len(segments) / max(1, texts)
        timings = Timings(
            normalize_ms=(normalized_at - started) * 1000 / requests,
            embed_ms=(embedded_at - normalized_at) * 1000 * share,
            search_ms=(searched_at - embedded_at) * 1000 * share,
            total_ms=(time.perf_counter() - started) * 1000 if requests == 1 else 0.0,
        )
        # A Decision holds the verdict's scoring fields; the detector adds the rest.
        scoring = {f.name: getattr(decision, f.name) for f in fields(decision)}
        return Verdict(
            **scoring,
            evasion=evasion,
            segments_scanned=len(segments),
            index_version=version,
            timings=timings,
            frames=tuple(sorted(frames)),
        )

    def _cached_hits(self, version: str, texts: Sequence[str]) -> dict[str, list[SearchHit]]:
        if not self.search_cache:
            return {}
        found: dict[str, list[SearchHit]] = {}
        with self._hits_lock:
            for text in texts:
                hits = self._hits.get((version, text))
                if hits is not None:
                    self._hits.move_to_end((version, text))
                    found[text] = hits
        return found

    def _remember_hits(self, version: str, fresh: Mapping[str, list[SearchHit]]) -> None:
        if not self.search_cache:
            return
        with self._hits_lock:
            for text, hits in fresh.items():
                self._hits[(version, text)] = hits
            while len(self._hits) > self.search_cache:
                self._hits.popitem(last=False)

    def segments(self, request: MessagesLike) -> list[Segment]:
        """The segments ``check`` would embed for ``request`` (for debugging and tests)."""
        return self._prepare(request)[0]

    def _prepare(self, request: MessagesLike) -> tuple[list[Segment], tuple[str, ...], frozenset[str]]:
        messages = coerce_messages(request)
        scanned: list[tuple[str, str]] = []
        decoded: list[tuple[int, str]] = []
        rules: set[str] = set()
        frames: set[str] = set()
        for message in messages:
            if message.role not in self.scan_roles:
                continue
            normalized = normalize(message.content)
            rules |= normalized.rules
            frames |= benchmark_frames(normalized.text)
            decoded.extend((len(scanned), text) for text in normalized.decoded)
            scanned.append((message.role, normalized.text))
        segments = segment_messages(scanned, self.segmentation, decoded)
        return segments, tuple(sorted(rules & EVASION_RULES)), frozenset(frames)
