"""The ASGI edge: capture the body, scan it off the event loop, tag, throttle or reject.

Pure ASGI (not ``BaseHTTPMiddleware``), so streaming responses stay streaming and lifespan and
websocket traffic pass through untouched. Everything derived from the configuration is computed in
``__init__``; per-request state lives in locals. The body the app receives is the body the client
sent, byte for byte: the captured chunks are replayed as one message and then the original
``receive`` takes over, so ``http.disconnect`` still arrives.
"""

from __future__ import annotations

import contextvars
import fnmatch
import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.to_thread
from starlette.datastructures import MutableHeaders

from querysentry.batching import fast_embedder
from querysentry.behaviour.tracker import BehaviourTracker, RequestSummary
from querysentry.cache_scope import cache_scope
from querysentry.content import decode_content, scan_kind
from querysentry.detector import Detector
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.errors import ContentTooLargeError, UnsupportedPayloadError
from querysentry.extract import Extracted, extract_payload
from querysentry.identity import ClientIdentity, first_headers, identity_conflict
from querysentry.index_watch import IndexWatcher
from querysentry.metrics import Metrics
from querysentry.policy import (
    Action,
    Mode,
    action_for_level,
    apply_mode,
    request_action,
    stronger,
    validate_actions,
)
from querysentry.refusal import error_response
from querysentry.scoring import Thresholds
from querysentry.throttle import Throttle, retry_after_header
from querysentry.verdict import ClientVerdict, Verdict

__all__ = ["Outcome", "QuerySentryMiddleware", "current_outcome"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOG = logging.getLogger("querysentry")

_otel_trace: Any
try:  # optional: span attributes when OpenTelemetry is installed, a no-op otherwise
    from opentelemetry import trace as _otel_trace
except ModuleNotFoundError:  # pragma: no cover - exercised when the package is absent
    _otel_trace = None
# The outcome of the request being handled, for log filters and code that has no Request object.
current_outcome: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar("querysentry_outcome", default=None)

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
# Our own header namespace: whatever a client sends under it is dropped before the app sees it.
_OWN_HEADER_PREFIX = b"x-querysentry-"
DECISION_MESSAGE = "querysentry decision"
# Statuses of requests whose text nobody read: they follow the ``unscanned`` policy.
UNSCANNED_STATUSES = frozenset({"oversize", "unsupported", "timeout", "error"})
# Evidence a duplicated identity header adds: an honest client sends one Authorization header.
IDENTITY_CONFLICT_EVIDENCE = 0.5


def new_request_id() -> str:
    """The default request id generator: 32 random hex characters."""
    return uuid.uuid4().hex


def harmless_request_id(value: str) -> bool:
    """The default validator of a caller's request id: short, and safe in logs and headers."""
    return _REQUEST_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class Outcome:
    """What QuerySentry concluded about one request (``request.state.querysentry``).

    ``status`` says whether it was scanned (``scanned``) or why not (``oversize``, ``unsupported``,
    ``timeout``, ``error``, ``allow_list``, ``deny_list``, ``disconnected``). ``action`` is what was
    done: ``allow``, ``tag``, ``throttle`` or ``block`` (in ``shadow`` mode always ``allow``).
    ``request_id`` is always generated here; a caller's own id (``X-Request-ID``), when the
    validator accepts it, is kept apart as ``caller_request_id``. ``signals`` names request-level
    signs outside the text (``identity_conflict``, ``truncated``). ``retry_after`` is the true
    wait, in seconds, of a throttled request.
    """

    request_id: str
    client: str
    status: str
    action: Action
    verdict: Verdict | None = None
    latency_ms: float = 0.0
    api: str | None = None
    would_act: Action | None = None  # in shadow/tag mode: what enforce mode would have done
    client_verdict: ClientVerdict | None = None  # the client's standing across its requests
    caller_request_id: str | None = None
    signals: tuple[str, ...] = ()
    retry_after: int | None = None

    @property
    def flagged(self) -> bool:
        return self.verdict is not None and self.verdict.flagged

    @property
    def category(self) -> str | None:
        """The category of a flagged request; None otherwise (a near miss is not a finding)."""
        verdict = self.verdict
        return verdict.category.value if verdict is not None and verdict.flagged and verdict.category else None

    def log_fields(self, *, include_text: bool = False) -> dict[str, Any]:
        """Fields for the decision log record; the matched text only with ``include_text``."""
        verdict = self.verdict
        # What matched is only reported for flagged requests: a near miss is not a finding.
        matched = verdict if verdict is not None and verdict.flagged else None
        return {
            "request_id": self.request_id,
            "caller_request_id": self.caller_request_id,
            "client": self.client,
            "status": self.status,
            "action": self.action,
            "would_act": self.would_act,
            "api": self.api,
            "flagged": self.flagged,
            "category": self.category,
            "score": round(verdict.score, 4) if verdict else None,
            "pattern_id": matched.pattern_id if matched else None,
            "segment": matched.segment.to_dict(include_text=include_text) if matched and matched.segment else None,
            "index_version": verdict.index_version if verdict else None,
            "latency_ms": round(self.latency_ms, 3),
            "signals": list(self.signals),
            "retry_after": self.retry_after,
            **_client_fields(self.client_verdict),
        }


def _client_fields(verdict: ClientVerdict | None) -> dict[str, Any]:
    if verdict is None:
        return {"client_risk": None, "client_level": None, "cluster_id": None, "reasons": []}
    return {
        "client_risk": round(verdict.risk, 4),
        "client_level": verdict.level,
        "cluster_id": verdict.cluster_id,
        "reasons": list(verdict.reasons),
    }


@dataclass
class _Body:
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    complete: bool = False
    disconnected: bool = False

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


@dataclass(frozen=True)
class _Scanned:
    """What the worker thread found: the API shape, the verdict and the behaviour summary."""

    api: str
    verdict: Verdict
    summary: RequestSummary | None
    truncated: bool


class _ExtractorFailedError(Exception):
    """A user-supplied extractor raised something other than UnsupportedPayloadError."""


class _RepeatCache:
    """Per-client answers for byte-identical repeats, looked up on the event loop.

    Keyed by the client and a BLAKE2b digest of the request (path, content type and encoding,
    body): hashing is one linear C pass, no parsing, so a retry or a resent request skips the worker
    thread. Keyed per client on purpose: a cache shared across clients answers a text someone else
    sent faster than a new one, which lets anyone test whether a given system prompt or template
    passed through. Bounded in entries (LRU); entries of an older index version are never served.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[bytes, tuple[str, _Scanned]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(client: str, path: str, content_type: str, encoding: str, body: bytes) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for part in (client, path, content_type, encoding):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(body)
        return digest.digest()

    def get(self, key: bytes, version: str) -> _Scanned | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: bytes, version: str, scanned: _Scanned) -> None:
        with self._lock:
            self._items[key] = (version, scanned)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class QuerySentryMiddleware:
    """Scan LLM API requests and tag, throttle or reject extraction traffic.

    What is done:
        ``mode``: ``shadow`` logs only; ``tag`` also sets ``request.state.querysentry`` (and upstream
        headers when asked); ``enforce`` acts. ``actions``: category → ``allow``/``tag``/``throttle``/
        ``block`` for enforce mode, over the defaults in ``querysentry.policy.DEFAULT_ENFORCE_ACTIONS``
        (``prompt_extraction`` blocks, every other category throttles); an unknown category or
        action raises ``ValueError``. The client's level (``behaviour``) adds to the request's own
        action; the stronger one wins.
        ``unscanned``: what enforce mode does with a request whose text could not be read (status
        ``oversize``, ``unsupported``, ``timeout`` or ``error``), default ``tag``; in every mode such a
        request still gets its client's level and adds ``unscanned_evidence`` (default 1.0, as much
        as a flagged request) to the client. ``fail_closed=True`` is shorthand for
        ``unscanned="block"``.
        ``throttle``: a ``querysentry.throttle.Throttle``, or a storage URL (``memory://``, the
        default, or ``redis://…``) for one with the default rate (6 requests a minute for a throttled
        client): throttling is a real rate limit per client whose ``Retry-After`` is the true wait.
        With ``throttle=None`` every throttled request gets 429 and ``retry_after`` seconds.

    Which requests:
        ``methods``, ``include_paths``, ``exclude_paths`` (fnmatch patterns) and ``content_types``
        (media types; ``application/json`` admits every ``application/*+json``, wildcards such as
        ``*/*`` allowed) choose what is scanned. ``allow_keys`` and ``deny_keys`` are client keys that
        are never scanned (allowed) or always refused.

    Limits:
        ``max_body_bytes`` (as sent) and ``max_decompressed_bytes`` (after gzip/deflate) bound what
        is read; a body over either is ``oversize`` and passes under the ``unscanned`` policy
        (``oversize="pass"``) or gets 413 (``"reject"``). ``time_budget`` (seconds) bounds a scan; a
        scan past it stops between steps and the request is ``timeout``.

    Identity:
        ``client_key`` (default ``ClientIdentity()``: the caller's API key, HMAC-hashed with the
        deployment's salt, or its address) names the client. ``request_id_header`` is where a
        caller's request id is read; ``request_id_generator`` makes ours (always used) and
        ``request_id_validator`` says whether a caller's id is kept as ``caller_request_id``.

    Extraction and detection:
        ``extractor(body, content_type, path) -> Extracted`` replaces the built-in API shapes.
        ``detector`` (default: the shipped encoder, library and thresholds, behind a micro-batcher)
        and ``thresholds`` (a ``Thresholds`` or a file from ``querysentry calibrate``; only without a
        detector). ``repeat_cache`` entries of per-client answers to byte-identical repeats of bodies
        up to ``repeat_cache_bytes``, looked up on the event loop (0 turns it off). ``behaviour``: a
        ``BehaviourTracker`` or a store URL (``memory://``, ``redis://…``); None turns client
        behaviour off. ``watch_index``: seconds between checks of the index directory's manifest
        (reloaded when it changes; None turns it off).

    Reporting:
        ``expose_verdict`` adds ``x-querysentry-*`` headers to the response; ``upstream_headers`` adds
        them to the request the app sees (incoming headers of that namespace are always dropped
        first). ``log_prompts`` adds the matched text to the decision record. ``metrics``: a
        ``querysentry.metrics.Metrics`` for Prometheus.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        detector: Detector | None = None,
        mode: Mode = "tag",
        actions: Mapping[str, Action] | None = None,
        unscanned: Action = "tag",
        unscanned_evidence: float = 1.0,
        methods: Iterable[str] = ("POST",),
        include_paths: Iterable[str] = ("*",),
        exclude_paths: Iterable[str] = (),
        content_types: Iterable[str] = ("application/json", "text/plain"),
        max_body_bytes: int = 1_000_000,
        max_decompressed_bytes: int = 4_000_000,
        oversize: Literal["pass", "reject"] = "pass",
        client_key: Callable[[Scope], str] | None = None,
        request_id_header: str = "x-request-id",
        request_id_generator: Callable[[], str] = new_request_id,
        request_id_validator: Callable[[str], bool] = harmless_request_id,
        extractor: Callable[[bytes, str, str], Extracted] | None = None,
        allow_keys: Iterable[str] = (),
        deny_keys: Iterable[str] = (),
        time_budget: float = 2.0,
        fail_closed: bool = False,
        throttle: Throttle | str | None = "memory://",
        retry_after: int = 30,
        expose_verdict: bool = False,
        upstream_headers: bool = False,
        log_prompts: bool = False,
        metrics: Metrics | None = None,
        watch_index: float | None = 5.0,
        repeat_cache: int = 10_000,
        repeat_cache_bytes: int = 65_536,
        behaviour: BehaviourTracker | str | None = "memory://",
        thresholds: Thresholds | str | Path | None = None,
    ) -> None:
        if mode not in ("shadow", "tag", "enforce"):
            raise ValueError(f"mode must be shadow, tag or enforce, not {mode!r}")
        if max_body_bytes < 1 or max_decompressed_bytes < max_body_bytes:
            raise ValueError("max_body_bytes must be >= 1 and max_decompressed_bytes >= max_body_bytes")
        if unscanned not in ("allow", "tag", "throttle", "block"):
            raise ValueError(f"unscanned must be allow, tag, throttle or block, not {unscanned!r}")
        if not 0.0 <= unscanned_evidence <= 1.0:
            raise ValueError("unscanned_evidence must be between 0 and 1")
        if time_budget <= 0 or repeat_cache < 0 or repeat_cache_bytes < 0:
            raise ValueError("time_budget must be > 0, repeat_cache and repeat_cache_bytes >= 0")
        if detector is not None and thresholds is not None:
            raise ValueError("give thresholds to your detector, or thresholds without a detector, not both")
        self.app = app
        self.actions = validate_actions(actions)
        self.metrics = metrics if metrics is not None else Metrics.disabled()
        self.detector = detector if detector is not None else _default_detector(self.metrics, thresholds)
        self.mode = mode
        self.unscanned: Action = "block" if fail_closed else unscanned
        self.unscanned_evidence = unscanned_evidence
        self.methods = frozenset(m.upper() for m in methods)
        self.include_paths = tuple(include_paths)
        self.exclude_paths = tuple(exclude_paths)
        self.content_types = tuple(c.lower() for c in content_types)
        self.max_body_bytes = max_body_bytes
        self.max_decompressed_bytes = max_decompressed_bytes
        self.oversize = oversize
        self.client_key = client_key if client_key is not None else ClientIdentity()
        self.request_id_header = request_id_header.lower()
        self.request_id_generator = request_id_generator
        self.request_id_validator = request_id_validator
        self.extractor = extractor if extractor is not None else extract_payload
        self.allow_keys = frozenset(allow_keys)
        self.deny_keys = frozenset(deny_keys)
        self.time_budget = time_budget
        self.throttle = Throttle(throttle) if isinstance(throttle, str) else throttle
        if self.throttle is not None and self.throttle.on_fallback is None:
            self.throttle.on_fallback = self.metrics.store_fallback
        self.retry_after = retry_after
        self.expose_verdict = expose_verdict
        self.upstream_headers = upstream_headers
        self.log_prompts = log_prompts
        self.repeat_cache_bytes = repeat_cache_bytes
        self.behaviour = BehaviourTracker(store=behaviour) if isinstance(behaviour, str) else behaviour
        if self.behaviour is not None:
            store = self.behaviour.backend
            if getattr(store, "on_fallback", False) is None:  # a Redis store without a hook yet
                store.on_fallback = self.metrics.store_fallback  # type: ignore[attr-defined]
        handle = getattr(self.detector, "index_handle", None)  # absent on stand-in detectors in tests
        # Without an index handle there is no version to key repeats by: no repeat cache.
        self._repeats = _RepeatCache(repeat_cache) if repeat_cache and handle is not None else None
        self._watcher = (
            IndexWatcher(
                handle,
                watch_index,
                self.detector.encoder.fingerprint,
                on_reload=lambda index: self.metrics.index_version(index.version),
            )
            if watch_index and handle is not None
            else None
        )
        if handle is not None:
            self.metrics.index_version(handle.current.version)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            try:
                await self.app(scope, receive, send)
            finally:  # the app has shut down: release the behaviour store's connections
                await self.aclose()
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Our header namespace is ours alone: a client-sent ``x-querysentry-action: allow`` must never
        # reach an app that reads these headers, scanned path or not.
        raw_headers = scope.get("headers", [])
        if any(k.lower().startswith(_OWN_HEADER_PREFIX) for k, _ in raw_headers):
            scope["headers"] = [(k, v) for k, v in raw_headers if not k.lower().startswith(_OWN_HEADER_PREFIX)]
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        if self._watcher is not None:
            self._watcher.poll()
        headers = first_headers(scope)  # the values the app reads (Starlette's Headers.get)
        request_id = self.request_id_generator()
        incoming_id = headers.get(self.request_id_header, "")
        caller_id = incoming_id if incoming_id and self._valid_request_id(incoming_id) else None
        try:
            client = self.client_key(scope)
        except Exception:  # a user-supplied key function failing must not fail the request
            LOG.exception("querysentry client_key failed; using 'unknown'")
            client = "unknown"
        body = await _read_body(receive, self.max_body_bytes)
        outcome = await self._decide(scope, headers, body, request_id, client, started)
        if caller_id is not None:
            outcome = replace(outcome, caller_request_id=caller_id)
        scope.setdefault("state", {})["querysentry"] = outcome
        token = current_outcome.set(outcome)
        self.metrics.decision(outcome.action, outcome.status, outcome.category, outcome.latency_ms / 1000)
        if outcome.verdict is not None:
            self.metrics.index_version(outcome.verdict.index_version)
        try:
            if LOG.isEnabledFor(logging.INFO):  # building the fields costs time on every request
                LOG.info(DECISION_MESSAGE, extra={"querysentry": outcome.log_fields(include_text=self.log_prompts)})
            _annotate_span(outcome)
            if outcome.action in ("throttle", "block") or (outcome.status == "oversize" and self.oversize == "reject"):
                await self._reject(scope, receive, send, outcome)
                return
            if body.disconnected:
                return  # the client is gone; there is nobody to answer
            if self.upstream_headers and self.mode != "shadow":
                scope["headers"] = [*scope.get("headers", []), *_upstream_headers(outcome)]
            await self.app(scope, _replay(body, receive), self._sender(send, outcome))
        finally:
            current_outcome.reset(token)

    async def aclose(self) -> None:
        """Close the behaviour store and the throttle (their Redis connections); called when the
        app's lifespan ends."""
        for name, closer in (
            ("behaviour store", self.behaviour.backend.close if self.behaviour is not None else None),
            ("throttle", getattr(self.throttle, "aclose", None)),
        ):
            if closer is None:
                continue
            try:
                await closer()
            except Exception:  # shutting down: report, never raise
                LOG.exception("querysentry could not close the %s", name)

    def reload(self) -> bool:
        """Load the index directory again and swap it in while requests keep flowing.

        Returns False (and keeps the old index, logging why) if the new one does not load.
        """
        if self._watcher is not None:
            fresh = self._watcher.reload_now()
        else:
            fresh = self.detector.index_handle.reload(expected_fingerprint=self.detector.encoder.fingerprint)
        self.metrics.index_version(self.detector.index_handle.current.version)
        return fresh

    def _valid_request_id(self, value: str) -> bool:
        try:
            return bool(self.request_id_validator(value))
        except Exception:  # a user-supplied validator failing drops the caller's id, never the request
            LOG.exception("querysentry request_id_validator failed; ignoring the caller's request id")
            return False

    def _applies(self, scope: Scope) -> bool:
        if scope.get("method", "GET").upper() not in self.methods:
            return False
        path = scope.get("path", "")
        if any(fnmatch.fnmatchcase(path, p) for p in self.exclude_paths):
            return False
        return any(fnmatch.fnmatchcase(path, p) for p in self.include_paths)

    async def _decide(
        self, scope: Scope, headers: Mapping[str, str], body: _Body, request_id: str, client: str, started: float
    ) -> Outcome:
        def done(status: str, wanted: Action = "allow", **kwargs: Any) -> Outcome:
            # ``wanted`` is what enforce mode does; tag mode only tags, shadow mode only logs.
            action = apply_mode(self.mode, wanted)
            latency = (time.perf_counter() - started) * 1000
            would_act = wanted if wanted != "allow" else None
            return Outcome(request_id, client, status, action, latency_ms=latency, would_act=would_act, **kwargs)

        if client in self.deny_keys:
            return done("deny_list", "block")
        if client in self.allow_keys:
            return done("allow_list")
        if body.disconnected:
            return done("disconnected")
        signals: tuple[str, ...] = ("identity_conflict",) if identity_conflict(scope) else ()
        content_type = headers.get("content-type", "application/json")
        if not body.complete or body.size > self.max_body_bytes:
            status = "oversize"
        elif scan_kind(content_type, self.content_types) is None:
            status = "unsupported"
        else:
            status = "scanned"
        scanned: _Scanned | None = None
        if status == "scanned":
            status, scanned = await self._scan_or_recall(scope, headers, body, client, content_type)
        if scanned is None:  # nobody read the text: the unscanned policy, the client's level, evidence
            summary = RequestSummary.not_scanned(self.unscanned_evidence)
            wanted, standing, retry = await self._escalate(client, self.unscanned, summary, signals)
            return done(status, wanted, client_verdict=standing, signals=signals, retry_after=retry)
        if scanned.truncated:
            signals = (*signals, "truncated")
        own = request_action(scanned.verdict, self.actions)
        wanted, standing, retry = await self._escalate(client, own, scanned.summary, signals)
        return done(
            "scanned",
            wanted,
            verdict=scanned.verdict,
            api=scanned.api,
            client_verdict=standing,
            signals=signals,
            retry_after=retry,
        )

    async def _scan_or_recall(
        self, scope: Scope, headers: Mapping[str, str], body: _Body, client: str, content_type: str
    ) -> tuple[str, _Scanned | None]:
        """Scan the body in a worker thread (or recall this client's identical request)."""
        path = scope.get("path", "")
        encoding = headers.get("content-encoding", "")
        data = body.data  # the one bounded copy the event loop makes
        key = version = None
        if self._repeats is not None and len(data) <= self.repeat_cache_bytes:
            key = _RepeatCache.key(client, path, content_type, encoding, data)
            version = self.detector.index_handle.current.version
            recalled = self._repeats.get(key, version)
            if recalled is not None:
                return "scanned", recalled
        deadline = time.monotonic() + self.time_budget
        try:
            with anyio.fail_after(self.time_budget):
                # Decoding, parsing and the scan all run off the event loop; past its deadline the
                # scan stops between steps instead of running on in an abandoned thread.
                scanned = await anyio.to_thread.run_sync(
                    self._scan, data, content_type, encoding, path, client, deadline, abandon_on_cancel=True
                )
        except TimeoutError:  # anyio's deadline, or the detector's own ScanTimeoutError
            return "timeout", None
        except UnsupportedPayloadError:
            return "unsupported", None
        except ContentTooLargeError:
            return "oversize", None
        except _ExtractorFailedError as exc:
            LOG.error("querysentry extractor failed; passing the request through", exc_info=exc.__cause__)
            return "error", None
        except Exception:
            LOG.exception("querysentry scan failed; passing the request through")
            return "error", None
        if self._repeats is not None and key is not None and scanned.verdict.index_version == version:
            self._repeats.put(key, version, scanned)
        return "scanned", scanned

    def _scan(
        self, data: bytes, content_type: str, encoding: str, path: str, client: str, deadline: float
    ) -> _Scanned:
        """Worker thread: decode, extract, detect, summarise. Every step is bounded in its input."""
        cache_scope.set(client)  # this thread's context only: the caches answer this client alone
        raw = decode_content(data, encoding, self.max_decompressed_bytes)
        try:
            extracted = self.extractor(raw, content_type, path)
        except (UnsupportedPayloadError, ContentTooLargeError):
            raise
        except Exception as exc:  # a user-supplied extractor failing must not fail the request
            raise _ExtractorFailedError() from exc
        messages = list(extracted.messages)
        verdict = self.detector.check(messages, deadline=deadline)
        summary = self.behaviour.summarise(verdict, messages) if self.behaviour is not None else None
        return _Scanned(extracted.api, verdict, summary, bool(getattr(extracted, "truncated", False)))

    async def _escalate(
        self, client: str, own: Action, summary: RequestSummary | None, signals: tuple[str, ...]
    ) -> tuple[Action, ClientVerdict | None, int | None]:
        """The request's own action, raised to its client's level; a throttle's true wait."""
        standing = None
        if self.behaviour is not None and summary is not None:
            if "identity_conflict" in signals:
                summary = summary.with_signal(IDENTITY_CONFLICT_EVIDENCE)
            try:
                standing = await self.behaviour.record(client, summary, time.time())
            except Exception:  # client behaviour is evidence on top; its failure must not fail the request
                LOG.exception("querysentry behaviour update failed; deciding on the request alone")
        wanted = own
        if standing is not None:
            wanted = stronger(wanted, action_for_level(standing.level))
            self.metrics.client(standing.level, standing.risk, standing.cluster_id is not None)
        if wanted != "throttle" or apply_mode(self.mode, wanted) != "throttle":
            return wanted, standing, None
        if self.throttle is None:
            return wanted, standing, self.retry_after
        try:
            decision = await self.throttle.hit(client, "throttle")
        except Exception:  # the limiter failing must not fail the request: refuse as before
            LOG.exception("querysentry throttle failed; refusing with the configured retry_after")
            return wanted, standing, self.retry_after
        if decision.allowed:  # within the throttled client's rate: it passes, tagged
            return "tag", standing, None
        return wanted, standing, int(decision.retry_after)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, outcome: Outcome) -> None:
        status = {"throttle": 429, "block": 403}.get(outcome.action, 413)
        wait = outcome.retry_after or self.retry_after
        headers = {"retry-after": retry_after_header(wait)} if status == 429 else None
        response = error_response(scope.get("path", ""), status, request_id=outcome.request_id, headers=headers)
        await response(scope, receive, send)

    def _sender(self, send: Send, outcome: Outcome) -> Send:
        if not self.expose_verdict:
            return send

        async def send_with_verdict(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["x-querysentry-action"] = outcome.action
                headers["x-querysentry-status"] = outcome.status
                if outcome.category is not None:
                    headers["x-querysentry-category"] = outcome.category
            await send(message)

        return send_with_verdict


def _default_detector(metrics: Metrics, thresholds: Thresholds | str | Path | None = None) -> Detector:
    # A chat resends its history and system prompt each turn: cache segment vectors, and merge
    # the encoder calls of concurrent requests.
    encoder = Encoder()
    embed = fast_embedder(encoder.encode, on_lookup=metrics.cache, on_batch=metrics.batch)
    loaded = Thresholds.load(thresholds) if isinstance(thresholds, (str, Path)) else thresholds
    return Detector(encoder=encoder, embed=embed, search_cache=50_000, thresholds=loaded)


def _annotate_span(outcome: Outcome) -> None:
    """Put the outcome on the current OpenTelemetry span, when OpenTelemetry is installed."""
    if _otel_trace is None:
        return
    span = _otel_trace.get_current_span()
    if not span.is_recording():
        return
    verdict = outcome.verdict
    span.set_attribute("querysentry.action", outcome.action)
    span.set_attribute("querysentry.status", outcome.status)
    span.set_attribute("querysentry.flagged", outcome.flagged)
    if verdict is not None:
        span.set_attribute("querysentry.score", round(verdict.score, 4))
        span.set_attribute("querysentry.index_version", verdict.index_version)
        if verdict.flagged and verdict.category is not None:
            span.set_attribute("querysentry.category", verdict.category.value)


def _upstream_headers(outcome: Outcome) -> list[tuple[bytes, bytes]]:
    pairs = [("x-querysentry-action", outcome.action), ("x-querysentry-status", outcome.status)]
    if outcome.category is not None:
        pairs.append(("x-querysentry-category", outcome.category))
    if outcome.verdict is not None:
        pairs.append(("x-querysentry-score", f"{outcome.verdict.score:.4f}"))
    return [(k.encode(), v.encode()) for k, v in pairs]


async def _read_body(receive: Receive, limit: int) -> _Body:
    """Drain ``receive`` until the body ends, the client leaves, or more than ``limit`` bytes came.

    Counts the bytes that actually arrive; a Content-Length header is not trusted.
    """
    body = _Body()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.disconnected = True
            return body
        chunk = message.get("body", b"")
        if chunk:
            body.chunks.append(chunk)
            body.size += len(chunk)
        if not message.get("more_body", False):
            body.complete = True
            return body
        if body.size > limit:
            return body


def _replay(body: _Body, receive: Receive) -> Receive:
    """Give the app the captured bytes as one message, then the original ``receive``."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body.data, "more_body": not body.complete}
        return await receive()

    return replay
