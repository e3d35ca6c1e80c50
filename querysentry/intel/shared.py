"""The shared layer: verified bundles from other deployments, kept apart from our own library.

It lives in a directory of its own (``SharedLayer.for_index(INDEX_DIR)`` is ``INDEX_DIR/shared``)::

    CURRENT                     the name of the live version directory ("v000007")
    v000007/manifest.json       {"format": 1, "version": 7, "sources": [SourceRecord, ...]}
    v000007/SOURCE.bundle.json  the verified bundle, byte for byte, and its signature
    v000007/SOURCE.bundle.json.sig
    v000007/SOURCE.data.json    what it holds, as plain JSON (read without stix2 or cryptography)

A version directory never changes once ``CURRENT`` names it. Every change (import, mode change,
removal) builds the next version in a temp directory (unchanged sources' files hard-linked,
everything fsynced), renames it into place and then swaps ``CURRENT`` with ``os.replace``: a
reader sees the old version or the new one, never a mix, and a crash leaves the old one live.
A watcher reloads on a change of ``current_file`` (its inode changes on every swap). Writers take
an ``flock`` on the directory; readers take no lock. The last ``keep_versions`` versions stay on
disk for readers that are still on one.

Removing a source builds a version without it: the sources, patterns and campaigns are again
what they were before it was imported (the version number still moves on, so watchers reload).
A source stays bound to the key that first imported it: another key's bundle for it, or an older
bundle than the imported one, is refused until the source is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from querysentry.fileio import create_file, fsync_directory
from querysentry.intel.errors import (
    BundleExpiredError,
    ProvenanceError,
    SharedLayerError,
    StaleBundleError,
)
from querysentry.intel.model import (
    MODES,
    SOURCE_ID,
    BundleInfo,
    CampaignSignature,
    Mode,
    PatternIndicator,
    VerifiedBundle,
    parse_time,
    utc_now,
)

if TYPE_CHECKING:
    from querysentry.intel.signing import TrustedKey

try:
    import fcntl
except ImportError:  # Windows: writers are not serialised there
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "LAYER_FORMAT",
    "SharedCampaign",
    "SharedLayer",
    "SharedPattern",
    "SharedSnapshot",
    "SourceRecord",
]

LAYER_FORMAT = 1
CURRENT_FILE, MANIFEST_FILE = "CURRENT", "manifest.json"
SHARED_DIR = "shared"
_VERSION_DIR = re.compile(r"^v(\d{6,})$")
_MAX_MANIFEST_BYTES = 1 << 20
_READ_ATTEMPTS = 3  # a reader overtaken by keep_versions writers retries from CURRENT


@dataclass(frozen=True)
class SourceRecord:
    """One imported source as the manifest lists it.

    ``version`` counts this source's imports (1 for the first bundle, 2 when a newer one replaced
    it); ``mode`` is ``enforce`` (its indicators act like our own) or ``tag_only`` (they only tag).
    """

    source: str
    producer: str
    bundle_id: str
    bundle_created: datetime
    expires: datetime
    version: int
    imported_at: datetime
    key_id: str
    mode: Mode
    patterns: int
    campaigns: int
    data_sha256: str

    def expired(self, now: datetime) -> bool:
        return now >= self.expires

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "producer": self.producer,
            "bundle_id": self.bundle_id,
            "bundle_created": self.bundle_created.isoformat(),
            "expires": self.expires.isoformat(),
            "version": self.version,
            "imported_at": self.imported_at.isoformat(),
            "key_id": self.key_id,
            "mode": self.mode,
            "patterns": self.patterns,
            "campaigns": self.campaigns,
            "data_sha256": self.data_sha256,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceRecord:
        mode, source = data["mode"], data["source"]
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        if not isinstance(source, str) or not SOURCE_ID.fullmatch(source):  # it names files
            raise ValueError(f"invalid source id {source!r}")
        return cls(
            source=source,
            producer=str(data["producer"]),
            bundle_id=str(data["bundle_id"]),
            bundle_created=parse_time(data["bundle_created"]),
            expires=parse_time(data["expires"]),
            version=int(data["version"]),
            imported_at=parse_time(data["imported_at"]),
            key_id=str(data["key_id"]),
            mode=mode,
            patterns=int(data["patterns"]),
            campaigns=int(data["campaigns"]),
            data_sha256=str(data["data_sha256"]),
        )


@dataclass(frozen=True)
class SharedPattern:
    """An imported pattern indicator with the source it came from (and that source's mode)."""

    source: str
    mode: Mode
    indicator: PatternIndicator


@dataclass(frozen=True)
class SharedCampaign:
    """An imported campaign signature with the source it came from (and that source's mode)."""

    source: str
    mode: Mode
    signature: CampaignSignature


@dataclass(frozen=True)
class SharedSnapshot:
    """One version of the layer, read whole: what a reloading middleware swaps in."""

    version: int
    sources: tuple[SourceRecord, ...]
    patterns: tuple[SharedPattern, ...]
    campaigns: tuple[SharedCampaign, ...]


@dataclass(frozen=True)
class _State:
    version: int
    directory: Path | None  # the live version directory; None before the first import
    sources: dict[str, SourceRecord]


def _files(source: str) -> tuple[str, str, str]:
    return f"{source}.bundle.json", f"{source}.bundle.json.sig", f"{source}.data.json"


def _version_name(version: int) -> str:
    return f"v{version:06d}"


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # files of a version never change, so sharing them is safe
    except OSError:
        create_file(target, source.read_bytes())


def _data_bytes(verified: VerifiedBundle) -> bytes:
    data = {
        "bundle_id": verified.bundle_id,
        "key_id": verified.key_id,
        "info": verified.info.to_json(),
        "patterns": [p.to_json() for p in verified.patterns],
        "campaigns": [c.to_json() for c in verified.campaigns],
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


class SharedLayer:
    """The shared layer in ``directory`` (created on the first change).

    ``clock`` gives the import time and decides which sources have expired.
    """

    def __init__(self, directory: Path, *, clock: Callable[[], datetime] = utc_now, keep_versions: int = 3) -> None:
        if keep_versions < 1:
            raise ValueError("keep_versions must be at least 1")
        self.directory = Path(directory)
        self.clock = clock
        self.keep_versions = keep_versions

    @classmethod
    def for_index(cls, index_dir: Path, **kwargs: Any) -> SharedLayer:
        """The shared layer of an index directory: ``INDEX_DIR/shared``."""
        return cls(Path(index_dir) / SHARED_DIR, **kwargs)

    @property
    def current_file(self) -> Path:
        """The file a watcher stats: it is replaced (new inode) on every change."""
        return self.directory / CURRENT_FILE

    # ------------------------------------------------------------------------------------ reading

    @property
    def version(self) -> int:
        """The live version; 0 before anything was imported."""
        return self._state().version

    def sources(self) -> tuple[SourceRecord, ...]:
        """Every imported source, expired or not, in import order."""
        return tuple(self._state().sources.values())

    def patterns(self, *, include_expired: bool = False) -> tuple[SharedPattern, ...]:
        return self.snapshot(include_expired=include_expired).patterns

    def campaigns(self, *, include_expired: bool = False) -> tuple[SharedCampaign, ...]:
        return self.snapshot(include_expired=include_expired).campaigns

    def snapshot(self, *, include_expired: bool = False) -> SharedSnapshot:
        """One version read whole; the indicators of expired sources only with ``include_expired``.

        O(size of the live version's data files); no stix2, no signature checks (``verify`` did
        those before import; the data files are checked against the manifest's sha256).
        """
        for attempt in range(_READ_ATTEMPTS):
            state = self._state()
            try:
                return self._read_snapshot(state, include_expired)
            except FileNotFoundError:
                if attempt == _READ_ATTEMPTS - 1:
                    raise SharedLayerError(f"{self.directory}: version {state.version} vanished while read") from None
        raise AssertionError("unreachable")

    def _read_snapshot(self, state: _State, include_expired: bool) -> SharedSnapshot:
        now = self.clock()
        patterns: list[SharedPattern] = []
        campaigns: list[SharedCampaign] = []
        for record in state.sources.values():
            if record.expired(now) and not include_expired:
                continue
            assert state.directory is not None
            path = state.directory / _files(record.source)[2]
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != record.data_sha256:
                raise SharedLayerError(f"{path}: does not match the manifest's checksum")
            try:
                data = json.loads(raw)
                patterns += [
                    SharedPattern(record.source, record.mode, PatternIndicator.from_json(p)) for p in data["patterns"]
                ]
                campaigns += [
                    SharedCampaign(record.source, record.mode, CampaignSignature.from_json(c))
                    for c in data["campaigns"]
                ]
            except (ValueError, KeyError, TypeError) as exc:
                raise SharedLayerError(f"{path}: unreadable: {exc}") from None
        return SharedSnapshot(state.version, tuple(state.sources.values()), tuple(patterns), tuple(campaigns))

    def _state(self) -> _State:
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return _State(0, None, {})
        except (OSError, UnicodeDecodeError) as exc:
            raise SharedLayerError(f"{self.current_file}: unreadable: {exc}") from None
        match = _VERSION_DIR.fullmatch(name)
        if not match:
            raise SharedLayerError(f"{self.current_file}: {name!r} is not a version directory name")
        directory = self.directory / name
        path = directory / MANIFEST_FILE
        try:
            with path.open("rb") as handle:
                raw = handle.read(_MAX_MANIFEST_BYTES + 1)
            if len(raw) > _MAX_MANIFEST_BYTES:
                raise SharedLayerError(f"{path}: too large for a manifest")
            manifest = json.loads(raw)
            if manifest.get("format") != LAYER_FORMAT or manifest.get("version") != int(match.group(1)):
                raise SharedLayerError(f"{path}: format or version does not match {name}")
            records = [SourceRecord.from_json(r) for r in manifest["sources"]]
        except SharedLayerError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SharedLayerError(f"{path}: unreadable: {exc}") from None
        return _State(int(match.group(1)), directory, {r.source: r for r in records})

    # ------------------------------------------------------------------------------------ changing

    def import_file(
        self, bundle_path: Path, trusted_keys: Iterable[TrustedKey], *, mode: Mode = "enforce", **verify_options: Any
    ) -> SourceRecord:
        """``verify`` the bundle at ``bundle_path`` (with this layer's clock), then ``import_bundle`` it.

        A bundle that fails verification changes nothing on disk.
        """
        from querysentry.intel.signing import verify  # cryptography and stix2 only when importing

        verified = verify(bundle_path, trusted_keys, clock=self.clock, **verify_options)
        return self.import_bundle(verified, mode=mode)

    def import_bundle(self, verified: VerifiedBundle, *, mode: Mode = "enforce") -> SourceRecord:
        """Merge a verified bundle as its source's indicators, replacing an older bundle of that source.

        Refused, with nothing written: an expired bundle (``BundleExpiredError``), another key's
        bundle for a source already imported (``ProvenanceError``), a bundle older than the
        imported one or as old with other content (``StaleBundleError``). Importing the same
        bundle again only sets ``mode``. Returns the source's new record.
        """
        _check_mode(mode)
        info: BundleInfo = verified.info
        now = self.clock()
        if now >= info.expires:
            raise BundleExpiredError(f"bundle {verified.bundle_id} from {info.source_id} expired at {info.expires}")
        with self._locked():
            state = self._state()
            old = state.sources.get(info.source_id)
            data = _data_bytes(verified)
            _check_replaces(old, verified, hashlib.sha256(data).hexdigest())
            record = SourceRecord(
                source=info.source_id,
                producer=info.producer,
                bundle_id=verified.bundle_id,
                bundle_created=info.created,
                expires=info.expires,
                version=(old.version if old is not None else 0) + (old is None or old.bundle_id != verified.bundle_id),
                imported_at=now if old is None or old.bundle_id != verified.bundle_id else old.imported_at,
                key_id=verified.key_id,
                mode=mode,
                patterns=len(verified.patterns),
                campaigns=len(verified.campaigns),
                data_sha256=hashlib.sha256(data).hexdigest(),
            )
            bundle_name, signature_name, data_name = _files(info.source_id)
            files = {bundle_name: verified.bundle_bytes, signature_name: verified.signature, data_name: data}
            self._commit(state, {**state.sources, info.source_id: record}, files)
            return record

    def set_mode(self, source: str, mode: Mode) -> SourceRecord:
        """Set an imported source to ``enforce`` or ``tag_only``; ``SharedLayerError`` if there is none."""
        _check_mode(mode)
        with self._locked():
            state = self._state()
            record = replace(self._get(state, source), mode=mode)
            self._commit(state, {**state.sources, source: record}, {})
            return record

    def remove(self, source: str) -> SourceRecord:
        """Drop everything ``source`` brought in; returns its record. ``SharedLayerError`` if there is none."""
        with self._locked():
            state = self._state()
            record = self._get(state, source)
            self._commit(state, {k: v for k, v in state.sources.items() if k != source}, {})
            return record

    def _get(self, state: _State, source: str) -> SourceRecord:
        record = state.sources.get(source)
        if record is None:
            known = ", ".join(state.sources) or "none"
            raise SharedLayerError(f"{self.directory}: no source {source!r} (sources: {known})")
        return record

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _commit(self, state: _State, sources: dict[str, SourceRecord], new_files: dict[str, bytes]) -> None:
        """Write the version after ``state`` holding ``sources`` and make it live. Caller holds the lock."""
        version = state.version + 1
        temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.directory))
        try:
            for source in sources:
                for name in _files(source):
                    if name in new_files:
                        create_file(temp / name, new_files[name])
                    else:
                        assert state.directory is not None
                        _link_or_copy(state.directory / name, temp / name)
            manifest = {"format": LAYER_FORMAT, "version": version, "sources": [r.to_json() for r in sources.values()]}
            create_file(temp / MANIFEST_FILE, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
            fsync_directory(temp)
            final = self.directory / _version_name(version)
            if final.exists():  # left by a crash between rename and swap: CURRENT never named it
                shutil.rmtree(final)
            os.rename(temp, final)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        fsync_directory(self.directory)
        pointer = self.directory / f".{CURRENT_FILE}.tmp"
        pointer.unlink(missing_ok=True)
        create_file(pointer, f"{final.name}\n".encode())
        os.replace(pointer, self.current_file)
        fsync_directory(self.directory)
        self._prune(version)

    def _prune(self, live: int) -> None:
        for entry in self.directory.iterdir():
            match = _VERSION_DIR.fullmatch(entry.name)
            stale_temp = entry.name.startswith(".tmp-")  # only writers make them, and we hold the lock
            if stale_temp or (match and int(match.group(1)) <= live - self.keep_versions):
                shutil.rmtree(entry, ignore_errors=True)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


def _check_replaces(old: SourceRecord | None, new: VerifiedBundle, data_sha256: str) -> None:
    if old is None:
        return
    info = new.info
    if old.key_id != new.key_id:
        raise ProvenanceError(
            f"source {info.source_id!r} was imported from key {old.key_id[:16]}…, this bundle is signed by "
            f"{new.key_id[:16]}…; remove the source first to accept another key"
        )
    if old.bundle_id == new.bundle_id and info.created == old.bundle_created and old.data_sha256 == data_sha256:
        return  # the same bundle again
    if info.created <= old.bundle_created:
        raise StaleBundleError(
            f"bundle {new.bundle_id} from {info.source_id!r} was created {info.created.isoformat()}, not after the "
            f"imported one ({old.bundle_created.isoformat()})"
        )
