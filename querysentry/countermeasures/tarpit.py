"""Tarpit: a flagged client's response is slowed instead of refused.

Between throttling (a 429 the client can retry at once from another key) and blocking, a tarpit
lets the request through and makes each answer slow, which costs a distillation campaign wall
time per sample without telling it that it was caught. ``Pacer`` paces one response: before each
body chunk it waits at least ``delay_per_chunk`` seconds, and long enough to hold the response
under ``bytes_per_second`` (counted from the first chunk, so time the upstream already took
counts), and never more than ``max_total_delay`` seconds in all: a response is slowed, never hung.

``sleep`` and ``clock`` are injectable so that tests count the delays instead of timing them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

__all__ = ["Pacer", "TarpitSettings"]


@dataclass(frozen=True)
class TarpitSettings:
    """``bytes_per_second``: the most a response may deliver on average (None: no rate);
    ``delay_per_chunk``: a fixed wait before each chunk; ``max_total_delay``: the bound on all waits."""

    bytes_per_second: float | None = None
    delay_per_chunk: float = 0.0
    max_total_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.bytes_per_second is not None and self.bytes_per_second <= 0:
            raise ValueError("bytes_per_second must be > 0")
        if self.delay_per_chunk < 0 or self.max_total_delay < 0:
            raise ValueError("delays must be >= 0")

    @property
    def active(self) -> bool:
        return self.max_total_delay > 0 and (self.bytes_per_second is not None or self.delay_per_chunk > 0)


class Pacer:
    """The waits of one response; ``await pacer.wait(size)`` before sending ``size`` bytes."""

    def __init__(self, settings: TarpitSettings, *, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._started: float | None = None
        self._sent = 0
        self.delayed = 0.0  # seconds waited so far
        self.waits = 0

    def delay_for(self, size: int) -> float:
        """How long to wait before sending ``size`` more bytes (without waiting)."""
        settings = self.settings
        now = self._clock()
        if self._started is None:
            self._started = now
        delay = settings.delay_per_chunk
        if settings.bytes_per_second is not None:
            due = (self._sent + size) / settings.bytes_per_second  # seconds the bytes so far may take
            delay = max(delay, due - (now - self._started))
        return max(0.0, min(delay, settings.max_total_delay - self.delayed))

    async def wait(self, size: int) -> float:
        delay = self.delay_for(size)
        self._sent += size
        if delay > 0:
            self.delayed += delay
            self.waits += 1
            await self._sleep(delay)
        return delay
