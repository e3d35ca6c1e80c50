import json
import threading
from pathlib import Path

import numpy as np
import pytest

from querysentry import Category, IncompatibleIndexError, IndexHandle, Pattern, PatternIndexError, PatternLibrary
from querysentry.index import INDEX_FILE, MANIFEST_FILE, PATTERNS_FILE, build_index, load_index
from tests.conftest import HashEmbedder


def library(n: int, prefix: str = "p") -> PatternLibrary:
    categories = [Category.REASONING_TRACE, Category.PROMPT_EXTRACTION, Category.BENIGN]
    patterns = tuple(Pattern(f"{prefix}-{i}", f"pattern text number {i}", categories[i % 3]) for i in range(n))
    return PatternLibrary("test", "1.0", patterns)


def top_id(index, embedder: HashEmbedder, text: str) -> str:
    return index.search(embedder.encode([text]), k=1)[0][0].pattern.id


def test_build_search_finds_the_exact_pattern(hash_embedder: HashEmbedder) -> None:
    index = build_index(library(50), hash_embedder)
    hits = index.search(hash_embedder.encode(["pattern text number 17", "pattern text number 3"]), k=3)
    assert hits[0][0].pattern.id == "p-17" and hits[0][0].similarity == pytest.approx(1.0, abs=1e-5)
    assert hits[1][0].pattern.id == "p-3"
    assert len(hits[0]) == 3 and hits[0][0].similarity >= hits[0][1].similarity


def test_save_and_load_round_trip(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    index = build_index(library(30), hash_embedder)
    index.save(tmp_path / "idx")
    loaded = load_index(tmp_path / "idx", expected_fingerprint=hash_embedder.fingerprint)
    assert len(loaded) == 30 and loaded.version == index.version
    assert loaded.patterns == index.patterns
    assert top_id(loaded, hash_embedder, "pattern text number 9") == "p-9"
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == [INDEX_FILE, MANIFEST_FILE, PATTERNS_FILE]


def test_add_and_remove_without_rebuild(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    index = build_index(library(20), hash_embedder)
    calls = hash_embedder.calls
    new = [Pattern("n-1", "a brand new pattern", Category.QA_HARVESTING)]
    grown = index.with_added(new, hash_embedder.encode([p.text for p in new]))
    assert hash_embedder.calls == calls + 1  # only the new pattern was embedded
    assert len(grown) == 21 and len(index) == 20  # the old value is untouched
    assert top_id(grown, hash_embedder, "a brand new pattern") == "n-1"
    shrunk = grown.without(["p-4", "n-1"])
    assert len(shrunk) == 19 and shrunk.get("p-4") is None
    assert top_id(shrunk, hash_embedder, "pattern text number 4") != "p-4"
    assert grown.version != shrunk.version != index.version
    shrunk.save(tmp_path / "i")
    assert len(load_index(tmp_path / "i")) == 19
    with pytest.raises(KeyError, match="nope"):
        shrunk.without(["nope"])


def test_adding_an_existing_id_replaces_it(hash_embedder: HashEmbedder) -> None:
    index = build_index(library(10), hash_embedder)
    replacement = [Pattern("p-2", "rewritten text for two", Category.LOGIT_EXTRACTION)]
    updated = index.with_added(replacement, hash_embedder.encode(["rewritten text for two"]))
    assert len(updated) == 10
    assert updated.get("p-2") == replacement[0]
    assert top_id(updated, hash_embedder, "rewritten text for two") == "p-2"


def test_hnsw_index_supports_the_same_operations(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    index = build_index(library(300), hash_embedder, kind="hnsw")
    assert index.manifest.kind == "hnsw"
    assert top_id(index, hash_embedder, "pattern text number 123") == "p-123"
    smaller = index.without(["p-123"])
    assert len(smaller) == 299 and top_id(smaller, hash_embedder, "pattern text number 123") != "p-123"
    smaller.save(tmp_path / "h")
    loaded = load_index(tmp_path / "h")
    assert loaded.manifest.kind == "hnsw" and top_id(loaded, hash_embedder, "pattern text number 7") == "p-7"


def test_auto_kind_switches_to_hnsw_at_the_threshold(
    monkeypatch: pytest.MonkeyPatch, hash_embedder: HashEmbedder
) -> None:
    import querysentry.index as index_module

    monkeypatch.setattr(index_module, "HNSW_THRESHOLD", 40)
    assert build_index(library(39), hash_embedder).manifest.kind == "flat"
    assert build_index(library(40), hash_embedder).manifest.kind == "hnsw"


def test_other_encoder_is_refused(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    with pytest.raises(IncompatibleIndexError, match="built with encoder hash-embedder"):
        load_index(tmp_path, expected_fingerprint="another-model")


@pytest.mark.parametrize("victim", [INDEX_FILE, PATTERNS_FILE])
def test_corrupted_file_gives_a_clear_error(tmp_path: Path, hash_embedder: HashEmbedder, victim: str) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    data = bytearray((tmp_path / victim).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / victim).write_bytes(bytes(data))
    with pytest.raises(PatternIndexError, match="checksum mismatch"):
        load_index(tmp_path)


def test_missing_or_foreign_manifest(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    with pytest.raises(PatternIndexError, match="not an index directory"):
        load_index(tmp_path)
    build_index(library(5), hash_embedder).save(tmp_path)
    (tmp_path / INDEX_FILE).unlink()
    with pytest.raises(PatternIndexError, match="missing"):
        load_index(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({**manifest, "format": 99}))
    with pytest.raises(IncompatibleIndexError, match="format 99"):
        load_index(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("{truncated")
    with pytest.raises(PatternIndexError, match="unreadable index manifest"):
        load_index(tmp_path)


def test_inconsistent_counts_are_refused(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    manifest["count"] = 6
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(PatternIndexError, match="inconsistent"):
        load_index(tmp_path)


def test_failed_save_leaves_the_old_index_and_no_temp_files(
    tmp_path: Path, hash_embedder: HashEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = build_index(library(5), hash_embedder)
    old.save(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    import faiss

    def broken_write(index: object, path: str) -> None:
        Path(path).write_bytes(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(faiss, "write_index", broken_write)
    new = old.with_added([Pattern("z", "zzz", Category.QA_HARVESTING)], hash_embedder.encode(["zzz"]))
    with pytest.raises(RuntimeError, match="disk full"):
        new.save(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert len(load_index(tmp_path)) == 5


def test_save_fsyncs_every_file_before_publishing_the_manifest_last(
    tmp_path: Path, hash_embedder: HashEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    index = build_index(library(5), hash_embedder)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    index.save(tmp_path)
    assert events == [
        *["fsync file"] * 3,
        f"replace {PATTERNS_FILE}",
        f"replace {INDEX_FILE}",
        f"replace {MANIFEST_FILE}",
        "fsync dir",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([PATTERNS_FILE, INDEX_FILE, MANIFEST_FILE])


def test_openmp_threads_are_set_once_per_thread_not_on_every_call(
    hash_embedder: HashEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faiss

    real_set = faiss.omp_set_num_threads
    calls: list[str] = []

    def counting_set(n: int) -> None:
        calls.append(threading.current_thread().name)
        real_set(n)

    monkeypatch.setattr(faiss, "omp_set_num_threads", counting_set)

    def work() -> int:
        real_set(2)  # as a fresh thread starts: OpenMP's default, not 1
        index = build_index(library(6), hash_embedder)
        for _ in range(5):
            index.search(hash_embedder.encode(["pattern text number 1"]), k=2)
        index.without(["p-1"]).with_added([Pattern("q", "qqq", Category.BENIGN)], hash_embedder.encode(["qqq"]))
        return int(faiss.omp_get_max_threads())

    assert work() == 1 and calls == [threading.current_thread().name]
    # The count is per thread (a new thread starts from OpenMP's default), so a worker thread that
    # only searches gets it set too, once.
    index = build_index(library(6), hash_embedder)
    seen: list[int] = []

    def search_only() -> None:
        real_set(2)  # OpenMP's default on a machine with more than one core
        for _ in range(3):
            index.search(hash_embedder.encode(["pattern text number 2"]), k=2)
        seen.append(faiss.omp_get_max_threads())

    worker = threading.Thread(target=search_only, name="searcher")
    worker.start()
    worker.join()
    assert seen == [1] and calls.count("searcher") == 1


def test_handle_swaps_while_searches_continue(hash_embedder: HashEmbedder) -> None:
    first, second = build_index(library(40, "a"), hash_embedder), build_index(library(40, "b"), hash_embedder)
    handle = IndexHandle(first)
    query = hash_embedder.encode(["pattern text number 5"])
    seen: set[str] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        try:
            while not stop.is_set():
                seen.add(handle.current.search(query, k=1)[0][0].pattern.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(50):
        handle.swap(second)
        handle.swap(first)
    handle.update(lambda current: second)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert seen <= {"a-5", "b-5"} and "a-5" in seen
    assert handle.current is second


def test_reload_keeps_the_old_index_when_the_new_one_is_broken(
    tmp_path: Path, hash_embedder: HashEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    handle = IndexHandle(load_index(tmp_path), directory=tmp_path)
    old = handle.current
    build_index(library(8), hash_embedder).save(tmp_path)
    assert handle.reload() and len(handle.current) == 8
    (tmp_path / INDEX_FILE).write_bytes(b"garbage")
    assert not handle.reload()
    assert len(handle.current) == 8 and handle.current is not old
    assert "index reload failed" in caplog.text


def test_stored_vectors_match_what_was_embedded(hash_embedder: HashEmbedder) -> None:
    index = build_index(library(12), hash_embedder)
    stored = index.stored_vectors(["p-3", "p-11"])
    np.testing.assert_allclose(
        stored, hash_embedder.encode(["pattern text number 3", "pattern text number 11"]), atol=1e-6
    )


def test_a_deeply_nested_manifest_is_a_clear_index_error(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(PatternIndexError, match="unreadable index manifest: nested too deeply"):
        load_index(tmp_path)


def test_a_manifest_missing_a_field_names_it_without_a_repr(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    del manifest["encoder"]["fingerprint"]
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(PatternIndexError) as caught:
        load_index(tmp_path)
    assert str(caught.value) == f"{tmp_path / MANIFEST_FILE}: index manifest has no valid 'encoder.fingerprint'"


def test_an_oversized_manifest_is_refused_before_parsing(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(" " * (2 << 20) + "{}")
    with pytest.raises(PatternIndexError, match="larger than 1 MiB"):
        load_index(tmp_path)


@pytest.mark.parametrize(
    ("error", "reason"),
    [(RecursionError("too deep"), "too deep"), (MemoryError(), "MemoryError"), (ValueError("odd"), "ValueError: odd")],
)
def test_reload_catches_every_load_error_and_logs_it(
    tmp_path: Path,
    hash_embedder: HashEmbedder,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    reason: str,
) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    handle = IndexHandle(load_index(tmp_path), directory=tmp_path)
    old = handle.current
    import faiss

    def failing_read(path: str) -> object:
        raise error

    monkeypatch.setattr(faiss, "read_index", failing_read)
    assert not handle.reload()
    assert handle.current is old
    [record] = [r for r in caplog.records if r.name == "querysentry" and r.levelname == "ERROR"]
    assert "index reload failed" in record.getMessage() and reason in record.getMessage()


def test_reload_of_a_nested_manifest_keeps_the_old_index(
    tmp_path: Path, hash_embedder: HashEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    build_index(library(5), hash_embedder).save(tmp_path)
    handle = IndexHandle(load_index(tmp_path), directory=tmp_path)
    (tmp_path / MANIFEST_FILE).write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert not handle.reload()
    assert len(handle.current) == 5 and "nested too deeply" in caplog.text
