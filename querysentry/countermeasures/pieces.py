"""Streaming text filters that answer piece by piece. Pure.

A streamed answer arrives as pieces of text, one per event (a token or a few). A filter may need
to see what follows a piece before it can say what to send for it (a ``<thi`` that may become
``<think>``, letters that may be the start of a copied secret), so it answers for each piece in
order, possibly later: ``feed(piece)`` returns the outputs of the oldest pieces now decided, which
may be none, or several. The caller keeps each piece's event until its output is known, and
forwards the event's original bytes when the output equals the input. That is how an answer that
needs no change goes out byte for byte even though filters held parts of it back.

``release()`` decides every held piece now (each filter says how, keeping its state) and is what
bounds the memory of a caller that holds events; ``flush()`` ends the text.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

__all__ = ["PendingPieces", "PieceFilter", "TextPipeline"]


class PieceFilter(Protocol):
    def feed(self, piece: str) -> list[str]:
        """Outputs for the oldest undecided pieces (this one included when decided), in order."""
        ...

    def release(self) -> list[str]:
        """Decide every held piece now; the filter's state (inside a block, after a leak) is kept."""
        ...

    def flush(self) -> list[str]:
        """The text ended: decide every held piece."""
        ...


class PendingPieces:
    """Bookkeeping for a filter that holds pieces: where each undecided piece lies in the text, and
    the output gathered for it so far.

    Positions are absolute character offsets in the filter's input. ``keep(position, text)`` says
    that input text starting at ``position`` goes out unchanged: it is split at the pieces'
    boundaries, so that each piece's output is its own text again. ``emit(position, text)`` puts
    new text (a marker, a replacement) on the piece holding ``position`` (the last piece when it is
    past the end). ``resolve(upto)`` hands out, in order, the outputs of pieces lying wholly before
    ``upto``. Filters decide in increasing position and resolve as they go, so few pieces are
    pending and each call is O(pending pieces + len(text)).
    """

    __slots__ = ("_ends", "_outs", "total")

    def __init__(self) -> None:
        self._ends: deque[int] = deque()
        self._outs: deque[list[str]] = deque()
        self.total = 0  # characters added so far

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, size: int) -> None:
        self.total += size
        self._ends.append(self.total)
        self._outs.append([])

    def emit(self, position: int, text: str) -> None:
        ends = self._ends
        if not text or not ends:
            return  # nothing left to carry it: the text it belonged to was already sent
        for index, end in enumerate(ends):
            if position < end:
                self._outs[index].append(text)
                return
        self._outs[-1].append(text)

    def keep(self, position: int, text: str) -> None:
        ends = self._ends
        if not text or not ends:
            return
        index = 0
        while index < len(ends) - 1 and ends[index] <= position:
            index += 1
        while text:
            room = ends[index] - position if index < len(ends) - 1 else len(text)
            if room > 0:
                self._outs[index].append(text[:room])
                text = text[room:]
                position += room
            index += 1

    def resolve(self, upto: int) -> list[str]:
        outs: list[str] = []
        ends = self._ends
        while ends and ends[0] <= upto:
            ends.popleft()
            outs.append("".join(self._outs.popleft()))
        return outs

    def resolve_all(self) -> list[str]:
        return self.resolve(self.total)


class TextPipeline:
    """Filters in a row: the outputs of one are the pieces of the next, piece for piece."""

    __slots__ = ("_stages",)

    def __init__(self, stages: Sequence[PieceFilter]) -> None:
        self._stages = tuple(stages)

    def feeder(self) -> Callable[[str], list[str]]:
        """``feed``, or the only stage's own ``feed`` (one call less per piece)."""
        return self._stages[0].feed if len(self._stages) == 1 else self.feed

    def feed(self, piece: str) -> list[str]:
        stages = self._stages
        if len(stages) == 1:
            return stages[0].feed(piece)
        outs = [piece]
        for stage in stages:
            nxt: list[str] = []
            for out in outs:
                nxt.extend(stage.feed(out))
            outs = nxt
        return outs

    def release(self) -> list[str]:
        return self._drain(final=False)

    def flush(self) -> list[str]:
        return self._drain(final=True)

    def _drain(self, *, final: bool) -> list[str]:
        outs: list[str] = []
        for stage in self._stages:
            nxt: list[str] = []
            for out in outs:
                nxt.extend(stage.feed(out))
            nxt.extend(stage.flush() if final else stage.release())
            outs = nxt
        return outs

    def run(self, text: str, *, slice_chars: int = 256) -> str:
        """The whole output for a whole text, fed in slices of ``slice_chars`` (as a stream would
        come) and flushed. O(len(text)) plus the filters' own cost."""
        outs: list[str] = []
        for start in range(0, len(text), slice_chars):
            outs.extend(self.feed(text[start : start + slice_chars]))
        outs.extend(self.flush())
        return "".join(outs)
