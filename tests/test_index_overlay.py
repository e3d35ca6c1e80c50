"""The shared (intel) overlay an ``IndexHandle`` lays over the local index."""

from __future__ import annotations

from pathlib import Path

import pytest

from querysentry import Category, IndexHandle, Pattern, PatternLibrary
from querysentry.index import IndexOverlay, build_index, intel_id, intel_source, segment_hash
from tests.conftest import HashEmbedder


def _local(hash_embedder: HashEmbedder, n: int = 12):  # type: ignore[no-untyped-def]
    patterns = tuple(Pattern(f"p-{i}", f"local pattern text {i}", Category.PROMPT_EXTRACTION) for i in range(n))
    return build_index(PatternLibrary("test", "1.0", patterns), hash_embedder)


def _overlay(hash_embedder: HashEmbedder, *, tag_only: frozenset[str] = frozenset()) -> IndexOverlay:
    shared = (Pattern(intel_id("op-1", "acme"), "a shared instruction text", Category.REASONING_TRACE),)
    exact = {segment_hash("Hash Only  TEXT"): Pattern(intel_id("op-2", "acme"), "", Category.QA_HARVESTING)}
    return IndexOverlay(shared, hash_embedder.encode([p.text for p in shared]), exact, tag_only)


def test_ids_carry_their_source_and_local_ids_have_none() -> None:
    assert intel_id("op-1", "acme-prod") == "op-1@acme-prod"
    assert intel_source("op-1@acme-prod") == "acme-prod"
    assert intel_source("pr-0001") is None and intel_source("intel:x") is None and intel_source(None) is None


def test_the_overlay_is_searched_and_its_hashes_found(hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(_local(hash_embedder))
    local_version = handle.current.version
    served = handle.set_overlay(_overlay(hash_embedder))
    assert served is handle.current and len(served) == len(handle.local) + 1
    assert served.version != local_version and served.version.startswith(local_version)
    hit = served.search(hash_embedder.encode(["a shared instruction text"]), k=1)[0][0]
    assert hit.pattern.id == "op-1@acme" and hit.similarity == pytest.approx(1.0, abs=1e-5)
    # Hash-only: the same text in the library's comparison form (case and spacing), nothing else.
    assert [h.pattern.id for h in served.exact_hits("hash only text")] == ["op-2@acme"]
    assert served.exact_hits("hash only text.") == [] and handle.local.exact_hits("hash only text") == []


def test_the_overlay_survives_a_swap_and_an_update(hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(_local(hash_embedder))
    handle.set_overlay(_overlay(hash_embedder))
    handle.swap(_local(hash_embedder, n=20))
    assert len(handle.local) == 20 and handle.current.get("op-1@acme") is not None
    handle.update(lambda index: index.without(["p-0"]))
    assert handle.local.get("p-0") is None and handle.current.get("op-1@acme") is not None
    assert handle.current.exact  # hash-only patterns too


def test_an_empty_overlay_takes_the_shared_patterns_away(hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(_local(hash_embedder))
    local = handle.current
    handle.set_overlay(_overlay(hash_embedder))
    handle.set_overlay(IndexOverlay())
    assert handle.current is local and handle.current.version == local.version


def test_a_mode_change_alone_changes_the_version(hash_embedder: HashEmbedder) -> None:
    """Caches are keyed by version: a source set to tag-only must not be answered from them."""
    handle = IndexHandle(_local(hash_embedder))
    enforced = handle.set_overlay(_overlay(hash_embedder)).version
    tagged = handle.set_overlay(_overlay(hash_embedder, tag_only=frozenset({"acme"})))
    assert tagged.version != enforced and tagged.tag_only == frozenset({"acme"})


def test_an_overlay_that_does_not_fit_is_refused_and_the_old_one_kept(hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(_local(hash_embedder))
    handle.set_overlay(_overlay(hash_embedder))
    before = handle.current
    wrong = IndexOverlay((Pattern("x@acme", "x", Category.BENIGN),), hash_embedder.encode(["x"])[:, :8])
    with pytest.raises(ValueError, match="dims"):
        handle.set_overlay(wrong)
    assert handle.current is before


def test_overlay_patterns_must_name_a_source(hash_embedder: HashEmbedder) -> None:
    with pytest.raises(ValueError, match="no source"):
        IndexOverlay((Pattern("p-1", "x", Category.BENIGN),), hash_embedder.encode(["x"]))
    with pytest.raises(ValueError, match="vectors"):
        IndexOverlay((Pattern("p-1@a", "x", Category.BENIGN),), None)


def test_an_index_with_shared_patterns_is_never_saved(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    handle = IndexHandle(_local(hash_embedder))
    handle.set_overlay(_overlay(hash_embedder))
    with pytest.raises(ValueError, match="shared"):
        handle.current.save(tmp_path / "idx")
    handle.local.save(tmp_path / "idx")  # the local one is
    assert (tmp_path / "idx").is_dir()
