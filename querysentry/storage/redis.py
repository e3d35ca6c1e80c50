"""``redis://``: behaviour state shared by every replica, through one Lua script per update.

Design:

- **One atomic script per update.** ``bump`` is ``lua/bump.lua``, the same computation as
  ``querysentry.storage.base.apply_bump``, run inside Redis: read the hash, decay, add, trim, write it
  back, refresh the TTL, return it. Two replicas bumping the same client at once therefore never lose
  an update, and each request costs one round trip. Floats cross the wire as ``%.17g`` / ``repr``
  strings, so Redis and memory compute from identical doubles and agree to the last bit.
- **Hash tags.** A logical key ``k`` is stored at ``prefix:{k}``, inside braces, so that a Redis
  Cluster puts it in the slot of ``k`` alone; every script call touches that one key only (``KEYS[1]``,
  nothing else), which is what Cluster requires of a script. A prefix may not contain ``{``: its
  braces would become the hash tag and put every key of the store in one slot.
- **TTLs.** Every bump refreshes the key's expiry (``Decay.ttl``), so clients that stop sending
  disappear on their own and Redis memory tracks the active population, not the historical one.
- **Fallback.** Behaviour state is advisory: losing it for a while must never fail a request. When
  Redis is unreachable (connection refused or reset, timeout), calls are served from a local
  ``MemoryStore``, one warning is logged per outage and ``on_fallback`` is called (a metrics hook).
  While degraded, Redis is tried again only every ``retry_after`` seconds (by the next real call), so
  an outage does not add a socket timeout to every request. When it answers again, Redis is used
  again; the local state gathered during the outage is *not* merged back (it covers only this
  replica and a short time, and decayed counters rebuild within a few requests).
- **Redis Cluster.** ``redis+cluster://host:port[,host:port…]`` (the scheme of ``limits``' cluster
  storage, so one URL serves this store and ``querysentry.throttle``) makes the client a
  ``redis.asyncio.RedisCluster``, which finds the other nodes from any one listed and follows
  ``MOVED`` and ``ASK`` redirections itself (a slot being resharded, a failover). The script's one
  key is in one slot by construction, and the script never deletes it midway, which a slot being
  migrated would turn into a lost hash (``lua/bump.lua`` says why). A master that is down, or a
  cluster that is not ``ok``, is an outage like any other: served locally, as above.

``RedisStore.from_url("redis://host:6379/0?prefix=qs&socket_timeout=0.25&retry_after=5")``: the three
options are ours, every other part of the URL goes to ``redis.asyncio.from_url``. A
``redis+cluster://`` URL takes those three options only (its nodes share one configuration, and a
``limits`` cluster storage accepts no others either), an optional ``user:password@`` and no
database but 0, the only one a cluster has.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from querysentry.errors import QuerySentryError
from querysentry.storage.base import Decay
from querysentry.storage.memory import MemoryStore
from querysentry.storage.outage import OutageGate

if TYPE_CHECKING:
    from redis.asyncio import Redis, RedisCluster
    from redis.commands.core import AsyncScript

__all__ = ["CLUSTER_SCHEME", "RedisNotInstalledError", "RedisStore", "cluster_nodes"]

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
        # What the cluster client raises when no listed node answers, or when a slot has no node
        # (a master down): a Cluster outage. Its other uses (keys of two slots in one call) cannot
        # happen here, every call having one key.
        exceptions.RedisClusterException,
        TimeoutError,
        asyncio.TimeoutError,  # not the builtin before Python 3.11
        OSError,
    )


@lru_cache(maxsize=1)
def _bump_source() -> str:
    return resources.files("querysentry.storage").joinpath("lua/bump.lua").read_text(encoding="utf-8")


# Query options of a redis:// URL that are ours; redis-py gets the others.
_URL_OPTIONS = ("prefix", "socket_timeout", "retry_after")
CLUSTER_SCHEME = "redis+cluster"


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
        if "{" in prefix:
            raise ValueError(f"prefix must not contain '{{' (it would become every key's Cluster hash tag): {prefix!r}")
        if not retry_after >= 0:
            raise ValueError("retry_after must be >= 0 seconds")
        self.prefix = prefix
        self.retry_after = retry_after
        self.fallback = fallback if fallback is not None else MemoryStore()
        self._client = client
        self._outage_errors = _outage_errors()  # first: it says how to install redis if it is missing
        self._cluster = _is_cluster(client)
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
        """A store for a ``redis://``, ``rediss://`` or ``redis+cluster://`` URL; ``fallback`` and
        ``on_fallback`` as in ``__init__``.

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
        if "{" in prefix:
            raise ValueError(f"redis:// option prefix must not contain '{{' in {_redact(url)!r}")
        socket_timeout = _seconds(ours, "socket_timeout", 0.25, url, positive=True)
        retry_after = _seconds(ours, "retry_after", 5.0, url, positive=False)
        if parts.scheme == CLUSTER_SCHEME:
            cluster = _cluster_client(url, rest, socket_timeout)
            return cls(cluster, prefix=prefix, retry_after=retry_after, fallback=fallback, on_fallback=on_fallback)
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
        """Where ``key`` lives in Redis: ``prefix:{key}``, the braces being a Cluster hash tag.

        The tag ends at the key's first ``}``, if it has one: such keys may share a slot with others,
        which changes only how keys spread over the nodes, since every call still has one key.
        """
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
        """Whether Redis answers now (for a cluster: every master, since a master that is down
        fails the keys of its slots). Leaves the degraded state alone: only real calls change it."""
        try:
            if self._cluster:
                return bool(await self._client.ping(target_nodes="primaries"))  # RedisCluster.PRIMARIES
            return bool(await self._client.ping())
        except self._outage_errors:
            return False

    async def close(self) -> None:
        # The fallback holds no connections, and may be shared: it is left as it is.
        await self._client.aclose()


def cluster_nodes(url: str) -> list[tuple[str, int]]:
    """The ``(host, port)`` of each node listed in a ``redis+cluster://`` URL. Pure.

    ``ValueError`` for a node without a port, an empty list, or a database other than 0 (a cluster
    has only that one). The store and the throttle both check their URL with this, so they accept
    the same node lists.
    """
    parts = urlsplit(url)
    hosts = parts.netloc.rpartition("@")[2]
    nodes: list[tuple[str, int]] = []
    for location in hosts.split(","):
        try:
            node = urlsplit(f"//{location.strip()}")
            host, port = node.hostname, node.port
        except ValueError:  # a port that is not a number, or out of range
            host = port = None
        if not host or port is None:
            raise ValueError(
                f"{CLUSTER_SCHEME}:// needs host:port for every node, not {location!r}, in {_redact(url)!r}"
            )
        nodes.append((host, port))
    if parts.path.strip("/") not in ("", "0"):
        raise ValueError(f"a Redis Cluster has only database 0, not {parts.path!r}, in {_redact(url)!r}")
    return nodes


def _cluster_client(url: str, rest: Sequence[tuple[str, str]], socket_timeout: float) -> RedisCluster:
    if rest:
        # The same rule as the throttle's: limits builds its cluster client from the nodes alone.
        names = ", ".join(sorted({name for name, _ in rest}))
        raise ValueError(
            f"{CLUSTER_SCHEME}:// takes only prefix, socket_timeout and retry_after, not {names}, in {_redact(url)!r}"
        )
    nodes = cluster_nodes(url)
    from redis.asyncio.cluster import ClusterNode, RedisCluster
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    parts = urlsplit(url)
    return RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in nodes],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        # The cluster client's retry is a count: one more attempt after re-reading the slot map,
        # enough to follow a failover; more would only delay the fallback. Redirections (MOVED, ASK)
        # are followed apart from this, up to 16 per command.
        retry=Retry(NoBackoff(), 1),
    )


def _is_cluster(client: object) -> bool:
    from redis.asyncio.cluster import RedisCluster

    return isinstance(client, RedisCluster)


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
