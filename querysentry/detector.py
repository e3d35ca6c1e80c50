"""The request-level detector: normalize → segment → embed → match → decide.

``Detector()`` with no arguments uses the shipped encoder, the shipped pattern library (its
prebuilt index, or an in-memory build when that is stale) and the shipped calibrated thresholds.
Nothing here knows about ASGI; the middleware calls ``check`` from a worker thread.

A check's work is bounded by the segmentation config (characters per message and per request,
tokens per request), and a caller with a time budget passes ``deadline``: the check then stops
between steps with ``ScanTimeoutError`` rather than finish a scan nobody is waiting for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import NamedTuple

from querysentry.cache_scope import cache_scope
from querysentry.categories import Category, Severity
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.encoder.pooling import FloatArray
from querysentry.errors import PatternIndexError, ScanTimeoutError
from querysentry.index import IndexHandle, PatternIndex, SearchHit, build_index, intel_source, load_index
from querysentry.library import default_library
from querysentry.messages import DEFAULT_SCAN_ROLES, MessagesLike, coerce_messages
from querysentry.multilingual import LaneScore, MultilingualLane
from querysentry.request_signals import DEFAULT_REQUEST_SIGNALS, RequestSignal, request_signals
from querysentry.scoring import LaneDecision, Thresholds, decide
from querysentry.text.normalize import NormalizedText, normalize
from querysentry.text.segment import Segment, SegmentationConfig, message_order, segment_messages
from querysentry.text.words import tokenizer_vocabulary
from querysentry.threshold_files import default_thresholds
from querysentry.verdict import MatchedSegment, Timings, Verdict

__all__ = ["Detector", "default_index"]

LOG = logging.getLogger("querysentry")
DEFAULT_SEGMENTATION = SegmentationConfig()
SHIPPED_INDEX_DIR = Path(__file__).resolve().parent / "data" / "index"
# Normalisation rules whose firing is itself a sign of evasion (whitespace and NFKC are not, and
# neither is "truncated": a long document is ordinary; it is reported as ``Verdict.truncated``).
# "combining_marks" fires only on runs of marks longer than any script writes ("Zalgo" text).
EVASION_RULES = frozenset(
    {
        "tag_characters",
        "zero_width",
        "bidi_controls",
        "variation_selectors",
        "combining_marks",
        "confusables",
        "letter_spacing",
        "leetspeak",
        "base64_blob",
        "hex_blob",
        "symbol_noise",
    }
)
# A message longer than what is left of the request's character budget is skipped rather than
# cut to a sliver when fewer than this many characters are left.
_MIN_MESSAGE_CHARS = 64
# The clock deadlines are read from (``time.monotonic``; a module attribute so tests can move it).
_now = time.monotonic


class _Prepared(NamedTuple):
    segments: list[Segment]
    evasion: tuple[str, ...]
    frames: frozenset[str]
    truncated: bool
    # (message index, role, normalised text) of the messages the multilingual lane reads.
    foreign: tuple[tuple[int, str, str], ...] = ()


def _check_deadline(deadline: float | None, step: str) -> None:
    if deadline is not None and _now() >= deadline:
        raise ScanTimeoutError(f"scan stopped {step}: its deadline has passed")


def _deciding_id(decision: LaneDecision) -> str | None:
    return decision.matches[0].pattern_id if decision.matches else None


def _lane_fields(
    rule: MultilingualLane,
    decision: LaneDecision,
    foreign: Sequence[tuple[int, str, str]],
    lane: Mapping[str, LaneScore],
) -> dict[str, object]:
    """The verdict fields the multilingual lane sets: its best score always, the decision only
    when it flags a non-English message that the patterns left unflagged."""
    index, role, text = max(foreign, key=lambda m: lane[m[2]].log_odds)
    best = lane[text]
    out: dict[str, object] = {"lane_scores": {**decision.lane_scores, "multilingual": round(best.log_odds, 4)}}
    if decision.flagged or not rule.flags(best):
        return out
    threshold = rule.threshold
    out.update(
        flagged=True,
        score=best.log_odds,
        margin=best.log_odds - threshold,
        category=best.category,
        severity=Severity.MEDIUM,
        threshold=threshold,
        matches=(),
        segment=MatchedSegment(text, index, role, 0, len(text), "multilingual"),
        suppressed=False,
        suppressed_by=None,
    )
    return out


def _without_sources(hits: Sequence[SearchHit], sources: frozenset[str]) -> list[SearchHit]:
    return [h for h in hits if intel_source(h.pattern.id) not in sources]


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

    ``request_signals`` read each normalised message for signs in its shape (benchmark-item frames
    by default; see ``querysentry.request_signals``); what they name is in ``Verdict.frames``.

    ``repair_words`` (default on) reads broken, glued, vowel-less and mistyped words back from the
    encoder's vocabulary in the passages that need it (``querysentry.text.words``); the rule
    ``words_repaired`` is not evasion evidence, since people mistype too.

    ``multilingual`` (off by default) adds the multilingual lane (``querysentry.multilingual``):
    a message with non-ASCII letters is also read by a multilingual encoder; when the lane flags
    it and the patterns do not, the verdict is the lane's (segment kind ``"multilingual"``, score
    and threshold in attack log-odds, no pattern matches), and ``lane_scores["multilingual"]``
    holds the best log-odds either way. A model directory loads the encoder there and the shipped
    lane file for it.

    Bounded: each message is cut to ``segmentation.max_message_chars`` (head and tail) and a
    request to ``segmentation.max_request_chars`` before normalisation; ``Verdict.truncated``
    says when that happened.
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
        request_signals: Sequence[RequestSignal] = DEFAULT_REQUEST_SIGNALS,
        repair_words: bool = True,
        multilingual: MultilingualLane | Path | str | None = None,
    ) -> None:
        self.encoder = encoder if encoder is not None else Encoder()
        if isinstance(multilingual, (str, Path)):
            multilingual = MultilingualLane.load(Encoder(model_dir=Path(multilingual)))
        self.multilingual = multilingual
        # Word repair reads damaged words back from the encoder's own vocabulary, so it is on for
        # any encoder with a WordPiece tokenizer and a no-op for others (``querysentry.text.words``).
        manifest = getattr(self.encoder, "manifest", None)
        tokenizer = getattr(manifest, "tokenizer_path", None)
        self.vocabulary = tokenizer_vocabulary(tokenizer) if repair_words and tokenizer is not None else None
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
        # Signs in the request's shape (``querysentry.request_signals``), beside segment matches.
        self.request_signals = tuple(request_signals)
        # The nearest patterns of a segment depend only on its text and the index version, so a
        # repeated message (chat history, a shared system prompt) skips the encoder and FAISS.
        self.search_cache = search_cache
        # Keyed by index version, ``querysentry.cache_scope`` (the client, in the middleware) and text.
        self._hits: OrderedDict[tuple[str, str, str], list[SearchHit]] = OrderedDict()
        self._hits_lock = threading.Lock()

    def check(self, request: MessagesLike, *, deadline: float | None = None) -> Verdict:
        """Score one prompt string or list of messages.

        ``deadline`` is a ``time.monotonic()`` instant. The check looks at it between steps (each
        message's normalisation, segmentation, before embedding, before searching) and raises
        ``ScanTimeoutError`` once it has passed; a step already running is not interrupted, but
        each is bounded. None (the default) means no deadline.
        """
        return self.check_many([request], deadline=deadline)[0]

    def check_many(self, requests: Sequence[MessagesLike], *, deadline: float | None = None) -> list[Verdict]:
        """Score many requests with one encoder call for all their segments (faster in bulk).

        ``deadline`` as for ``check``; it covers the whole batch.
        """
        started = time.perf_counter()
        prepared = [self._prepare(r, deadline) for r in requests]
        normalized_at = time.perf_counter()
        index = self.index_handle.current
        texts = [s.text for p in prepared for s in p.segments]
        found = self._cached_hits(index.version, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        vectors = None
        if missing:
            _check_deadline(deadline, "before embedding")
            vectors = self.embed(missing)
        embedded_at = time.perf_counter()
        if vectors is not None:
            _check_deadline(deadline, "before searching")
            fresh = dict(zip(missing, index.search(vectors, self.top_k)))
            if index.exact:  # hash-only shared patterns: this exact segment text, similarity 1
                fresh = {text: index.exact_hits(text) + hits for text, hits in fresh.items()}
            found.update(fresh)
            self._remember_hits(index.version, fresh)
        searched_at = time.perf_counter()
        lane = self._read_foreign(prepared, deadline)
        stages = (started, normalized_at, embedded_at, searched_at)
        return [self._verdict(p, found, index, stages, len(requests), len(texts), lane) for p in prepared]

    def _read_foreign(self, prepared: Sequence[_Prepared], deadline: float | None) -> dict[str, LaneScore]:
        """The multilingual lane's score of every distinct message it reads, in one encoder call."""
        if self.multilingual is None:
            return {}
        texts = list(dict.fromkeys(text for p in prepared for _, _, text in p.foreign))
        if not texts:
            return {}
        _check_deadline(deadline, "before the multilingual lane")
        return dict(zip(texts, self.multilingual.score(texts)))

    def check_cached(self, request: MessagesLike, *, deadline: float | None = None) -> Verdict | None:
        """The verdict of ``request`` if every segment's nearest patterns are in the search cache,
        else None; no encoder or FAISS call. Cheap enough for an event loop (bounded
        normalisation and dictionary lookups), which is how the middleware skips the worker
        thread for repeats. ``deadline`` as for ``check``."""
        if not self.search_cache:
            return None
        started = time.perf_counter()
        prepared = self._prepare(request, deadline)
        index = self.index_handle.current
        texts = [s.text for s in prepared.segments]
        found = self._cached_hits(index.version, texts)
        if not texts or len(found) < len(set(texts)) or prepared.foreign:
            return None  # (the multilingual lane is not cached: a message it reads takes the worker)
        now = time.perf_counter()
        return self._verdict(prepared, found, index, (started, now, now, now), 1, len(texts))

    def _verdict(
        self,
        prepared: _Prepared,
        found: Mapping[str, list[SearchHit]],
        index: PatternIndex,
        stages: tuple[float, float, float, float],
        requests: int,
        texts: int,
        lane: Mapping[str, LaneScore] | None = None,
    ) -> Verdict:
        segments, evasion, frames, truncated, foreign = prepared
        started, normalized_at, embedded_at, searched_at = stages
        scored = [(s, found[s.text]) for s in segments]
        decision = decide(scored, self.thresholds, frames)
        if index.tag_only and decision.flagged and intel_source(_deciding_id(decision)) in index.tag_only:
            # A tag-only source may tag, never decide: when the local patterns flag the request
            # on their own, their verdict stands (and the source's cap does not apply).
            local = decide([(s, _without_sources(h, index.tag_only)) for s, h in scored], self.thresholds, frames)
            if local.flagged:
                decision = local
        share = len(segments) / max(1, texts)
        timings = Timings(
            normalize_ms=(normalized_at - started) * 1000 / requests,
            embed_ms=(embedded_at - normalized_at) * 1000 * share,
            search_ms=(searched_at - embedded_at) * 1000 * share,
            total_ms=(time.perf_counter() - started) * 1000 if requests == 1 else 0.0,
        )
        # A LaneDecision holds the verdict's scoring fields; the detector adds the rest.
        scoring = {f.name: getattr(decision, f.name) for f in fields(decision)}
        if lane and foreign and self.multilingual is not None:
            scoring.update(_lane_fields(self.multilingual, decision, foreign, lane))
        return Verdict(
            **scoring,
            evasion=evasion,
            segments_scanned=len(segments),
            index_version=index.version,
            timings=timings,
            frames=tuple(sorted(frames)),
            truncated=truncated,
        )

    def _cached_hits(self, version: str, texts: Sequence[str]) -> dict[str, list[SearchHit]]:
        if not self.search_cache:
            return {}
        found: dict[str, list[SearchHit]] = {}
        scope = cache_scope.get()  # one client's cached texts never answer another's (a timing oracle)
        with self._hits_lock:
            for text in texts:
                hits = self._hits.get((version, scope, text))
                if hits is not None:
                    self._hits.move_to_end((version, scope, text))
                    found[text] = hits
        return found

    def _remember_hits(self, version: str, fresh: Mapping[str, list[SearchHit]]) -> None:
        if not self.search_cache:
            return
        scope = cache_scope.get()
        with self._hits_lock:
            for text, hits in fresh.items():
                self._hits[(version, scope, text)] = hits
            while len(self._hits) > self.search_cache:
                self._hits.popitem(last=False)

    def segments(self, request: MessagesLike) -> list[Segment]:
        """The segments ``check`` would embed for ``request`` (for debugging and tests)."""
        return self._prepare(request).segments

    def _prepare(self, request: MessagesLike, deadline: float | None = None) -> _Prepared:
        _check_deadline(deadline, "before normalisation")
        config = self.segmentation
        messages = [m for m in coerce_messages(request) if m.role in self.scan_roles]
        normalized: list[NormalizedText | None] = [None] * len(messages)
        skipped = False
        # The request's character budget goes in scanning priority, so what is left out is what
        # the token budget would have reached last (the oldest turns).
        remaining = config.max_request_chars
        for i in message_order([(m.role, m.content) for m in messages]):
            content = messages[i].content
            allowance = min(config.max_message_chars, remaining)
            if len(content) > allowance and allowance < _MIN_MESSAGE_CHARS:
                skipped = True
                continue
            result = normalize(content, max_chars=allowance, vocabulary=self.vocabulary)
            normalized[i] = result
            remaining -= allowance if "truncated" in result.rules else len(result.text)
            _check_deadline(deadline, "during normalisation")
        scanned: list[tuple[str, str]] = []
        decoded: list[tuple[int, str]] = []
        rules: set[str] = set()
        for message, done in zip(messages, normalized):
            if done is None:  # kept in place (empty) so message indices do not shift
                scanned.append((message.role, ""))
                continue
            rules |= done.rules
            decoded.extend((len(scanned), text) for text in done.decoded)
            scanned.append((message.role, done.text))
        frames = request_signals(self.request_signals, scanned, max_chars=config.max_message_chars)
        segments = segment_messages(scanned, config, decoded)
        _check_deadline(deadline, "after segmentation")
        evasion = tuple(sorted(rules & EVASION_RULES))
        foreign: tuple[tuple[int, str, str], ...] = ()
        if self.multilingual is not None:
            # In scanning priority (system text, then the newest turns), at most ``max_messages``:
            # a request of thousands of tiny foreign messages costs a bounded number of encodes.
            lane = self.multilingual
            picked = [i for i in message_order(scanned) if lane.reads(scanned[i][1])][: lane.max_messages]
            foreign = tuple((i, *scanned[i]) for i in sorted(picked))
        return _Prepared(segments, evasion, frames, skipped or "truncated" in rules, foreign)
