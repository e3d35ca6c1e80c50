"""The shared intel layer of an index directory, as the engine's campaign layer reads it.

``querysentry intel import --index DIR`` writes ``DIR/shared`` (``querysentry.intel.shared``);
this module turns its campaign signatures into ``SharedSignature`` for the campaign tracker,
reloading when the layer's ``CURRENT`` file changes (it is replaced, new inode, on every import
or removal). Vectors are only used when they were made with this deployment's encoder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from querysentry.behaviour.campaigns import SharedSignature

__all__ = ["SharedCampaigns"]


class SharedCampaigns:
    """``load()`` → the signatures when the layer changed since the last call, else None."""

    def __init__(self, index_dir: Path | str, encoder_fingerprint: str) -> None:
        from querysentry.intel.shared import SharedLayer  # no stix2 or cryptography on this path

        self.layer = SharedLayer.for_index(Path(index_dir))
        self.fingerprint = encoder_fingerprint
        self._stamp: tuple[int, int] | None = None

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.layer.current_file)
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def load(self) -> list[SharedSignature] | None:
        stamp = self._current_stamp()
        if stamp == self._stamp:
            return None
        signatures = [] if stamp is None else self._read()
        self._stamp = stamp  # only after a successful read: a failure is retried next time
        return signatures

    def _read(self) -> list[SharedSignature]:
        found = []
        for shared in self.layer.campaigns():
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
        return found
