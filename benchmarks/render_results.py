"""Render the tables of RESULTS.md from the JSON the benchmarks wrote.

    python benchmarks/quality.py --data ../shared/datasets/dev --json benchmarks/quality_dev.json
    python benchmarks/multilingual.py --json benchmarks/multilingual_results.json
    python benchmarks/encoder.py --torch --json benchmarks/encoder_results.json
    python benchmarks/render_results.py

Only the blocks between ``<!-- name:start -->`` and ``<!-- name:end -->`` are rewritten, so the
prose around them stays as written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent


def load(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def quality_block(q: dict[str, Any]) -> str:
    rows = ["| | AUROC | recall at 1 % FPR | recall at shipped thresholds |", "|---|---:|---:|---:|"]
    n_pos, n_neg = q["requests"]["positive"], q["requests"]["benign"]
    rows.append(
        f"| all positives ({n_pos}) vs benign ({n_neg}) | {q['auroc']:.3f} | "
        f"{q['recall_at_1pct_fpr']:.1%} | {q['shipped']['recall']:.1%} |"
    )
    for family, r in q["families"].items():
        rows.append(
            f"| family `{family}` ({r['n']}) | {r['auroc']:.3f} | {r['recall_at_1pct_fpr']:.1%} | "
            f"{r['recall_shipped']:.1%} |"
        )
    for category, r in q["categories"].items():
        rows.append(
            f"| category `{category}` ({r['n']}) | | {r['recall_at_1pct_fpr']:.1%} | {r['recall_shipped']:.1%} |"
        )
    shipped = q["shipped"]
    rows += [
        "",
        f"At the shipped thresholds: benign FPR **{shipped['fpr']:.2%}**; out-of-scope jailbreaks flagged "
        f"{shipped['jailbreaks_flagged']:.1%} (they often contain prompt-injection text).",
        "",
        "| benign source | FPR at shipped thresholds | leave-one-source-out FPR | recall with those thresholds |",
        "|---|---:|---:|---:|",
    ]
    for source, fpr in q["benign_fpr_by_source"].items():
        loso = q["leave_one_source_out"][source]
        rows.append(f"| {source} | {fpr:.2%} | {loso['fpr_held_out']:.2%} | {loso['recall']:.1%} |")
    return "\n".join(rows)


def multilingual_block(ml: dict[str, Any]) -> str:
    configs = ("english_only", "plus_latin_script", "shipped")
    rows = [
        "| lang | AUROC: en-only / +es,fr,de,pt / shipped | recall (same order) | benign FPR (same order) |",
        "|---|---|---|---|",
    ]
    for lang in ml["english_only"]:
        values = [ml[c][lang] for c in configs]
        auroc = " / ".join(f"{v['auroc']:.2f}" for v in values)
        recall = " / ".join(f"{v['recall']:.0%}" for v in values)
        fpr = " / ".join(f"{v['fpr']:.0%}" for v in values)
        rows.append(f"| {lang} | {auroc} | {recall} | {fpr} |")
    return "\n".join(rows)


def speed_block(e: dict[str, Any]) -> str:
    rows = [
        "| tokens | ORT threads | ONNX encode (ms) | PyTorch encode (ms) | PyTorch / ONNX | min cosine |"
        " full detector (ms, segments) | detector / ONNX |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in e["encoder"]:
        rows.append(
            f"| {r['tokens']} | {r['threads']} | {r['onnx_ms']:.1f} | {r['torch_ms']:.1f} | "
            f"{r['torch_over_onnx']:.2f}× | {r['cosine']:.4f} | {r['detector_ms']:.1f} ({r['segments']}) | "
            f"{r['detector_ms'] / r['onnx_ms']:.2f}× |"
        )
    rows += [
        "",
        "1024-token prompts exceed the model's 256-token window: the ONNX and PyTorch columns embed four "
        "256-token chunks in one batch; the detector embeds its segments within the 1,024-token budget.",
        "",
        "| patterns | flat, 16 queries (ms) | HNSW efSearch 64: ms / recall@1 / max score loss | efSearch 128 |"
        " efSearch 256 (shipped) | flat / HNSW-256 | HNSW build (s) |",
        "|---:|---:|---|---|---|---:|---:|",
    ]
    for r in e["faiss"]:
        cells = [
            f"{r[f'hnsw_ms_ef{ef}']:.2f} / {r[f'hnsw_recall_at_1_ef{ef}']:.3f} / {r[f'hnsw_score_loss_ef{ef}']:.3f}"
            for ef in (64, 128, 256)
        ]
        rows.append(
            f"| {r['patterns']:,} | {r['flat_ms']:.2f} | {' | '.join(cells)} | "
            f"{r['flat_ms'] / r['hnsw_ms_ef256']:.1f}× | {r['hnsw_build_s']:.1f} |"
        )
    rows += [
        "",
        "The base sets are the shipped library's vectors copied with noise (paraphrase-like clusters), the "
        "queries real sentences; recall@1 counts the right source pattern, score loss is the largest drop in "
        "best similarity against exact search.",
    ]
    return "\n".join(rows)


def _spread(runs: list[dict[str, Any]], path: str, fmt: str) -> str:
    """``median (min–max)`` of one figure across runs; ``path`` is dotted keys into each run."""
    values = []
    for run in runs:
        value: Any = run
        for key in path.split("."):
            value = value[key]
        values.append(float(value))
    values.sort()
    middle = values[len(values) // 2]
    if len(values) == 1:
        return fmt.format(middle)
    return f"{fmt.format(middle)} ({fmt.format(values[0])}–{fmt.format(values[-1])})"


def middleware_block(m: dict[str, Any]) -> str:
    runs = m["runs"]

    def f(path: str, fmt: str = "{:.2f}") -> str:
        return _spread(runs, path, fmt)

    rows = [
        f"{len(runs)} runs of {m['requests']} requests per measurement; each cell is the median run (lowest–highest).",
        "",
        "| measurement | result | target | met |",
        "|---|---:|---:|:---:|",
    ]

    def row(name: str, cell: str, target: str = "", ok: bool | None = None) -> None:
        rows.append(f"| {name} | {cell} | {target} | {'' if ok is None else 'yes' if ok else 'no'} |")

    def med(path: str) -> float:
        return float(_spread(runs, path, "{}").split(" ")[0])

    row("novel prompt: added p50 (ms)", f("novel.added_p50_ms", "{:.1f}"))
    row("… over the raw ONNX encode of the same text (tight loop)", f("novel.added_over_encode") + " ×", "≤ 1.2 ×",
        med("novel.added_over_encode") <= 1.2)  # fmt: skip
    row("… over the same encode served (worker thread, own server)", f("novel.added_over_served_encode") + " ×",
        "≤ 1.2 ×", med("novel.added_over_served_encode") <= 1.2)  # fmt: skip
    row("novel prompt: added p99 (ms)", f("novel.added_p99_ms", "{:.1f}"))
    row("repeated message: added p50 (ms)", f("repeated.added_p50_ms"), "≤ 0.5", med("repeated.added_p50_ms") <= 0.5)
    row("`/health` p99 while 8 clients send novel prompts (ms)", f("health_under_load.p99_ms"), "< 5",
        med("health_under_load.p99_ms") < 5)  # fmt: skip
    row("… idle server (ms)", f("health_under_load.idle_p99_ms"))
    row("… control: idle plain server during the same load (ms)", f("health_under_load.control_p99_ms"))
    row("throughput, 16 clients: over raw ONNX batches of one text per request",
        f("throughput.ratio", "{:.0%}"), "≥ 90 %", med("throughput.ratio") >= 0.9)  # fmt: skip
    row("… over raw ONNX batches of the same segments the detector embeds",
        f("throughput.ratio_segments", "{:.0%}"), "≥ 90 %", med("throughput.ratio_segments") >= 0.9)  # fmt: skip
    if "speedup" in runs[0]["multi_turn"]["one_line"]:
        for name, label in (("one_line", "one-line"), ("realistic", "realistic")):
            key = f"multi_turn.{name}"
            rows.append(
                f"| multi-turn, {label} chat: added p50 {f(key + '.added_p50_ms', '{:.1f}')} ms vs PyTorch on the "
                f"full prompt ({med(key + '.full_prompt_tokens_p50'):.0f} tokens) "
                f"{f(key + '.torch_full_prompt_p50_ms', '{:.0f}')} ms | {f(key + '.speedup', '{:.1f}')} × | ≥ 10 × | "
                f"{'yes' if med(key + '.speedup') >= 10 else 'no'} |"
            )
            rows.append(
                f"| … PyTorch truncating at 256 tokens ({f(key + '.torch_truncated_p50_ms', '{:.0f}')} ms) | "
                f"{f(key + '.speedup_truncated', '{:.1f}')} × | | |"
            )
    return "\n".join(rows)


def traffic_block(t: dict[str, Any], memory: dict[str, Any]) -> str:
    # The campaign benchmark renders its own tables (benchmarks/traffic.py, issue 11's layout).
    from benchmarks.traffic import results_table

    rows = [
        f"Seeds {', '.join(str(s) for s in t['seeds'])} at scale {t['scale']}: "
        f"{', '.join(f'{n:,}' for n in t['requests'])} requests; `{t['command']}`.",
        "",
        results_table(t),
    ]
    points = memory["checkpoints"]
    rows += [
        "",
        f"Memory store bound (`store_memory.py`): {memory['keys']:,} distinct keys, one request each, "
        f"through the tracker into `memory://?max_keys={memory['max_keys']:,}`:",
        "",
        "| keys seen | keys in the store | RSS (MB) |",
        "|---:|---:|---:|",
        *(f"| {p['keys_seen']:,} | {p['store_keys']:,} | {p['rss_mb']:.0f} |" for p in points),
    ]
    return "\n".join(rows)


def cues_block(c: dict[str, Any]) -> str:
    labels = {
        "probe texts": "probe texts (all probe sets)",
        "attacker-shaped": (
            "attacker-shaped (a cue word repeated for a whole segment, one unbroken run, CJK and Cyrillic runs)"
        ),
    }
    rows = ["| texts | n | cues / encode |", "|---|---:|---:|"]
    rows += [f"| {labels.get(name, name)} | {v['texts']} | {v['cues_over_encode']:.3f} |" for name, v in c.items()]
    return "\n".join(rows)


def main() -> int:
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    blocks = {
        "quality": quality_block(load("quality_dev.json")),
        "multilingual": multilingual_block(load("multilingual_results.json")),
        "speed": speed_block(load("encoder_results.json")),
        "middleware": middleware_block(load("middleware_results.json")),
        "traffic": traffic_block(load("traffic_results.json"), load("store_memory_results.json")),
        "cues": cues_block(load("cues_results.json")),
    }
    for name, block in blocks.items():
        start, end = f"<!-- {name}:start -->\n", f"\n<!-- {name}:end -->"
        first, last = text.find(start), text.find(end)
        if first < 0 or last < first:
            raise SystemExit(f"RESULTS.md has no {name} block")
        text = text[:first] + start + block + text[last:]
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
