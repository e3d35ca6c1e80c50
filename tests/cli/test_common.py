import os
from pathlib import Path

import pytest

from querysentry.cli.common import atomic_output


class BoomError(Exception):
    pass


def test_atomic_output_creates_parents_and_fsyncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "reports" / "out.jsonl"
    with atomic_output(target) as handle:
        handle.write('{"id": 1}\n')
    assert target.read_text(encoding="utf-8") == '{"id": 1}\n'
    assert len(synced) == 2  # the file before the rename, the directory after it


def test_atomic_output_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous run\n")
    with pytest.raises(BoomError), atomic_output(target) as handle:
        handle.write("half a line")
        raise BoomError
    assert target.read_text() == "previous run\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]
