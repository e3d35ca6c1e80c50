"""``redis+cluster://``: the behaviour store and the throttle on a real three-master Redis Cluster.

The cluster is started here, on free 127.0.0.1 ports (``tests/storage/cluster.py``); without
``redis-server`` and ``redis-cli`` these tests skip, or fail under ``QUERYSENTRY_REQUIRE_REDIS=1``
(CI). Tests that stop a node or move a slot get a cluster of their own; the others share the
session's ``redis_cluster`` (conftest.py) and keep apart by key prefix and client names.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import redis.asyncio
from redis.crc import key_slot

from querysentry.behaviour import BehaviourTracker
from querysentry.behaviour.fingerprint import unit_hash
from querysentry.behaviour.tracker import RequestSummary
from querysentry.policy import ClientPolicy
from querysentry.storage import MemoryStore, Store, apply_bump, store_from_url
from querysentry.storage.base import Decay
from querysentry.storage.redis import RedisStore, cluster_nodes
from querysentry.throttle import KEY_PREFIX, Throttle, ThrottleDecision, client_id
from tests.conftest import Records

from .cluster import Cluster, ClusterNode, keys_on_every_node, running_cluster
from .conftest import free_port

DECAY = Decay(half_life=3600.0, window=100.0, max_fields=4, ttl=600.0)
# Counts without forgetting: 1 - 1/window rounds to exactly 1.0, and the tests never move the clock.
COUNTING = Decay(half_life=1e9, window=1e18, max_fields=4, ttl=600.0)


@pytest.fixture
def private_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of this test's own, for tests that stop a node or move a slot."""
    with running_cluster(tmp_path) as cluster:
        yield cluster


def cluster_store(cluster: Cluster, prefix: str | None = None, query: str = "socket_timeout=2") -> RedisStore:
    store = store_from_url(f"{cluster.url}?prefix={prefix or uuid.uuid4().hex[:8]}&{query}")
    assert isinstance(store, RedisStore)
    return store


def chain(increments: list[Mapping[str, float]], now: float, decay: Decay) -> dict[str, float]:
    state: dict[str, float] = {}
    for step in increments:
        state = apply_bump(state, step, now, decay)
    return state


def test_a_cluster_url_makes_a_cluster_client_with_our_options() -> None:
    store = store_from_url("redis+cluster://127.0.0.1:1,[::1]:2/0?prefix=p&socket_timeout=0.5&retry_after=9")
    assert isinstance(store, RedisStore)
    assert isinstance(store._client, redis.asyncio.RedisCluster)
    assert (store.prefix, store.retry_after) == ("p", 9.0)
    assert [(n.host, n.port) for n in store._client.startup_nodes] == [("127.0.0.1", 1), ("::1", 2)]
    kwargs = store._client.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (0.5, 0.5)
    asyncio.run(store.close())


def test_credentials_are_decoded_alike_for_the_store_and_the_throttle() -> None:
    url = "redis+cluster://app:p%40ss@127.0.0.1:1,127.0.0.1:2"
    store = store_from_url(url)
    throttle = Throttle(url)
    try:
        assert isinstance(store, RedisStore) and isinstance(store._client, redis.asyncio.RedisCluster)
        assert (store._client.connection_kwargs["username"], store._client.connection_kwargs["password"]) == (
            "app",
            "p@ss",
        )
        assert isinstance(throttle._client, redis.asyncio.RedisCluster)
        assert throttle._client.connection_kwargs["password"] == "p@ss"
        assert "p@ss" not in throttle.url and "p%40ss" not in throttle.url
    finally:
        asyncio.run(store.close())
        asyncio.run(throttle.aclose())


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redis+cluster://127.0.0.1", "needs host:port for every node, not '127.0.0.1'"),
        ("redis+cluster://127.0.0.1:1,", "needs host:port for every node, not ''"),
        ("redis+cluster://127.0.0.1:port", "needs host:port for every node"),
        ("redis+cluster://:hunter2@127.0.0.1", "redis+cluster://:***@127.0.0.1"),
        ("redis+cluster://127.0.0.1:1/2", "only database 0, not '/2'"),
    ],
)
def test_the_store_and_the_throttle_reject_the_same_bad_cluster_urls(url: str, message: str) -> None:
    for make in (store_from_url, Throttle):
        with pytest.raises(ValueError) as caught:
            make(url)
        assert message in str(caught.value), make
        assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redis+cluster://127.0.0.1:1?health_check_interval=3", "takes only prefix, socket_timeout and retry_after"),
        ("redis+cluster://127.0.0.1:1?prefix=a{b", "prefix must not contain '{'"),
        ("redis+cluster://127.0.0.1:1?retry_after=soon", "retry_after must be a number of seconds >= 0"),
    ],
)
def test_bad_cluster_store_options_fail_clearly(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store_from_url(url)


def test_cluster_nodes_parses_every_listed_node() -> None:
    assert cluster_nodes("redis+cluster://u:p@10.0.0.5:7000, 10.0.0.6:7001/?prefix=x") == [
        ("10.0.0.5", 7000),
        ("10.0.0.6", 7001),
    ]


def test_a_prefix_with_a_brace_is_refused_because_it_would_become_the_hash_tag() -> None:
    # What such a prefix would do: every key of the store in the slot of "a", on one node.
    assert key_slot(b"{a}:{client:1}") == key_slot(b"{a}:{client:2}") == key_slot(b"a")
    with pytest.raises(ValueError, match="hash tag"):
        RedisStore(redis.asyncio.Redis(), prefix="{a}")


def test_bump_and_get_round_trip_on_every_node(redis_cluster: Cluster) -> None:
    store = cluster_store(redis_cluster)
    keys = keys_on_every_node(redis_cluster, store.redis_key)
    assert len({redis_cluster.owner(store.redis_key(k)).port for k in keys}) == 3  # the keys span the masters
    steps = {k: [{"_n": 1.0, f"e{i}": 0.5 + i}, {"_n": 2.0, "@lvl": float(i)}] for i, k in enumerate(keys)}

    async def main() -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]], bool]:
        try:
            last = {}
            for k, increments in steps.items():
                for n, step in enumerate(increments):
                    last[k] = await store.bump(k, step, 10.0 + n, DECAY)
            return last, {k: await store.get(k) for k in keys}, await store.ping()
        finally:
            await store.close()

    bumped, read, answered = asyncio.run(main())
    for k, increments in steps.items():
        expected = apply_bump(apply_bump({}, increments[0], 10.0, DECAY), increments[1], 11.0, DECAY)
        assert bumped[k] == read[k] == expected, k
    assert answered is True and not store.degraded
    # Each hash lives on the master of its slot, and only there (SCAN reads a node's own keys).
    for k in keys:
        owner = redis_cluster.owner(store.redis_key(k))
        holders = [node for node in redis_cluster.nodes if scan(node, store.redis_key(k).replace("{", "[{]"))]
        assert holders == [owner], k


def test_two_replicas_see_each_others_counters(redis_cluster: Cluster) -> None:
    prefix = uuid.uuid4().hex[:8]
    # Each replica knows a different node only: both find the whole cluster from it.
    first, last = redis_cluster.nodes[0], redis_cluster.nodes[-1]
    a = store_from_url(f"redis+cluster://{first.address}?prefix={prefix}&socket_timeout=2")
    b = store_from_url(f"redis+cluster://{last.address}?prefix={prefix}&socket_timeout=2")
    assert isinstance(a, RedisStore)
    keys = keys_on_every_node(redis_cluster, a.redis_key, per_node=1)

    async def main() -> tuple[list[float], list[tuple[float, float]]]:
        try:
            seen = []
            for i in range(6):
                # A load balancer alternating: each replica writes every other request.
                writer, reader = (a, b) if i % 2 == 0 else (b, a)
                for k in keys:
                    await writer.bump(k, {"_n": 1.0}, 5.0, COUNTING)
                seen.append((await reader.get(keys[-1]))["_n"])
            return seen, [((await a.get(k))["_n"], (await b.get(k))["_n"]) for k in keys]
        finally:
            await a.close()
            await b.close()

    seen, totals = asyncio.run(main())
    assert seen == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]  # each read includes the other replica's last write
    assert totals == [(6.0, 6.0)] * len(keys)  # one count per bump, on every master


SHOP_UNITS = (unit_hash("the bicycle shop's own greeting line"),)


def ring_units(cluster: Cluster) -> tuple[str, ...]:
    """Four template units whose keys (``u:<unit>``, tracker.py) are served by all three masters."""
    owners: dict[int, str] = {}
    for word in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"):
        unit = unit_hash(f"the ring's shared template line called {word}")  # not a number: masked to 0
        owners.setdefault(cluster.owner("{u:" + unit + "}").port, unit)
        if len(owners) == len(cluster.nodes):
            return (*owners.values(), unit_hash("the ring's closing line"))
    raise AssertionError("ten units and still a master without one")


def summaries(units: tuple[str, ...]) -> list[tuple[str, RequestSummary]]:
    """Six keys of one ring sending its template with some evidence, and a shop sending none."""
    ring = RequestSummary(
        evidence=0.45, flagged=False, benchmark=False, category="prompt_extraction", units=units, segment=None
    )
    shop = RequestSummary(evidence=0.0, flagged=False, benchmark=False, category=None, units=SHOP_UNITS, segment=None)
    out: list[tuple[str, RequestSummary]] = []
    for round_ in range(5):
        out.extend((f"ring-{member}", ring) for member in range(6))
        out.append(("shop", shop))
        if round_ == 2:
            out.append(("shop", shop.with_signal(0.3)))
    return out


async def verdicts(store: Store, units: tuple[str, ...]) -> list[tuple[str, str, float, str | None, int]]:
    tracker = BehaviourTracker(store=store, policy=ClientPolicy(tag_at=0.5, throttle_at=1.0, block_at=3.0, hold=600))
    out = []
    try:
        for i, (client, request) in enumerate(summaries(units)):
            v = await tracker.record(client, request, 1000.0 + i)
            out.append((v.client, v.level, v.risk, v.cluster_id, v.cluster_members))
    finally:
        await store.close()
    return out


def test_a_tracker_on_the_cluster_decides_as_on_memory(redis_cluster: Cluster) -> None:
    store = cluster_store(redis_cluster)
    units = ring_units(redis_cluster)
    on_cluster = asyncio.run(verdicts(store, units))
    on_memory = asyncio.run(verdicts(MemoryStore(), units))
    assert on_cluster == on_memory  # the same levels, risks to the last bit, and cluster ids
    assert not store.degraded
    # The sequence is one that exercises the interesting paths: a ring found, levels above ok.
    assert {level for _, level, *_ in on_memory} >= {"ok", "tag"}
    assert any(cid is not None and members >= 5 for *_, cid, members in on_memory)
    # The state really was spread: every master holds some of this store's keys.
    assert all(scan(node, f"{store.prefix}:*") for node in redis_cluster.nodes)


def two_keys_in_one_slot(store: RedisStore) -> tuple[str, str]:
    """Two logical keys whose Redis keys share a slot, so one can move while the other stays."""
    first = "moving-a"
    slot = key_slot(store.redis_key(first).encode())
    i = 0
    while key_slot(store.redis_key(f"moving-{i}").encode()) != slot or f"moving-{i}" == first:
        i += 1
    return first, f"moving-{i}"


def error_stats(node: ClusterNode) -> dict[str, int]:
    """How many of each error reply (``MOVED``, ``ASK``…) the node has sent since it started."""
    with node.client() as raw:
        info = raw.info("errorstats")
    return {name.removeprefix("errorstat_"): int(stats["count"]) for name, stats in info.items()}


def admin(*commands: tuple[ClusterNode, tuple[str | int, ...]]) -> None:
    for node, args in commands:
        with node.client() as raw:
            raw.execute_command(*args)


def test_a_slot_migrated_mid_stream_loses_no_update(private_cluster: Cluster) -> None:
    store = cluster_store(private_cluster)
    moved, stays = two_keys_in_one_slot(store)
    raw_moved, raw_stays = store.redis_key(moved), store.redis_key(stays)
    slot = key_slot(raw_moved.encode())
    source = private_cluster.owner(raw_moved)
    target = next(n for n in private_cluster.nodes if n is not source)
    source_id, target_id = source.node_id(), target.node_id()
    rounds = 0
    task: asyncio.Task[None]

    async def bumping(stop: asyncio.Event) -> None:
        nonlocal rounds
        while not stop.is_set():
            await store.bump(moved, {"_n": 1.0}, 7.0, COUNTING)
            await store.bump(stays, {"_n": 1.0}, 7.0, COUNTING)
            rounds += 1

    async def after_more_rounds(count: int) -> None:
        start = rounds
        while rounds < start + count:
            if task.done():  # the bumping failed: let its exception out rather than wait for ever
                await task
                raise AssertionError("bumping stopped")
            await asyncio.sleep(0)

    async def main() -> tuple[dict[str, float], dict[str, float]]:
        nonlocal task
        stop = asyncio.Event()
        task = asyncio.create_task(bumping(stop))
        try:
            await after_more_rounds(20)
            # The reshard a `redis-cli --cluster reshard` does, one step at a time, while bumps go on.
            await asyncio.to_thread(
                admin,
                (target, ("CLUSTER", "SETSLOT", slot, "IMPORTING", source_id)),
                (source, ("CLUSTER", "SETSLOT", slot, "MIGRATING", target_id)),
            )
            # Bumps on the source while the slot migrates: with both keys still there, it serves them.
            await after_more_rounds(20)
            # One key moves first: the source now answers ASK for it, and still serves the other.
            await asyncio.to_thread(
                admin, (source, ("MIGRATE", "127.0.0.1", target.port, "", 0, 5000, "KEYS", raw_moved))
            )
            await after_more_rounds(20)
            await asyncio.to_thread(
                admin, (source, ("MIGRATE", "127.0.0.1", target.port, "", 0, 5000, "KEYS", raw_stays))
            )
            await after_more_rounds(20)
            # The slot now belongs to the target everywhere: the source answers MOVED.
            await asyncio.to_thread(
                admin, *((node, ("CLUSTER", "SETSLOT", slot, "NODE", target_id)) for node in private_cluster.nodes)
            )
            await after_more_rounds(20)
        finally:
            stop.set()
            await task
        try:
            return await store.get(moved), await store.get(stays)
        finally:
            await store.close()

    before = error_stats(source)
    got_moved, got_stays = asyncio.run(main())
    assert got_moved == got_stays == chain([{"_n": 1.0}] * rounds, 7.0, COUNTING)
    assert got_moved["_n"] == rounds >= 100  # every bump counted once, through all five phases
    assert not store.degraded
    # The redirections did happen, and the client followed them (no error reached the store).
    after = error_stats(source)
    assert scan(source, f"{store.prefix}:*") == []
    assert after.get("ASK", 0) > before.get("ASK", 0)
    assert after.get("MOVED", 0) > before.get("MOVED", 0)
    assert private_cluster.owner(raw_moved) is target
    with target.client() as raw:
        assert raw.exists(raw_moved) and raw.exists(raw_stays)


def test_a_master_down_falls_back_once_and_recovers(private_cluster: Cluster, logs: Records) -> None:
    calls: list[None] = []
    store = RedisStore.from_url(
        f"{private_cluster.url}?socket_timeout=1&retry_after=0.2", on_fallback=lambda: calls.append(None)
    )
    keys = keys_on_every_node(private_cluster, store.redis_key, per_node=1)
    victim = private_cluster.owner(store.redis_key(keys[0]))

    async def main() -> None:
        try:
            for k in keys:
                assert await store.bump(k, {"_n": 1.0}, 1.0, COUNTING) == {"_n": 1.0, "@t": 1.0}
            assert await store.ping()

            victim.stop()
            # The first call that reaches the dead master starts the outage; from then on every key,
            # wherever its slot, is served locally until the probe (one state per store, as for redis://).
            during = [await store.bump(k, {"_n": 1.0}, 1.0, COUNTING) for k in keys]
            assert during == [{"_n": 1.0, "@t": 1.0}] * len(keys)  # local state starts empty
            assert store.degraded and calls == [None]
            (warning,) = logs.at(logging.WARNING)
            assert "local in-memory behaviour state" in warning
            assert await store.ping() is False  # not every master answers

            victim.start()  # empty, but it keeps its node id and slots (nodes.conf in its directory)
            await asyncio.to_thread(private_cluster.wait_ok)
            await asyncio.sleep(0.3)  # past retry_after: the next call is the probe
            after = {k: await store.bump(k, {"_n": 1.0}, 1.0, COUNTING) for k in keys}
            assert not store.degraded
            # The restarted master lost its hash; the others kept theirs.
            assert after[keys[0]]["_n"] == 1.0
            assert all(after[k]["_n"] == 2.0 for k in keys[1:])
            assert any("reachable again" in m for m in logs.at(logging.INFO))
        finally:
            await store.close()

    asyncio.run(main())
    assert calls == [None]
    assert logs.at(logging.ERROR) == []


def test_an_unreachable_cluster_from_the_start_is_served_locally(logs: Records) -> None:
    calls: list[None] = []
    url = f"redis+cluster://127.0.0.1:{free_port()},127.0.0.1:{free_port()}?retry_after=60"
    store = RedisStore.from_url(url, on_fallback=lambda: calls.append(None))

    async def main() -> tuple[dict[str, float], dict[str, float], bool]:
        try:
            first = await store.bump("k", {"_n": 1.0}, 1.0, DECAY)
            await store.bump("k", {"_n": 1.0}, 2.0, DECAY)
            return first, await store.get("k"), await store.ping()
        finally:
            await store.close()

    first, got, answered = asyncio.run(main())
    assert first == {"_n": 1.0, "@t": 1.0}
    assert got == apply_bump(first, {"_n": 1.0}, 2.0, DECAY)
    assert answered is False and store.degraded and calls == [None]
    assert len(logs.at(logging.WARNING)) == 1 and logs.at(logging.ERROR) == []


def test_two_throttles_on_the_cluster_share_each_clients_limit(redis_cluster: Cluster) -> None:
    clients = [f"ip:192.0.2.{i}-{uuid.uuid4().hex[:6]}" for i in range(6)]

    async def main() -> tuple[list[list[ThrottleDecision]], ThrottleDecision, bool]:
        a = Throttle(f"{redis_cluster.url}?socket_timeout=2", rates={"throttle": "3/hour"})
        b = Throttle(f"redis+cluster://{redis_cluster.nodes[1].address}?socket_timeout=2", rates={"throttle": "3/hour"})
        try:
            decisions = []
            for client in clients:
                # A load balancer alternating: a, b, a are the three allowed, then both refuse.
                decisions.append([await t.hit(client, "throttle") for t in (a, b, a, b, a)])
            other = await b.hit("ip:198.51.100.1-" + uuid.uuid4().hex[:6], "throttle")
            return decisions, other, a.degraded or b.degraded
        finally:
            await a.aclose()
            await b.aclose()

    decisions, other, degraded = asyncio.run(main())
    assert not degraded
    for row in decisions:
        assert [d.allowed for d in row] == [True, True, True, False, False]
        assert all(3590 <= d.retry_after <= 3600 for d in row[3:])
    assert other.allowed
    # Each client is one key (one slot), on the master of that slot: the six spread over the masters.
    owners = []
    for client in clients:
        (key,) = [k for node in redis_cluster.nodes for k in scan(node, f"{KEY_PREFIX}:*{client_id(client)}*")]
        owners.append(redis_cluster.owner(key).port)
    assert len(set(owners)) > 1


def scan(node: ClusterNode, pattern: str) -> list[str]:
    with node.client() as raw:
        return [k.decode() for k in raw.scan_iter(match=pattern, count=1000)]
