"""``RedisStore`` specifics: key layout, URL options, and serving through an outage."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Callable

import pytest
import redis.asyncio
from redis.crc import key_slot

from querysentry.errors import QuerySentryError
from querysentry.storage import apply_bump, store_from_url
from querysentry.storage.base import Decay
from querysentry.storage.redis import RedisStore
from tests.conftest import Records

from .conftest import RedisServer, free_port

DECAY = Decay(half_life=3600.0, window=100.0, max_fields=4, ttl=60.0)


async def raw_keys(url: str, pattern: str) -> dict[str, int]:
    """Key -> PTTL, read with a plain client."""
    client = redis.asyncio.from_url(url)
    try:
        return {k.decode(): await client.pttl(k) async for k in client.scan_iter(match=pattern)}
    finally:
        await client.aclose()


def test_key_layout_prefix_hash_tag_and_ttl(redis_url: str) -> None:
    async def main() -> tuple[dict[str, int], dict[bytes | str, bytes | str]]:
        store = RedisStore(redis.asyncio.from_url(redis_url), prefix="layout")
        try:
            await store.bump("client:1", {"_n": 1.0, "fp:x": 0.1}, 10.0, DECAY)
            await store.bump("fp:{odd}", {"_n": 2.0}, 10.0, DECAY)
            client = redis.asyncio.from_url(redis_url)
            try:
                stored = await client.hgetall("layout:{client:1}")
            finally:
                await client.aclose()
            return await raw_keys(redis_url, "layout:*"), stored
        finally:
            await store.close()

    keys, stored = asyncio.run(main())
    assert set(keys) == {"layout:{client:1}", "layout:{fp:{odd}}"}
    assert all(0 < ttl <= 60_000 for ttl in keys.values()), keys
    # The hash tag puts a logical key in the slot of its own name, whatever the prefix.
    assert key_slot(b"layout:{client:1}") == key_slot(b"client:1") == key_slot(b"other:{client:1}")
    assert stored == {b"_n": b"1", b"fp:x": b"0.10000000000000001", b"@t": b"10"}


def test_store_from_url_options(redis_server: RedisServer) -> None:
    store = store_from_url(f"redis://127.0.0.1:{redis_server.port}/0?prefix=x&socket_timeout=0.2&retry_after=7")
    assert isinstance(store, RedisStore)
    assert (store.prefix, store.retry_after) == ("x", 7.0)

    async def main() -> tuple[bool, dict[str, float], dict[str, int]]:
        try:
            assert isinstance(store._client, redis.asyncio.Redis)
            kwargs = store._client.connection_pool.connection_kwargs
            assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"], kwargs["db"]) == (0.2, 0.2, 0)
            bumped = await store.bump("url-key", {"_n": 3.0}, 1.0, DECAY)
            return await store.ping(), bumped, await raw_keys(redis_server.url, "x:*")
        finally:
            await store.close()

    answered, bumped, keys = asyncio.run(main())
    assert answered is True
    assert bumped == {"_n": 3.0, "@t": 1.0}
    assert set(keys) == {"x:{url-key}"}


def test_store_from_url_defaults_and_passes_other_options_on() -> None:
    store = store_from_url("redis://127.0.0.1:1/3?health_check_interval=30")
    assert isinstance(store, RedisStore)
    assert isinstance(store._client, redis.asyncio.Redis)
    kwargs = store._client.connection_pool.connection_kwargs
    assert (store.prefix, store.retry_after, kwargs["socket_timeout"]) == ("qs", 5.0, 0.25)
    assert (kwargs["db"], kwargs["health_check_interval"]) == (3, 30)
    asyncio.run(store.close())


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mongodb://127.0.0.1/0", "unsupported store URL 'mongodb://127.0.0.1/0': use memory:// or redis://"),
        ("redis://127.0.0.1:1/0?socket_timeout=soon", "socket_timeout must be a number of seconds > 0, not 'soon'"),
        ("redis://127.0.0.1:1/0?socket_timeout=0", "socket_timeout must be a number of seconds > 0"),
        ("redis://127.0.0.1:1/0?retry_after=-1", "retry_after must be a number of seconds >= 0"),
        ("redis://127.0.0.1:1/0?prefix=", "prefix must not be empty"),
        ("redis://127.0.0.1:1/0?prefx=qs", "prefx"),
        ("redis://:hunter2@127.0.0.1:1/0?retry_after=x", "redis://:***@127.0.0.1:1/0"),
    ],
)
def test_bad_urls_fail_clearly(url: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        store_from_url(url)
    assert message in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_missing_redis_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "redis" or m.startswith("redis.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "redis", None)  # makes `import redis` fail
    with pytest.raises(ImportError, match=r"pip install 'querysentry\[redis\]'") as caught:
        store_from_url("redis://127.0.0.1:1/0")
    assert isinstance(caught.value, QuerySentryError)


def test_storage_imports_without_redis() -> None:
    code = (
        "import sys; sys.modules['redis'] = None\n"
        "import querysentry.storage, querysentry.storage.redis\n"
        "print(type(querysentry.storage.store_from_url('memory://')).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "MemoryStore"


def expected_chain(bumps: list[tuple[dict[str, float], float]]) -> list[dict[str, float]]:
    state: dict[str, float] = {}
    out = []
    for increments, now in bumps:
        state = apply_bump(state, increments, now, DECAY)
        out.append(state)
    return out


def test_fallback_when_nothing_listens(logs: Records) -> None:
    calls: list[None] = []
    store = RedisStore.from_url(
        f"redis://127.0.0.1:{free_port()}/0?retry_after=60", on_fallback=lambda: calls.append(None)
    )
    bumps = [({"_n": 1.0, "a": 2.0}, 10.0), ({"_n": 1.0, "b": 1.0}, 20.0), ({"_n": 1.0, "@lvl": 2.0}, 30.0)]

    async def main() -> tuple[list[dict[str, float]], dict[str, float], bool]:
        try:
            results = [await store.bump("k", increments, now, DECAY) for increments, now in bumps]
            return results, await store.get("k"), await store.ping()
        finally:
            await store.close()

    results, got, answered = asyncio.run(main())
    assert results == expected_chain(bumps)
    assert got == results[-1]
    assert answered is False
    assert store.degraded is True
    assert len(calls) == 1
    warnings = logs.at(logging.WARNING)
    assert len(warnings) == 1, warnings
    assert "Redis is unreachable" in warnings[0] and "local" in warnings[0]


def test_outage_and_recovery(make_redis_server: Callable[[], RedisServer], logs: Records) -> None:
    server = make_redis_server()
    server.start()
    calls: list[None] = []
    store = RedisStore.from_url(f"{server.url}?retry_after=0.2", on_fallback=lambda: calls.append(None))

    async def in_redis(key: str) -> dict[bytes | str, bytes | str]:
        client = redis.asyncio.from_url(server.url)
        try:
            return await client.hgetall(key)
        finally:
            await client.aclose()

    async def main() -> None:
        try:
            assert await store.bump("k", {"_n": 1.0}, 1.0, DECAY) == {"_n": 1.0, "@t": 1.0}
            assert await in_redis("qs:{k}") == {b"_n": b"1", b"@t": b"1"}
            assert not store.degraded

            server.stop()
            during = [await store.bump("k", {"_n": 1.0}, 2.0 + i, DECAY) for i in range(5)]
            assert store.degraded
            # Served from memory, which starts empty: the counts in Redis are not visible meanwhile.
            assert during == expected_chain([({"_n": 1.0}, 2.0 + i) for i in range(5)])
            assert len(logs.at(logging.WARNING)) == 1
            assert calls == [None]

            server.start()
            # Within retry_after the store does not look at Redis, even though it is back.
            assert (await store.bump("local", {"_n": 1.0}, 8.0, DECAY))["_n"] == 1.0
            assert store.degraded
            assert await in_redis("qs:{local}") == {}

            await asyncio.sleep(0.3)
            assert await store.bump("k", {"_n": 5.0}, 9.0, DECAY) == {"_n": 5.0, "@t": 9.0}
            assert await in_redis("qs:{k}") == {b"_n": b"5", b"@t": b"9"}
            assert not store.degraded
            assert any("Redis is reachable again" in m for m in logs.at(logging.INFO))

            # A second outage is a new one: warned about and counted again.
            server.stop()
            await store.bump("k", {"_n": 1.0}, 10.0, DECAY)
            assert len(logs.at(logging.WARNING)) == 2
            assert calls == [None, None]
        finally:
            await store.close()

    asyncio.run(main())


def test_failed_probe_keeps_fallback_quietly(logs: Records) -> None:
    store = RedisStore.from_url(f"redis://127.0.0.1:{free_port()}/0?retry_after=0.05")

    async def main() -> None:
        try:
            for i in range(3):
                await store.bump("k", {"_n": 1.0}, float(i), DECAY)
                await asyncio.sleep(0.08)  # each next call is a probe, and fails again
            assert await store.get("k") == expected_chain([({"_n": 1.0}, float(i)) for i in range(3)])[-1]
        finally:
            await store.close()

    asyncio.run(main())
    assert store.degraded
    assert len(logs.at(logging.WARNING)) == 1
    assert len([m for m in logs.at(logging.DEBUG) if "still unreachable" in m]) >= 2


def test_broken_on_fallback_hook_does_not_fail_requests(logs: Records) -> None:
    def hook() -> None:
        raise RuntimeError("metrics down too")

    store = RedisStore.from_url(f"redis://127.0.0.1:{free_port()}/0", on_fallback=hook)

    async def main() -> dict[str, float]:
        try:
            return await store.bump("k", {"_n": 1.0}, 1.0, DECAY)
        finally:
            await store.close()

    assert asyncio.run(main()) == {"_n": 1.0, "@t": 1.0}
    assert any("on_fallback" in m for m in logs.at(logging.ERROR))
