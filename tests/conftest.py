from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from querysentry.encoder import Encoder


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real shipped encoder, loaded once per test session (about half a second)."""
    return Encoder()


class HashEmbedder:
    """A deterministic stand-in encoder: each distinct text gets a fixed pseudo-random unit vector.

    Used where a test is about index mechanics, not semantics, so it runs without the model.
    """

    dims = 16
    fingerprint = "hash-embedder-v1"
    model_name = "hash-embedder"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dims).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dims)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()
