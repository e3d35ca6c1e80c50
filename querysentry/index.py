"""The pattern index: FAISS inner-product search over the library's normalised vectors.

An index is a directory::

    index.faiss      the FAISS index (IndexIDMap2 over Flat or HNSW), vector ids = pattern slots
    patterns.jsonl   {"vector_id": n, "pattern": {...}} per line
    manifest.json    format, kind, encoder fingerprint and dims, count, library name/version,
                     sha256 of the two files above

Saving stages all three files as fsynced temp files and renames them in place
(``querysentry.fileio.staged_files``): the data files first, the manifest last, so a reader that
races a writer sees a checksum mismatch (a clear error) rather than a silently mixed index.
``PatternIndex`` values are never mutated once built: adding or removing patterns returns a new
value, which an ``IndexHandle`` swaps in while searches continue on the old one.

An ``IndexOverlay`` holds what other deployments shared (``querysentry intel import``): patterns
whose text came with the bundle, embedded here and searched like local ones, and hash-only
patterns, found by the sha256 of a segment's text. Their ids are ``<pattern id>@<source>`` (a
local id cannot hold ``@``), so every verdict names the source it owes to. The handle lays the
overlay over whatever index is current, and again over every index swapped in after it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from querysentry.encoder.model_files import file_sha256
from querysentry.encoder.pooling import FloatArray
from querysentry.errors import IncompatibleIndexError, InputError, LibraryError, PatternIndexError
from querysentry.fileio import staged_files
from querysentry.jsonl import iter_jsonl
from querysentry.library import Pattern, PatternLibrary, _checksum, parse_pattern, text_key
from querysentry.verdict import INTEL_SEPARATOR, intel_source

__all__ = [
    "HNSW_THRESHOLD",
    "INDEX_FORMAT",
    "INTEL_SEPARATOR",
    "IndexHandle",
    "IndexManifest",
    "IndexOverlay",
    "PatternIndex",
    "SearchHit",
    "build_index",
    "intel_id",
    "intel_source",
    "load_index",
    "segment_hash",
]

LOG = logging.getLogger("querysentry")

INDEX_FORMAT = 1
INDEX_FILE, PATTERNS_FILE, MANIFEST_FILE = "index.faiss", "patterns.jsonl", "manifest.json"
# Exact search is perfect and, below this size, cheap next to embedding (about 3 ms for one
# request's 16 segments at 10 k patterns, 37 ms at 50 k). Above it HNSW with efSearch 256 is ~13x
# faster at 100 k and keeps 97 % recall@1 (benchmarks/RESULTS.md).
HNSW_THRESHOLD = 50_000
# A manifest is a few hundred bytes; anything this large is not one.
MAX_MANIFEST_BYTES = 1 << 20
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 256
_EMBED_CHUNK = 64

ProgressCallback = Callable[[int, int], None]


class _Embedder(Protocol):
    """What the index needs of an encoder (structural, so tests may pass a stub)."""

    @property
    def dims(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def model_name(self) -> str: ...
    def encode(self, texts: Sequence[str]) -> FloatArray: ...


def _faiss() -> Any:
    """The faiss module, with OpenMP single-threaded on the calling thread.

    One query batch is small; OpenMP threads would fight ORT and each other for the cores. The
    count is per thread, not per process (libgomp keeps it in the thread's state, and a new thread
    starts from the default), so setting it once at import would leave the worker threads that
    search unbounded. It is set only where it differs instead: one cheap query per call, one
    setting per thread.
    """
    import faiss

    if faiss.omp_get_max_threads() != 1:
        faiss.omp_set_num_threads(1)
    return faiss


@dataclass(frozen=True)
class SearchHit:
    pattern: Pattern
    similarity: float


def intel_id(pattern_id: str, source: str) -> str:
    """The id an imported pattern is searched under: ``<pattern id>@<source>``."""
    return f"{pattern_id}{INTEL_SEPARATOR}{source}"


def segment_hash(text: str) -> str:
    """sha256 (hex) of a text as hash-only indicators are compared (``library.text_key`` form)."""
    return hashlib.sha256(text_key(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IndexOverlay:
    """Shared patterns laid over the local index (see the module docstring).

    ``patterns`` and the rows of ``vectors`` belong together (embedded by this deployment's
    encoder); ``exact`` maps a ``segment_hash`` to the hash-only pattern it stands for;
    ``tag_only`` names the sources whose indicators may tag a request but never do more.
    """

    patterns: tuple[Pattern, ...] = ()
    vectors: FloatArray | None = field(default=None, repr=False)
    exact: Mapping[str, Pattern] = field(default_factory=dict)
    tag_only: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        rows = 0 if self.vectors is None else len(self.vectors)
        if rows != len(self.patterns):
            raise ValueError(f"{len(self.patterns)} overlay patterns but {rows} vectors")
        for pattern in (*self.patterns, *self.exact.values()):
            if intel_source(pattern.id) is None:
                raise ValueError(f"overlay pattern {pattern.id!r} has no source (ids are <id>@<source>)")

    def __bool__(self) -> bool:
        return bool(self.patterns or self.exact)

    @property
    def digest(self) -> str:
        """Changes whenever any shared pattern or source mode changes (part of the index version)."""
        h = hashlib.sha256()
        for pattern in self.patterns:
            h.update(b"v" + json.dumps(pattern.to_json(), sort_keys=True).encode() + b"\n")
        for key in sorted(self.exact):
            h.update(b"x" + key.encode() + json.dumps(self.exact[key].to_json(), sort_keys=True).encode() + b"\n")
        h.update(b"t" + ",".join(sorted(self.tag_only)).encode())
        return h.hexdigest()


@dataclass(frozen=True)
class IndexManifest:
    kind: str
    encoder_name: str
    encoder_fingerprint: str
    dims: int
    count: int
    library_name: str
    library_version: str
    patterns_checksum: str
    created_at: str
    next_id: int
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """Library version plus content hash: changes whenever any pattern changes."""
        return f"{self.library_version}+{self.patterns_checksum[:8]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "kind": self.kind,
            "encoder": {
                "name": self.encoder_name,
                "fingerprint": self.encoder_fingerprint,
                "dims": self.dims,
            },
            "count": self.count,
            "library": {
                "name": self.library_name,
                "version": self.library_version,
                "patterns_checksum": self.patterns_checksum,
            },
            "created_at": self.created_at,
            "next_id": self.next_id,
            "files": {name: {"sha256": sha} for name, sha in sorted(self.checksums.items())},
        }


class PatternIndex:
    """Patterns and their vectors, searchable by cosine similarity. Immutable once built."""

    def __init__(self, faiss_index: Any, patterns: dict[int, Pattern], manifest: IndexManifest) -> None:
        self._index = faiss_index
        self._patterns = patterns
        self.manifest = manifest
        self._by_id = {p.id: vid for vid, p in patterns.items()}
        # Set only on an index made by ``with_overlay`` (what an ``IndexHandle`` serves).
        self.exact: Mapping[str, Pattern] = {}
        self.tag_only: frozenset[str] = frozenset()
        self._served_version = ""  # "<local version>+intel.<overlay digest>" on an overlaid index

    def __len__(self) -> int:
        return len(self._patterns)

    @property
    def version(self) -> str:
        """The manifest's version, plus the shared overlay's digest when one is laid over it."""
        return self._served_version or self.manifest.version

    def with_overlay(self, overlay: IndexOverlay) -> PatternIndex:
        """A new index that also searches ``overlay``'s patterns and knows its exact hashes.

        Not for saving: an index directory holds local patterns only (``IndexHandle`` keeps the
        local index apart and lays the overlay over it on every swap).
        """
        if overlay.vectors is not None and len(overlay.vectors) and overlay.vectors.shape[1] != self.manifest.dims:
            raise ValueError(f"overlay vectors have {overlay.vectors.shape[1]} dims, the index {self.manifest.dims}")
        if overlay.patterns and overlay.vectors is not None:
            merged = self.with_added(overlay.patterns, overlay.vectors)
        else:
            merged = self._copy()
        merged.exact = dict(overlay.exact)
        merged.tag_only = overlay.tag_only
        merged._served_version = f"{self.version}+intel.{overlay.digest[:8]}"
        return merged

    def _copy(self) -> PatternIndex:
        return PatternIndex(self._index, self._patterns, self.manifest)

    def exact_hits(self, text: str) -> list[SearchHit]:
        """The hash-only shared pattern whose text this segment is, as a hit of similarity 1."""
        if not self.exact:
            return []
        pattern = self.exact.get(segment_hash(text))
        return [SearchHit(pattern, 1.0)] if pattern is not None else []

    @property
    def patterns(self) -> list[Pattern]:
        return [self._patterns[vid] for vid in sorted(self._patterns)]

    def get(self, pattern_id: str) -> Pattern | None:
        vid = self._by_id.get(pattern_id)
        return None if vid is None else self._patterns[vid]

    def pattern_for_vector(self, vector_id: int) -> Pattern | None:
        """The pattern stored under a FAISS vector id (as returned by ``vectors``)."""
        return self._patterns.get(vector_id)

    def search(self, vectors: FloatArray, k: int = 10) -> list[list[SearchHit]]:
        """Top-``k`` patterns for each row of ``vectors``. Flat: O(n·count·dims); HNSW: ~O(n·log count).

        Thread-safe: a FAISS CPU index may be searched from many threads at once.
        """
        if len(vectors) == 0 or len(self._patterns) == 0:
            return [[] for _ in range(len(vectors))]
        _faiss()  # searches run on worker threads, each with its own OpenMP thread count
        k = min(k, len(self._patterns))
        scores, ids = self._index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
        return [
            [SearchHit(self._patterns[int(v)], float(s)) for s, v in zip(row_s, row_v) if v >= 0]
            for row_s, row_v in zip(scores, ids)
        ]

    def with_added(self, patterns: Sequence[Pattern], vectors: FloatArray) -> PatternIndex:
        """A new index holding these patterns too; an existing id is replaced. O(count) copy."""
        replaced = [p.id for p in patterns if p.id in self._by_id]
        base = self.without(replaced) if replaced else self
        faiss = _faiss()
        index = faiss.clone_index(base._index)
        if base.manifest.kind == "hnsw":
            _set_ef_search(faiss, index)
        new_ids = np.arange(base.manifest.next_id, base.manifest.next_id + len(patterns), dtype=np.int64)
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), new_ids)
        merged = dict(base._patterns)
        merged.update({int(v): p for v, p in zip(new_ids, patterns)})
        return base._derive(index, merged, next_id=int(new_ids[-1]) + 1 if len(new_ids) else base.manifest.next_id)

    def without(self, pattern_ids: Iterable[str]) -> PatternIndex:
        """A new index without these pattern ids (unknown ids raise ``KeyError``).

        Flat indexes drop the rows; an HNSW graph cannot delete nodes, so it is re-linked from
        its stored vectors (no re-embedding).
        """
        ids = list(pattern_ids)
        missing = [i for i in ids if i not in self._by_id]
        if missing:
            raise KeyError(", ".join(missing))
        drop = {self._by_id[i] for i in ids}
        remaining = {vid: p for vid, p in self._patterns.items() if vid not in drop}
        faiss = _faiss()
        if self.manifest.kind == "hnsw":
            vids, vectors = self.vectors()
            keep = np.array([int(v) not in drop for v in vids], dtype=bool)
            index = _new_faiss_index(faiss, "hnsw", self.manifest.dims)
            if keep.any():
                index.add_with_ids(vectors[keep], vids[keep])
        else:
            index = faiss.clone_index(self._index)
            index.remove_ids(np.fromiter(drop, dtype=np.int64, count=len(drop)))
        return self._derive(index, remaining, next_id=self.manifest.next_id)

    def stored_vectors(self, pattern_ids: Sequence[str]) -> FloatArray:
        """The stored vectors of these patterns (``KeyError`` for an unknown id)."""
        out = np.zeros((len(pattern_ids), self.manifest.dims), dtype=np.float32)
        for row, pattern_id in enumerate(pattern_ids):
            out[row] = self._index.reconstruct(self._by_id[pattern_id])
        return out

    def vectors(self) -> tuple[np.ndarray[Any, np.dtype[np.int64]], FloatArray]:
        """(vector ids, vectors) as stored in the index. O(count·dims)."""
        faiss = _faiss()
        inner = faiss.downcast_index(self._index.index)
        storage = faiss.downcast_index(inner.storage) if hasattr(inner, "storage") else inner
        vectors = storage.reconstruct_n(0, storage.ntotal)
        return faiss.vector_to_array(self._index.id_map).astype(np.int64), vectors

    def _derive(self, index: Any, patterns: dict[int, Pattern], next_id: int) -> PatternIndex:
        ordered = [patterns[v] for v in sorted(patterns)]
        manifest = IndexManifest(
            kind=self.manifest.kind,
            encoder_name=self.manifest.encoder_name,
            encoder_fingerprint=self.manifest.encoder_fingerprint,
            dims=self.manifest.dims,
            count=len(patterns),
            library_name=self.manifest.library_name,
            library_version=self.manifest.library_version,
            patterns_checksum=_checksum(ordered),
            created_at=_now(),
            next_id=next_id,
        )
        return PatternIndex(index, patterns, manifest)

    def save(self, directory: Path | str) -> None:
        """Write the index directory atomically (see the module docstring)."""
        if self._served_version or any(intel_source(p.id) for p in self._patterns.values()):
            raise ValueError("this index holds shared (intel) patterns; save the local index instead")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        faiss = _faiss()
        with staged_files(directory) as staged:
            patterns_tmp = staged.path(PATTERNS_FILE)
            with patterns_tmp.open("w", encoding="utf-8") as handle:
                for vid in sorted(self._patterns):
                    record = {"vector_id": vid, "pattern": self._patterns[vid].to_json()}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            index_tmp = staged.path(INDEX_FILE)
            faiss.write_index(self._index, str(index_tmp))
            checksums = {PATTERNS_FILE: file_sha256(patterns_tmp), INDEX_FILE: file_sha256(index_tmp)}
            manifest = IndexManifest(**{**self.manifest.__dict__, "checksums": checksums})
            # Staged last, so renamed last: it names the checksums of the two files before it.
            staged.path(MANIFEST_FILE).write_text(json.dumps(manifest.to_json(), indent=2) + "\n", encoding="utf-8")
        self.manifest = manifest


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _new_faiss_index(faiss: Any, kind: str, dims: int) -> Any:
    if kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dims, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = HNSW_EF_SEARCH
    elif kind == "flat":
        inner = faiss.IndexFlatIP(dims)
    else:
        raise ValueError(f"unknown index kind {kind!r} (flat, hnsw, auto)")
    # faiss's Python wrapper keeps a reference to ``inner`` inside the IDMap, so it stays alive.
    return faiss.IndexIDMap2(inner)


def _set_ef_search(faiss: Any, index: Any) -> None:
    inner = faiss.downcast_index(index.index)
    if hasattr(inner, "hnsw"):
        inner.hnsw.efSearch = HNSW_EF_SEARCH


def build_index(
    library: PatternLibrary,
    encoder: _Embedder,
    *,
    kind: str = "auto",
    progress: ProgressCallback | None = None,
) -> PatternIndex:
    """Embed every pattern of ``library`` and index it. O(patterns) encoder calls, in chunks.

    ``kind`` is ``flat`` (exact), ``hnsw`` (approximate) or ``auto`` (HNSW from
    ``HNSW_THRESHOLD`` patterns up).
    """
    if kind == "auto":
        kind = "hnsw" if len(library) >= HNSW_THRESHOLD else "flat"
    faiss = _faiss()
    index = _new_faiss_index(faiss, kind, encoder.dims)
    patterns = list(library)
    vectors = embed_patterns(patterns, encoder, progress)
    if patterns:
        index.add_with_ids(vectors, np.arange(len(patterns), dtype=np.int64))
    manifest = IndexManifest(
        kind=kind,
        encoder_name=encoder.model_name,
        encoder_fingerprint=encoder.fingerprint,
        dims=encoder.dims,
        count=len(patterns),
        library_name=library.name,
        library_version=library.version,
        patterns_checksum=library.checksum,
        created_at=_now(),
        next_id=len(patterns),
    )
    return PatternIndex(index, dict(enumerate(patterns)), manifest)


def embed_patterns(
    patterns: Sequence[Pattern], encoder: _Embedder, progress: ProgressCallback | None = None
) -> FloatArray:
    """Embed pattern texts in chunks, reporting ``(done, total)`` to ``progress``."""
    chunks = []
    for start in range(0, len(patterns), _EMBED_CHUNK):
        chunk = patterns[start : start + _EMBED_CHUNK]
        chunks.append(encoder.encode([p.text for p in chunk]))
        if progress is not None:
            progress(start + len(chunk), len(patterns))
    if not chunks:
        return np.zeros((0, encoder.dims), dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(chunks), dtype=np.float32)


def read_manifest(directory: Path | str) -> IndexManifest:
    """Read an index manifest, with a clear error if it is missing or malformed.

    Reads at most ``MAX_MANIFEST_BYTES`` (a real manifest is under 1 KB), so a hostile or broken
    file costs bounded time and memory; every failure is a ``PatternIndexError``.
    """
    path = Path(directory) / MANIFEST_FILE
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise PatternIndexError(f"{directory}: not an index directory (no {MANIFEST_FILE})") from None
    except OSError as exc:
        raise PatternIndexError(f"{path}: unreadable index manifest: {exc.strerror or exc}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise PatternIndexError(f"{path}: unreadable index manifest: larger than 1 MiB")
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:
        # json recurses once per nesting level; a manifest is three levels deep at most.
        raise PatternIndexError(f"{path}: unreadable index manifest: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise PatternIndexError(f"{path}: unreadable index manifest: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != INDEX_FORMAT:
        found = json.dumps(raw.get("format") if isinstance(raw, dict) else None, default=str)
        raise IncompatibleIndexError(f"{path}: index format {found}, this version reads {INDEX_FORMAT}")
    files = _lookup(raw, "files")
    if not isinstance(files, dict):
        raise PatternIndexError(f"{path}: index manifest has no valid 'files'")
    checksums: dict[str, str] = {}
    for name, entry in files.items():
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(sha, str):
            raise PatternIndexError(f"{path}: index manifest has no valid 'files.{name}.sha256'")
        checksums[str(name)] = sha
    return IndexManifest(
        kind=_text_field(path, raw, "kind"),
        encoder_name=_text_field(path, raw, "encoder.name"),
        encoder_fingerprint=_text_field(path, raw, "encoder.fingerprint"),
        dims=_int_field(path, raw, "encoder.dims"),
        count=_int_field(path, raw, "count"),
        library_name=_text_field(path, raw, "library.name"),
        library_version=_text_field(path, raw, "library.version"),
        patterns_checksum=_text_field(path, raw, "library.patterns_checksum"),
        created_at=_text_field(path, raw, "created_at"),
        next_id=_int_field(path, raw, "next_id"),
        checksums=checksums,
    )


def _lookup(raw: dict[str, Any], dotted: str) -> Any:
    """``raw["a"]["b"]`` for ``dotted`` = ``"a.b"``; None where a level is missing or not an object."""
    value: Any = raw
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _text_field(path: Path, raw: dict[str, Any], dotted: str) -> str:
    value = _lookup(raw, dotted)
    if not isinstance(value, str):
        raise PatternIndexError(f"{path}: index manifest has no valid '{dotted}'")
    return value


def _int_field(path: Path, raw: dict[str, Any], dotted: str) -> int:
    value = _lookup(raw, dotted)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PatternIndexError(f"{path}: index manifest has no valid '{dotted}'")
    return value


def verify_files(directory: Path | str, manifest: IndexManifest) -> None:
    """Raise ``PatternIndexError`` unless both data files exist and match the manifest's sha256."""
    directory = Path(directory)
    for name in (INDEX_FILE, PATTERNS_FILE):
        path = directory / name
        expected = manifest.checksums.get(name)
        if not path.is_file():
            raise PatternIndexError(f"{path}: missing (the index directory is incomplete)")
        if expected is None or file_sha256(path) != expected:
            raise PatternIndexError(f"{path}: checksum mismatch (the index is corrupt or was half-written); rebuild it")


def load_index(directory: Path | str, *, expected_fingerprint: str | None = None) -> PatternIndex:
    """Load and verify an index directory.

    Raises ``IncompatibleIndexError`` if it was built with another encoder than
    ``expected_fingerprint`` and ``PatternIndexError`` if a file is missing, corrupt or inconsistent.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if expected_fingerprint is not None and manifest.encoder_fingerprint != expected_fingerprint:
        raise IncompatibleIndexError(
            f"{directory}: built with encoder {manifest.encoder_name} "
            f"(fingerprint {manifest.encoder_fingerprint[:12]}…), but the loaded encoder is "
            f"{expected_fingerprint[:12]}…; rebuild it with `querysentry index build`"
        )
    verify_files(directory, manifest)
    faiss = _faiss()
    try:
        index = faiss.read_index(str(directory / INDEX_FILE))
    except RuntimeError as exc:
        # FAISS reports a bad file as one RuntimeError whose text carries a C++ trace: keep its gist.
        gist = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise PatternIndexError(f"{directory / INDEX_FILE}: unreadable FAISS index: {gist}") from None
    if manifest.kind == "hnsw":
        _set_ef_search(faiss, index)
    patterns: dict[int, Pattern] = {}
    path = directory / PATTERNS_FILE
    number = 0
    try:
        for number, record, error in iter_jsonl(path):
            try:
                if error is not None:
                    raise ValueError(error)
                patterns[int(record["vector_id"])] = parse_pattern(record["pattern"], str(path), number)
            except (ValueError, KeyError, TypeError, LibraryError) as exc:
                raise PatternIndexError(f"{path}:{number}: bad pattern record: {exc}") from None
    except RecursionError:
        # The checksum matched, so the file is as written; still, no record is this deep.
        raise PatternIndexError(f"{path}:{number + 1}: bad pattern record: nested too deeply") from None
    except InputError as exc:  # the file could not be read at all
        raise PatternIndexError(str(exc)) from None
    if index.ntotal != manifest.count or len(patterns) != manifest.count or index.d != manifest.dims:
        raise PatternIndexError(
            f"{directory}: inconsistent index ({index.ntotal} vectors, {len(patterns)} patterns, "
            f"manifest says {manifest.count} of {manifest.dims} dims)"
        )
    return PatternIndex(index, patterns, manifest)


class IndexHandle:
    """A swappable reference to the current ``PatternIndex``.

    Readers take ``handle.current`` (one attribute read, atomic in CPython) and keep searching it
    even while a writer swaps a new index in. Writers serialise on a lock.
    """

    def __init__(self, index: PatternIndex, directory: Path | str | None = None) -> None:
        self._local = index
        self._current = index
        self._overlay = IndexOverlay()
        self._lock = threading.Lock()
        self.directory = Path(directory) if directory is not None else None

    @property
    def current(self) -> PatternIndex:
        """The index searches use: the local one with the shared overlay laid over it."""
        return self._current

    @property
    def local(self) -> PatternIndex:
        """The local index alone (what the index directory holds)."""
        return self._local

    @property
    def overlay(self) -> IndexOverlay:
        return self._overlay

    def _serve(self, local: PatternIndex) -> PatternIndex:
        return local.with_overlay(self._overlay) if self._overlay else local

    def swap(self, index: PatternIndex) -> PatternIndex:
        """Make ``index`` the local index (the overlay laid over it); returns the previous current."""
        with self._lock:
            served = self._serve(index)
            previous, self._local, self._current = self._current, index, served
        return previous

    def update(self, change: Callable[[PatternIndex], PatternIndex]) -> PatternIndex:
        """Apply ``change`` to the local index under the writer lock and swap the result in."""
        with self._lock:
            local = change(self._local)
            self._local, self._current = local, self._serve(local)
            return self._current

    def set_overlay(self, overlay: IndexOverlay) -> PatternIndex:
        """Lay ``overlay`` (the shared intel layer; empty to take it away) over the local index.

        Raises ``ValueError`` (and keeps the previous overlay) when its vectors do not fit.
        """
        with self._lock:
            served = self._local.with_overlay(overlay) if overlay else self._local
            self._overlay, self._current = overlay, served
            return served

    def reload(self, *, expected_fingerprint: str | None = None) -> bool:
        """Load the index directory again and swap it in; on failure keep the old index.

        Returns True if a new index was swapped in. Every error (any ``Exception``, MemoryError
        and RecursionError included) is logged as an ERROR on the ``querysentry`` logger, not
        raised, because this runs while traffic flows, often in a background thread. Costs a full
        load: both data files are hashed and parsed.
        """
        if self.directory is None:
            raise ValueError("this handle has no index directory to reload from")
        try:
            fresh = load_index(self.directory, expected_fingerprint=expected_fingerprint)
        except PatternIndexError as exc:
            LOG.error("index reload failed; keeping index %s: %s", self._current.version, exc)
            return False
        except Exception as exc:  # MemoryError, RecursionError, a FAISS surprise: never kill the caller
            LOG.error(
                "index reload failed; keeping index %s: %s: %s",
                self._current.version,
                type(exc).__name__,
                exc,
                exc_info=not isinstance(exc, MemoryError),  # formatting a traceback needs memory too
            )
            return False
        self.swap(fresh)
        LOG.info("index reloaded: %s (%d patterns)", fresh.version, len(fresh))
        return True
