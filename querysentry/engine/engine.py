"""The decision engine: one request in, one outcome out, for live and recorded traffic alike.

extract → normalize → segment → embed → match (the detector), the client's behaviour, the
throttle, and ``querysentry.policy`` to combine them. Nothing here knows about ASGI: the
middleware, ``querysentry replay`` and library callers all build a ``Request`` and call
``decide`` (or ``decide_many`` for a batch that shares one encoder call), so recorded traffic is
decided exactly as live traffic is.

CPU work (decoding, parsing, the scan, the behaviour summary) runs in a worker thread; the event
loop only hashes a body for the repeat cache and does the store's I/O.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import anyio
import anyio.to_thread

from querysentry.batching import fast_embedder
from querysentry.behaviour.campaigns import CampaignMatch, CampaignRule, CampaignTracker, Instruction
from querysentry.behaviour.fingerprint import unit_hash
from querysentry.behaviour.history import ConversationLedger, FollowUp
from querysentry.behaviour.signals import request_evidence
from querysentry.behaviour.tracker import BehaviourTracker, RequestSummary
from querysentry.cache_scope import cache_scope
from querysentry.content import decode_content, scan_kind
from querysentry.detector import Detector
from querysentry.encoder.onnx_encoder import Encoder
from querysentry.engine.config import EngineConfig
from querysentry.engine.outcome import Outcome, Status
from querysentry.engine.repeat_cache import RepeatCache
from querysentry.engine.request import Request
from querysentry.engine.shared import SharedIntel, SharedUpdate
from querysentry.errors import ContentTooLargeError, UnsupportedPayloadError
from querysentry.extract import Extracted, extract_payload
from querysentry.index_watch import IndexWatcher
from querysentry.messages import Message, continues_conversation
from querysentry.metrics import Metrics
from querysentry.policy import (
    ANSWER_ONLY_SIGNAL,
    CONFIGURED_SIGNAL,
    answer_only,
    apply_mode,
    capped,
    combine,
    configured_lookalike,
    frame_lift,
    request_action,
    throttled,
)
from querysentry.scoring import Thresholds
from querysentry.threshold_files import load_thresholds
from querysentry.throttle import Throttle
from querysentry.verdict import Action, ClientVerdict, Verdict

__all__ = ["Engine", "Extractor", "default_detector"]

# A follow-up whose earlier turns this client did not send, or whose quoted answer the service
# did not give it (``history``): information, never a verdict by itself.
UNVERIFIED_FOLLOW_UP_SIGNAL = "unverified_follow_up"
LOG = logging.getLogger("querysentry")

Extractor = Callable[[bytes, str, str], Extracted]


@dataclass(frozen=True)
class _Scanned:
    """What the worker thread found: the API shape, the verdict and the behaviour summary."""

    api: str | None
    verdict: Verdict
    summary: RequestSummary | None
    truncated: bool
    campaign: CampaignMatch | None = None
    framed: bool = False  # ``policy.answer_only`` holds for the verdict (``EngineConfig.answer_only`` on)
    follow_up: FollowUp | None = None  # what the conversation ledger found (None: no ledger)


def _verified(follow_up: FollowUp | None) -> bool:
    """Whether the ledger verified the request's follow-up (False without a ledger)."""
    return follow_up is not None and follow_up.verified


class _ExtractorFailedError(Exception):
    """A user-supplied extractor raised something other than UnsupportedPayloadError."""


def default_detector(
    metrics: Metrics | None = None,
    thresholds: Thresholds | str | Path | None = None,
    *,
    multilingual: str | Path | None = None,
) -> Detector:
    """The shipped encoder, index and thresholds, with the caches live traffic needs.

    A chat resends its history and system prompt each turn: segment vectors are cached, and the
    encoder calls of concurrent requests are merged (micro-batching). ``multilingual``: the
    directory of an exported multilingual encoder, for the multilingual lane
    (``querysentry.multilingual``; off by default).
    """
    metrics = metrics if metrics is not None else Metrics.disabled()
    encoder = Encoder()
    embed = fast_embedder(encoder.encode, on_lookup=metrics.cache, on_batch=metrics.batch)
    loaded = load_thresholds(thresholds) if isinstance(thresholds, (str, Path)) else thresholds
    return Detector(encoder=encoder, embed=embed, search_cache=50_000, thresholds=loaded, multilingual=multilingual)


class Engine:
    """Decides requests: ``await engine.decide(Request(...))`` → ``Outcome``.

    ``config``: an ``EngineConfig`` (mode, actions, the unscanned policy, limits). ``detector``
    (default: ``default_detector``) and ``thresholds`` (only without a detector). ``extractor(body,
    content_type, path) -> Extracted`` replaces the built-in API shapes. ``behaviour``: a
    ``BehaviourTracker`` or a store URL (``memory://``, ``redis://…``); None turns client
    behaviour off. ``throttle``: a ``Throttle`` or a storage URL for one with the default rate;
    None refuses every throttled request with ``config.retry_after``. ``watch_index``: seconds
    between checks of the index directory (None: never). ``metrics``: Prometheus counters.
    ``campaigns``: a ``CampaignTracker``; ``"auto"`` (the default) to find campaigns across all
    clients in this deployment's traffic and match imported ones; ``"shared"`` to match only
    campaigns imported from intel bundles; None for none. ``history``: the
    ``ConversationLedger`` that tells a follow-up carrying this client's own earlier turns (and,
    behind the middleware, the service's own answers) from one whose history was written by the
    caller; an int is its ``max_turns``; None for none (every follow-up is then taken as sent).
    """

    def __init__(
        self,
        config: EngineConfig | None = None,
        *,
        detector: Detector | None = None,
        thresholds: Thresholds | str | Path | None = None,
        extractor: Extractor | None = None,
        behaviour: BehaviourTracker | str | None = "memory://",
        throttle: Throttle | str | None = "memory://",
        metrics: Metrics | None = None,
        watch_index: float | None = 5.0,
        campaigns: CampaignTracker | Literal["auto", "shared"] | None = "auto",
        history: ConversationLedger | int | None = 65_536,
    ) -> None:
        if detector is not None and thresholds is not None:
            raise ValueError("give thresholds to your detector, or thresholds without a detector, not both")
        self.config = config if config is not None else EngineConfig()
        self.metrics = metrics if metrics is not None else Metrics.disabled()
        self.detector = detector if detector is not None else default_detector(self.metrics, thresholds)
        self.extractor: Extractor = extractor if extractor is not None else extract_payload
        self.behaviour = BehaviourTracker(store=behaviour) if isinstance(behaviour, str) else behaviour
        if self.behaviour is not None and self.behaviour.backend.on_fallback is None:
            self.behaviour.backend.on_fallback = self.metrics.store_fallback
        if campaigns in ("auto", "shared"):
            # "auto" (the default) also finds campaigns in this deployment's own traffic; "shared"
            # matches only campaigns imported from intel bundles (RESULTS.md: what each costs).
            rule = CampaignRule(form_locally=campaigns == "auto")
            store = self.behaviour.backend if self.behaviour is not None else None
            campaigns = CampaignTracker(rule, store=store)
        assert not isinstance(campaigns, str)
        self.campaigns = campaigns
        self.history = ConversationLedger(history) if isinstance(history, int) else history
        self.throttle = Throttle(throttle) if isinstance(throttle, str) else throttle
        if self.throttle is not None and self.throttle.on_fallback is None:
            self.throttle.on_fallback = self.metrics.store_fallback
        handle = getattr(self.detector, "index_handle", None)  # absent on stand-in detectors in tests
        # Without an index handle there is no version to key repeats by: no repeat cache.
        entries = self.config.repeat_cache
        self._repeats: RepeatCache[_Scanned] | None = RepeatCache(entries) if entries and handle is not None else None
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
        # What other deployments shared (``querysentry intel import --index DIR``): campaigns
        # for the campaign tracker, patterns laid over the index.
        directory = getattr(handle, "directory", None)
        self._shared = (
            SharedIntel(
                directory,
                self.detector.encoder.fingerprint,
                self.detector.encoder.encode,
                dims=getattr(self.detector.encoder, "dims", None),
            )
            if directory
            else None
        )
        self._shared_every = watch_index if watch_index else None
        self._shared_checked = -math.inf
        self._shared_loading = False
        if self._shared is not None:
            self._apply_shared(self._read_shared())

    # -- the public surface ------------------------------------------------------------------

    async def decide(self, request: Request) -> Outcome:
        """Decide one request: scan it (off the event loop), add it to its client, apply policy."""
        started = time.perf_counter()
        if self._watcher is not None:
            self._watcher.poll()
        await self._poll_shared()
        status = self._admit(request)
        scanned: _Scanned | None = None
        if status == "scanned":
            status, scanned = await self._scan_or_recall(request)
        return await self._conclude(request, status, scanned, started)

    async def decide_many(self, requests: Sequence[Request]) -> list[Outcome]:
        """Decide a batch with one encoder call for all its texts (``querysentry replay``).

        Each request is decided exactly as ``decide`` would (same admission, same policy), and
        client behaviour is updated in the order given, so that a replay sees what the middleware
        would have seen. No time budget applies: nobody is waiting on a single request.
        """
        started = time.perf_counter()
        statuses = [self._admit(r) for r in requests]
        todo = [i for i, s in enumerate(statuses) if s == "scanned"]
        results: dict[int, tuple[Status, _Scanned | None]] = {}
        if todo:
            scanned = await anyio.to_thread.run_sync(self._scan_batch, [requests[i] for i in todo])
            results = dict(zip(todo, scanned))
        outcomes = []
        for i, request in enumerate(requests):
            status, found = results.get(i, (statuses[i], None))
            outcomes.append(await self._conclude(request, status, found, started, share=len(requests)))
        return outcomes

    def _read_shared(self) -> SharedUpdate | None:
        """Read the shared layer if it changed (embedding shared pattern texts: a worker thread's job)."""
        assert self._shared is not None
        try:
            return self._shared.load()
        except Exception:  # a broken layer keeps what was loaded before; logged, retried
            LOG.exception("querysentry could not load the shared intel layer; keeping the previous one")
            return None

    def _apply_shared(self, update: SharedUpdate | None) -> None:
        """On the event loop (the campaign tracker is not thread-safe): swap the new layer in."""
        if update is None:
            return
        if self.campaigns is not None:
            self.campaigns.load_shared(list(update.signatures), getattr(self.detector.encoder, "dims", None))
        try:
            index = self.detector.index_handle.set_overlay(update.overlay)
        except ValueError:
            LOG.exception("querysentry could not lay the shared patterns over the index; keeping the previous ones")
            return
        self.metrics.index_version(index.version)

    async def _poll_shared(self) -> None:
        if self._shared is None or self._shared_every is None or self._shared_loading:
            return
        now = time.monotonic()
        if now - self._shared_checked < self._shared_every:
            return
        self._shared_checked = now
        self._shared_loading = True  # one load at a time, however many requests arrive meanwhile
        try:
            update = await anyio.to_thread.run_sync(self._read_shared)
        finally:
            self._shared_loading = False
        self._apply_shared(update)

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

    async def aclose(self) -> None:
        """Close the behaviour store and the throttle (their Redis connections)."""
        closers = (
            ("behaviour store", self.behaviour.backend.close if self.behaviour is not None else None),
            ("throttle", self.throttle.aclose if self.throttle is not None else None),
        )
        for name, closer in closers:
            if closer is None:
                continue
            try:
                await closer()
            except Exception:  # shutting down: report, never raise
                LOG.exception("querysentry could not close the %s", name)

    # -- the steps ---------------------------------------------------------------------------

    def _admit(self, request: Request) -> Status:
        """Whether the request is scanned, and if not, why (before any work is spent on it)."""
        config = self.config
        if request.client in config.deny_keys:
            return "deny_list"
        if request.client in config.allow_keys:
            return "allow_list"
        if request.disconnected:
            return "disconnected"
        if request.oversize:
            return "oversize"
        if request.messages is None and scan_kind(request.content_type, config.content_types) is None:
            return "unsupported"
        return "scanned"

    async def _scan_or_recall(self, request: Request) -> tuple[Status, _Scanned | None]:
        """Scan in a worker thread (or recall this client's byte-identical request)."""
        config = self.config
        key = version = None
        data = request.body
        if self._repeats is not None and data is not None and len(data) <= config.repeat_cache_bytes:
            key = RepeatCache.key(request.client, request.path, request.content_type, request.content_encoding, data)
            version = self.detector.index_handle.current.version
            recalled = self._repeats.get(key, version)
            if recalled is not None:
                now = request.time if request.time is not None else time.time()
                return "scanned", self._recalled(recalled, request.client, now)
        deadline = time.monotonic() + config.time_budget
        try:
            with anyio.fail_after(config.time_budget):
                # Past its deadline the scan stops between steps instead of running on in an
                # abandoned thread.
                scanned = await anyio.to_thread.run_sync(self._scan, request, deadline, abandon_on_cancel=True)
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
        if self._repeats is not None and key is not None and version == scanned.verdict.index_version:
            self._repeats.put(key, version, scanned)
        return "scanned", scanned

    def _extract(self, request: Request) -> tuple[str | None, list[Message], bool]:
        """Worker thread: the request's messages, from its body unless it came with them."""
        if request.messages is not None:
            return request.api, list(request.messages), False
        raw = decode_content(request.body or b"", request.content_encoding, self.config.max_decompressed_bytes)
        try:
            extracted = self.extractor(raw, request.content_type, request.path)
        except (UnsupportedPayloadError, ContentTooLargeError):
            raise
        except Exception as exc:  # a user-supplied extractor failing must not fail the request
            raise _ExtractorFailedError() from exc
        return extracted.api, list(extracted.messages), bool(getattr(extracted, "truncated", False))

    def _summarise(
        self, verdict: Verdict, messages: Sequence[Message], framed: bool, follow_up: FollowUp | None = None
    ) -> RequestSummary | None:
        """``framed``: ``_answer_only(verdict)``, decided once per request by the caller."""
        if self.behaviour is None:
            return None
        # Read off the verdict as detected (a flag passed on unflagged below is not a near miss).
        lift = 0.0 if framed or not self.config.answer_only else frame_lift(verdict, self._thresholds())
        if self._tag_only(verdict) or framed:
            # A tag-only source's finding, or a request asking only for answers to benchmark-like
            # items (what evaluation customers send), is evidence for the client, not a flag; the
            # latter at ``BehaviourTracker.answer_only_weight``.
            verdict = replace(verdict, flagged=False)
        followed = _verified(follow_up)
        return self.behaviour.summarise(verdict, messages, framed=framed, followed=followed, frame_lift=lift)

    def _thresholds(self) -> Thresholds | None:
        return getattr(self.detector, "thresholds", None)  # absent on stand-in detectors in tests

    def _answer_only(self, verdict: Verdict) -> bool:
        """Whether ``config.answer_only`` applies (``policy.answer_only``)."""
        if self.config.answer_only is None:
            return False
        return answer_only(verdict, self._thresholds())

    def _tag_only(self, verdict: Verdict) -> bool:
        """Whether a tag-only intel source's shared pattern decided this verdict."""
        source = verdict.source
        if source is None:
            return False
        handle = getattr(self.detector, "index_handle", None)
        return handle is not None and source in handle.current.tag_only

    def _recalled(self, scanned: _Scanned, client: str, now: float) -> _Scanned:
        """A repeat answered from the cache: counted, at the campaign's level as it stands now."""
        match = scanned.campaign
        if self.campaigns is None:
            return scanned
        if match is None:
            self.campaigns.observe(client, None, now)  # counts the client's request
            return scanned
        return replace(scanned, campaign=self.campaigns.recall(match, client, now))

    def _instructions(
        self, verdicts: Sequence[Verdict], conversing: Sequence[bool], framed: Sequence[bool]
    ) -> list[Instruction | None]:
        """Worker thread: the instruction of each request that carries evidence (its deciding
        segment's vector, from the encoder's cache, and skeleton hash); None for the rest."""
        # With no campaign to match (the default, until an intel bundle is imported) the segment
        # vector is not fetched at all.
        if self.campaigns is None or not self.campaigns.active:
            return [None] * len(verdicts)
        wanted = [i for i, v in enumerate(verdicts) if v.segment is not None and request_evidence(v) > 0]
        found: list[Instruction | None] = [None] * len(verdicts)
        if not wanted:
            return found
        texts = [verdicts[i].segment.text for i in wanted]  # type: ignore[union-attr]
        vectors = self.detector.embed(texts)
        for row, i in enumerate(wanted):
            verdict = verdicts[i]
            category = verdict.category.value if verdict.category is not None else None
            # The role lets the campaign layer tell an app's own system prompt from a request.
            role = verdict.segment.role if verdict.segment is not None else None
            found[i] = Instruction(
                vectors[row],
                unit_hash(texts[row]),
                category,
                request_evidence(verdict),
                role,
                conversing[i],
                # A flag standing on the item's frame counts for the campaign, but its size alone
                # does not refuse (``CampaignRule.plain_to_act``).
                framed=framed[i],
            )
        return found

    def _campaign(
        self, request: Request, instruction: Instruction | None, follow_up: FollowUp | None
    ) -> CampaignMatch | None:
        if self.campaigns is None:
            return None
        # Observed with no instruction too: the tracker counts every request of a client.
        now = request.time if request.time is not None else time.time()
        followed = _verified(follow_up)
        return self.campaigns.observe(request.client, instruction, now, request.features, followed=followed)

    def _follow_up(self, request: Request, messages: Sequence[Message]) -> FollowUp | None:
        """Worker thread: what the ledger knows of this conversation (and it now knows this one).
        (A follow-up whose new turn brings the next benchmark item is verified too: a flashcard or
        reading app's every turn is one; RESULTS.md, thirteenth round, measured.)"""
        if self.history is None:
            return None
        now = request.time if request.time is not None else time.time()
        return self.history.follow_up(request.client, messages, now)

    def _conversing(self, messages: Sequence[Message], follow_up: FollowUp | None) -> bool:
        """Whether the request carries a conversation along: verifiably so, with a ledger."""
        if follow_up is None:
            return continues_conversation(messages)
        return follow_up.verified

    def answered(self, client: str, conversation: bytes, answers: Sequence[str], now: float | None = None) -> None:
        """The service answered ``client``'s request whose ``Outcome.conversation`` is ``conversation``
        with ``answers`` (the text of each choice), so that a follow-up quoting one is verified.
        The middleware calls it from the body it sent back (off the event loop: O(text))."""
        if self.history is not None:
            self.history.answered(client, conversation, answers, now if now is not None else time.time())

    def _scan(self, request: Request, deadline: float) -> _Scanned:
        """Worker thread: decode, extract, detect, summarise. Every step is bounded in its input."""
        cache_scope.set(request.client)  # this thread's context only: the caches answer this client alone
        api, messages, truncated = self._extract(request)
        verdict = self.detector.check(messages, deadline=deadline)
        framed = self._answer_only(verdict)
        follow_up = self._follow_up(request, messages)
        instruction = self._instructions([verdict], [self._conversing(messages, follow_up)], [framed])[0]
        campaign = self._campaign(request, instruction, follow_up)
        summary = self._summarise(verdict, messages, framed, follow_up)
        return _Scanned(api, verdict, summary, truncated, campaign, framed, follow_up)

    def _scan_batch(self, requests: Sequence[Request]) -> list[tuple[Status, _Scanned | None]]:
        """Worker thread: ``_scan`` for many requests with one ``check_many``."""
        results: list[tuple[Status, _Scanned | None]] = [("error", None)] * len(requests)
        extracted: list[tuple[int, str | None, list[Message], bool]] = []
        for i, request in enumerate(requests):
            try:
                api, messages, truncated = self._extract(request)
            except UnsupportedPayloadError:
                results[i] = ("unsupported", None)
            except ContentTooLargeError:
                results[i] = ("oversize", None)
            except Exception:
                LOG.exception("querysentry could not read a request; passing it through")
            else:
                extracted.append((i, api, messages, truncated))
        verdicts = self.detector.check_many([messages for _, _, messages, _ in extracted])
        framed = [self._answer_only(v) for v in verdicts]
        # In the order given: a conversation is known to the ledger before its follow-up is read.
        follow_ups = [self._follow_up(requests[i], messages) for i, _, messages, _ in extracted]
        conversing = [self._conversing(m, f) for (_, _, m, _), f in zip(extracted, follow_ups)]
        instructions = self._instructions(verdicts, conversing, framed)
        for (i, api, messages, truncated), verdict, instruction, held, follow_up in zip(
            extracted, verdicts, instructions, framed, follow_ups
        ):
            campaign = self._campaign(requests[i], instruction, follow_up)
            summary = self._summarise(verdict, messages, held, follow_up)
            results[i] = ("scanned", _Scanned(api, verdict, summary, truncated, campaign, held, follow_up))
        return results

    async def _conclude(
        self, request: Request, status: Status, scanned: _Scanned | None, started: float, *, share: int = 1
    ) -> Outcome:
        """The request's own action, its client's standing, the throttle, the mode: the outcome."""
        config = self.config
        now = request.time if request.time is not None else time.time()
        signals = request.signals
        standing: ClientVerdict | None = None
        own: Action
        summary: RequestSummary | None
        if status in ("deny_list", "allow_list", "disconnected"):  # decided before any reading
            own = "block" if status == "deny_list" else "allow"
        else:
            if scanned is None:  # nobody read the text: the unscanned policy, and evidence
                own, summary = config.unscanned, RequestSummary.not_scanned(config.unscanned_evidence)
            else:
                own, summary = request_action(scanned.verdict, config.actions), scanned.summary
                if self._tag_only(scanned.verdict):
                    own = capped(own, "tag")
                if scanned.framed:
                    held = capped(own, config.answer_only or own)
                    if held != own:
                        own, signals = held, (*signals, ANSWER_ONLY_SIGNAL)
                if config.configured_lookalike is not None and configured_lookalike(scanned.verdict):
                    held = capped(own, config.configured_lookalike)
                    if held != own:
                        own, signals = held, (*signals, CONFIGURED_SIGNAL)
                if scanned.truncated:
                    signals = (*signals, "truncated")
                if scanned.follow_up is not None and scanned.follow_up.status == "unverified":
                    signals = (*signals, UNVERIFIED_FOLLOW_UP_SIGNAL)
            if summary is not None and "identity_conflict" in signals:
                summary = summary.with_signal(config.identity_conflict_evidence)
            standing = await self._record(request.client, summary, now)
        campaign = scanned.campaign if scanned is not None else None
        if campaign is not None:
            await self._share(campaign, request.client, scanned, now)
        elif self.campaigns is not None:
            await self._refresh(now)
        wanted = combine(
            own,
            standing.level if standing is not None else None,
            campaign.level if campaign is not None else None,
        )
        if request.client in config.evaluation_keys:
            wanted = capped(wanted, "tag")
        wanted, retry = await self._throttle(request.client, wanted)
        verdict = scanned.verdict if scanned is not None else None
        outcome = Outcome(
            request.request_id,
            request.client,
            status,
            apply_mode(config.mode, wanted),
            verdict=verdict,
            latency_ms=(time.perf_counter() - started) * 1000 / share,
            api=scanned.api if scanned is not None else None,
            would_act=wanted if wanted != "allow" else None,
            client_verdict=standing,
            signals=signals,
            retry_after=retry,
            campaign=campaign,
            conversation=scanned.follow_up.digest if scanned is not None and scanned.follow_up is not None else None,
            ts=now,
            line=request.line,
            label=request.label,
        )
        self.metrics.decision(outcome.action, outcome.status, outcome.category, outcome.latency_ms / 1000)
        if verdict is not None:
            self.metrics.index_version(verdict.index_version)
        return outcome

    async def _share(self, match: CampaignMatch, client: str, scanned: _Scanned | None, now: float) -> None:
        """Count a campaign member's request where replicas see it; never fails the request."""
        assert self.campaigns is not None
        evidence = request_evidence(scanned.verdict) if scanned is not None else 0.0
        try:
            await self.campaigns.publish(match, client, evidence, now)
        except Exception:
            LOG.exception("querysentry could not share campaign state; deciding on this replica's view")

    async def _refresh(self, now: float) -> None:
        assert self.campaigns is not None
        try:
            await self.campaigns.refresh(now)
        except Exception:
            LOG.exception("querysentry could not load other replicas' campaigns")

    async def _record(self, client: str, summary: RequestSummary | None, now: float) -> ClientVerdict | None:
        if self.behaviour is None or summary is None:
            return None
        try:
            standing = await self.behaviour.record(client, summary, now)
        except Exception:  # client behaviour is evidence on top; its failure must not fail the request
            LOG.exception("querysentry behaviour update failed; deciding on the request alone")
            return None
        self.metrics.client(standing.level, standing.risk, standing.cluster_id is not None)
        return standing

    async def _throttle(self, client: str, wanted: Action) -> tuple[Action, int | None]:
        """A throttled request in enforce mode meets the rate limiter; its true wait comes back."""
        if wanted != "throttle" or apply_mode(self.config.mode, wanted) != "throttle":
            return wanted, None
        if self.throttle is None:
            return wanted, self.config.retry_after
        try:
            decision = await self.throttle.hit(client, "throttle")
        except Exception:  # the limiter failing must not fail the request: refuse as before
            LOG.exception("querysentry throttle failed; refusing with the configured retry_after")
            return wanted, self.config.retry_after
        action = throttled(wanted, decision.allowed)
        return action, None if action != "throttle" else int(decision.retry_after)
