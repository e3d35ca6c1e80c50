"""What a shape module gets from the rewriting engine, and small helpers they share."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Literal, Protocol

__all__ = ["ChannelKind", "Context", "ReasoningMode", "count_below"]

ChannelKind = Literal["content", "reasoning"]
ReasoningMode = Literal["drop", "replace"]


class Context(Protocol):
    """The engine's side of one response.

    A *channel* is one text stream inside the response (a choice's content, a content block's
    text, a reasoning summary), named by a hashable key the shape module chooses; ``kind`` says
    which filters it gets (``content``: ``<think>`` blocks withheld, leaks cut, canary marks;
    ``reasoning`` that is kept: leaks cut).
    """

    @property
    def withhold(self) -> bool: ...

    @property
    def mode(self) -> ReasoningMode: ...

    @property
    def marker(self) -> str: ...

    def text(self, key: Hashable, kind: ChannelKind, container: dict[str, Any], name: str) -> None:
        """A streamed piece of a channel, the string ``container[name]`` of the current event; its
        output is written back there when it differs."""

    def end(self, key: Hashable) -> None:
        """The channel's text is complete (a no-op for a channel never seen)."""

    def final(self, key: Hashable, kind: ChannelKind, text: str) -> str:
        """The whole text of a channel as sent (a done event, a non-streamed body): for a streamed
        channel, what its pieces became; otherwise ``text`` run through the channel's filters."""

    def changed(self) -> None:
        """The shape module changed the event object itself (removed a field, renumbered)."""


def count_below(values: list[int], limit: int) -> int:
    """How many of ``values`` are below ``limit`` (few values: removed reasoning items)."""
    return sum(1 for value in values if value < limit)
