"""The sentence encoder: HF ``tokenizers`` + an ONNX Runtime session + numpy pooling.

No PyTorch at run time. One ``Encoder`` is safe to share between threads: ``InferenceSession.run``
and ``Tokenizer.encode_batch`` are both re-entrant, and nothing here mutates state after
``__init__``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from querysentry.encoder.model_files import ModelManifest, load_manifest
from querysentry.encoder.pooling import FloatArray, l2_normalize, mean_pool
from querysentry.errors import ModelError

__all__ = ["Encoder"]


class Encoder:
    """Embeds texts into L2-normalised vectors with the shipped (or a given) ONNX model.

    ``threads`` is ORT's intra-op thread count for one call. Spinning is off so that idle ORT
    threads do not steal the CPU from the event loop or from other requests. ``max_batch_tokens``
    bounds ``batch × padded length`` per ORT call, which bounds the arena's peak memory.
    """

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        threads: int = 1,
        max_batch_tokens: int = 8192,
        verify: bool = True,
    ) -> None:
        if threads < 1:
            raise ValueError("threads must be >= 1")
        if max_batch_tokens < 16:
            raise ValueError("max_batch_tokens must be >= 16")
        self.manifest: ModelManifest = load_manifest(model_dir)
        if verify:
            self.manifest.verify()
        self.threads = threads
        self.max_batch_tokens = max_batch_tokens
        self._tokenizer = _load_tokenizer(self.manifest)
        self._session = _load_session(self.manifest, threads)
        self._input_names = {i.name for i in self._session.get_inputs()}

    @property
    def dims(self) -> int:
        return self.manifest.dims

    @property
    def model_name(self) -> str:
        return self.manifest.name

    @property
    def fingerprint(self) -> str:
        return self.manifest.fingerprint

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts (special tokens included, after truncation)."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """Embed ``texts``; returns ``[len(texts), dims]`` float32 unit vectors.

        Texts are sorted by length and packed into ORT calls of at most ``max_batch_tokens``
        padded tokens, so short texts are not padded to the longest one; results come back in
        input order. Cost: O(total tokens) plus attention, per call.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a string")
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        batch: list[int] = []
        for index in order:
            # Sorted ascending, so this row is the longest of the batch so far.
            if batch and (len(batch) + 1) * lengths[index] > self.max_batch_tokens:
                out[batch] = self._run([encodings[i] for i in batch])
                batch = []
            batch.append(index)
        out[batch] = self._run([encodings[i] for i in batch])
        return out

    def _run(self, encodings: Sequence[Any]) -> FloatArray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds: dict[str, npt.NDArray[np.int64]] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        return l2_normalize(mean_pool(np.asarray(hidden, dtype=np.float32), mask))


def _load_tokenizer(manifest: ModelManifest) -> Any:
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(manifest.tokenizer_path))
    except Exception as exc:  # tokenizers raises plain Exception on a bad file
        raise ModelError(f"cannot load tokenizer {manifest.tokenizer_path}: {exc}") from None
    # Padding is done per batch in numpy; a tokenizer.json that pads every input to a fixed length
    # would multiply the work for short prompts.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=manifest.max_tokens)
    return tokenizer


def _load_session(manifest: ModelManifest, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3
    # e.g. session.disable_quant_qdq=1: fold the int8 weights back to fp32 at load instead of
    # fusing them into int8-activation kernels, which costs fidelity (see models/manifest.json).
    for key, value in manifest.session_config.items():
        options.add_session_config_entry(key, value)
    try:
        return ort.InferenceSession(str(manifest.onnx_path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own non-exported exception types
        raise ModelError(f"cannot load encoder {manifest.onnx_path}: {exc}") from None
