"""``querysentry.throttle``: a moving-window rate limit whose ``Retry-After`` is the true wait.

Most tests run on a fake clock: ``limits`` reads ``time.time()`` inside its storages and takes no
clock argument, so the ``clock`` fixture replaces the ``time`` those two modules see. Only the
property "a request made ``retry_after`` real seconds later passes" uses real seconds (a 1-2 second
window), and no test asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import limits.aio.storage.memory
import limits.aio.storage.redis.redispy
import limits.aio.strategies
import pytest
import redis.asyncio
from limits.util import WindowStats
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from querysentry.throttle import (
    KEY_PREFIX,
    Throttle,
    ThrottleDecision,
    client_id,
    decide,
    retry_after_header,
    wait_seconds,
)
from tests.conftest import Records
from tests.integrations.conftest import serve
from tests.storage import conftest as storage_fixtures
from tests.storage.conftest import RedisServer, free_port

# The storage tests' private redis-server fixtures, visible to this module too.
redis_server = storage_fixtures.redis_server
make_redis_server = storage_fixtures.make_redis_server

BACKENDS = ["memory", "redis"]


class Clock:
    """What ``limits``' storages get as their ``time`` module: ``time()`` is ``now``, set by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(1_000_000.0)
    # raising=True (the default): if a limits release stops reading time this way, these tests
    # error out instead of silently running on the real clock.
    for module in (limits.aio.storage.memory, limits.aio.storage.redis.redispy):
        monkeypatch.setattr(module, "time", fake)
    return fake


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest) -> str:
    """The same tests on ``memory://`` and on a private ``redis-server``."""
    if request.param == "memory":
        return "memory://"
    server: RedisServer = request.getfixturevalue("redis_server")
    return server.url


def new_client() -> str:
    # The Redis server is shared by the session: every test limits clients of its own.
    return f"key:{uuid.uuid4().hex}"


@asynccontextmanager
async def opened(url: str, **kwargs: Any) -> AsyncIterator[Throttle]:
    throttle = Throttle(url, **kwargs)
    try:
        yield throttle
    finally:
        await throttle.aclose()


async def redis_keys(url: str) -> dict[str, list[bytes | str]]:
    """Every key of the server with its list of timestamps, read with a plain client."""
    client = redis.asyncio.from_url(url)
    try:
        return {k.decode(): await client.lrange(k, 0, -1) async for k in client.scan_iter()}
    finally:
        await client.aclose()


# --- the pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reset", "now", "expected"),
    [
        (100.0, 70.5, 30),  # 29.5 s to wait: 30
        (100.0, 99.9, 1),
        (100.0, 70.0, 31),  # exactly 30 s: a request at +30 is still refused (limits counts the boundary)
        (100.0, 100.0, 1),
        (100.0, 130.0, 1),  # reset already past (a slot freed meanwhile): at least 1
        (math.nan, 1.0, 1),
    ],
)
def test_wait_seconds_is_the_first_whole_second_strictly_after_the_reset(
    reset: float, now: float, expected: int
) -> None:
    assert wait_seconds(reset, now) == expected


@pytest.mark.parametrize(
    ("seconds", "header"), [(30, "30"), (1, "1"), (0, "1"), (-3, "1"), (0.2, "1"), (1.01, "2"), (math.nan, "1")]
)
def test_retry_after_header_is_whole_seconds_rounded_up_at_least_one(seconds: float, header: str) -> None:
    assert retry_after_header(seconds) == header


def test_decide_turns_the_window_read_into_the_wait() -> None:
    assert decide(True, None, 5.0) == ThrottleDecision(allowed=True, retry_after=0)
    assert decide(False, WindowStats(reset_time=65.5, remaining=0), 5.0) == ThrottleDecision(False, 61)
    # A slot freed between the refused hit and the read: the very next second will do.
    assert decide(False, WindowStats(reset_time=65.5, remaining=1), 5.0) == ThrottleDecision(False, 1)


def test_client_ids_are_opaque_fixed_length_and_distinct() -> None:
    secret = "sk-live-0123456789abcdef"
    ids = {client_id(secret), client_id("ip:203.0.113.7"), client_id("ip:203.0.113.8"), client_id("\ud800")}
    assert len(ids) == 4 and all(len(i) == 32 for i in ids)
    assert all(secret not in i and "203.0" not in i for i in ids)


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ({"throttle": "often"}, "must be one limits rate string"),
        ({"throttle": "1/second;10/minute"}, "must be one limits rate string"),
        ({"throttle": 5}, "must be one limits rate string"),
        ({"throttle": "0/minute"}, "at least one request"),
        ({"block": "1/minute"}, "403"),
        ({"throtle": "1/minute"}, "valid levels: ok, tag, throttle"),
    ],
)
def test_bad_rates_are_refused_at_construction(rates: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Throttle("memory://", rates=rates)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memcached://127.0.0.1:11211", "unsupported throttle storage"),
        ("memory://?max_keys=5", "takes no options"),
        ("redis://127.0.0.1:1/0?socket_timeout=0", "socket_timeout must be a number of seconds > 0"),
        ("redis://127.0.0.1:1/0?retry_after=soon", "retry_after must be a number of seconds"),
        ("redis://127.0.0.1:1/0?no_such_option=1", "bad option"),
        ("redis+cluster://127.0.0.1:1,127.0.0.1:2?db=1", "takes only socket_timeout and retry_after"),
    ],
)
def test_bad_storage_urls_are_refused_at_construction(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Throttle(url)


def test_the_password_of_a_bad_url_is_not_repeated() -> None:
    with pytest.raises(ValueError) as caught:
        Throttle("redis://user:hunter2@127.0.0.1:1/0?socket_timeout=-1")
    assert "hunter2" not in str(caught.value) and "***" in str(caught.value)


# --- the limit, on both backends -------------------------------------------------------------


def test_n_pass_then_the_wait_is_the_true_one(storage: str, clock: Clock) -> None:
    """3 a minute: the 4th request waits for the oldest to leave the window, to the second."""
    client = new_client()

    async def at(throttle: Throttle, t: float) -> ThrottleDecision:
        clock.now = t
        return await throttle.hit(client, "throttle", now=t)

    async def main() -> list[ThrottleDecision]:
        async with opened(storage, rates={"throttle": "3/minute"}) as throttle:
            return [
                await at(throttle, 1000.25),
                await at(throttle, 1010.25),
                await at(throttle, 1020.25),
                await at(throttle, 1030.5),  # full: the oldest (1000.25) leaves at 1060.25
                await at(throttle, 1045.0),  # hammering while refused does not push the reset out
                await at(throttle, 1060.25),  # exactly at the reset: still refused
                await at(throttle, 1060.5),  # the wait announced at 1030.5 (30 s) has passed
                await at(throttle, 1060.5),  # full again: next to leave is 1010.25, at 1070.25
            ]

    allowed, refused = ThrottleDecision(True, 0), ThrottleDecision
    assert asyncio.run(main()) == [
        allowed,
        allowed,
        allowed,
        refused(False, 30),
        refused(False, 16),
        refused(False, 1),
        allowed,
        refused(False, 10),
    ]


def test_a_whole_number_wait_is_not_one_second_short(storage: str, clock: Clock) -> None:
    client = new_client()

    async def at(throttle: Throttle, t: float) -> ThrottleDecision:
        clock.now = t
        return await throttle.hit(client, "throttle", now=t)

    async def main() -> tuple[ThrottleDecision, ThrottleDecision, ThrottleDecision]:
        async with opened(storage, rates={"throttle": "1/minute"}) as throttle:
            await at(throttle, 5000.0)
            refused = await at(throttle, 5020.0)
            # ceil(40.0) would say 40; a retry at 5060.0 is refused, at 5061.0 it passes.
            return refused, await at(throttle, 5020.0 + 40), await at(throttle, 5020.0 + refused.retry_after)

    refused, at_ceil, after_wait = asyncio.run(main())
    assert refused == ThrottleDecision(False, 41)
    assert not at_ceil.allowed and after_wait.allowed


def test_the_wait_matches_the_window_the_storage_holds(storage: str) -> None:
    """Real clock: the announced wait is the reset the storage itself would apply, bounded by the
    times read around the calls (no assumption about how long they take)."""
    client = new_client()

    async def main() -> tuple[float, float, float, float, ThrottleDecision, dict[str, list[bytes | str]]]:
        async with opened(storage, rates={"throttle": "3/hour"}) as throttle:
            first_before = time.time()
            assert (await throttle.hit(client, "throttle")).allowed
            first_after = time.time()
            for _ in range(2):
                assert (await throttle.hit(client, "throttle")).allowed
            refused_before = time.time()
            refused = await throttle.hit(client, "throttle")
            refused_after = time.time()
            keys = await redis_keys(storage) if storage.startswith("redis") else {}
            return first_before, first_after, refused_before, refused_after, refused, keys

    first_before, first_after, refused_before, refused_after, refused, keys = asyncio.run(main())
    assert not refused.allowed
    # The oldest entry was stamped between first_before and first_after; the wait was computed
    # between refused_before and refused_after.
    assert wait_seconds(first_before + 3600, refused_after) <= refused.retry_after
    assert refused.retry_after <= wait_seconds(first_after + 3600, refused_before)
    if keys:  # Redis: the exact reset from the stored list (newest first, trimmed to the limit)
        (entries,) = [v for k, v in keys.items() if client_id(client) in k]
        reset = float(entries[-1]) + 3600
        assert len(entries) == 3
        assert wait_seconds(reset, refused_after) <= refused.retry_after <= wait_seconds(reset, refused_before)


def test_a_request_made_retry_after_real_seconds_later_passes(storage: str) -> None:
    client = new_client()

    async def main() -> tuple[list[bool], ThrottleDecision, ThrottleDecision]:
        async with opened(storage, rates={"throttle": "2/second"}) as throttle:
            passed = [(await throttle.hit(client, "throttle")).allowed for _ in range(2)]
            refused = await throttle.hit(client, "throttle")
            await asyncio.sleep(refused.retry_after)  # what an SDK honouring Retry-After does
            return passed, refused, await throttle.hit(client, "throttle")

    passed, refused, retried = asyncio.run(main())
    assert passed == [True, True]
    assert refused == ThrottleDecision(False, 1)
    assert retried.allowed


def test_clients_and_levels_do_not_share_a_limit(storage: str, clock: Clock) -> None:
    alice, bob = new_client(), new_client()

    async def main() -> list[bool]:
        rates = {"throttle": "1/hour", "tag": "2/hour"}
        async with opened(storage, rates=rates) as throttle:
            return [
                (await throttle.hit(alice, "throttle", now=clock.now)).allowed,
                (await throttle.hit(alice, "throttle", now=clock.now)).allowed,
                (await throttle.hit(bob, "throttle", now=clock.now)).allowed,
                (await throttle.hit(bob, "throttle", now=clock.now)).allowed,
                (await throttle.hit(alice, "tag", now=clock.now)).allowed,
                (await throttle.hit(alice, "tag", now=clock.now)).allowed,
                (await throttle.hit(alice, "tag", now=clock.now)).allowed,
            ]

    assert asyncio.run(main()) == [True, False, True, False, True, True, False]


def test_levels_without_a_rate_are_never_limited_and_store_nothing(
    make_redis_server: Callable[[], RedisServer],
) -> None:
    server = make_redis_server()
    server.start()
    client = new_client()

    async def main() -> tuple[set[bool], dict[str, list[bytes | str]]]:
        async with opened(server.url) as throttle:  # the default rates: throttle only
            # ``block`` included: the middleware refuses it with 403 before asking.
            seen = {(await throttle.hit(client, level)).allowed for level in ("ok", "tag", "block") for _ in range(20)}
            assert not throttle.limits("ok") and not throttle.limits("tag") and throttle.limits("throttle")
            return seen, await redis_keys(server.url)

    assert asyncio.run(main()) == ({True}, {})


def test_the_default_is_six_a_minute() -> None:
    client = new_client()

    async def main() -> list[bool]:
        async with opened("memory://") as throttle:
            return [(await throttle.hit(client, "throttle")).allowed for _ in range(7)]

    assert asyncio.run(main()) == [True] * 6 + [False]


def test_redis_keys_are_namespaced_hashed_and_expire(make_redis_server: Callable[[], RedisServer]) -> None:
    server = make_redis_server()
    server.start()
    secret = "key:sk-live-do-not-store-me"

    async def main() -> tuple[dict[str, list[bytes | str]], dict[str, int]]:
        async with opened(server.url, rates={"throttle": "2/minute"}) as throttle:
            for client in (secret, "ip:198.51.100.23"):
                await throttle.hit(client, "throttle")
        keys = await redis_keys(server.url)
        plain = redis.asyncio.from_url(server.url)
        try:
            ttls = {k: await plain.ttl(k) for k in keys}
        finally:
            await plain.aclose()
        return keys, ttls

    keys, ttls = asyncio.run(main())
    assert len(keys) == 2
    for key in keys:
        assert key.startswith(KEY_PREFIX + ":")
        assert "sk-live" not in key and "do-not-store" not in key and "198.51" not in key
        assert 0 < ttls[key] <= 60


# --- resilience ---------------------------------------------------------------------------------


def test_redis_killed_mid_run_falls_back_without_raising_and_recovers(
    make_redis_server: Callable[[], RedisServer], logs: Records, clock: Clock
) -> None:
    server = make_redis_server()
    server.start()
    calls: list[None] = []
    client = new_client()

    async def main() -> None:
        rates = {"throttle": "2/hour"}
        async with opened(f"{server.url}?retry_after=0.2", rates=rates, on_fallback=lambda: calls.append(None)) as t:
            shared = [await t.hit(client, "throttle", now=clock.now) for _ in range(3)]
            assert [d.allowed for d in shared] == [True, True, False] and shared[2].retry_after == 3601
            assert not t.degraded

            server.stop()
            # The local limiter starts empty: two more pass, then it refuses with its own true wait.
            clock.now += 10
            during = [await t.hit(client, "throttle", now=clock.now) for _ in range(3)]
            assert during == [ThrottleDecision(True), ThrottleDecision(True), ThrottleDecision(False, 3601)]
            assert t.degraded
            assert len(logs.at(logging.WARNING)) == 1 and "local in-memory rate limit" in logs.at(logging.WARNING)[0]
            assert calls == [None]

            server.start()  # empty: the shared counts were lost with the process
            # Within retry_after the throttle does not look at Redis, even though it is back.
            assert not (await t.hit(client, "throttle", now=clock.now)).allowed
            assert t.degraded and await redis_keys(server.url) == {}

            await asyncio.sleep(0.3)
            assert (await t.hit(client, "throttle", now=clock.now)).allowed  # the probe, on Redis again
            assert not t.degraded
            assert len(await redis_keys(server.url)) == 1
            assert any("reachable again" in m for m in logs.at(logging.INFO))

            server.stop()  # a second outage is a new one: warned about and counted again
            await t.hit(client, "throttle", now=clock.now)
            assert len(logs.at(logging.WARNING)) == 2 and calls == [None, None]

    asyncio.run(main())
    assert logs.at(logging.ERROR) == []


@pytest.mark.parametrize("scheme", ["redis", "redis+cluster"])
def test_unreachable_redis_from_the_start_is_served_locally(scheme: str, logs: Records) -> None:
    hosts = f"127.0.0.1:{free_port()}" if scheme == "redis" else f"127.0.0.1:{free_port()},127.0.0.1:{free_port()}"
    client = new_client()

    async def main() -> list[ThrottleDecision]:
        async with opened(f"{scheme}://{hosts}?retry_after=60", rates={"throttle": "1/hour"}) as throttle:
            return [await throttle.hit(client, "throttle") for _ in range(2)]

    first, second = asyncio.run(main())
    assert first.allowed and not second.allowed and 3599 <= second.retry_after <= 3600
    assert len(logs.at(logging.WARNING)) == 1 and logs.at(logging.ERROR) == []


def test_an_error_reply_from_redis_is_served_locally(
    make_redis_server: Callable[[], RedisServer], logs: Records
) -> None:
    server = make_redis_server()
    server.start()
    client = new_client()

    async def main() -> tuple[ThrottleDecision, bool]:
        async with opened(server.url, rates={"throttle": "5/hour"}) as throttle:
            await throttle.hit(client, "throttle")
            (key,) = await redis_keys(server.url)
            plain = redis.asyncio.from_url(server.url)
            try:
                await plain.delete(key)
                await plain.set(key, "not a list")  # every list command on it now fails with WRONGTYPE
            finally:
                await plain.aclose()
            return await throttle.hit(client, "throttle"), throttle.degraded

    decision, degraded = asyncio.run(main())
    assert decision.allowed and degraded
    errors = logs.at(logging.ERROR)
    assert len(errors) == 1 and "throttle storage failed" in errors[0]


def test_a_failing_local_limiter_refuses_for_one_window_without_raising(
    monkeypatch: pytest.MonkeyPatch, logs: Records
) -> None:
    async def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("bug")

    monkeypatch.setattr(limits.aio.strategies.MovingWindowRateLimiter, "hit", broken)

    async def main() -> ThrottleDecision:
        async with opened("memory://", rates={"throttle": "10 per 2 minutes"}) as throttle:
            return await throttle.hit(new_client(), "throttle")

    # A moving window always frees a slot within one window: the wait is still true, if pessimistic.
    assert asyncio.run(main()) == ThrottleDecision(False, 120)
    assert any("throttle failed" in m for m in logs.at(logging.ERROR))


def test_aclose_releases_the_redis_connections(make_redis_server: Callable[[], RedisServer]) -> None:
    server = make_redis_server()
    server.start()

    async def clients(plain: Any) -> int:
        return len(await plain.client_list())  # includes the plain client's own connection

    async def main() -> tuple[int, int]:
        plain = redis.asyncio.from_url(server.url)
        try:
            throttle = Throttle(server.url)
            await throttle.hit(new_client(), "throttle")
            during = await clients(plain)
            await throttle.aclose()
            await throttle.aclose()  # idempotent
            after = during
            for _ in range(250):  # the server notices a closed socket asynchronously
                after = await clients(plain)
                if after < during:
                    break
                await asyncio.sleep(0.02)
            return during, after
        finally:
            await plain.aclose()

    assert asyncio.run(main()) == (2, 1)


# --- the property that matters: an SDK's retry after Retry-After works ------------------------


def test_the_openai_sdk_retries_once_after_retry_after_and_succeeds() -> None:
    openai = pytest.importorskip("openai")
    throttle = Throttle("memory://", rates={"throttle": "1 per 2 seconds"})
    statuses: list[int] = []
    waits: list[str] = []

    async def completions(request: Request) -> JSONResponse:
        decision = await throttle.hit("ip:127.0.0.1", "throttle")
        if not decision.allowed:
            statuses.append(429)
            waits.append(retry_after_header(decision.retry_after))
            error = {"message": "Too many requests.", "type": "rate_limit_error", "code": "rate_limit_error"}
            return JSONResponse({"error": error}, status_code=429, headers={"retry-after": waits[-1]})
        statuses.append(200)
        message = {"role": "assistant", "content": "fine"}
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            }
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await throttle.aclose()

    app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])], lifespan=lifespan)
    with serve(app) as url:
        sdk = openai.OpenAI(api_key="sk-test", base_url=f"{url}/v1", max_retries=2, timeout=30)
        try:
            answers = [
                sdk.chat.completions.create(model="m", messages=[{"role": "user", "content": "hello"}])
                for _ in range(2)
            ]
        finally:
            sdk.close()
    assert [a.choices[0].message.content for a in answers] == ["fine", "fine"]
    # The second call was refused once, and the SDK's one retry, after Retry-After, was let through.
    assert statuses == [200, 429, 200]
    # ...and the wait announced was no longer than the window: honest in both directions.
    assert waits[0] in ("1", "2")
