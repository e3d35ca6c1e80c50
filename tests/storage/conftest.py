"""Private ``redis-server`` processes for the storage tests, on free 127.0.0.1 ports.

Without ``redis-server`` on PATH the Redis tests skip, unless ``QUERYSENTRY_REQUIRE_REDIS=1`` (set by
CI), where they fail instead: CI must never pass by silently testing nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .cluster import Cluster


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers(port: int, timeout: float = 0.2) -> bool:
    """True if a Redis on ``port`` replies +PONG (raw socket: no client library, no event loop)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One ``redis-server`` process; ``stop`` and ``start`` again keep the port (outage tests)."""

    def __init__(self, executable: str, workdir: Path, port: int | None = None) -> None:
        self.executable = executable
        self.workdir = workdir
        self.port = port if port is not None else free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not answers(self.port):
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"redis-server exited at start on port {self.port} (port taken?)")
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

    def restart(self) -> None:
        """Start again on the same port, with an empty dataset."""
        self.stop()
        self.start()


def _redis_executable() -> str:
    executable = shutil.which("redis-server")
    if executable is None:
        reason = "redis-server is not on PATH (apt-get install redis-server)"
        if os.environ.get("QUERYSENTRY_REQUIRE_REDIS") == "1":
            pytest.fail(f"QUERYSENTRY_REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One server shared by the session: tests use distinct keys or prefixes, never FLUSHALL."""
    server = RedisServer(_redis_executable(), tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
def make_redis_server(tmp_path: Path) -> Iterator[Callable[[], RedisServer]]:
    """A factory of private servers (not started), each stopped at the end of the test."""
    executable = _redis_executable()
    servers: list[RedisServer] = []

    def make() -> RedisServer:
        server = RedisServer(executable, tmp_path)
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A three-master Redis Cluster shared by the session (``tests/storage/cluster.py``); use
    ``redis_cluster.url``. Tests keep apart by prefix or key names and never stop or reshard it."""
    from .cluster import running_cluster  # here: cluster.py imports this module

    with running_cluster(tmp_path_factory.mktemp("redis-cluster")) as cluster:
        yield cluster
