"""Throttling as a real rate limit per client, whose ``Retry-After`` is the true wait.

What a client gets, by its level (``querysentry.policy``):

- ``ok``, ``tag``: never limited by this (no rate, no storage call), unless a rate is configured
  for that level on purpose.
- ``throttle``: ``rates["throttle"]`` requests (default 6 a minute) in any window of that length;
  they pass, tagged. Beyond that, 429 with ``Retry-After`` set to the whole number of seconds after
  which its next request *will* pass (``ThrottleDecision.retry_after``). An SDK that honours
  ``Retry-After`` (openai, anthropic) therefore retries once, when it works, instead of spending its
  retries on a wait that was never going to be long enough.
- ``block``: refused with 403 by the middleware before any rate is looked at; it has no rate here.

Strategy: **moving window** (``limits.aio.strategies.MovingWindowRateLimiter``), because the truth
of ``Retry-After`` matters most. Each accepted request leaves a timestamp; a request passes when
fewer than N timestamps are younger than the window, so the true wait is exactly "the oldest
timestamp in the window + the window - now", and ``get_window_stats`` returns that reset to the
microsecond on both backends (Redis keeps the timestamps as the floats we sent). A fixed window's
reset on Redis comes from ``TTL``, rounded to whole seconds, so its ``Retry-After`` can be short by
up to a second, and a fixed window lets 2N requests through around each boundary. Refused requests
leave no timestamp, so a client hammering while refused does not push its own reset out.
Cost: up to N timestamps per limited client (Redis: one list of at most N entries, expiring after
one window); an accepted request is one round trip (one Lua script), a refused one two (the script,
then an O(log N) read of the window).

Storage: ``memory://`` (this process only) or the Redis the behaviour state uses: ``redis://host:port/db``,
``rediss://…``, ``redis+cluster://host:port,host:port`` (through the ``redis`` package, >= 5.2). Keys
are ``querysentry:throttle:LIMITER/<level>/<hash of the client key>/<rate>``: the client key is
hashed, so neither an address nor whatever a custom ``client_key`` returns is ever stored, and
every request touches one key (fine for Redis Cluster). Timestamps are this process's
``time.time()``: replicas sharing a Redis need synchronised clocks (NTP), or a replica's
``Retry-After`` is off by its skew for entries another replica wrote.

Resilience, as in ``querysentry.storage.redis``: when Redis is unreachable, decisions come from a
local in-memory limiter, one warning is logged per outage and ``on_fallback`` is called; Redis is
tried again every ``retry_after`` seconds (by the next real call), and used again once it answers.
The local limiter starts empty, so during an outage a throttled client gets a fresh N on each
replica. ``hit`` never raises: if even the local limiter fails, the request is refused with the
whole window as its wait, which is a true upper bound for a moving window.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisClusterStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError
from limits.util import WindowStats

from querysentry.policy import LEVELS
from querysentry.storage.outage import OutageGate
from querysentry.storage.redis import RedisNotInstalledError, _outage_errors, _redact, _seconds, cluster_nodes

__all__ = [
    "DEFAULT_RATES",
    "KEY_PREFIX",
    "Throttle",
    "ThrottleDecision",
    "client_id",
    "decide",
    "parse_rates",
    "retry_after_header",
    "wait_seconds",
]

LOG = logging.getLogger("querysentry")

KEY_PREFIX = "querysentry:throttle"
DEFAULT_RATES: Mapping[str, str] = {"throttle": "6/minute"}
# Block is refused outright (403) before any rate is asked: a rate for it would never be used.
_RATED_LEVELS = tuple(level for level in LEVELS if level != "block")
_URL_OPTIONS = ("socket_timeout", "retry_after")
_SCHEMES = {"redis": "async+redis", "rediss": "async+rediss", "redis+cluster": "async+redis+cluster"}
_INSTALL_HINT = "a redis:// throttle needs the redis package (>= 5.2): pip install 'querysentry[redis]'"


@dataclass(frozen=True)
class ThrottleDecision:
    """``allowed``: let the request through. ``retry_after``: when refused, the whole seconds (>= 1)
    after which the client's next request will pass; 0 when allowed."""

    allowed: bool
    retry_after: int = 0


_ALLOWED = ThrottleDecision(allowed=True)


def wait_seconds(reset_time: float, now: float) -> int:
    """The smallest whole number of seconds ``s >= 1`` with ``now + s > reset_time``. Pure.

    Strictly after: ``limits`` still refuses a request made exactly at the reset (the oldest entry
    is then exactly one window old, and counts), so an exact ``ceil`` would be one second short
    whenever the wait is a whole number.
    """
    wait = reset_time - now
    if not math.isfinite(wait) or wait < 0:
        return 1
    return math.floor(wait) + 1


def retry_after_header(seconds: float) -> str:
    """The ``Retry-After`` value for a wait of ``seconds``: delta-seconds, a whole number >= 1
    (rounded up, never down: a shorter wait would make the retry fail). Pure."""
    if not math.isfinite(seconds) or seconds < 1:
        return "1"
    return str(math.ceil(seconds))


def client_id(client: str) -> str:
    """An opaque, fixed-length stand-in for a client key (a 128-bit BLAKE2b digest, in hex).

    Client keys are ``key:<hmac>`` or ``ip:<address>`` by default, but a custom ``client_key`` may
    return anything, a raw API key included: only the digest is ever stored.
    """
    return hashlib.blake2b(client.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def parse_rates(rates: Mapping[str, str]) -> dict[str, RateLimitItem]:
    """``{"throttle": "10/minute"}`` → ``limits`` items; ``ValueError`` for anything it cannot honour."""
    items: dict[str, RateLimitItem] = {}
    for level, rate in rates.items():
        if level == "block":
            raise ValueError("level 'block' takes no rate: its clients are refused with 403 regardless")
        if level not in _RATED_LEVELS:
            raise ValueError(f"unknown client level {level!r} in rates; valid levels: {', '.join(_RATED_LEVELS)}")
        try:
            parsed = parse_many(rate)
        except (TypeError, ValueError):
            parsed = []
        if len(parsed) != 1:
            raise ValueError(
                f"rate for {level!r} must be one limits rate string such as '10/minute' or '20 per 2 hours', "
                f"not {rate!r}"
            )
        item = parsed[0]
        if item.amount < 1:
            raise ValueError(f"rate for {level!r} must allow at least one request, not {rate!r}")
        items[level] = item
    return items


class Throttle:
    """A moving-window rate limit per (client, level), on ``memory://`` or Redis. Use it from one
    event loop (the app's); close it with ``aclose``.

    ``storage``: ``memory://``, ``redis://host:port/db``, ``rediss://…`` or
    ``redis+cluster://host:port,host:port``, with two options of ours in the query string:
    ``socket_timeout`` (seconds, default 0.25: a slow Redis must not slow every throttled request)
    and ``retry_after`` (seconds between attempts to reach Redis during an outage, default 5).
    ``rates``: client level → one ``limits`` rate string (default ``{"throttle": "6/minute"}``);
    levels without a rate are never limited. ``on_fallback``: called once per Redis outage (a
    metrics hook). Raises ``ValueError`` for a bad rate, level, URL or option.
    """

    def __init__(
        self,
        storage: str = "memory://",
        *,
        rates: Mapping[str, str] = DEFAULT_RATES,
        on_fallback: Callable[[], None] | None = None,
    ) -> None:
        self.rates: dict[str, RateLimitItem] = parse_rates(rates)
        self._gate = OutageGate("throttle", "a local in-memory rate limit", 5.0, on_fallback=on_fallback)
        self._local_storage = MemoryStorage()
        self._local = MovingWindowRateLimiter(self._local_storage)
        self._shared_storage: Storage | None = None
        self._shared: MovingWindowRateLimiter | None = None
        self._client: Any = None  # the redis-py client under limits' storage, for aclose
        self.url = _redact(storage)
        scheme = urlsplit(storage).scheme
        if scheme == "memory":
            if urlsplit(storage).query:
                raise ValueError(f"memory:// takes no options, not {storage!r}")
            return
        if scheme not in _SCHEMES:
            raise ValueError(
                f"unsupported throttle storage {self.url!r}: use memory://, redis://, rediss:// or redis+cluster://"
            )
        self._open_redis(storage)

    def _open_redis(self, url: str) -> None:
        parts = urlsplit(url)
        ours: dict[str, str] = {}
        rest: list[tuple[str, str]] = []
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name in _URL_OPTIONS:
                ours[name] = value
            else:
                rest.append((name, value))
        cluster = parts.scheme == "redis+cluster"
        if cluster and rest:
            # limits builds the cluster client from the hosts alone: other options would be dropped silently.
            names = ", ".join(sorted({name for name, _ in rest}))
            raise ValueError(
                f"redis+cluster:// takes only socket_timeout and retry_after, not {names}, in {self.url!r}"
            )
        if cluster:
            # The store's check of the node list, so both reject the same lists; and a missing port is
            # reported as such, not as limits' ConfigurationError (which below means a missing package).
            cluster_nodes(url)
        socket_timeout = _seconds(ours, "socket_timeout", 0.25, url, positive=True)
        self._gate.retry_after = _seconds(ours, "retry_after", 5.0, url, positive=False)
        try:
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
            from redis.exceptions import RedisClusterException
        except ImportError as exc:
            raise RedisNotInstalledError(_INSTALL_HINT) from exc
        self._gate.expected = (
            *_outage_errors(),
            RedisClusterException,  # "cannot be connected": no node of the cluster answers
        )
        target = urlunsplit(parts._replace(scheme=_SCHEMES[parts.scheme], query=urlencode(rest)))
        options: dict[str, Any] = {
            "socket_timeout": socket_timeout,
            "socket_connect_timeout": socket_timeout,
            # One immediate retry reconnects a pooled connection a Redis restart closed; more, or a
            # backoff, would only delay the fallback.
            "retry": Retry(NoBackoff(), 1),
        }
        if cluster:
            # limits passes the URL's credentials on still percent-encoded; redis-py and the store decode them.
            for name in ("username", "password"):
                value = getattr(parts, name)
                if value:
                    options[name] = unquote(value)
        kind = RedisClusterStorage if cluster else RedisStorage
        try:
            storage = kind(target, implementation="redispy", key_prefix=KEY_PREFIX, **options)
        except ConfigurationError as exc:  # the redis package is missing or older than limits needs
            raise RedisNotInstalledError(f"{_INSTALL_HINT} ({exc})") from exc
        except (TypeError, ValueError) as exc:
            raise ValueError(f"bad throttle storage URL {self.url!r}: {exc}") from None
        self._client = getattr(getattr(storage, "bridge", None), "storage", None)
        if not cluster:
            try:
                # Builds (does not connect) a connection, so a misspelt option fails here, not on a request.
                self._client.connection_pool.make_connection()
            except TypeError as exc:
                raise ValueError(f"bad option in {self.url!r}: {exc}") from None
        self._shared_storage = storage
        self._shared = MovingWindowRateLimiter(storage)

    @property
    def retry_after(self) -> float:
        """Seconds between attempts to reach Redis during an outage."""
        return self._gate.retry_after

    @property
    def on_fallback(self) -> Callable[[], None] | None:
        return self._gate.on_fallback

    @on_fallback.setter
    def on_fallback(self, hook: Callable[[], None] | None) -> None:
        self._gate.on_fallback = hook

    @property
    def degraded(self) -> bool:
        """True while decisions come from the local limiter because Redis was unreachable."""
        return self._gate.degraded

    def limits(self, level: str) -> bool:
        """Whether clients at ``level`` are rate limited at all (have a rate)."""
        return level in self.rates

    async def hit(self, client: str, level: str, now: float | None = None) -> ThrottleDecision:
        """Count one request of ``client`` at ``level`` and say whether it may pass. Never raises.

        ``now``: the current ``time.time()`` (the clock ``limits`` stamps entries with), used to turn
        the window's reset into a wait; default: read it. A level without a rate is always allowed
        and costs nothing. Cost: one storage round trip if allowed, two if refused.
        """
        item = self.rates.get(level)
        if item is None:
            return _ALLOWED
        ids = (level, client_id(client))
        try:
            return await self._hit(item, ids, now)
        except Exception:  # the local limiter failed too (a bug): refuse, with a wait that is still true
            LOG.exception("querysentry throttle failed; refusing for one window")
            return ThrottleDecision(allowed=False, retry_after=max(1, item.get_expiry()))

    async def _hit(self, item: RateLimitItem, ids: tuple[str, str], now: float | None) -> ThrottleDecision:
        probing = self._gate.start_call()
        if self._shared is not None and probing is not None:
            try:
                allowed = await self._shared.hit(item, *ids)
                stats = None if allowed else await self._shared.get_window_stats(item, *ids)
            except Exception as exc:  # whatever Redis does, the request is decided locally
                self._gate.failed(exc)
            else:
                self._gate.succeeded(probing)
                return decide(allowed, stats, time.time() if now is None else now)
        allowed = await self._local.hit(item, *ids)
        stats = None if allowed else await self._local.get_window_stats(item, *ids)
        return decide(allowed, stats, time.time() if now is None else now)

    async def aclose(self) -> None:
        """Close the Redis connections and stop the local limiter's expiry task. Idempotent."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
        for storage in (self._local_storage, self._shared_storage):
            timer = getattr(storage, "timer", None)  # MemoryStorage's background expiry task
            if timer is not None and not timer.done():
                timer.cancel()

def decide(allowed: bool, stats: WindowStats | None, now: float) -> ThrottleDecision:
    """The decision from a hit's outcome and, when refused, the window read just after it. Pure."""
    if allowed:
        return _ALLOWED
    if stats is None or stats.remaining > 0:
        # A slot freed between the refused hit and the read: a request now would pass.
        return ThrottleDecision(allowed=False, retry_after=1)
    return ThrottleDecision(allowed=False, retry_after=wait_seconds(stats.reset_time, now))
