"""``redis://``: behaviour state shared by every replica, through one Lua script per update.

Design:

- **One atomic script per update.** ``bump`` is ``lua/bump.lua``, the same computation as
  ``querysentry.storage.base.apply_bump``, run inside Redis: read the hash, decay, add, trim, write it
  back, refresh the TTL, return it. Two replicas bumping the same client at once therefore never lose
  an update, and each request costs one round trip. Floats cross the wire as ``%.17g`` / ``repr``
  strings, so Redis and memory compute from identical doubles and agree to the last bit.
- **Hash tags.** A logical key ``k`` is stored at ``prefix:{k}``, inside braces, so that a Redis
  Cluster puts it in the slot of ``k`` alone; every script call touches that one key only, which is
  what Cluster requires of a script.
- **TTLs.** Every bump refreshes the key's expiry (``Decay.ttl``), so clients that stop sending
  disappear on their own and Redis memory tracks the active population, not the historical one.
- **Fallback.** Behaviour state is advisory: losing it for a while must never fail a request. When
  Redis is unreachable (connection refused or reset, timeout), calls are served from a local
  ``MemoryStore``, one warning is logged per outage and ``on_fallback`` is called (a metrics hook).
  While degraded, Redis is tried again only every ``retry_after`` seconds (by the next real call), so
  an outage does not add a socket timeout to every request. When it answers again, Redis is used
  again; the local state gathered during the outage is *not* merged back (it covers only this
  replica and a short time, and decayed counters rebuild within a few requests).

``RedisStore.from_url("redis://host:6379/0?prefix=qs&socket_timeout=0.25&retry_after=5")``: the three
options are ours, every other part of the URL goes to ``redis.asyncio.from_url``.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from querysentry.errors import QuerySentryError
from querysentry.storage.base import Decay
from querysentry.storage.memory import MemoryStore
from querysentry.storage.outage import OutageGate

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["RedisNotInstalledError", "RedisStore"]

LOG = logging.getLogger("querysentry")

_INSTALL_HINT = "the redis:// store needs the redis package: pip install 'querysentry[redis]'"


class RedisNotInstalledError(QuerySentryError, ImportError):
    """``redis://`` was asked for but the ``redis`` package is not installed."""


def _outage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "Redis is not there right now", as opposed to a bug or a bad reply."""
    try:
        from redis import exceptions
    except ImportError as exc:
        raise RedisNotInstalledError(_INSTALL_HINT) from exc
    return (
        exceptions.ConnectionError,  # includes BusyLoadingError, refused and reset connections
        exceptions.TimeoutError,
        # A replica promoted while we still talk to the old primary, or a cluster mid-failover: both
        # pass, and serving locally meanwhile beats failing requests.
        exceptions.ReadOnlyError,
        exceptions.ClusterDownError,
        TimeoutError,
        asyncio.TimeoutError,  # not the builtin before Python 3.11
        OSError,
    )


@lru_cache(maxsize=1)
def _bump_source() -> str:
    return resources.files("querysentry.storage").joinpath("lua/bump.lua").read_text(encoding="utf-8")


# Query options of a redis:// URL that are ours; redis-py gets the others.
_URL_OPTIONS = ("prefix", "socket_timeout", "retry_after")


class RedisStore:
    """Counter hashes in Redis, with a local ``MemoryStore`` while Redis is unreachable.

    ``client`` is a ``redis.asyncio.Redis`` (or a cluster client) used from one event loop. The
    fallback state is not merged back into Redis when it returns: during an outage each replica
    decides from what it saw itself, and after it the shared state (older, but decayed the same way)
    takes over again.
    """

    def __init__(
        self,
        client: Redis | RedisCluster,
        *,
        prefix: str = "qs",
        retry_after: float = 5.0,
        fallback: MemoryStore | None = None,
        on_fallback: Callable[[], None] | None = None,
    ) -> None:
        if not prefix:
            raise ValueError("prefix must not be empty")
        if not retry_after >= 0:
            raise ValueError("retry_after must be >= 0 seconds")
        self.prefix = prefix
        self.retry_after = retry_after
        self.fallback = fallback if fallback is not None else MemoryStore()
        self._client = client
        self._outage_errors = _outage_errors()
        self._gate = OutageGate(
            "behaviour state", "local in-memory behaviour state", retry_after, on_fallback=on_fallback
        )
        self._script: AsyncScript = client.register_script(_bump_source())

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        fallback: MemoryStore | None = None,
        on_fallback: Callable[[], None] | None = None,
    ) -> RedisStore:
        """A store for a ``redis://`` or ``rediss://`` URL; ``fallback`` and ``on_fallback`` as in ``__init__``.

        Query options: ``prefix`` (default ``qs``), ``socket_timeout`` in seconds (default 0.25: a
        slow Redis must not slow every request), ``retry_after`` in seconds (default 5).
        """
        try:
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
        except ImportError as exc:
            raise RedisNotInstalledError(_INSTALL_HINT) from exc
        parts = urlsplit(url)
        ours: dict[str, str] = {}
        rest: list[tuple[str, str]] = []
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name in _URL_OPTIONS:
                ours[name] = value
            else:
                rest.append((name, value))
        prefix = ours.get("prefix", "qs")
        if not prefix:
            raise ValueError(f"redis:// option prefix must not be empty in {_redact(url)!r}")
        socket_timeout = _seconds(ours, "socket_timeout", 0.25, url, positive=True)
        retry_after = _seconds(ours, "retry_after", 5.0, url, positive=False)
        client = redis.asyncio.from_url(
            urlunsplit(parts._replace(query=urlencode(rest))),
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,  # a socket_connect_timeout in the URL wins over this
            # One immediate retry reconnects a pooled connection that a Redis restart closed; more, or
            # a backoff, would only delay the fallback.
            retry=Retry(NoBackoff(), 1),
        )
        try:
            # Builds (does not connect) a connection, so that a misspelt option fails here and not on
            # the first request.
            client.connection_pool.make_connection()  # type: ignore[no-untyped-call]
        except TypeError as exc:
            raise ValueError(f"bad option in {_redact(url)!r}: {exc}") from None
        return cls(client, prefix=prefix, retry_after=retry_after, fallback=fallback, on_fallback=on_fallback)

    @property
    def on_fallback(self) -> Callable[[], None] | None:
        return self._gate.on_fallback

    @on_fallback.setter
    def on_fallback(self, hook: Callable[[], None] | None) -> None:
        self._gate.on_fallback = hook

    @property
    def degraded(self) -> bool:
        """True while calls are served from the local fallback because Redis was unreachable."""
        return self._gate.degraded

    def redis_key(self, key: str) -> str:
        """Where ``key`` lives in Redis: ``prefix:{key}``, the braces being a Cluster hash tag."""
        return f"{self.prefix}:{{{key}}}"

    async def bump(self, key: str, increments: Mapping[str, float], now: float, decay: Decay) -> dict[str, float]:
        probing = self._gate.start_call()
        if probing is None:
            return await self.fallback.bump(key, increments, now, decay)
        args: list[str | int] = [
            repr(float(now)),
            repr(float(decay.half_life)),
            repr(float(decay.window)),
            decay.max_fields,
            max(1, math.ceil(decay.ttl * 1000.0)),
        ]
        for name, value in increments.items():
            args.append(name)
            args.append(repr(float(value)))
        try:
            flat = await self._script(keys=[self.redis_key(key)], args=args)
        except self._outage_errors as exc:
            self._gate.failed(exc)
            return await self.fallback.bump(key, increments, now, decay)
        self._gate.succeeded(probing)
        return _pairs(flat)

    async def get(self, key: str) -> dict[str, float]:
        probing = self._gate.start_call()
        if probing is None:
            return await self.fallback.get(key)
        try:
            fields = await self._client.hgetall(self.redis_key(key))
        except self._outage_errors as exc:
            self._gate.failed(exc)
            return await self.fallback.get(key)
        self._gate.succeeded(probing)
        return {_text(name): float(value) for name, value in fields.items()}

    async def ping(self) -> bool:
        """Whether Redis answers now. Leaves the degraded state alone: only real calls change it."""
        try:
            return bool(await self._client.ping())
        except self._outage_errors:
            return False

    async def close(self) -> None:
        # The fallback holds no connections, and may be shared: it is left as it is.
        await self._client.aclose()

def _seconds(options: Mapping[str, str], name: str, default: float, url: str, *, positive: bool) -> float:
    raw = options.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(
            f"redis:// option {name} must be a number of seconds {bound}, not {raw!r}, in {_redact(url)!r}"
        )
    return value


def _redact(url: str) -> str:
    """``url`` without its password, for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pairs(flat: Sequence[bytes | str]) -> dict[str, float]:
    it = iter(flat)
    return {_text(name): float(value) for name, value in zip(it, it)}
