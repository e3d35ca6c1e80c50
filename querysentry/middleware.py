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
import logging
import re
import threading
import time
import uuid
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse

from querysentry.batching import fast_embedder
from querysentry.behaviour.tracker import BehaviourTracker
from querysentry.detector import Detector
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.errors import UnsupportedPayloadError
from querysentry.extract import Extracted, extract_payload, is_anthropic_path
from querysentry.identity import ClientIdentity
from querysentry.index import MANIFEST_FILE
from querysentry.messages import Message as ChatMessage
from querysentry.messages import MessagesLike
from querysentry.metrics import Metrics
from querysentry.policy import Action, Mode, action_for_level, apply_mode, request_action, stronger
from querysentry.scoring import Thresholds
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

_DECOMPRESS_CHUNK = 64 * 1024
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
DECISION_MESSAGE = "querysentry decision"


@dataclass(frozen=True)
class Outcome:
    """What QuerySentry concluded about one request (``request.state.querysentry``).

    ``status`` says whether it was scanned (``scanned``) or why not (``oversize``, ``unsupported``,
    ``timeout``, ``error``, ``allow_list``, ``deny_list``, ``disconnected``). ``action`` is what was
    done: ``allow``, ``tag``, ``throttle`` or ``block`` (in ``shadow`` mode always ``allow``).
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


class QuerySentryMiddleware:
    """Scan LLM API requests and tag, throttle or reject extraction traffic.

    ``mode``: ``shadow`` logs only; ``tag`` also sets ``request.state.querysentry`` (and upstream
    headers when asked); ``enforce`` applies ``actions`` (category → ``tag``/``throttle``/``block``;
    default ``tag`` for every category). Requests over ``max_body_bytes`` pass through unscanned and
    tagged (``oversize="pass"``) or get 413 (``"reject"``). A scan slower than ``time_budget``
    seconds fails open (tagged ``timeout``) or, with ``fail_closed=True``, is rejected. Without a
    ``detector`` the shipped encoder, library and thresholds are used, behind a segment cache and
    a micro-batcher (``querysentry.batching``). A request whose scanned text is at most
    ``loop_cache_chars`` characters is first looked up in the detector's search cache on the event
    loop (normalisation and dictionary lookups, no inference), so a repeat skips the worker thread;
    0 turns that off. ``thresholds`` (a ``Thresholds`` or the path of a file written by
    ``querysentry calibrate``) replaces the shipped thresholds of the default detector.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        detector: Detector | None = None,
        mode: Mode = "tag",
        actions: Mapping[str, Action] | None = None,
        methods: Iterable[str] = ("POST",),
        include_paths: Iterable[str] = ("*",),
        exclude_paths: Iterable[str] = (),
        content_types: Iterable[str] = ("application/json", "text/plain"),
        max_body_bytes: int = 1_000_000,
        max_decompressed_bytes: int = 4_000_000,
        oversize: Literal["pass", "reject"] = "pass",
        client_key: Callable[[Scope], str] | None = None,
        extractor: Callable[[bytes, str, str], Extracted] | None = None,
        allow_keys: Iterable[str] = (),
        deny_keys: Iterable[str] = (),
        time_budget: float = 2.0,
        fail_closed: bool = False,
        retry_after: int = 30,
        expose_verdict: bool = False,
        upstream_headers: bool = False,
        log_prompts: bool = False,
        metrics: Metrics | None = None,
        watch_index: float | None = 5.0,
        loop_cache_chars: int = 4_000,
        behaviour: BehaviourTracker | str | None = "memory://",
        thresholds: Thresholds | str | Path | None = None,
    ) -> None:
        if mode not in ("shadow", "tag", "enforce"):
            raise ValueError(f"mode must be shadow, tag or enforce, not {mode!r}")
        if max_body_bytes < 1 or max_decompressed_bytes < max_body_bytes:
            raise ValueError("max_body_bytes must be >= 1 and max_decompressed_bytes >= max_body_bytes")
        for action in (actions or {}).values():
            if action not in ("tag", "throttle", "block"):
                raise ValueError(f"unknown action {action!r} (tag, throttle, block)")
        self.app = app
        self.metrics = metrics if metrics is not None else Metrics.disabled()
        if detector is not None and thresholds is not None:
            raise ValueError("give thresholds to your detector, or thresholds without a detector, not both")
        self.detector = detector if detector is not None else _default_detector(self.metrics, thresholds)
        self.mode = mode
        self.actions = dict(actions or {})
        self.methods = frozenset(m.upper() for m in methods)
        self.include_paths = tuple(include_paths)
        self.exclude_paths = tuple(exclude_paths)
        self.content_types = tuple(c.lower() for c in content_types)
        self.max_body_bytes = max_body_bytes
        self.max_decompressed_bytes = max_decompressed_bytes
        self.oversize = oversize
        self.client_key = client_key if client_key is not None else ClientIdentity()
        self.extractor = extractor if extractor is not None else _default_extractor
        self.allow_keys = frozenset(allow_keys)
        self.deny_keys = frozenset(deny_keys)
        self.time_budget = time_budget
        self.fail_closed = fail_closed
        self.retry_after = retry_after
        self.expose_verdict = expose_verdict
        self.upstream_headers = upstream_headers
        self.log_prompts = log_prompts
        self.loop_cache_chars = loop_cache_chars
        self.behaviour = BehaviourTracker(store=behaviour) if isinstance(behaviour, str) else behaviour
        if self.behaviour is not None:
            store = self.behaviour.backend
            if getattr(store, "on_fallback", False) is None:  # a Redis store without a hook yet
                store.on_fallback = self.metrics.store_fallback  # type: ignore[attr-defined]
        # Stand-in detectors (tests, custom scorers) may not have a cache to look in.
        self._check_cached: Callable[[MessagesLike], Verdict | None] | None = getattr(
            self.detector, "check_cached", None
        )
        handle = getattr(self.detector, "index_handle", None)  # absent on stand-in detectors in tests
        self._watcher = _IndexWatcher(self.detector, watch_index) if watch_index and handle is not None else None
        if handle is not None:
            self.metrics.index_version(handle.current.version)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            try:
                await self.app(scope, receive, send)
            finally:  # the app has shut down: release the behaviour store's connections
                await self.aclose()
            return
        if scope["type"] != "http" or not self._applies(scope):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        if self._watcher is not None:
            self._watcher.poll()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        incoming_id = headers.get("x-request-id", "")
        # A caller-chosen id is kept only if it is harmless in logs and headers.
        request_id = incoming_id if _REQUEST_ID.fullmatch(incoming_id) else uuid.uuid4().hex
        try:
            client = self.client_key(scope)
        except Exception:  # a user-supplied key function failing must not fail the request
            LOG.exception("querysentry client_key failed; using 'unknown'")
            client = "unknown"
        body = await _read_body(receive, self.max_body_bytes)
        outcome = await self._decide(scope, headers, body, request_id, client, started)
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
        """Close the behaviour store (its Redis connections); called when the app's lifespan ends."""
        if self.behaviour is None:
            return
        try:
            await self.behaviour.backend.close()
        except Exception:  # shutting down: report, never raise
            LOG.exception("querysentry could not close the behaviour store")

    def reload(self) -> bool:
        """Load the index directory again and swap it in while requests keep flowing.

        Returns False (and keeps the old index, logging why) if the new one does not load.
        """
        fresh = self.detector.index_handle.reload(expected_fingerprint=self.detector.encoder.fingerprint)
        self.metrics.index_version(self.detector.index_handle.current.version)
        return fresh

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
        if not body.complete or body.size > self.max_body_bytes:
            return done("oversize", "tag")
        content_type = headers.get("content-type", "application/json").lower()
        if not any(content_type.startswith(c) for c in self.content_types):
            return done("unsupported", "tag")
        try:
            raw = _decode_content(body.data, headers.get("content-encoding", ""), self.max_decompressed_bytes)
            extracted = self.extractor(raw, content_type, scope.get("path", ""))
        except UnsupportedPayloadError:
            return done("unsupported", "tag")
        except _TooLargeError:
            return done("oversize", "tag")
        except Exception:  # a user-supplied extractor failing must not fail the request
            LOG.exception("querysentry extractor failed; passing the request through")
            return done("error", "tag")
        messages = list(extracted.messages)
        try:
            verdict = None
            if self._check_cached is not None and sum(len(m.content) for m in messages) <= self.loop_cache_chars:
                verdict = self._check_cached(messages)
            if verdict is None:
                with anyio.fail_after(self.time_budget):
                    # ORT and FAISS release the GIL; the scan must never block the event loop.
                    verdict = await anyio.to_thread.run_sync(self.detector.check, messages, abandon_on_cancel=True)
        except TimeoutError:
            return done("timeout", "block" if self.fail_closed else "tag", api=extracted.api)
        except Exception:
            LOG.exception("querysentry scan failed; passing the request through")
            return done("error", "tag", api=extracted.api)
        wanted = request_action(verdict, self.actions)
        standing = await self._observe(client, verdict, messages)
        if standing is not None:
            wanted = stronger(wanted, action_for_level(standing.level))
            self.metrics.client(standing.level, standing.risk, standing.cluster_id is not None)
        return done("scanned", wanted, verdict=verdict, api=extracted.api, client_verdict=standing)

    async def _observe(self, client: str, verdict: Verdict, messages: list[ChatMessage]) -> ClientVerdict | None:
        if self.behaviour is None:
            return None
        try:
            return await self.behaviour.observe(client, verdict, messages, time.time())
        except Exception:  # client behaviour is evidence on top; its failure must not fail the request
            LOG.exception("querysentry behaviour update failed; deciding on the request alone")
            return None

    async def _reject(self, scope: Scope, receive: Receive, send: Send, outcome: Outcome) -> None:
        status = {"throttle": 429, "block": 403}.get(outcome.action, 413)
        headers = {"x-request-id": outcome.request_id}
        if status == 429:
            headers["retry-after"] = str(self.retry_after)
        # Same words whatever the reason: the response must not become an oracle for tuning attacks.
        message = {429: "Too many requests.", 403: "This request was refused.", 413: "Request body too large."}[status]
        kind = {429: "rate_limit_error", 403: "permission_error", 413: "request_too_large"}[status]
        if is_anthropic_path(scope.get("path", "")):
            content: dict[str, Any] = {
                "type": "error",
                "error": {"type": kind, "message": message},
                "request_id": outcome.request_id,
            }
        else:
            content = {
                "error": {"message": message, "type": kind, "code": kind, "param": None},
                "request_id": outcome.request_id,
            }
        await JSONResponse(content, status_code=status, headers=headers)(scope, receive, send)

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


class _TooLargeError(Exception):
    pass


def _default_detector(metrics: Metrics, thresholds: Thresholds | str | Path | None = None) -> Detector:
    # A chat resends its history and system prompt each turn: cache segment vectors, and merge
    # the encoder calls of concurrent requests.
    encoder = Encoder()
    embed = fast_embedder(encoder.encode, on_lookup=metrics.cache, on_batch=metrics.batch)
    loaded = Thresholds.load(thresholds) if isinstance(thresholds, (str, Path)) else thresholds
    return Detector(encoder=encoder, embed=embed, search_cache=50_000, thresholds=loaded)


class _IndexWatcher:
    """Reloads the detector's index when its directory's manifest changes (checked every
    ``interval`` seconds, on the request path: one ``stat`` call, the load itself in a thread)."""

    def __init__(self, detector: Detector, interval: float) -> None:
        self.detector = detector
        self.interval = interval
        self._lock = threading.Lock()
        self._next_check = time.monotonic() + interval
        self._seen = self._stamp()

    def _stamp(self) -> int | None:
        directory = self.detector.index_handle.directory
        if directory is None:
            return None
        try:
            return (directory / MANIFEST_FILE).stat().st_mtime_ns
        except OSError:
            return None

    def poll(self) -> None:
        now = time.monotonic()
        if now < self._next_check or self.detector.index_handle.directory is None:
            return
        with self._lock:
            if now < self._next_check:
                return
            self._next_check = now + self.interval
            stamp = self._stamp()
            if stamp is None or stamp == self._seen:
                return
            self._seen = stamp
        fingerprint = self.detector.encoder.fingerprint
        threading.Thread(
            target=self.detector.index_handle.reload,
            kwargs={"expected_fingerprint": fingerprint},
            name="querysentry-index-reload",
            daemon=True,
        ).start()


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


def _default_extractor(body: bytes, content_type: str, path: str) -> Extracted:
    return extract_payload(body, content_type, path)


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


def _decode_content(data: bytes, encoding: str, limit: int) -> bytes:
    """Undo gzip/deflate for scanning only, refusing to inflate past ``limit`` bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "deflate", "x-gzip"):
        raise UnsupportedPayloadError(f"content-encoding {encoding!r}")
    wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
    try:
        decompressor = zlib.decompressobj(wbits)
        out = bytearray()
        pending = data
        while pending:
            out += decompressor.decompress(pending, _DECOMPRESS_CHUNK)
            if len(out) > limit:
                raise _TooLargeError()
            pending = decompressor.unconsumed_tail
        out += decompressor.flush()
        if len(out) > limit:
            raise _TooLargeError()
        return bytes(out)
    except zlib.error:
        if encoding == "deflate":  # some clients send raw deflate without the zlib header
            try:
                return _decode_raw_deflate(data, limit)
            except zlib.error:
                pass
        raise UnsupportedPayloadError("body does not decompress") from None


def _decode_raw_deflate(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    out = decompressor.decompress(data, limit + 1)
    if len(out) > limit:
        raise _TooLargeError()
    return out
