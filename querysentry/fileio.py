"""Replacing files atomically: a reader sees the old content or the new, never a mix.

Every write goes to a temp file beside its target (same directory, so ``os.replace`` stays one
rename on one file system), is flushed and fsynced, takes the target's permissions (0o644 for a
new file), and is renamed over the target; the directory is then fsynced so the rename itself
survives a crash. On any failure the temp file is removed and the target is untouched.

``atomic_writer`` streams (large outputs), ``atomic_write_text``/``atomic_write_bytes`` write a
value, and ``staged_files`` publishes several files of one directory together (an index), each
replaced in the order it was staged.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = ["StagedFiles", "atomic_write_bytes", "atomic_write_text", "atomic_writer", "staged_files"]

NEW_FILE_MODE = 0o644
# File systems that cannot fsync a directory say so with one of these; the rename still happened.
_NO_DIRECTORY_SYNC = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF})


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return NEW_FILE_MODE


def _temp_beside(path: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    return fd, Path(name)


def fsync_directory(directory: Path) -> None:
    """Make the renames in ``directory`` durable, where the platform can (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIRECTORY_SYNC:
            raise
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _binary_writer(path: Path) -> Iterator[BinaryIO]:
    mode = _mode_for(path)
    fd, temp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
        fsync_directory(path.parent)
    finally:
        temp.unlink(missing_ok=True)


@contextmanager
def atomic_writer(path: Path | str, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` when the block ends without an exception.

    ``newline`` is ``open``'s: None writes ``\\n`` as the platform's line end, ``""`` writes the
    text as is. The directory must exist.
    """
    with _binary_writer(Path(path)) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline, write_through=True)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the binary writer closes the file, after its fsync


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see the module docstring)."""
    with _binary_writer(Path(path)) as handle:
        handle.write(data)


def create_file(path: Path | str, data: bytes, *, mode: int = NEW_FILE_MODE, overwrite: bool = False) -> None:
    """Write ``path`` whole, with ``mode``, through a synced temp file; ``FileExistsError`` if it
    exists, unless ``overwrite``.

    Without ``overwrite`` the temp file is hard-linked into place, which fails when the name
    exists, so a file appearing meanwhile (a key written by a second command) is never replaced;
    a file system without hard links falls back to check-then-rename.
    """
    path = Path(path)
    fd, temp = _temp_beside(path)
    try:
        os.chmod(temp, mode)  # before the data: a private key is never readable by others
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise
            except OSError:
                if path.exists():
                    raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
                os.replace(temp, path)
        fsync_directory(path.parent)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically, written as is (no newline translation)."""
    atomic_write_bytes(path, text.encode(encoding))


class StagedFiles:
    """Temp files in one directory, each standing for a final name, to be published together."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._staged: list[tuple[Path, str]] = []

    def path(self, name: str) -> Path:
        """A new, empty temp file that ``publish`` will rename to ``directory / name``.

        Write it by path (a library such as FAISS opens the file itself); ``publish`` fsyncs it.
        """
        fd, temp = _temp_beside(self.directory / name)
        os.close(fd)
        self._staged.append((temp, name))
        return temp

    def publish(self) -> None:
        """fsync every staged file, rename each over its name in staging order, fsync the directory.

        The caller orders the files so that a reader racing the renames notices (an index stages
        its manifest last: it holds the others' checksums).
        """
        for temp, _ in self._staged:
            _fsync_file(temp)
        for temp, name in self._staged:
            target = self.directory / name
            os.chmod(temp, _mode_for(target))
            os.replace(temp, target)
        fsync_directory(self.directory)

    def discard(self) -> None:
        """Remove every temp file that was not published."""
        for temp, _ in self._staged:
            temp.unlink(missing_ok=True)


@contextmanager
def staged_files(directory: Path | str) -> Iterator[StagedFiles]:
    """Stage files in ``directory`` and publish them when the block ends without an exception.

    On any failure, while writing or while publishing, no temp file is left behind; files already
    renamed stay renamed (see ``StagedFiles.publish`` on ordering).
    """
    staged = StagedFiles(Path(directory))
    try:
        yield staged
        staged.publish()
    finally:
        staged.discard()
