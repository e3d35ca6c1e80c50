"""A private Redis Cluster for the tests: three masters on free 127.0.0.1 ports, no replicas.

Started the way an operator (and CI) does it: ``redis-server --cluster-enabled yes`` per node, then
``redis-cli --cluster create … --cluster-replicas 0 --cluster-yes``, then wait until every node
says ``cluster_state:ok``. The servers are stopped when the ``with`` block ends, however it ends,
and on Linux they are also killed if the test process itself dies (``PR_SET_PDEATHSIG``), so a
crashed run leaves no cluster behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from redis.crc import key_slot

from .conftest import answers, free_port

# Redis talks to the other nodes on its port + 10000 (the cluster bus): both must be free.
_BUS_OFFSET = 10000


def require_tools() -> tuple[str, str]:
    """``redis-server`` and ``redis-cli``; skip without them, or fail under QUERYSENTRY_REQUIRE_REDIS=1."""
    found = {name: shutil.which(name) for name in ("redis-server", "redis-cli")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        reason = f"{' and '.join(missing)} not on PATH (apt-get install redis-server)"
        if os.environ.get("QUERYSENTRY_REQUIRE_REDIS") == "1":
            pytest.fail(f"QUERYSENTRY_REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    server, cli = found["redis-server"], found["redis-cli"]
    assert server is not None and cli is not None
    return server, cli


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def cluster_port() -> int:
    """A free port whose cluster-bus port is free too."""
    for _ in range(100):
        port = free_port()
        if port + _BUS_OFFSET <= 65535 and _bindable(port + _BUS_OFFSET):
            return port
    raise RuntimeError("no free port pair for a cluster node")


# Looked up here, not in the child: between fork and exec the child should only make the call.
_PRCTL = ctypes.CDLL(None).prctl if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: the kernel SIGKILLs it when the test process goes away.
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class ClusterNode:
    executable: str
    workdir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        assert self.process is None, "already running"
        self.workdir.mkdir(parents=True, exist_ok=True)
        # Appending to the log keeps what a node said before a restart (the outage tests restart one).
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "5000",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not answers(self.port):
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"redis-server exited at start on port {self.port}: see {self.workdir}/redis.log")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout} s")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        """A plain (non-cluster) client of this node alone, for admin commands and raw reads."""
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def node_id(self) -> str:
        with self.client() as client:
            return str(client.execute_command("CLUSTER", "MYID").decode())


@dataclass
class Cluster:
    nodes: list[ClusterNode] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The ``redis+cluster://`` URL of every node (a client needs only one to find the rest)."""
        return "redis+cluster://" + ",".join(node.address for node in self.nodes)

    def owner(self, key: str) -> ClusterNode:
        """The node that serves the slot of the raw Redis ``key`` now, as the cluster itself says."""
        slot = key_slot(key.encode())
        with self.nodes[0].client() as client:
            for start, end, master, *_ in client.execute_command("CLUSTER", "SLOTS"):
                if start <= slot <= end:
                    port = int(master[1])
                    return next(node for node in self.nodes if node.port == port)
        raise AssertionError(f"slot {slot} is not served")

    def wait_ok(self, timeout: float = 30.0) -> None:
        """Until every running node reports ``cluster_state:ok`` and knows all its peers."""
        deadline = time.monotonic() + timeout
        while True:
            states = [_cluster_info(node) for node in self.nodes if node.process is not None]
            known = str(len(self.nodes))
            if all(s.get("cluster_state") == "ok" and s.get("cluster_known_nodes") == known for s in states):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"cluster not ok within {timeout} s: {states}")
            time.sleep(0.05)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _cluster_info(node: ClusterNode) -> dict[str, str]:
    try:
        with node.client() as client:
            text = client.execute_command("CLUSTER", "INFO").decode()
    except redis.RedisError:
        return {}
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


@contextlib.contextmanager
def running_cluster(workdir: Path, masters: int = 3) -> Iterator[Cluster]:
    """A started, created and healthy cluster of ``masters`` nodes; stopped on the way out."""
    server, cli = require_tools()
    cluster = Cluster()
    try:
        for i in range(masters):
            node = ClusterNode(server, workdir / f"node{i}", cluster_port())
            cluster.nodes.append(node)
            node.start()
        addresses = [node.address for node in cluster.nodes]
        created = subprocess.run(
            [cli, "--cluster", "create", *addresses, "--cluster-replicas", "0", "--cluster-yes"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if created.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed: {created.stdout}\n{created.stderr}")
        cluster.wait_ok()
        yield cluster
    finally:
        cluster.stop()


def keys_on_every_node(cluster: Cluster, redis_key: Callable[[str], str], per_node: int = 2) -> list[str]:
    """Logical keys, ``per_node`` served by each node once mapped by ``redis_key``, in node order."""
    found: dict[int, list[str]] = {node.port: [] for node in cluster.nodes}
    slots = _slot_owners(cluster)
    i = 0
    while any(len(keys) < per_node for keys in found.values()):
        key = f"k{i}"
        i += 1
        port = slots[key_slot(redis_key(key).encode())]
        if len(found[port]) < per_node:
            found[port].append(key)
    return [key for node in cluster.nodes for key in found[node.port]]


def _slot_owners(cluster: Cluster) -> dict[int, int]:
    owners: dict[int, int] = {}
    with cluster.nodes[0].client() as client:
        for start, end, master, *_ in client.execute_command("CLUSTER", "SLOTS"):
            for slot in range(start, end + 1):
                owners[slot] = int(master[1])
    return owners
