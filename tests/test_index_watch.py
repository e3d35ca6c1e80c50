"""The index watcher: reloads that retry until the directory is consistent, and never die.

Polls are driven by an injected clock and every load thread is joined with ``wait()``, so no test
races a background thread or sleeps.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest

from querysentry import Category, IndexHandle, Pattern, PatternLibrary
from querysentry.index import INDEX_FILE, MANIFEST_FILE, PATTERNS_FILE, PatternIndex, build_index, load_index
from querysentry.index_watch import IndexWatcher
from tests.conftest import HashEmbedder

NESTED_MANIFEST = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def library(n: int, prefix: str) -> PatternLibrary:
    patterns = tuple(Pattern(f"{prefix}-{i}", f"{prefix} sample wording {i}", Category.QA_HARVESTING) for i in range(n))
    return PatternLibrary(prefix, "1", patterns)


def save(directory: Path, n: int, prefix: str, embedder: HashEmbedder) -> PatternIndex:
    index = build_index(library(n, prefix), embedder)
    index.save(directory)
    return index


@pytest.fixture
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException | None]:
    """Exceptions that escaped any thread (a dead reload thread lands here)."""
    errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    return errors


@pytest.fixture
def served(tmp_path: Path, hash_embedder: HashEmbedder) -> tuple[Path, IndexHandle]:
    """A live index directory holding 3 patterns ``a-*`` and a handle serving it."""
    live = tmp_path / "live"
    save(live, 3, "a", hash_embedder)
    return live, IndexHandle(load_index(live), directory=live)


def poll_after(watcher: IndexWatcher, clock: Clock, seconds: float) -> bool:
    clock.now += seconds
    started = watcher.poll()
    assert watcher.wait(timeout=30)
    return started


def test_a_copy_whose_manifest_lands_first_is_picked_up_once_the_data_arrives(
    tmp_path: Path,
    served: tuple[Path, IndexHandle],
    hash_embedder: HashEmbedder,
    caplog: pytest.LogCaptureFixture,
    thread_errors: list[BaseException | None],
) -> None:
    live, handle = served
    staged = tmp_path / "staged"
    save(staged, 5, "b", hash_embedder)
    clock = Clock()
    watcher = IndexWatcher(handle, 10.0, hash_embedder.fingerprint, clock=clock)
    assert not poll_after(watcher, clock, 10)  # nothing changed: no load
    # `cp -r staged/. live/` in directory order: the new manifest lands before the data it describes.
    shutil.copyfile(staged / MANIFEST_FILE, live / MANIFEST_FILE)
    assert not poll_after(watcher, clock, 5)  # inside the interval: not even a stat
    with caplog.at_level(logging.ERROR, logger="querysentry"):
        assert poll_after(watcher, clock, 5)
    assert handle.current.get("a-0") is not None and watcher.failures == 1
    assert [r.levelname for r in caplog.records if r.name == "querysentry"] == ["ERROR"]
    assert "checksum mismatch" in caplog.text
    shutil.copyfile(staged / PATTERNS_FILE, live / PATTERNS_FILE)
    shutil.copyfile(staged / INDEX_FILE, live / INDEX_FILE)
    assert poll_after(watcher, clock, 10)  # new files: retried at once, no backoff
    assert len(handle.current) == 5 and handle.current.get("b-0") is not None
    assert watcher.failures == 0 and watcher.loads == 2
    assert not poll_after(watcher, clock, 10)  # loaded: nothing more to do
    assert thread_errors == []


def test_a_failed_stamp_is_retried_with_a_growing_backoff(
    served: tuple[Path, IndexHandle], hash_embedder: HashEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    live, handle = served
    clock = Clock()
    watcher = IndexWatcher(handle, 10.0, hash_embedder.fingerprint, clock=clock, max_backoff=40.0)
    (live / INDEX_FILE).write_bytes(b"half a file")
    assert poll_after(watcher, clock, 10) and watcher.failures == 1
    # The same broken files are retried after 10, 20, 40, 40 … seconds, never more often.
    attempts = []
    for _ in range(16):
        if poll_after(watcher, clock, 10):
            attempts.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[:2] == [20.0, 40.0] and set(gaps[2:]) == {40.0}
    assert watcher.failures == 1 + len(attempts)
    assert handle.current.get("a-0") is not None
    assert caplog.text.count("index reload failed") == watcher.failures


def test_a_deeply_nested_manifest_keeps_the_old_index_and_the_watcher_alive(
    served: tuple[Path, IndexHandle],
    hash_embedder: HashEmbedder,
    caplog: pytest.LogCaptureFixture,
    thread_errors: list[BaseException | None],
) -> None:
    live, handle = served
    old = handle.current
    clock = Clock()
    watcher = IndexWatcher(handle, 0, hash_embedder.fingerprint, clock=clock)
    (live / MANIFEST_FILE).write_text(NESTED_MANIFEST, encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="querysentry"):
        assert poll_after(watcher, clock, 0)
    assert handle.current is old and watcher.failures == 1
    errors = [r for r in caplog.records if r.name == "querysentry" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and "nested too deeply" in errors[0].getMessage()
    assert thread_errors == []
    save(live, 4, "c", hash_embedder)
    assert poll_after(watcher, clock, 0)
    assert len(handle.current) == 4 and handle.current.get("c-1") is not None and watcher.failures == 0
    assert thread_errors == []


@pytest.mark.parametrize("error", [RecursionError("deep"), MemoryError(), OSError("gone"), ValueError("odd")])
def test_any_load_error_is_logged_and_retried(
    served: tuple[Path, IndexHandle],
    hash_embedder: HashEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    thread_errors: list[BaseException | None],
    error: Exception,
) -> None:
    live, handle = served
    clock = Clock()
    watcher = IndexWatcher(handle, 0, hash_embedder.fingerprint, clock=clock)
    import faiss

    real_read = faiss.read_index

    def failing_read(path: str) -> object:
        raise error

    monkeypatch.setattr(faiss, "read_index", failing_read)
    save(live, 6, "d", hash_embedder)
    assert poll_after(watcher, clock, 0)
    assert handle.current.get("a-0") is not None and watcher.failures == 1
    assert "index reload failed" in caplog.text and thread_errors == []
    monkeypatch.setattr(faiss, "read_index", real_read)
    assert poll_after(watcher, clock, 0)  # the same files, retried: now they load
    assert len(handle.current) == 6 and watcher.failures == 0


def test_never_two_loads_at_once(
    served: tuple[Path, IndexHandle], hash_embedder: HashEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, handle = served
    clock = Clock()
    watcher = IndexWatcher(handle, 0, hash_embedder.fingerprint, clock=clock)
    release, entered = threading.Event(), threading.Event()
    real_reload = handle.reload
    calls = 0

    def slow_reload(**kwargs: object) -> bool:
        nonlocal calls
        calls += 1
        entered.set()
        assert release.wait(timeout=30)
        return real_reload(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(handle, "reload", slow_reload)
    save(live, 7, "e", hash_embedder)
    assert watcher.poll()
    assert entered.wait(timeout=30)
    assert not any(watcher.poll() for _ in range(20))  # a load is running: polls start nothing
    assert not watcher.wait(timeout=0)
    release.set()
    assert watcher.wait(timeout=30)
    assert calls == 1 and len(handle.current) == 7


def test_poll_costs_one_clock_read_between_checks_and_three_stats_at_one(
    served: tuple[Path, IndexHandle], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, handle = served
    clock = Clock()
    reads = stats = 0

    def counting_clock() -> float:
        nonlocal reads
        reads += 1
        return clock.now

    watcher = IndexWatcher(handle, 60.0, None, clock=counting_clock)
    real_stat = os.stat

    def counting_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        nonlocal stats
        stats += 1
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", counting_stat)
    reads = 0
    for _ in range(100):
        assert not watcher.poll()
    assert (reads, stats) == (100, 0)
    clock.now += 60
    assert not watcher.poll()  # unchanged files: checked, nothing to load
    assert stats == 3  # manifest.json, index.faiss, patterns.jsonl


def test_reload_now_loads_synchronously_and_records_what_it_loaded(
    served: tuple[Path, IndexHandle], hash_embedder: HashEmbedder
) -> None:
    live, handle = served
    clock = Clock()
    seen: list[str] = []
    watcher = IndexWatcher(
        handle, 0, hash_embedder.fingerprint, clock=clock, on_reload=lambda i: seen.append(i.version)
    )
    new = save(live, 2, "f", hash_embedder)
    assert watcher.reload_now() and len(handle.current) == 2 and seen == [new.version]
    assert not poll_after(watcher, clock, 0)  # already loaded: the watcher does not load it again
    (live / PATTERNS_FILE).write_text("not the file the manifest describes\n")
    assert not watcher.reload_now() and len(handle.current) == 2 and watcher.failures == 1
    assert seen == [new.version]


def test_a_failing_on_reload_callback_is_logged_not_fatal(
    served: tuple[Path, IndexHandle],
    hash_embedder: HashEmbedder,
    caplog: pytest.LogCaptureFixture,
    thread_errors: list[BaseException | None],
) -> None:
    live, handle = served
    clock = Clock()

    def broken(index: PatternIndex) -> None:
        raise RuntimeError("metrics are down")

    watcher = IndexWatcher(handle, 0, hash_embedder.fingerprint, clock=clock, on_reload=broken)
    save(live, 2, "g", hash_embedder)
    assert poll_after(watcher, clock, 0)
    assert len(handle.current) == 2 and "metrics are down" in caplog.text and thread_errors == []
    assert not poll_after(watcher, clock, 0)  # the index itself did load: no reload loop


def test_a_handle_without_a_directory_is_never_polled(hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(build_index(library(2, "h"), hash_embedder))
    watcher = IndexWatcher(handle, 0, None)
    assert not watcher.poll() and watcher.wait(timeout=0)
    with pytest.raises(ValueError, match="no index directory"):
        watcher.reload_now()


def test_a_thread_that_cannot_start_fails_no_request(
    served: tuple[Path, IndexHandle],
    hash_embedder: HashEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    live, handle = served
    clock = Clock()
    watcher = IndexWatcher(handle, 0, hash_embedder.fingerprint, clock=clock)
    save(live, 3, "i", hash_embedder)

    def no_threads(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patch:
        patch.setattr(threading.Thread, "start", no_threads)
        assert not watcher.poll()
    assert "cannot start the reload thread" in caplog.text
    assert poll_after(watcher, clock, 0) and handle.current.get("i-0") is not None
