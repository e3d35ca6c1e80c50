"""When the shared store is down: serve locally, probe it again now and then, say so once.

One state machine for every Redis-backed part (client behaviour, the throttle): while degraded,
calls are served by a local fallback and Redis is tried again only every ``retry_after`` seconds,
by the next real call (the probe); one WARNING per outage, ``on_fallback`` called once (a metrics
hook), and only the probe ends an outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

__all__ = ["OutageGate"]

LOG = logging.getLogger("querysentry")


class OutageGate:
    """``what`` names the part in log lines ("behaviour state", "the throttle"); ``fallback`` says what
    serves meanwhile. ``expected`` are the exceptions of an ordinary outage (logged without a
    traceback); anything else is logged with one."""

    def __init__(
        self,
        what: str,
        fallback: str,
        retry_after: float,
        *,
        expected: tuple[type[BaseException], ...] = (),
        on_fallback: Callable[[], None] | None = None,
    ) -> None:
        self.what = what
        self.fallback = fallback
        self.retry_after = retry_after
        self.expected = expected
        self.on_fallback = on_fallback
        self.degraded = False
        self._retry_at = 0.0  # monotonic time of the next Redis attempt while degraded

    def start_call(self) -> bool | None:
        """None: serve locally. False: use Redis. True: use Redis as the probe that may end an outage."""
        if not self.degraded:
            return False
        now = time.monotonic()
        if now < self._retry_at:
            return None
        # Push the next attempt out before awaiting, so that concurrent calls do not all probe at once.
        self._retry_at = now + self.retry_after
        return True

    def failed(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + self.retry_after
        if self.degraded:
            LOG.debug("Redis still unreachable for %s: %s: %s", self.what, type(exc).__name__, exc)
            return
        self.degraded = True
        if not self.expected or isinstance(exc, self.expected):
            LOG.warning(
                "Redis is unreachable for %s (%s: %s); using %s, retrying every %g s",
                self.what,
                type(exc).__name__,
                exc,
                self.fallback,
                self.retry_after,
            )
        else:  # Redis answered with an error, or a library did something unexpected: show the traceback
            LOG.error(
                "%s storage failed; using %s, retrying every %g s",
                self.what,
                self.fallback,
                self.retry_after,
                exc_info=exc,
            )
        if self.on_fallback is not None:
            try:
                self.on_fallback()
            except Exception:  # a broken metrics hook must not turn an outage into failed requests
                LOG.exception("on_fallback hook failed")

    def succeeded(self, probing: bool) -> None:
        # Only the probe ends an outage: a call sent before Redis went away may still complete, and
        # must not flip the state back and forth.
        if probing and self.degraded:
            self.degraded = False
            LOG.info("Redis is reachable again for %s", self.what)
