"""One contract, two backends: every test here runs on ``MemoryStore`` and on ``RedisStore``.

The Redis runs also compare the Lua script with ``apply_bump`` itself, on random sequences of bumps.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from querysentry.storage import MemoryStore, Store, apply_bump
from querysentry.storage.base import DROP_BELOW, Decay
from querysentry.storage.redis import RedisStore

from .conftest import RedisServer

T = TypeVar("T")

# Long enough that time decay is negligible where a test is about something else.
STILL = 1e12


@dataclass
class Backend:
    name: str
    make: Callable[[], Store]
    advance: Callable[[float], Awaitable[None]]  # let the TTL clock run for that many seconds

    def run(self, body: Callable[[Store], Awaitable[T]]) -> T:
        """Runs ``body`` with a fresh store in its own event loop, and closes the store."""

        async def main() -> T:
            store = self.make()
            try:
                return await body(store)
            finally:
                await store.close()

        return asyncio.run(main())


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        clock = [1000.0]

        async def tick(seconds: float) -> None:
            clock[0] += seconds

        yield Backend("memory", lambda: MemoryStore(clock=lambda: clock[0]), tick)
    else:
        server: RedisServer = request.getfixturevalue("redis_server")
        prefix = f"t{uuid.uuid4().hex[:8]}"

        def make() -> Store:
            return RedisStore.from_url(f"{server.url}?prefix={prefix}&socket_timeout=2")

        yield Backend("redis", make, asyncio.sleep)


def test_decay_by_time_halves_over_half_life(backend: Backend) -> None:
    decay = Decay(half_life=10.0, window=1e6)

    async def body(store: Store) -> tuple[dict[str, float], dict[str, float]]:
        first = await store.bump("k", {"_n": 8.0, "e": 2.0}, 100.0, decay)
        return first, await store.bump("k", {}, 110.0, decay)

    first, second = backend.run(body)
    assert first == {"_n": 8.0, "e": 2.0, "@t": 100.0}
    factor = 0.5 * (1 - 1e-6)
    assert second["_n"] == pytest.approx(8.0 * factor, rel=1e-12)
    assert second["e"] == pytest.approx(2.0 * factor, rel=1e-12)
    assert second["@t"] == 110.0
    assert 3.99 < second["_n"] < 4.0


def test_decay_by_count_over_window(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=4.0)

    async def body(store: Store) -> list[float]:
        return [(await store.bump("k", {"_n": 1.0}, 5.0, decay))["_n"] for _ in range(3)]

    # Same instant, so only the window decays: each bump keeps 3/4 of what was there.
    assert backend.run(body) == [1.0, 1.75, 2.3125]


def test_raw_fields_are_set_and_never_decayed(backend: Backend) -> None:
    decay = Decay(half_life=1.0, window=2.0, max_fields=1)

    async def body(store: Store) -> list[dict[str, float]]:
        return [
            await store.bump("k", {"@level": 3.0, "@a": 1.0, "@b": 2.0, "x": 1.0, "y": 2.0}, 0.0, decay),
            await store.bump("k", {"@level": 5.0}, 100.0, decay),
            await store.bump("k", {}, 200.0, decay),
        ]

    first, second, third = backend.run(body)
    # Raw fields are never trimmed, even with max_fields=1.
    assert first == {"@level": 3.0, "@a": 1.0, "@b": 2.0, "y": 2.0, "@t": 0.0}
    assert second == {"@level": 5.0, "@a": 1.0, "@b": 2.0, "@t": 100.0}  # set, not added; y decayed away
    assert third == {"@level": 5.0, "@a": 1.0, "@b": 2.0, "@t": 200.0}


def test_summary_fields_are_never_trimmed(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=1e9, max_fields=1)

    async def body(store: Store) -> dict[str, float]:
        return await store.bump("k", {"_a": 0.01, "_b": 0.02, "_c": 0.03, "x": 5.0, "y": 6.0}, 1.0, decay)

    assert backend.run(body) == {"_a": 0.01, "_b": 0.02, "_c": 0.03, "y": 6.0, "@t": 1.0}


def test_entries_trimmed_smallest_first_ties_by_name(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=1e9, max_fields=3)

    async def body(store: Store) -> list[set[str]]:
        return [
            set(await store.bump("k1", {"a": 1.0, "b": 3.0, "c": 1.0, "d": 2.0}, 1.0, decay)),
            # Byte order, as Python compares str: "Z" < "a" < "z" < "é", whatever the server's locale says.
            set(await store.bump("k2", {"a": 1.0, "Z": 1.0, "z": 1.0, "é": 1.0}, 1.0, decay)),
            set(await store.bump("k3", {"é": 1.0, "z": 1.0, "zz": 1.0, "top": 9.0}, 1.0, decay)),
        ]

    assert backend.run(body) == [{"b", "c", "d", "@t"}, {"a", "z", "é", "@t"}, {"zz", "é", "top", "@t"}]


def test_trimmed_entries_do_not_come_back_and_new_small_entries_lose(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=1e9, max_fields=2)

    async def body(store: Store) -> dict[str, float]:
        await store.bump("k", {"big": 5.0, "mid": 3.0}, 1.0, decay)
        return await store.bump("k", {"small": 1.0}, 1.0, decay)

    result = backend.run(body)
    assert set(result) == {"big", "mid", "@t"}
    assert result["big"] == pytest.approx(5.0, rel=1e-8)


def test_counters_below_drop_below_are_dropped(backend: Backend) -> None:
    decay = Decay(half_life=1.0, window=1e9)

    async def body(store: Store) -> list[dict[str, float]]:
        return [
            await store.bump(
                "k", {"a": DROP_BELOW * 1.01, "b": DROP_BELOW * 0.99, "_s": DROP_BELOW * 0.5, "c": 1.0}, 0.0, decay
            ),
            # One half-life later a is below the threshold; c takes a negative increment to zero.
            await store.bump("k", {"c": -0.5}, 1.0, decay),
        ]

    first, second = backend.run(body)
    assert first == {"a": DROP_BELOW * 1.01, "c": 1.0, "@t": 0.0}
    assert second == {"@t": 1.0}


def test_clock_going_backwards_never_grows_counters(backend: Backend) -> None:
    decay = Decay(half_life=10.0, window=1e6)

    async def body(store: Store) -> list[dict[str, float]]:
        return [await store.bump("k", {"_n": 4.0}, 100.0, decay), await store.bump("k", {}, 50.0, decay)]

    first, second = backend.run(body)
    assert second["_n"] <= first["_n"]
    assert second["_n"] == pytest.approx(4.0 * (1 - 1e-6), rel=1e-12)  # the window only, no time decay
    assert second["@t"] == 100.0  # the latest time seen stays


def test_get_missing_is_empty_and_get_returns_last_write(backend: Backend) -> None:
    decay = Decay(half_life=10.0)

    async def body(store: Store) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        missing = await store.get("nobody")
        bumped = await store.bump("k", {"_n": 2.0, "@x": 7.0}, 3.0, decay)
        return missing, bumped, await store.get("k")

    missing, bumped, got = backend.run(body)
    assert missing == {}
    assert got == bumped == {"_n": 2.0, "@x": 7.0, "@t": 3.0}


def test_ttl_expires_the_key(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=1e9, ttl=0.2)

    async def body(store: Store) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        await store.bump("k", {"_n": 5.0}, 1.0, decay)
        alive = await store.get("k")
        await backend.advance(0.4)
        expired = await store.get("k")
        return alive, expired, await store.bump("k", {"_n": 1.0}, 2.0, decay)

    alive, expired, fresh = backend.run(body)
    assert alive["_n"] == 5.0
    assert expired == {}
    assert fresh == {"_n": 1.0, "@t": 2.0}  # starts over, nothing left of the expired counts


def test_ttl_is_refreshed_by_each_bump(backend: Backend) -> None:
    decay = Decay(half_life=STILL, window=1e9, ttl=0.6)

    async def body(store: Store) -> dict[str, float]:
        for t in range(4):
            await store.bump("k", {"_n": 1.0}, float(t), decay)
            await backend.advance(0.25)  # 1 s in all, more than the TTL, but never 0.6 s between bumps
        return await store.get("k")

    assert backend.run(body)["_n"] == pytest.approx(4.0, rel=1e-6)


NAMES = ["a", "b", "c", "Z", "é", "ab", "_s", "_r", "@lvl", "@t"]
VALUES = st.one_of(
    st.floats(min_value=-2.0, max_value=50.0, allow_nan=False),
    st.sampled_from([0.0, DROP_BELOW, DROP_BELOW * 0.999, DROP_BELOW * 1.001, 1.0, 1e-300]),
)
BUMPS = st.lists(
    st.tuples(
        st.floats(min_value=-5.0, max_value=60.0, allow_nan=False),  # negative: the clock goes back
        st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6),
    ),
    min_size=1,
    max_size=8,
)
DECAYS = st.builds(
    Decay,
    half_life=st.floats(min_value=0.5, max_value=100.0),
    window=st.floats(min_value=1.0, max_value=50.0),
    max_fields=st.integers(min_value=1, max_value=4),
)


def _assert_same(got: dict[str, float], want: dict[str, float]) -> None:
    assert set(got) == set(want)
    for name, value in want.items():
        assert math.isclose(got[name], value, rel_tol=1e-12), (name, got[name], value)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decay=DECAYS, bumps=BUMPS, start=st.floats(min_value=0.0, max_value=1e9))
def test_same_results_as_apply_bump(
    backend: Backend, decay: Decay, bumps: list[tuple[float, dict[str, float]]], start: float
) -> None:
    key = uuid.uuid4().hex  # the Redis server outlives examples

    async def body(store: Store) -> None:
        expected: dict[str, float] = {}
        now = start
        for step, increments in bumps:
            now += step
            expected = apply_bump(expected, increments, now, decay)
            _assert_same(await store.bump(key, increments, now, decay), expected)
        _assert_same(await store.get(key), expected)

    backend.run(body)
