"""What the target cues (``querysentry.text.disclosure``) cost next to the encoder, as ratios in one run.

    python benchmarks/cues.py [--json PATH]

Texts: the probe sets' benign and attack texts (``benchmarks/data/probes_*.jsonl``, each cut to
the segment bound of ``SegmentationConfig.max_segment_tokens`` words at most), and attacker-shaped
strings built to make the regexes work hardest (a cue word repeated across the whole segment, one
long run without a word boundary, non-Latin text that reaches the script patterns). For each set:
the time of all three cues on every text against one batched encode of the same texts on two
threads. ``decide`` runs a cue only for a segment with a hit in its lanes, so the ratio is an upper
bound on what a request pays.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).resolve().parent / "data"


def _probe_texts(limit_words: int) -> list[str]:
    texts = []
    for path in [*sorted(DATA.glob("probes*.jsonl")), DATA / "head_probes.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(" ".join(json.loads(line)["text"].split()[:limit_words]))
    return texts


def _attacker_texts(limit_words: int) -> list[str]:
    words = ("your", "tool", "training", "system", "every", "raw", "instructions", "above")
    texts = [" ".join([word] * limit_words) for word in words]
    texts.append("a" * (limit_words * 6))
    texts.append("ваши " * limit_words)
    texts.append("你的指令" * limit_words)
    texts.append(" ".join(["the", "rules", "you", "were"] * (limit_words // 4)))
    return texts


def _time_cues(texts: list[str], repeats: int) -> float:
    from querysentry.text.disclosure import names_own_configuration, names_tool_trace, names_training_purpose

    started = time.perf_counter()
    for _ in range(repeats):
        for text in texts:
            names_own_configuration(text)
            names_tool_trace(text)
            names_training_purpose(text)
    return (time.perf_counter() - started) / repeats


def main(argv: list[str] | None = None) -> int:
    from querysentry.encoder import Encoder
    from querysentry.text.segment import SegmentationConfig

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    limit = SegmentationConfig().max_segment_tokens
    encoder = Encoder(threads=2)
    out: dict[str, dict[str, float]] = {}
    for name, texts in (("probe texts", _probe_texts(limit)), ("attacker-shaped", _attacker_texts(limit))):
        encoder.encode(texts[:8])  # warm the session
        started = time.perf_counter()
        encoder.encode(texts)
        encode = time.perf_counter() - started
        cues = _time_cues(texts, repeats=5)
        out[name] = {"texts": len(texts), "cues_over_encode": round(cues / encode, 4)}
        print(f"{name:16} {len(texts):5} texts  cues / encode = {cues / encode:.4f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
