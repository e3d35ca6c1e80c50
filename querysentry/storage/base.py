"""The storage contract behind client behaviour: decayed counter hashes, by key.

Everything the behaviour layer remembers is a small hash of numeric fields under one key (a client,
a template fingerprint), updated with one atomic call, ``bump``: decay every counter to ``now``,
add the increments, trim, set a TTL, return the new hash. One primitive keeps both backends (memory
and the Lua script in Redis) small and identical, and makes every update a single round trip.

Field names carry their kind in the first character:

- ``@name``: a raw value (a timestamp, a level). Never decayed, never trimmed; ``@t`` is the time of
  the last bump and is maintained by ``bump`` itself.
- ``_name``: a summary counter (requests, evidence). Decayed, never trimmed.
- any other name: an entry counter (one per client of a fingerprint, one per fingerprint of a
  client). Decayed, and only the ``max_fields`` largest are kept, so a key never grows past a bound.

Decay is by time and by count at once: each bump first multiplies every counter by
``2 ** (-elapsed / half_life)`` and by ``1 - 1 / window``, so counters describe "the last
``window`` updates, fading over ``half_life`` seconds", whichever forgets faster.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["DROP_BELOW", "Decay", "Store", "apply_bump"]

# Counters that fall below this are deleted: they no longer say anything and would only take room.
DROP_BELOW = 1e-3


@dataclass(frozen=True)
class Decay:
    """How a key forgets: ``half_life`` seconds, a ``window`` of updates, ``max_fields`` entries kept,
    and the key's ``ttl`` in seconds (refreshed on every bump)."""

    half_life: float = 6 * 3600.0
    window: float = 500.0
    max_fields: int = 32
    ttl: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if self.half_life <= 0 or self.window < 1 or self.max_fields < 1 or self.ttl <= 0:
            raise ValueError("half_life and ttl must be > 0, window >= 1 and max_fields >= 1")


@runtime_checkable
class Store(Protocol):
    """Where behaviour state lives. Implementations: ``MemoryStore``, ``RedisStore``.

    ``on_fallback`` is called once per outage of a shared backend (a metrics hook); a store that
    cannot fail over keeps it and never calls it.
    """

    on_fallback: Callable[[], None] | None

    async def bump(self, key: str, increments: Mapping[str, float], now: float, decay: Decay) -> dict[str, float]:
        """Atomically decay ``key``'s counters to ``now``, add ``increments`` (raw ``@`` fields are
        set, not added), trim entries to ``decay.max_fields``, refresh the TTL; return the hash."""
        ...

    async def get(self, key: str) -> dict[str, float]:
        """The hash under ``key`` as last written (not decayed to now); empty if absent."""
        ...

    async def ping(self) -> bool:
        """True if the backend answers."""
        ...

    async def close(self) -> None: ...


def apply_bump(
    fields: Mapping[str, float], increments: Mapping[str, float], now: float, decay: Decay
) -> dict[str, float]:
    """The pure update behind ``Store.bump`` (the Lua script in ``lua/bump.lua`` does the same).

    Cost: O(fields + increments + fields·log(fields)) for the trim.
    """
    last = fields.get("@t", now)
    elapsed = max(0.0, now - last)  # a replica with a slow clock must not make counters grow
    factor = math.pow(2.0, -elapsed / decay.half_life) * (1.0 - 1.0 / decay.window)
    out: dict[str, float] = {}
    for name, value in fields.items():
        if name.startswith("@"):
            out[name] = value
            continue
        value *= factor
        if value >= DROP_BELOW:
            out[name] = value
    for name, value in increments.items():
        if name.startswith("@"):
            out[name] = value
        else:
            total = out.get(name, 0.0) + value
            if total >= DROP_BELOW:
                out[name] = total
            else:
                out.pop(name, None)
    out["@t"] = max(now, last)
    entries = [n for n in out if not n.startswith(("@", "_"))]
    if len(entries) > decay.max_fields:
        # Drop the smallest; ties by name so that every backend drops the same ones.
        for name in sorted(entries, key=lambda n: (out[n], n))[: len(entries) - decay.max_fields]:
            del out[name]
    return out
