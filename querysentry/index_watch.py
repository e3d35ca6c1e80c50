"""Reloading an index directory when its files change: retried until consistent, never fatal.

``IndexWatcher.poll`` is meant for the request path. Between checks it costs one clock read; every
``interval`` seconds it ``stat``s the three index files (manifest, FAISS file, patterns) and, if
what it sees differs from what was last loaded *successfully*, starts one background thread that
calls ``IndexHandle.reload``. Never two loads run at once.

A load that fails (a copy still in progress, a corrupt or hostile file, MemoryError, anything)
keeps the old index, is logged as an ERROR on the ``querysentry`` logger by ``IndexHandle.reload``,
and is retried:

* at the next check as soon as any of the files changes again. ``cp -r`` writes ``manifest.json``
  before the data files it describes, so the first load after it fails on a checksum mismatch and
  the one after the data lands succeeds;
* and, while the files stay as they are, again after ``interval``, then twice that, and so on up
  to ``max_backoff`` seconds. This covers what a stat cannot see (a file system whose timestamps
  are too coarse to tell two writes apart) and passing trouble (memory, file handles) without
  hashing a large broken index on every check.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from querysentry.index import INDEX_FILE, MANIFEST_FILE, PATTERNS_FILE, IndexHandle, PatternIndex

__all__ = ["IndexWatcher", "Stamp", "directory_stamp"]

LOG = logging.getLogger("querysentry")

# (inode, size, mtime_ns, ctime_ns) of one file, or None if it is missing. ctime cannot be set
# back by ``cp -p`` or ``rsync -t``, the inode changes on every ``os.replace``.
FileStamp = tuple[int, int, int, int] | None
Stamp = tuple[FileStamp, ...]

_WATCHED = (MANIFEST_FILE, INDEX_FILE, PATTERNS_FILE)
# Past this many doublings the delay is max_backoff anyway; the cap keeps the float finite.
_MAX_DOUBLINGS = 30


def directory_stamp(directory: Path) -> Stamp | None:
    """What an index directory's files look like now, or None without a manifest. Three ``stat`` calls."""
    stamps: list[FileStamp] = []
    for name in _WATCHED:
        try:
            st = os.stat(directory / name)
        except OSError:
            if name == MANIFEST_FILE:
                return None  # nothing to load (yet): not an error worth a reload attempt
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(stamps)


class IndexWatcher:
    """Reload ``handle`` from its directory whenever the directory's files change (see the module doc).

    ``interval`` is the seconds between two checks (0: every poll checks). ``expected_fingerprint``
    is the encoder fingerprint an index must have been built with (None: any). ``clock`` is a
    monotonic clock in seconds (injectable for tests). ``on_reload`` is called, in the load
    thread, with each index swapped in (e.g. to update a metric); an exception it raises is
    logged. The index the handle holds when the watcher is made is taken to be what the
    directory holds then. A handle without a directory is never reloaded.
    """

    def __init__(
        self,
        handle: IndexHandle,
        interval: float,
        expected_fingerprint: str | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_backoff: float = 300.0,
        on_reload: Callable[[PatternIndex], None] | None = None,
    ) -> None:
        if interval < 0 or max_backoff < 0:
            raise ValueError("interval and max_backoff must be >= 0 seconds")
        self.handle = handle
        self.interval = float(interval)
        self.expected_fingerprint = expected_fingerprint
        self.max_backoff = float(max_backoff)
        self.on_reload = on_reload
        self._clock = clock
        self._lock = threading.Lock()  # guards the check state below; never held during a load
        self._load_lock = threading.Lock()  # held for the whole of a load: never two at once
        self._thread: threading.Thread | None = None
        self._running = False
        self._next_check = clock() + self.interval
        self._loaded = self._stamp()
        self._failed: Stamp | None = None
        self._retry_at = 0.0
        self.failures = 0  # failed loads in a row of the files as they are now (0 after a success)
        self.loads = 0  # load attempts so far, successful or not

    def _stamp(self) -> Stamp | None:
        directory = self.handle.directory
        return None if directory is None else directory_stamp(directory)

    def poll(self) -> bool:
        """Check the directory if ``interval`` has passed; True if a background load was started.

        Cheap: one clock read between checks; a check is three ``stat`` calls. Never blocks on a
        running load or on another thread's check.
        """
        if self._clock() < self._next_check:
            return False
        return self._check()

    def _check(self) -> bool:
        if not self._lock.acquire(blocking=False):
            return False  # another request is checking right now
        try:
            now = self._clock()
            if now < self._next_check:
                return False
            self._next_check = now + self.interval
            if self._running or self._load_lock.locked():
                return False
            stamp = self._stamp()
            if stamp is None:
                return False
            if stamp == self._loaded:
                self._failed, self.failures = None, 0  # back to what is served: nothing is failing
                return False
            if stamp == self._failed and now < self._retry_at:
                return False
            thread = threading.Thread(target=self._run, args=(stamp,), name="querysentry-index-reload", daemon=True)
            self._running = True
            try:
                thread.start()
            except RuntimeError as exc:  # "can't start new thread": this runs on the request path
                self._running = False
                LOG.error("querysentry index watcher: cannot start the reload thread (%s); the next check retries", exc)
                return False
            self._thread = thread
            return True
        finally:
            self._lock.release()

    def _run(self, stamp: Stamp) -> None:
        try:
            with self._load_lock:
                self._load(stamp)
        except Exception:  # this thread must end cleanly whatever happens
            LOG.exception("querysentry index watcher: unexpected error; the next check retries")
        finally:
            with self._lock:
                self._running = False

    def _load(self, stamp: Stamp | None) -> bool:
        """Reload (the caller holds ``_load_lock``) and record the outcome for ``stamp``."""
        self.loads += 1
        ok = self.handle.reload(expected_fingerprint=self.expected_fingerprint)
        delay = 0.0
        with self._lock:
            if ok:
                self._loaded, self._failed, self.failures = stamp, None, 0
            else:
                self.failures = self.failures + 1 if stamp == self._failed else 1
                self._failed = stamp
                delay = min(self.max_backoff, self.interval * 2 ** min(self.failures - 1, _MAX_DOUBLINGS))
                self._retry_at = self._clock() + delay
        if not ok:
            LOG.info("querysentry index watcher: retrying when the files change, or in %.0f s", delay)
        elif self.on_reload is not None:
            try:
                self.on_reload(self.handle.current)
            except Exception:  # a callback's failure must not undo a good reload
                LOG.exception("querysentry index watcher: on_reload callback failed")
        return ok

    def reload_now(self) -> bool:
        """Reload in the calling thread (after any running load); True if a new index was swapped in.

        Records the result as a poll-started load would, so the watcher does not load the same
        files again. Costs a full load. ``ValueError`` if the handle has no directory.
        """
        if self.handle.directory is None:
            raise ValueError("this handle has no index directory to reload from")
        with self._load_lock:
            return self._load(self._stamp())

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the background load, if one is running; True if none is running afterwards."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()
