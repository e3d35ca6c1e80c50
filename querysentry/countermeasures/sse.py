"""An incremental ``text/event-stream`` parser with a bound on what it holds. Pure.

Events are cut at blank lines (``\\n``, ``\\r\\n`` or ``\\r`` line ends, mixed freely, as the
WHATWG grammar allows) and handed out with their exact bytes, so that an event nobody changes is
forwarded byte for byte. Fields are read only when asked for.

Memory: between calls the parser holds at most ``max_event_bytes`` of one incomplete event (plus
the last three bytes of an oversized one, to find where it ends); during a call, that plus the
chunk being fed. An event that grows past the bound is never
parsed: with ``oversize="pass"`` its bytes are handed on as they arrive (``Passthrough``), with
``oversize="cut"`` they are dropped up to the blank line that ends it (``Dropped``). Either way the
next event is parsed again. Cost: every byte is searched once for a boundary (a regular-expression
scan in C), so feeding a stream of n bytes in any chunking is O(n).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "Dropped", "Oversize", "Passthrough", "SSEEvent", "SSEItem", "SSEParser"]

Oversize = Literal["pass", "cut"]
DEFAULT_MAX_EVENT_BYTES = 1 << 20

# A line end is CRLF, LF, or a CR not followed by LF; two in a row end an event.
_LINE_END = rb"(?:\r\n|\n|\r(?!\n))"
_BOUNDARY = re.compile(_LINE_END + _LINE_END)
_LINE = re.compile(rb"([^\r\n]*)(\r\n|\n|\r|$)")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Passthrough:
    """Bytes of an oversized event, handed on unparsed."""

    raw: bytes


@dataclass(frozen=True)
class Dropped:
    """Bytes of an oversized event that were cut (``oversize="cut"``)."""

    size: int


class SSEEvent:
    """One event: its exact bytes (with the blank line that ended it, if any) and, on demand, its fields."""

    __slots__ = ("_data", "_parsed", "raw")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._parsed = False
        self._data: bytes | None = None

    @property
    def data(self) -> bytes | None:
        """The ``data`` field (lines joined by ``\\n``); None when the event has no data line."""
        if not self._parsed:
            self._data = _data_of(self.raw)
            self._parsed = True
        return self._data

    def with_data(self, data: str) -> bytes:
        """This event's bytes with its data lines replaced by one ``data: …`` line (``data`` has no line end).

        Other lines (``event:``, ``id:``, ``retry:``, comments) keep their place and bytes, and the
        line ends and the ending (blank line or none, at the end of a stream) are the event's own.
        """
        encoded = b"data: " + data.encode("utf-8")
        out: list[bytes] = []
        placed = False
        blank = None
        for line, end in _lines(self.raw):
            if not line and blank is None:
                blank = len(out)
            if _field_name(line.removeprefix(_BOM)) == b"data":
                if not placed:
                    out.append(encoded + end)
                    placed = True
                continue
            out.append(line + end)
        if not placed:
            out.insert(len(out) if blank is None else blank, encoded + _first_line_end(self.raw))
        return b"".join(out)


SSEItem = SSEEvent | Passthrough | Dropped


def _lines(raw: bytes) -> list[tuple[bytes, bytes]]:
    """The lines of an event with their line ends, the blank line included. O(len(raw))."""
    out: list[tuple[bytes, bytes]] = []
    position = 0
    size = len(raw)
    while position < size:
        match = _LINE.match(raw, position)
        if match is None:  # pragma: no cover - the pattern matches any position
            break
        out.append((match.group(1), match.group(2)))
        position = match.end()
    return out


def _field_name(line: bytes) -> bytes:
    name, _, _ = line.partition(b":")
    return name


def _first_line_end(raw: bytes) -> bytes:
    match = re.search(_LINE_END, raw)
    return match.group(0) if match else b"\n"


def _data_of(raw: bytes) -> bytes | None:
    # The common case, one ``data: …`` line and the blank line, read without splitting lines.
    if raw[:6] == b"data: ":
        cut = 2 if raw[-2:] == b"\n\n" else 4 if raw[-4:] == b"\r\n\r\n" else 0
        if cut:
            value = raw[6:-cut]
            if b"\n" not in value and b"\r" not in value:
                return value
    values: list[bytes] = []
    for line, _end in _lines(raw):
        name, colon, value = line.removeprefix(_BOM).partition(b":")
        if name != b"data":
            continue
        if colon and value.startswith(b" "):
            value = value[1:]
        values.append(value)
    return b"\n".join(values) if values else None


class SSEParser:
    """Feed bytes as they arrive; get complete events (and oversize pass-through or drops) back, in order."""

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES, oversize: Oversize = "cut") -> None:
        if max_event_bytes < 16:
            raise ValueError("max_event_bytes must be >= 16")
        if oversize not in ("pass", "cut"):
            raise ValueError("oversize must be 'pass' or 'cut'")
        self.max_event_bytes = max_event_bytes
        self.oversize: Oversize = oversize
        self._buffer = bytearray()
        self._searched = 0  # bytes of the buffer already searched for a boundary (less a 3-byte overlap)
        self._skipping = False
        self._skip_tail = b""  # the last bytes of a skipped event, where a boundary may begin

    @property
    def buffered(self) -> int:
        """Bytes held between calls (at most ``max_event_bytes`` + 3)."""
        return len(self._buffer) + len(self._skip_tail)

    def feed(self, data: bytes) -> list[SSEItem]:
        """The items completed by ``data``. O(len(data)) amortised."""
        items: list[SSEItem] = []
        if self._skipping:
            data = self._skip(data, items)
            if self._skipping:
                return items
        elif not self._buffer and data.endswith(b"\n\n") and len(data) <= self.max_event_bytes:
            # The usual chunk: one whole event, nothing held before it.
            first = _BOUNDARY.search(data)
            if first is not None and first.end() == len(data):
                return [SSEEvent(data)]
        self._buffer += data
        self._cut(items, closing=False)
        return items

    def close(self) -> list[SSEItem]:
        """The end of the stream: what remains is one last event without its blank line."""
        items: list[SSEItem] = []
        self._cut(items, closing=True)
        if self._buffer:
            items.append(SSEEvent(bytes(self._buffer)))
            self._buffer.clear()
        self._skipping = False
        self._skip_tail = b""
        return items

    def _cut(self, items: list[SSEItem], *, closing: bool) -> None:
        buffer = self._buffer
        start = 0
        search_from = max(0, self._searched - 3)
        while True:
            match = _BOUNDARY.search(buffer, search_from)
            if match is None:
                break
            end = match.end()
            # A CR at the very end may be the first half of a CRLF still on its way.
            if end == len(buffer) and buffer[-1:] == b"\r" and not closing:
                break
            items.append(SSEEvent(bytes(buffer[start:end])))
            start = search_from = end
        if start:
            del buffer[:start]
        self._searched = len(buffer)
        if len(buffer) > self.max_event_bytes:
            self._begin_skip(items)

    def _begin_skip(self, items: list[SSEItem]) -> None:
        held = bytes(self._buffer)
        self._buffer.clear()
        self._searched = 0
        self._skipping = True
        self._skip_tail = held[-3:]
        items.append(Passthrough(held) if self.oversize == "pass" else Dropped(len(held)))

    def _skip(self, data: bytes, items: list[SSEItem]) -> bytes:
        """Hand on (or drop) an oversized event's bytes up to its end; return what follows it."""
        window = self._skip_tail + data
        match = _BOUNDARY.search(window)
        if match is not None and match.end() == len(window) and window[-1:] == b"\r":
            match = None  # as in ``_cut``: wait for the byte after a trailing CR
        if match is None:
            self._skip_tail = window[-3:]
            if data:
                items.append(Passthrough(data) if self.oversize == "pass" else Dropped(len(data)))
            return b""
        through = match.end() - len(self._skip_tail)  # bytes of ``data`` that belong to the oversized event
        if through > 0:
            items.append(Passthrough(data[:through]) if self.oversize == "pass" else Dropped(through))
        self._skipping = False
        self._skip_tail = b""
        return data[max(through, 0) :]
