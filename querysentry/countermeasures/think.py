"""``<think>…</think>`` blocks inside answer text, withheld as the text streams. Pure.

Open-weight reasoning models (and models told to "think in tags") write their reasoning into the
answer itself. ``ThinkTagFilter`` removes each block (``mode="drop"``, with the blank lines that
follow it) or puts a short marker in its place (``mode="replace"``). Tags are matched without
regard to case; ``<think>`` and ``<thinking>`` are both known.

Streaming: a tag may be split across pieces (``"<th"`` + ``"ink>"``), so the filter holds back only
a possible partial tag at the end of what it has seen (at most ``len("</thinking>") - 1`` = 10
characters) and decides it when the next piece comes; text inside a block is decided at once
(dropped). A block still open when the text ends is dropped to the end (its reasoning is not
let out because the model never closed it). Cost: O(length of the text); each character is read
once by a regular-expression search, plus at most 10 held characters per piece.

Not handled: a reasoning model whose template opens the block in the prompt, so that the answer
begins inside a block and shows only ``</think>`` (the filter cannot know, while streaming, that
what it already sent was reasoning); tags with attributes.
"""

from __future__ import annotations

import re
from typing import Literal

from querysentry.countermeasures.pieces import PendingPieces

__all__ = ["DEFAULT_TAGS", "ThinkMode", "ThinkTagFilter", "strip_think_blocks"]

ThinkMode = Literal["drop", "replace"]
DEFAULT_TAGS: tuple[str, ...] = ("think", "thinking")


class ThinkTagFilter:
    """A ``PieceFilter`` that withholds ``<think>`` blocks from a stream of text pieces."""

    def __init__(self, *, mode: ThinkMode = "drop", marker: str = "[reasoning withheld]",
                 tags: tuple[str, ...] = DEFAULT_TAGS) -> None:  # fmt: skip
        if mode not in ("drop", "replace"):
            raise ValueError("mode must be 'drop' or 'replace'")
        if not tags or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", tag) for tag in tags):
            raise ValueError("tags must be plain tag names")
        self.mode: ThinkMode = mode
        self.marker = marker
        names = "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))
        self._open = re.compile(f"<(?:{names})>", re.IGNORECASE)
        self._close = re.compile(f"</(?:{names})>", re.IGNORECASE)
        self._open_tags = tuple(f"<{tag.lower()}>" for tag in tags)
        self._close_tags = tuple(f"</{tag.lower()}>" for tag in tags)
        self._longest = max(len(tag) for tag in self._close_tags)
        self._pending = PendingPieces()
        self._buffer = ""  # undecided text (a possible partial tag)
        self._start = 0  # absolute offset of ``_buffer``
        self._inside = False
        self._strip_blank = False  # drop mode: the blank lines right after a closed block go too
        self.blocks = 0  # blocks withheld so far

    def feed(self, piece: str) -> list[str]:
        if not self._pending and not self._inside and not self._strip_blank and "<" not in piece:
            return [piece]  # nothing held and no tag can start here
        self._pending.add(len(piece))
        self._buffer += piece
        self._scan(final=False)
        return self._pending.resolve(self._start)

    def release(self) -> list[str]:
        # What is held is a possible partial tag: it is dropped rather than sent, so that a tag
        # completed later cannot let a block through. The match itself is lost with it.
        self._start += len(self._buffer)
        self._buffer = ""
        return self._pending.resolve_all()

    def flush(self) -> list[str]:
        self._scan(final=True)
        self._start += len(self._buffer)
        self._buffer = ""
        return self._pending.resolve_all()

    def _scan(self, *, final: bool) -> None:
        text = self._buffer
        position = 0
        while True:
            if self._inside:
                found = self._close.search(text, position)
                if found is None:
                    # Reasoning is dropped as it comes; only a possible partial closing tag waits.
                    keep = 0 if final else _partial_tag(text, position, self._close_tags, self._longest)
                    position = len(text) - keep
                    break
                self._inside = False
                self._strip_blank = self.mode == "drop"
                position = found.end()
                continue
            found = self._open.search(text, position)
            if found is None:
                keep = 0 if final else _partial_tag(text, position, self._open_tags, self._longest)
                self._send(text, position, len(text) - keep, final=final)
                position = len(text) - keep
                break
            self._send(text, position, found.start(), final=True)
            if self.mode == "replace":
                self._pending.emit(self._start + found.start(), self.marker)
            self.blocks += 1
            self._inside = True
            position = found.end()
        self._start += position
        self._buffer = text[position:]

    def _send(self, text: str, start: int, end: int, *, final: bool) -> None:
        if start >= end:
            return
        if self._strip_blank:
            stripped = len(text[start:end]) - len(text[start:end].lstrip())
            if stripped == end - start and not final:
                return  # still only blank: the next piece may bring more of it
            start += stripped
            self._strip_blank = False
        self._pending.keep(self._start + start, text[start:end])


def _partial_tag(text: str, start: int, tags: tuple[str, ...], longest: int) -> int:
    """How many characters at the end of ``text[start:]`` may begin one of ``tags`` (0: none)."""
    lt = text.rfind("<", max(start, len(text) - longest + 1))
    if lt == -1:
        return 0
    tail = text[lt:].lower()
    return len(tail) if any(tag.startswith(tail) for tag in tags) else 0


def strip_think_blocks(text: str, *, mode: ThinkMode = "drop", marker: str = "[reasoning withheld]") -> str:
    """A whole text with its ``<think>`` blocks withheld (for a body that is not streamed). O(len(text))."""
    think = ThinkTagFilter(mode=mode, marker=marker)
    return "".join([*think.feed(text), *think.flush()])
