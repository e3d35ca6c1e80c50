import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from querysentry.fileio import atomic_write_bytes, atomic_write_text, atomic_writer, staged_files


class BoomError(Exception):
    pass


def record_syncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Log every fsync ("file" or "dir") and every os.replace ("replace <name>"), in order."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def fail_replace(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    """Make ``os.replace`` raise from its ``after + 1``-th call on."""
    real_replace = os.replace
    calls = 0

    def replace(src: Any, dst: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > after:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_write_text_replaces_the_file_as_is(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    atomic_write_text(path, "one\r\ntwo \u2028 three\n")
    assert path.read_bytes() == "one\r\ntwo \u2028 three\n".encode()
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["a.jsonl"]


def test_the_file_is_fsynced_before_the_rename_and_the_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = record_syncs(monkeypatch)
    atomic_write_text(tmp_path / "t.json", "{}")
    assert events == ["file", "replace t.json", "dir"]
    events.clear()
    with atomic_writer(tmp_path / "out.jsonl") as handle:
        handle.write("streamed\n")
    assert events == ["file", "replace out.jsonl", "dir"]
    assert (tmp_path / "out.jsonl").read_text() == "streamed\n"


@pytest.mark.parametrize("write", [
    lambda path: atomic_write_text(path, "new content"),
    lambda path: atomic_write_bytes(path, b"new content"),
])  # fmt: skip
def test_a_failed_rename_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path], None]
) -> None:
    path = tmp_path / "library.jsonl"
    path.write_text("old content")
    fail_replace(monkeypatch)
    with pytest.raises(OSError, match="No space"):
        write(path)
    assert path.read_text() == "old content"
    assert os.listdir(tmp_path) == ["library.jsonl"]


def test_a_failure_while_streaming_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old content")
    with pytest.raises(BoomError), atomic_writer(path) as handle:
        handle.write("half of the new")
        raise BoomError
    assert path.read_text() == "old content"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_a_failing_fsync_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic_write_text(path, "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


def test_an_existing_files_mode_is_kept_and_a_new_one_is_0644(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("x")
    kept.chmod(0o640)
    atomic_write_text(kept, "y")
    atomic_write_text(tmp_path / "new.txt", "z")
    assert kept.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0o600


def test_staged_files_publish_together_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = record_syncs(monkeypatch)
    with staged_files(tmp_path) as staged:
        staged.path("data.bin").write_bytes(b"data")
        staged.path("manifest.json").write_text("{}")
        assert sorted(os.listdir(tmp_path)) != ["data.bin", "manifest.json"]  # nothing published yet
    assert sorted(os.listdir(tmp_path)) == ["data.bin", "manifest.json"]
    assert (tmp_path / "data.bin").read_bytes() == b"data"
    assert events == ["file", "file", "replace data.bin", "replace manifest.json", "dir"]


def test_staged_files_leave_no_temp_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "manifest.json").write_text("old")
    with pytest.raises(BoomError), staged_files(tmp_path) as staged:
        staged.path("data.bin").write_bytes(b"data")
        raise BoomError
    assert os.listdir(tmp_path) == ["manifest.json"]
    # A rename that fails half way: the first file is published, the manifest is not, no temp stays.
    fail_replace(monkeypatch, after=1)
    with pytest.raises(OSError, match="No space"), staged_files(tmp_path) as staged:
        staged.path("data.bin").write_bytes(b"new data")
        staged.path("manifest.json").write_text("new")
    assert sorted(os.listdir(tmp_path)) == ["data.bin", "manifest.json"]
    assert (tmp_path / "manifest.json").read_text() == "old"
