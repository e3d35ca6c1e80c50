"""Does detection carry across languages once each language's own centre is taken out? (issue 12)

    python benchmarks/language_centring.py --model-dir /tmp/enc/e5 --dev ../shared/datasets/dev \\
        --json benchmarks/language_centring_results.json

A multilingual encoder puts a translation next to its source (``encoder_choice.py``: top-1 0.99
for multilingual-e5-small), yet English patterns matched at an English threshold reach only
5-62 % of the translated attacks: every text of a language sits a little off in one shared
direction, so its cosine to every English pattern drops. The fix tried here is the textbook one
for language-neutral sentence vectors: subtract the mean vector of the text's language (its
*centre*, estimated from ordinary benign text in that language) from the text, and the English
centre from every English pattern, then renormalise and compare as before.

Where everything comes from, so nothing measured is tuned on:
- Centres: the library's own benign look-alikes (English, and the languages it has) and the
  team's 300 ordinary requests in ten languages (``data/library_trials/benign_multilingual.jsonl``,
  written by a helper). Nothing in a probe set feeds a centre.
- A text's language is the centre nearest to its raw vector (no language tag is trusted); the
  accuracy of that guess on the probes is reported.
- The threshold: 1 % FPR on the dev negatives (benign prompts and bare CoT questions, English).
- Probes, all written by others than this script's author: the encoder-choice probes (40 attacks +
  40 benign written in English and translated by their author into ten languages), the team's
  multilingual probe (10 + 10 per language) and ``data/probes_multilingual_fresh.jsonl`` (16 + 14
  per language in 11 languages, written natively by a helper that read no code, pattern or data).

Two scores per representation (raw, centred): ``knn``, the whole text's maximum cosine to the
library's attack patterns, and ``head``, the attack log-odds of a linear head (``querysentry.head``)
trained on the library (attacks and benign look-alikes) and the team's hard negatives, none of
which is a probe or a centre text. The detector's segments and lanes are left out, so this
measures the representation, not the shipped decision.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.encoder_choice import LANGS, max_sim, probe_rows  # noqa: E402
from benchmarks.quality import DiskCachedEmbedder, auroc, read_jsonl  # noqa: E402
from models.train_multilingual_lane import centre_texts  # noqa: E402
from querysentry import Encoder, default_library  # noqa: E402
from querysentry.categories import Category  # noqa: E402
from querysentry.head import load_hard_negatives, train_head  # noqa: E402
from querysentry.multilingual import LanguageCentres, unit_rows  # noqa: E402

FloatArray = npt.NDArray[np.float32]
DATA = Path(__file__).resolve().parent / "data"
FRESH = DATA / "probes_multilingual_fresh.jsonl"
TEAM = DATA / "multilingual_probe.jsonl"
MODES = ("raw", "centred")
SCORES = ("knn", "head")
CENTRE_TEXTS = DATA / "library_trials" / "benign_multilingual.jsonl"


class _Embed:
    """The disk-cached embedder as the encoder ``LanguageCentres`` asks for."""

    def __init__(self, embed: DiskCachedEmbedder) -> None:
        self.fingerprint = embed.encoder.fingerprint
        self.encode = embed


def probe_sets() -> dict[str, list[dict[str, Any]]]:
    sets = {"encoder_choice_translated": probe_rows()}
    sets["team_multilingual"] = [
        {"text": r["text"], "lang": r["lang"], "label": "attack" if r["label"] == "extraction" else "benign"}
        for r in read_jsonl(TEAM)
    ]
    if FRESH.is_file():
        sets["fresh_native"] = [{"text": r["text"], "lang": r["lang"], "label": r["label"]} for r in read_jsonl(FRESH)]
    return sets


def per_language(score: FloatArray, rows: list[dict[str, Any]], cut: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in LANGS:
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        if not idx:
            continue
        s = score[idx]
        attack = np.array([rows[i]["label"] == "attack" for i in idx])
        if not attack.any() or attack.all():
            continue
        out[lang] = {
            "n": len(idx),
            "auroc": round(auroc(s[attack], s[~attack]), 4),
            "recall": round(float((s[attack] > cut).mean()), 4),
            "fpr": round(float((s[~attack] > cut).mean()), 4),
        }
    reference = out.get("en", {}).get("recall")
    if reference:
        for row in out.values():
            row["recall_vs_english"] = round(row["recall"] / reference, 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=None, help="encoder folder (default: the shipped MiniLM)")
    parser.add_argument("--dev", type=Path, required=True, help="../shared/datasets/dev (negatives for the threshold)")
    parser.add_argument("--fpr", type=float, default=0.01)
    parser.add_argument("--cache", type=Path, default=None, help="an .npz embedding cache (per encoder fingerprint)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    encoder = Encoder(model_dir=args.model_dir) if args.model_dir else Encoder()
    embed = DiskCachedEmbedder(encoder, args.cache or Path("/tmp/qs/lc-cache-" + encoder.fingerprint[:12] + ".npz"))
    centre = LanguageCentres.from_texts(_Embed(embed), centre_texts())
    patterns = default_library().patterns
    attacks = [p for p in patterns if p.category is not Category.BENIGN]
    raw_patterns = embed([p.text for p in patterns])
    pattern_langs = [p.lang for p in patterns]
    is_attack = np.array([p.category is not Category.BENIGN for p in patterns])
    negatives_text = [r["text"] for name in ("benign", "cot_questions") for r in read_jsonl(args.dev / f"{name}.jsonl")]
    hard = [text for _, text in load_hard_negatives()]
    raw_hard = embed(hard)
    raw_negatives = embed(negatives_text)
    neg_langs = centre.guess(raw_negatives)
    hard_langs = centre.guess(raw_hard)

    def represent(vectors: FloatArray, langs: list[str], mode: str) -> FloatArray:
        return unit_rows(vectors) if mode == "raw" else centre.centre(vectors, langs)

    scorers: dict[tuple[str, str], Any] = {}
    for mode in MODES:
        vecs = represent(raw_patterns, pattern_langs, mode)
        refs = vecs[is_attack]
        scorers[(mode, "knn")] = lambda v, refs=refs: max_sim(v, refs)
        train_x = np.concatenate([vecs, represent(raw_hard, hard_langs, mode)])
        train_y = [p.category.value for p in patterns] + [Category.BENIGN.value] * len(hard)
        head = train_head(train_x, train_y, encoder_fingerprint=encoder.fingerprint)
        scorers[(mode, "head")] = lambda v, head=head: head.attack_log_odds(v).astype(np.float32)
    cuts: dict[str, float] = {}
    for (mode, score), fn in scorers.items():
        neg = fn(represent(raw_negatives, neg_langs, mode))
        cuts[f"{mode}/{score}"] = float(np.sort(neg)[::-1][int(args.fpr * len(neg))])
    report: dict[str, Any] = {
        "model": encoder.manifest.name if getattr(encoder, "manifest", None) else "?",
        "centres": list(centre.langs),
        "library_attack_patterns": len(attacks),
        "dev_negatives": len(negatives_text),
        "dev_negatives_guessed_english": round(float(np.mean([lang == "en" for lang in neg_langs])), 4),
        "thresholds": {k: round(v, 4) for k, v in cuts.items()},
        "sets": {},
    }
    for name, rows in probe_sets().items():
        raw = embed([r["text"] for r in rows])
        guessed = centre.guess(raw)
        entry: dict[str, Any] = {
            "rows": len(rows),
            "language_guess_accuracy": round(float(np.mean([g == r["lang"] for g, r in zip(guessed, rows)])), 4),
        }
        for (mode, score), fn in scorers.items():
            key = f"{mode}/{score}"
            entry[key] = per_language(fn(represent(raw, guessed, mode)), rows, cuts[key])
        report["sets"][name] = entry
    embed.save()
    summary(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


def summary(report: dict[str, Any]) -> None:
    print(f"model {report['model']}; thresholds {report['thresholds']}")
    keys = [f"{m}/{s}" for m in MODES for s in SCORES]
    for name, entry in report["sets"].items():
        print(f"\n{name} ({entry['rows']} rows; language guessed right {entry['language_guess_accuracy']:.0%})")
        print("lang  " + "  ".join(f"{k + ': auc rec fpr (vs en)':>30s}" for k in keys))
        for lang in [lang for lang in LANGS if lang in entry[keys[0]]]:
            cells = []
            for k in keys:
                r = entry[k][lang]
                ratio = r.get("recall_vs_english", 0)
                cells.append(f"{r['auroc']:.2f} {r['recall']:5.0%} {r['fpr']:4.0%} ({ratio:.2f})")
            print(f"{lang:4s}  " + "  ".join(f"{c:>30s}" for c in cells))


if __name__ == "__main__":
    raise SystemExit(main())
