"""Pure numpy post-processing of the encoder's token embeddings."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["l2_normalize", "mean_pool"]

FloatArray = npt.NDArray[np.float32]


def mean_pool(token_embeddings: FloatArray, attention_mask: npt.NDArray[np.int64]) -> FloatArray:
    """Average token vectors over the real (unpadded) tokens. ``[b, t, d], [b, t] -> [b, d]``."""
    mask = attention_mask[..., None].astype(np.float32)
    summed = (token_embeddings * mask).sum(axis=1)
    # Clip as sentence-transformers does, so an empty row cannot divide by zero.
    counts = np.clip(mask.sum(axis=1), 1e-9, None)
    pooled: FloatArray = (summed / counts).astype(np.float32)
    return pooled


def l2_normalize(vectors: FloatArray) -> FloatArray:
    """Scale each row to unit length, so inner product equals cosine similarity."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: FloatArray = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
    return unit
