"""Where client behaviour lives: ``memory://`` (default, bounded) or Redis (shared by replicas).

``store_from_url("memory://?max_keys=100000")``, ``store_from_url("redis://localhost:6379/0?prefix=qs")``
or, for a Redis Cluster, ``store_from_url("redis+cluster://10.0.0.5:7000,10.0.0.6:7000?prefix=qs")``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from querysentry.storage.base import Decay, Store, apply_bump
from querysentry.storage.memory import MemoryStore

__all__ = ["Decay", "MemoryStore", "Store", "apply_bump", "store_from_url"]


def store_from_url(url: str) -> Store:
    """A store from a URL: ``memory://``, or ``redis://`` / ``rediss://`` / ``redis+cluster://`` (needs
    the ``redis`` extra)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "memory":
        unknown = set(query) - {"max_keys"}
        if unknown:
            raise ValueError(f"unknown memory:// option(s): {', '.join(sorted(unknown))}")
        return MemoryStore(max_keys=int(query.get("max_keys", 100_000)))
    if parts.scheme in ("redis", "rediss", "redis+cluster"):
        from querysentry.storage.redis import RedisStore

        return RedisStore.from_url(url)
    raise ValueError(f"unsupported store URL {url!r}: use memory:// or redis:// (redis+cluster:// for a Cluster)")
