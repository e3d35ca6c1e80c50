"""The rewriting engine for one response: SSE streams event by event, JSON bodies whole. Pure.

``StreamRewriter.feed(bytes) -> bytes`` parses the stream (``sse.SSEParser``), gives each JSON
event to its API shape's handler (``shapes``), runs every text piece through its channel's
filters (``pieces.TextPipeline``: ``<think>`` blocks, leaks, canary marks) and hands events out in
order as soon as every piece in them is decided. An event whose JSON was not changed and whose
pieces came out as they went in is sent as its original bytes; any other is serialised again
(``json.dumps``, compact, UTF-8). Events that are not JSON objects, not of a known shape, or not
parsed (oversized) pass unchanged.

Memory per response is bounded (``StreamLimits``): one incomplete event (``max_event_bytes``),
the events held while a filter waits (``max_held_bytes``; past it the filters must decide, see
``PieceFilter.release``), ``max_channels`` text channels (text of further channels is dropped
when filters would apply: the limit is far above any API's), and for each changed channel up to
``max_channel_text`` characters of what was sent, which the done events repeat (past it, they are
cut to what was kept).

``rewrite_json_body(bytes) -> bytes | None`` does the same for a whole body: the answer is judged
before any of it is sent, so a leak is cut at its start.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from querysentry.countermeasures.canary import CanaryConfig, CanaryMarker
from querysentry.countermeasures.leaks import LeakDetector
from querysentry.countermeasures.pieces import PieceFilter, TextPipeline
from querysentry.countermeasures.shapes import ChannelKind, ReasoningMode, StreamHandler, body_rewriter, stream_handler
from querysentry.countermeasures.shapes.gemini import is_gemini, rewrite_candidates
from querysentry.countermeasures.sse import DEFAULT_MAX_EVENT_BYTES, Dropped, Oversize, Passthrough, SSEEvent, SSEParser
from querysentry.countermeasures.think import ThinkTagFilter

__all__ = ["ResponseFilters", "StreamLimits", "StreamRewriter", "rewrite_json_body"]

# A whole text's leak guard holds everything: nothing of it is sent before it is judged.
_WHOLE = 1 << 40


@dataclass(frozen=True)
class StreamLimits:
    """Bounds on what one response may make the countermeasures hold (see the module docstring)."""

    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    oversize: Oversize = "cut"
    max_body_bytes: int = 8 << 20
    max_held_bytes: int = 2 << 20
    max_channels: int = 256
    max_channel_text: int = 1 << 20

    def __post_init__(self) -> None:
        if min(self.max_event_bytes, self.max_body_bytes, self.max_held_bytes) < 16 or self.max_channels < 1:
            raise ValueError("stream limits must be positive (byte limits >= 16)")
        if self.oversize not in ("pass", "cut"):
            raise ValueError("oversize must be 'pass' or 'cut'")


class ResponseFilters:
    """The text filters of one response, made per channel: ``<think>`` withholding (content, when
    reasoning is withheld), the leak guard (every channel, when there are secrets), canary marks
    (content, for a marked client)."""

    def __init__(self, *, withhold: bool = False, mode: ReasoningMode = "drop", marker: str = "[reasoning withheld]",
                 leaks: LeakDetector | None = None, canary: CanaryConfig | None = None) -> None:  # fmt: skip
        self.withhold = withhold
        self.mode: ReasoningMode = mode
        self.marker = marker
        self._leaks = leaks if leaks is not None and leaks.secrets else None
        self.canary = canary

    @property
    def leaks(self) -> LeakDetector | None:
        """The detector, once its secrets are known to be findable (compiled on first use, cached)."""
        if self._leaks is not None and not self._leaks.index:
            self._leaks = None  # every secret is too short to be found
        return self._leaks

    def applies(self, kind: ChannelKind) -> bool:
        """Whether any filter works on a channel of this kind."""
        return self.leaks is not None or (kind == "content" and (self.withhold or self.canary is not None))

    def pipeline(self, kind: ChannelKind, *, whole: bool = False) -> TextPipeline | None:
        stages: list[PieceFilter] = []
        if kind == "content" and self.withhold:
            stages.append(ThinkTagFilter(mode=self.mode, marker=self.marker))
        leaks = self.leaks
        if leaks is not None:
            stages.append(leaks.guard(hold_back=_WHOLE if whole else None))
        if kind == "content" and self.canary is not None:
            stages.append(CanaryMarker(self.canary))
        return TextPipeline(stages) if stages else None

    def whole(self, kind: ChannelKind, text: str) -> str:
        pipeline = self.pipeline(kind, whole=True)
        return text if pipeline is None or not text else pipeline.run(text)


class _Entry:
    """An event waiting to go out: until every text piece in it is decided."""

    __slots__ = ("event", "modified", "obj", "pending", "raw")

    def __init__(self, raw: bytes, event: SSEEvent | None = None, obj: dict[str, Any] | None = None) -> None:
        self.raw = raw
        self.event = event
        self.obj = obj
        self.pending = 0
        self.modified = False

    def output(self) -> bytes:
        if not self.modified or self.event is None or self.obj is None:
            return self.raw
        return self.event.with_data(json.dumps(self.obj, ensure_ascii=False, separators=(",", ":")))


class _Channel:
    __slots__ = ("after", "after_size", "ended", "feed", "modified", "overflow", "pipeline", "refs", "same")

    def __init__(self, pipeline: TextPipeline | None) -> None:
        self.pipeline = pipeline
        self.feed = pipeline.feeder() if pipeline is not None else None
        # Pieces waiting for their output: (event, the dict holding the piece, its key, the piece).
        self.refs: deque[tuple[_Entry, dict[str, Any], str, str]] = deque()
        self.modified = False
        self.same = 0  # characters sent unchanged before the first change
        self.after: list[str] = []  # what was sent from the first change on
        self.after_size = 0
        self.overflow = False
        self.ended = False


class StreamRewriter:
    """One ``text/event-stream`` response. Not thread-safe; one call at a time."""

    def __init__(self, filters: ResponseFilters, limits: StreamLimits | None = None) -> None:
        self.filters = filters
        self.limits = limits or StreamLimits()
        self._parser = SSEParser(max_event_bytes=self.limits.max_event_bytes, oversize=self.limits.oversize)
        self._handler: StreamHandler | None = None
        self._queue: deque[_Entry] = deque()
        self._held = 0  # bytes of the queued events
        self._channels: dict[Hashable, _Channel] = {}
        self._current: _Entry | None = None
        self.dropped_bytes = 0  # oversized events cut

    # -- the Context the shape handlers see ----------------------------------------------------

    @property
    def withhold(self) -> bool:
        return self.filters.withhold

    @property
    def mode(self) -> ReasoningMode:
        return self.filters.mode

    @property
    def marker(self) -> str:
        return self.filters.marker

    def text(self, key: Hashable, kind: ChannelKind, container: dict[str, Any], name: str) -> None:
        channel = self._channels.get(key)
        if channel is None:
            channel = self._open(key, kind)
        feed = channel.feed
        if feed is None:
            if channel.ended and self.filters.applies(kind):
                container[name] = ""  # past the channel limit, or after its end: not let through unfiltered
                self._mark_current()
            return
        entry = self._current
        assert entry is not None
        text: str = container[name]
        if not channel.refs:
            # Nothing of this channel is waiting (the usual case): an output can only be this piece's.
            outs = feed(text)
            if outs:
                self._settle(channel, entry, container, name, text, outs[0])
                return
            entry.pending += 1
            channel.refs.append((entry, container, name, text))
            return
        entry.pending += 1
        channel.refs.append((entry, container, name, text))
        self._resolve(channel, feed(text))

    def end(self, key: Hashable) -> None:
        channel = self._channels.get(key)
        if channel is None or channel.ended:
            return
        if channel.pipeline is not None:
            self._resolve(channel, channel.pipeline.flush())
        channel.pipeline = channel.feed = None
        channel.ended = True

    def final(self, key: Hashable, kind: ChannelKind, text: str) -> str:
        channel = self._channels.get(key)
        if channel is None:
            return self.filters.whole(kind, text)
        self.end(key)
        if not channel.modified:
            return text
        return text[: channel.same] + "".join(channel.after)

    def changed(self) -> None:
        self._mark_current()

    # -- bytes in, bytes out ---------------------------------------------------------------------

    def feed(self, data: bytes) -> bytes:
        """The bytes that can go out now. O(len(data)) plus the filters' cost."""
        for item in self._parser.feed(data):
            self._item(item)
        return self._drain()

    def close(self) -> bytes:
        """The stream ended: every channel ends, everything held goes out."""
        for item in self._parser.close():
            self._item(item)
        self._end_all()
        return self._drain()

    @property
    def held_bytes(self) -> int:
        return self._held + self._parser.buffered

    def _item(self, item: SSEEvent | Passthrough | Dropped) -> None:
        if not isinstance(item, SSEEvent):
            if isinstance(item, Dropped):
                self.dropped_bytes += item.size
            else:
                self._enqueue(_Entry(item.raw))
            return
        data = item.data
        if not data or data[:1] != b"{":
            stripped = data.strip() if data else b""
            if stripped == b"[DONE]":
                self._end_all()
            if not stripped.startswith(b"{"):
                self._enqueue(_Entry(item.raw))
                return
        obj = _json_object(data)  # type: ignore[arg-type]  # data is not None here
        if obj is None:
            self._enqueue(_Entry(item.raw))
            return
        if self._handler is None:
            self._handler = stream_handler(obj)
            if self._handler is None:
                self._enqueue(_Entry(item.raw))
                return
        entry = _Entry(item.raw, item, obj)
        self._current = entry
        try:
            keep = self._handler.event(obj, self)
        finally:
            self._current = None
        if keep or entry.pending:
            self._enqueue(entry)

    def _enqueue(self, entry: _Entry) -> None:
        self._queue.append(entry)
        self._held += len(entry.raw)
        if self._held > self.limits.max_held_bytes and self._queue[0].pending:
            for channel in self._channels.values():
                if channel.refs and channel.pipeline is not None:
                    self._resolve(channel, channel.pipeline.release())

    def _drain(self) -> bytes:
        queue = self._queue
        out: list[bytes] = []
        while queue and not queue[0].pending:
            entry = queue.popleft()
            self._held -= len(entry.raw)
            out.append(entry.output())
        return b"".join(out)

    def _open(self, key: Hashable, kind: ChannelKind) -> _Channel:
        if len(self._channels) >= self.limits.max_channels:
            channel = _Channel(None)
            channel.ended = True
        else:
            channel = _Channel(self.filters.pipeline(kind))
        self._channels[key] = channel
        return channel

    def _resolve(self, channel: _Channel, outs: list[str]) -> None:
        refs = channel.refs
        for out in outs:
            entry, container, name, original = refs.popleft()
            entry.pending -= 1
            self._settle(channel, entry, container, name, original, out)

    def _settle(self, channel: _Channel, entry: _Entry, container: dict[str, Any], name: str, original: str,
                out: str) -> None:  # fmt: skip
        """A piece's output is known: write it into its event if it differs, and keep what the
        channel sent for the done events."""
        if out == original and not channel.modified:
            channel.same += len(original)
            return
        if out != original:
            container[name] = out
            entry.modified = True
        channel.modified = True
        if channel.after_size + len(out) <= self.limits.max_channel_text:
            channel.after.append(out)
            channel.after_size += len(out)
        else:
            channel.overflow = True

    def _end_all(self) -> None:
        for key in list(self._channels):
            self.end(key)

    def _mark_current(self) -> None:
        if self._current is not None:
            self._current.modified = True


# The decoder's scanner (C when available): one call per event. Not in typeshed's stubs.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_object(data: bytes) -> dict[str, Any] | None:
    """``data`` as a JSON object, or None. The data of an SSE event is UTF-8 by definition, so it is
    decoded as such, and parsed with the decoder's C scanner in one call (``json.loads`` would
    first guess among UTF-8/16/32 and check whitespace in Python, for every event)."""
    try:
        text = data.decode("utf-8")
        obj, end = _SCAN(text, 0 if text[:1] == "{" else len(text) - len(text.lstrip(" \t\n\r")))
    except (ValueError, StopIteration, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if end != len(text) and text[end:].strip(" \t\n\r"):
        return None
    return obj if isinstance(obj, dict) else None


class _WholeBody:
    """The Context for a body that is not streamed: each text is filtered whole."""

    def __init__(self, filters: ResponseFilters) -> None:
        self.filters = filters

    @property
    def withhold(self) -> bool:
        return self.filters.withhold

    @property
    def mode(self) -> ReasoningMode:
        return self.filters.mode

    @property
    def marker(self) -> str:
        return self.filters.marker

    def text(self, key: Hashable, kind: ChannelKind, container: dict[str, Any], name: str) -> None:
        text = container[name]
        new = self.filters.whole(kind, text)
        if new != text:
            container[name] = new

    def end(self, key: Hashable) -> None:
        return None

    def final(self, key: Hashable, kind: ChannelKind, text: str) -> str:
        return self.filters.whole(kind, text)

    def changed(self) -> None:
        return None


def rewrite_json_body(body: bytes, filters: ResponseFilters) -> bytes | None:
    """The rewritten body, or None when it is not JSON of a known shape or needs no change.

    O(len(body)) plus the filters' cost. A JSON array is read as Gemini's unstreamed
    ``streamGenerateContent`` answer, each element filtered on its own.
    """
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return None
    ctx = _WholeBody(filters)
    changed = False
    if isinstance(obj, dict):
        rewriter = body_rewriter(obj)
        if rewriter is None:
            return None
        changed = rewriter(obj, ctx)
    elif isinstance(obj, list):
        for element in obj:
            if isinstance(element, dict) and is_gemini(element):
                changed |= rewrite_candidates(element, ctx)
    if not changed:
        return None
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
