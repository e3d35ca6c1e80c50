"""The shared intel layer of an index directory, as the engine reads it.

``querysentry intel import --index DIR`` writes ``DIR/shared`` (``querysentry.intel.shared``).
This module turns one version of it into what the engine acts on:

- campaign signatures → ``SharedSignature`` for the campaign tracker (vectors only when they were
  made with this deployment's encoder: a vector from another encoder means nothing here);
- pattern indicators → an ``IndexOverlay`` laid over the local index: an indicator that came with
  its text is embedded here and searched like a local pattern; a hash-only one matches a segment
  whose text hashes to it (``index.segment_hash``), at similarity 1. Either is searched as
  ``<pattern id>@<source>``, so verdicts name their source, and a ``tag_only`` source's
  indicators only ever tag (``Detector`` and ``Engine`` apply the cap).

``SharedIntel.load()`` reads the layer again when its ``CURRENT`` file changed (it is replaced,
new inode, on every import or removal) or when a loaded source has expired since.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from querysentry.behaviour.campaigns import SharedSignature
from querysentry.encoder.pooling import FloatArray
from querysentry.index import IndexOverlay, intel_id
from querysentry.library import Pattern

if TYPE_CHECKING:
    from querysentry.intel.shared import SharedPattern, SharedSnapshot

__all__ = ["SharedIntel", "SharedUpdate", "build_overlay"]

Embed = Callable[[Sequence[str]], FloatArray]


@dataclass(frozen=True)
class SharedUpdate:
    """One version of the layer, ready for the engine: campaign signatures and the overlay."""

    signatures: tuple[SharedSignature, ...] = ()
    overlay: IndexOverlay = field(default_factory=IndexOverlay)


def build_overlay(patterns: Sequence[SharedPattern], embed: Embed, dims: int | None = None) -> IndexOverlay:
    """The overlay of these shared patterns: texts embedded with ``embed``, hash-only ones exact.

    A pattern shared twice by one source (its id repeated) is taken once.
    """
    texts: dict[str, Pattern] = {}
    exact: dict[str, Pattern] = {}
    tag_only: set[str] = set()
    for shared in patterns:
        indicator = shared.indicator
        if shared.mode == "tag_only":
            tag_only.add(shared.source)
        pattern_id = intel_id(indicator.pattern_id, shared.source)
        notes = f"shared by {shared.source}"
        if indicator.text is not None:
            texts.setdefault(
                pattern_id, Pattern(pattern_id, indicator.text, indicator.category, indicator.severity, notes=notes)
            )
        else:
            exact.setdefault(
                indicator.text_hash, Pattern(pattern_id, "", indicator.category, indicator.severity, notes=notes)
            )
    embedded = tuple(texts.values())
    vectors: FloatArray | None = None
    if embedded:
        vectors = np.ascontiguousarray(embed([p.text for p in embedded]), dtype=np.float32)
        if dims is not None and vectors.shape[1] != dims:
            raise ValueError(f"shared patterns embedded in {vectors.shape[1]} dims, the index has {dims}")
    return IndexOverlay(embedded, vectors, exact, frozenset(tag_only))


class SharedIntel:
    """``load()`` → a ``SharedUpdate`` when the layer changed since the last call, else None.

    ``embed`` (the detector's encoder) embeds shared pattern texts; it runs only on a change.
    """

    def __init__(
        self,
        index_dir: Path | str,
        encoder_fingerprint: str,
        embed: Embed,
        *,
        dims: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from querysentry.intel.shared import SharedLayer  # no stix2 or cryptography on this path

        self.layer = SharedLayer.for_index(Path(index_dir), **({"clock": clock} if clock is not None else {}))
        self.fingerprint = encoder_fingerprint
        self.embed = embed
        self.dims = dims
        self._stamp: tuple[int, int] | None = None
        self._expires = math.inf  # the earliest expiry among the sources loaded (a POSIX time)

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.layer.current_file)
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def load(self) -> SharedUpdate | None:
        stamp = self._current_stamp()
        if stamp == self._stamp and self.layer.clock().timestamp() < self._expires:
            return None
        if stamp is None:
            update, expires = SharedUpdate(), math.inf
        else:
            snapshot = self.layer.snapshot()
            update = SharedUpdate(self._signatures(snapshot), build_overlay(snapshot.patterns, self.embed, self.dims))
            now = self.layer.clock()
            live = [r.expires.timestamp() for r in snapshot.sources if not r.expired(now)]
            expires = min(live, default=math.inf)
        # Only after a successful read: a failure is retried on the next call.
        self._stamp, self._expires = stamp, expires
        return update

    def _signatures(self, snapshot: SharedSnapshot) -> tuple[SharedSignature, ...]:
        found = []
        for shared in snapshot.campaigns:
            sig = shared.signature
            vector = None
            if sig.vector is not None and sig.encoder_fingerprint == self.fingerprint:
                vector = np.asarray(sig.vector, dtype=np.float32)
            found.append(
                SharedSignature(
                    campaign_id=sig.campaign_id,
                    source=shared.source,
                    skeletons=tuple(sig.instruction_hashes),
                    members=sig.member_count,
                    requests=sig.request_count,
                    categories=tuple(c.value for c in sig.categories),
                    first_seen=sig.first_seen.timestamp(),
                    last_seen=sig.last_seen.timestamp(),
                    vector=vector,
                    tag_only=shared.mode == "tag_only",
                )
            )
        return tuple(found)
