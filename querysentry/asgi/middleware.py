"""The ASGI edge: capture the body, hand the request to the engine, act on its outcome.

Pure ASGI (not ``BaseHTTPMiddleware``), so streaming responses stay streaming and lifespan and
websocket traffic pass through untouched. The decision itself is the engine's
(``querysentry.engine``); this module only translates between ASGI and it: which requests are
looked at, the body (captured, then replayed to the app byte for byte, after which the original
``receive`` takes over so ``http.disconnect`` still arrives), the client's identity, the request
id, refusals in each API's error shape, and the verdict headers; with ``countermeasures``, the
response's ``send`` wrapped per the client's standing (``querysentry.countermeasures``).
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Literal

import anyio.to_thread

from querysentry.asgi.answers import DEFAULT_MAX_ANSWER_BYTES, AnswerTap
from querysentry.asgi.body import read_body, replay_body
from querysentry.asgi.features import ClientFeatures
from querysentry.asgi.headers import (
    harmless_request_id,
    new_request_id,
    strip_own_headers,
    upstream_headers,
    verdict_sender,
)
from querysentry.asgi.identity import ClientIdentity, first_headers, identity_conflict
from querysentry.asgi.refusal import error_response
from querysentry.asgi.types import ASGIApp, Message, Receive, Scope, Send
from querysentry.behaviour.tracker import BehaviourTracker, RequestSummary
from querysentry.content import decode_content
from querysentry.countermeasures import (
    CountermeasurePlan,
    CountermeasureSettings,
    LeakEvent,
    countermeasure_send,
    system_prompt_of,
)
from querysentry.countermeasures.answers import answer_texts
from querysentry.detector import Detector
from querysentry.engine.config import DEFAULT_CONTENT_TYPES, EngineConfig
from querysentry.engine.engine import Engine, Extractor
from querysentry.engine.outcome import Outcome, current_outcome
from querysentry.engine.record import DECISION_MESSAGE
from querysentry.engine.request import Request
from querysentry.metrics import Metrics
from querysentry.policy import level_rank
from querysentry.scoring import Thresholds
from querysentry.telemetry import annotate_span
from querysentry.throttle import Throttle, retry_after_header
from querysentry.verdict import Action, Mode

__all__ = ["LEAK_MESSAGE", "QuerySentryMiddleware"]

LOG = logging.getLogger("querysentry")
LEAK_MESSAGE = "querysentry response leak"
# A response that gave the system prompt back is a prompt extraction the request scan missed:
# it counts for its client as much as a flagged request does.
LEAK_EVIDENCE = RequestSummary(
    evidence=1.0, flagged=True, benchmark=False, category="prompt_extraction", units=(), segment=None
)


class QuerySentryMiddleware:
    """Scan LLM API requests and tag, throttle or reject extraction traffic.

    What is done (the engine's configuration, ``querysentry.engine.EngineConfig``):
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
        ``engine``: an ``Engine`` built elsewhere (shared with ``replay`` code, say) instead of all
        of the above.

    Which requests:
        ``methods``, ``include_paths``, ``exclude_paths`` (fnmatch patterns) and ``content_types``
        (media types; ``application/json`` admits every ``application/*+json``, wildcards such as
        ``*/*`` allowed) choose what is scanned. ``allow_keys`` and ``deny_keys`` are client keys that
        are never scanned (allowed) or always refused; ``evaluation_keys`` (the evaluation
        allowance) are scanned and logged but never more than tagged. ``answer_only`` (default
        ``allow``): the most a request gets on its own when it asks only for answers to
        benchmark-like items (Q&A harvesting, or a flag standing only on the item's frame: an
        evaluation harness, a learner asking to mark their answer); such a request counts as
        evidence, not as flagged, for its client and its campaign, which act on it over time
        (``tag``: tag each one; None: like any flag).
        ``configured_lookalike`` (default ``allow``): the most a request gets on its own when its
        flag was decided in a system or developer message, in a category with everyday
        look-alikes (an app's "show your work for each step"); it still counts for its client and
        for campaigns, so what the keys do over time acts (None: like any flag).

    Limits:
        ``max_body_bytes`` (as sent) and ``max_decompressed_bytes`` (after gzip/deflate) bound what
        is read; a body over either is ``oversize`` and passes under the ``unscanned`` policy
        (``oversize="pass"``) or gets 413 (``"reject"``). ``time_budget`` (seconds) bounds a scan; a
        scan past it stops between steps and the request is ``timeout``.

    Identity:
        ``client_key`` (default ``ClientIdentity()``: the caller's API key, HMAC-hashed with the
        deployment's salt, or its address) names the client. ``client_features`` (default
        ``querysentry.asgi.features.ClientFeatures``: network prefix and User-Agent family, hashed)
        links keys for the campaign layer, as evidence only. ``campaigns``: ``"auto"`` (default)
        finds campaigns across all clients and matches imported ones, ``"shared"`` only matches
        imported ones (``querysentry intel import``), None turns the layer off. ``request_id_header`` is where a
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

    Answers:
        the answer text of each 2xx JSON or SSE response (read from what the client got, in a
        worker thread after the last byte is sent; up to ``max_answer_bytes`` of body, 0 for
        none) is hashed into the engine's conversation ledger, so that a later follow-up quoting
        it is told from one whose history the caller wrote (``history``: the ledger's
        ``max_turns``, 65,536 by default, about 13 MB; None for no ledger). No text is kept.

    Countermeasures on responses:
        ``countermeasures``: a ``querysentry.countermeasures.CountermeasureSettings``, or True for
        its defaults (reasoning withheld from clients at level ``tag`` and above and from members
        of a flagged campaign or cluster; leaks of the request's system prompt cut for every
        client; canary marks and the tarpit off). The client's standing is the strongest of its
        level, its campaign's level and the request's action; a response that leaks is logged
        (WARNING ``querysentry response leak``: request id, client, kind, letters matched, never
        text) and counts as a flagged ``prompt_extraction`` request of its client. The tarpit
        (``CountermeasureSettings(tarpit=TarpitSettings(bytes_per_second=...))``) slows the
        responses of clients at ``tarpit_from`` (``throttle``) and above that are let through:
        those within a throttled client's rate, and in ``tag`` mode all of them. ``shadow`` mode
        changes no response. Put compression middleware outside this one: compressed bodies
        pass unchanged.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        engine: Engine | None = None,
        detector: Detector | None = None,
        mode: Mode = "tag",
        actions: Mapping[str, Action] | None = None,
        unscanned: Action = "tag",
        unscanned_evidence: float = 1.0,
        methods: Iterable[str] = ("POST",),
        include_paths: Iterable[str] = ("*",),
        exclude_paths: Iterable[str] = (),
        content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
        max_body_bytes: int = 1_000_000,
        max_decompressed_bytes: int = 4_000_000,
        oversize: Literal["pass", "reject"] = "pass",
        client_key: Callable[[Scope], str] | None = None,
        client_features: Callable[[Scope], tuple[str, ...]] | None = None,
        request_id_header: str = "x-request-id",
        request_id_generator: Callable[[], str] = new_request_id,
        request_id_validator: Callable[[str], bool] = harmless_request_id,
        extractor: Extractor | None = None,
        allow_keys: Iterable[str] = (),
        deny_keys: Iterable[str] = (),
        evaluation_keys: Iterable[str] = (),
        answer_only: Action | None = "allow",
        configured_lookalike: Action | None = "allow",
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
        campaigns: Literal["auto", "shared"] | None = "auto",
        countermeasures: CountermeasureSettings | bool | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        history: int | None = 65_536,
    ) -> None:
        if max_body_bytes < 1 or max_decompressed_bytes < max_body_bytes:
            raise ValueError("max_body_bytes must be >= 1 and max_decompressed_bytes >= max_body_bytes")
        if oversize not in ("pass", "reject"):
            raise ValueError(f"oversize must be pass or reject, not {oversize!r}")
        if engine is None:
            config = EngineConfig.build(
                mode=mode,
                actions=actions,
                unscanned="block" if fail_closed else unscanned,
                unscanned_evidence=unscanned_evidence,
                content_types=content_types,
                max_decompressed_bytes=max_decompressed_bytes,
                time_budget=time_budget,
                allow_keys=allow_keys,
                deny_keys=deny_keys,
                evaluation_keys=evaluation_keys,
                answer_only=answer_only,
                configured_lookalike=configured_lookalike,
                retry_after=retry_after,
                repeat_cache=repeat_cache,
                repeat_cache_bytes=repeat_cache_bytes,
            )
            engine = Engine(
                config,
                detector=detector,
                thresholds=thresholds,
                extractor=extractor,
                behaviour=behaviour,
                throttle=throttle,
                metrics=metrics,
                watch_index=watch_index,
                campaigns=campaigns,
                history=history,
            )
        self.app = app
        self.engine = engine
        self.max_answer_bytes = max_answer_bytes
        self.methods = frozenset(m.upper() for m in methods)
        self.include_paths = tuple(include_paths)
        self.exclude_paths = tuple(exclude_paths)
        self.max_body_bytes = max_body_bytes
        self.oversize = oversize
        self.client_key = client_key if client_key is not None else ClientIdentity()
        if client_features is None:
            identity = self.client_key if isinstance(self.client_key, ClientIdentity) else ClientIdentity()
            client_features = ClientFeatures(identity)
        self.client_features = client_features
        self.request_id_header = request_id_header.lower()
        self.request_id_generator = request_id_generator
        self.request_id_validator = request_id_validator
        self.expose_verdict = expose_verdict
        self.upstream_headers = upstream_headers
        self.log_prompts = log_prompts
        self.countermeasures = _countermeasure_settings(countermeasures)
        # Leak evidence being written: referenced until done (the loop keeps only weak references).
        self._leak_records: set[asyncio.Task[None]] = set()

    # The engine's parts, where code written against earlier versions looks for them.
    @property
    def detector(self) -> Detector:
        return self.engine.detector

    @property
    def behaviour(self) -> BehaviourTracker | None:
        return self.engine.behaviour

    @property
    def throttle(self) -> Throttle | None:
        return self.engine.throttle

    @property
    def metrics(self) -> Metrics:
        return self.engine.metrics

    @property
    def mode(self) -> Mode:
        return self.engine.config.mode

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
        strip_own_headers(scope)
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        headers = first_headers(scope)  # the values the app reads (Starlette's Headers.get)
        request_id = self.request_id_generator()
        incoming_id = headers.get(self.request_id_header, "")
        caller_id = incoming_id if incoming_id and self._valid_request_id(incoming_id) else None
        try:
            client = self.client_key(scope)
        except Exception:  # a user-supplied key function failing must not fail the request
            LOG.exception("querysentry client_key failed; using 'unknown'")
            client = "unknown"
        try:
            features = tuple(self.client_features(scope))
        except Exception:  # linkage is evidence on top: a failing callable costs only that
            LOG.exception("querysentry client_features failed; deciding without linkage")
            features = ()
        body = await read_body(receive, self.max_body_bytes)
        request = Request(
            request_id,
            client,
            body=body.data if body.complete and body.size <= self.max_body_bytes else None,
            headers=headers,
            path=scope.get("path", ""),
            oversize=not body.complete or body.size > self.max_body_bytes,
            disconnected=body.disconnected,
            signals=("identity_conflict",) if identity_conflict(scope) else (),
            features=features,
        )
        outcome = await self.engine.decide(request)
        if caller_id is not None:
            outcome = replace(outcome, caller_request_id=caller_id)
        scope.setdefault("state", {})["querysentry"] = outcome
        token = current_outcome.set(outcome)
        try:
            if LOG.isEnabledFor(logging.INFO):  # building the fields costs time on every request
                LOG.info(DECISION_MESSAGE, extra={"querysentry": outcome.log_fields(include_text=self.log_prompts)})
            annotate_span(outcome)
            if outcome.action in ("throttle", "block") or (outcome.status == "oversize" and self.oversize == "reject"):
                await self._reject(scope, receive, send, outcome)
                return
            if body.disconnected:
                return  # the client is gone; there is nobody to answer
            if self.upstream_headers and self.mode != "shadow":
                scope["headers"] = [*scope.get("headers", []), *upstream_headers(outcome)]
            sender = verdict_sender(send, outcome) if self.expose_verdict else send
            tap = self._answer_tap(sender, request, outcome)
            if tap is not None:
                sender = tap.send
            if self.countermeasures is None or self.mode == "shadow":
                await self.app(scope, replay_body(body, receive), sender)
            else:
                # The plan (reading the request's system prompt) is made while the app works on its
                # answer, so that it adds nothing to the time to first byte.
                planning = asyncio.ensure_future(self._countermeasure_plan(request, outcome))
                try:
                    await self.app(scope, replay_body(body, receive), _planned_send(sender, planning))
                finally:
                    if not planning.done():  # the app answered nothing
                        planning.cancel()
                        await asyncio.gather(planning, return_exceptions=True)
            if tap is not None:
                await tap.finish()
        finally:
            current_outcome.reset(token)

    async def aclose(self) -> None:
        """Close the engine's behaviour store and throttle; called when the app's lifespan ends."""
        if self._leak_records:  # leak evidence still being written goes to the store before it closes
            await asyncio.gather(*self._leak_records, return_exceptions=True)
        await self.engine.aclose()

    def reload(self) -> bool:
        """Load the index directory again and swap it in (``Engine.reload``)."""
        return self.engine.reload()

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

    def _answer_tap(self, send: Send, request: Request, outcome: Outcome) -> AnswerTap | None:
        """A tap on ``send`` recording the answer in the engine's conversation ledger
        (``Engine.answered``), read from what the client gets (after any countermeasure) in a
        worker thread; None when there is nothing to record it in."""
        conversation = outcome.conversation
        if self.engine.history is None or conversation is None or self.max_answer_bytes <= 0:
            return None
        engine, client = self.engine, request.client

        def read(body: bytes, content_type: str) -> None:
            engine.answered(client, conversation, answer_texts(body, content_type))

        async def record(body: bytes, content_type: str) -> None:
            await anyio.to_thread.run_sync(read, body, content_type)

        return AnswerTap(send, record, max_bytes=self.max_answer_bytes)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, outcome: Outcome) -> None:
        status = {"throttle": 429, "block": 403}.get(outcome.action, 413)
        wait = outcome.retry_after or self.engine.config.retry_after
        headers = {"retry-after": retry_after_header(wait)} if status == 429 else None
        response = error_response(scope.get("path", ""), status, request_id=outcome.request_id, headers=headers)
        await response(scope, receive, send)

    async def _countermeasure_plan(self, request: Request, outcome: Outcome) -> CountermeasurePlan:
        settings = self.countermeasures
        assert settings is not None
        system_prompt = None
        # A body the scan could not read (its shape, or its extractor failing) is not read again.
        if settings.leak_detection and request.body is not None and outcome.status not in ("unsupported", "error"):
            system_prompt = await anyio.to_thread.run_sync(self._system_prompt, request)
        verdict = outcome.client_verdict
        campaign = outcome.campaign
        member = (campaign is not None and level_rank(campaign.level) > 0) or (
            verdict is not None and verdict.cluster_id is not None
        )
        return settings.plan(
            level=_standing(outcome),
            client=outcome.client,
            campaign=member,
            system_prompt=system_prompt,
            on_leak=self._leak_reporter(outcome),
        )

    def _system_prompt(self, request: Request) -> str | None:
        """Worker thread: the request's system and developer text, read as the engine reads the
        body (the same extractor and limits); None when it cannot be read."""
        try:
            limit = self.engine.config.max_decompressed_bytes
            raw = decode_content(request.body or b"", request.content_encoding, limit)
            extracted = self.engine.extractor(raw, request.content_type, request.path)
        except Exception:  # unreadable here means unreadable to the scan too: nothing to guard
            return None
        return system_prompt_of(extracted.messages) or None

    def _leak_reporter(self, outcome: Outcome) -> Callable[[LeakEvent], None]:
        """``on_leak`` for one response: log each leak, record the client's evidence once.

        Called from the send path (or a worker thread when leak embedding is on), so the store
        write is handed to the event loop as a task.
        """
        loop = asyncio.get_running_loop()
        recorded = False

        def on_leak(event: LeakEvent) -> None:
            nonlocal recorded
            LOG.warning(
                LEAK_MESSAGE,
                extra={
                    "request_id": outcome.request_id,
                    "client": outcome.client,
                    "kind": event.kind,
                    "chars": event.matched_chars,
                    "escaped_chars": event.escaped_chars,
                    "leak_action": event.action,
                },
            )
            if not recorded and self.engine.behaviour is not None:
                recorded = True
                loop.call_soon_threadsafe(self._record_leak, outcome.client)

        return on_leak

    def _record_leak(self, client: str) -> None:
        task = asyncio.ensure_future(self._record_leak_evidence(client))
        self._leak_records.add(task)
        task.add_done_callback(self._leak_records.discard)

    async def _record_leak_evidence(self, client: str) -> None:
        behaviour = self.engine.behaviour
        assert behaviour is not None
        try:
            await behaviour.record(client, LEAK_EVIDENCE, time.time())
        except Exception:  # evidence on top: a failing store costs the record, never the response
            LOG.exception("querysentry could not record a response leak")


def _planned_send(send: Send, planning: asyncio.Future[CountermeasurePlan]) -> Send:
    """``send`` with the countermeasures of ``planning``, awaited at the response's first message."""
    wrapped: Send | None = None

    async def planned(message: Message) -> None:
        nonlocal wrapped
        if wrapped is None:
            try:
                wrapped = countermeasure_send(send, await planning)
            except Exception:  # countermeasures are on top: a failing plan costs them, not the response
                LOG.exception("querysentry could not plan countermeasures; the response passes unchanged")
                wrapped = send
        await wrapped(message)

    return planned


def _standing(outcome: Outcome) -> str:
    """The client level countermeasures act on: the strongest of the client's level, its
    campaign's level and the request's own action (``allow`` is ``ok``)."""
    levels: list[str] = [outcome.action]
    if outcome.client_verdict is not None:
        levels.append(outcome.client_verdict.level)
    if outcome.campaign is not None:
        levels.append(outcome.campaign.level)
    strongest = max(levels, key=level_rank)
    return "ok" if strongest == "allow" else strongest


def _countermeasure_settings(value: CountermeasureSettings | bool | None) -> CountermeasureSettings | None:
    if isinstance(value, CountermeasureSettings):
        return value
    if value is True:
        return CountermeasureSettings()
    if value is None or value is False:
        return None
    raise TypeError(f"countermeasures must be CountermeasureSettings, a bool or None, not {type(value).__name__}")
