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

__all__ = ["Encoder", "Span"]

Span = tuple[int, int]  # a character range [start, end) of one text


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
        return self._encode(texts, None)[0]

    def encode_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> tuple[FloatArray, list[FloatArray]]:
        """Embed ``texts`` and, from the same pass, character spans of each: ``spans[k]`` are
        ranges of ``texts[k]``. Returns the texts' vectors (as ``encode``) and, per text, a
        ``[len(spans[k]), dims]`` array of span vectors.

        A span's vector is the mean of the text's last-layer token vectors over the tokens that
        lie inside it, with the pass's ``[CLS]`` and ``[SEP]`` (a pass of its own has them too),
        L2-normalised: a clause read from its sentence without an encoder row of its own. It
        carries its context, so it is close to, not equal to, the clause embedded alone; a span
        covering the whole text gives the text's own vector. A span that no token lies inside
        (empty, or past the ``max_tokens`` truncation) gets a zero row: embed it on its own.
        Cost: as ``encode``, plus O(tokens) per span.
        """
        if len(spans) != len(texts):
            raise ValueError("need one list of spans per text")
        vectors, read = self._encode(texts, spans)
        assert read is not None
        return vectors, read

    def _encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]] | None
    ) -> tuple[FloatArray, list[FloatArray] | None]:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a string")
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        read = [np.zeros((len(s), self.dims), dtype=np.float32) for s in spans] if spans is not None else None
        if not texts:
            return out, read
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        batch: list[int] = []
        for index in order:
            # Sorted ascending, so this row is the longest of the batch so far.
            if batch and (len(batch) + 1) * lengths[index] > self.max_batch_tokens:
                self._run_into(out, read, spans, batch, encodings)
                batch = []
            batch.append(index)
        self._run_into(out, read, spans, batch, encodings)
        return out, read

    def _run_into(
        self,
        out: FloatArray,
        read: list[FloatArray] | None,
        spans: Sequence[Sequence[Span]] | None,
        batch: list[int],
        encodings: Sequence[Any],
    ) -> None:
        hidden, mask = self._run([encodings[i] for i in batch])
        out[batch] = l2_normalize(mean_pool(hidden, mask))
        if read is None or spans is None:
            return
        for row, index in enumerate(batch):
            if spans[index]:
                read[index][:] = _span_vectors(hidden[row], encodings[index].offsets, spans[index])

    def _run(self, encodings: Sequence[Any]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
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
        return np.asarray(hidden, dtype=np.float32), mask


def _span_vectors(hidden: FloatArray, offsets: Sequence[tuple[int, int]], spans: Sequence[Span]) -> FloatArray:
    """Mean-pooled, unit span vectors from one pass's token vectors (``[tokens, dims]``, unpadded
    rows first); a zero row for a span no token lies inside."""
    n = len(offsets)
    bounds = np.asarray(offsets, dtype=np.int64).reshape(n, 2)
    starts, ends = bounds[:, 0], bounds[:, 1]
    real = ends > starts  # special tokens ([CLS], [SEP]) have an empty range
    out = np.zeros((len(spans), hidden.shape[-1]), dtype=np.float32)
    for k, (start, end) in enumerate(spans):
        inside = real & (starts >= start) & (ends <= end)
        if not inside.any():
            continue
        inside |= ~real  # the special tokens ([CLS], [SEP]), as in a pass of the span alone
        out[k] = hidden[:n][inside].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: FloatArray = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0).astype(np.float32)
    return unit


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
