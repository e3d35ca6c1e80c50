"""The shipped detector on the held-out probes, per kind: recall on attacks, share flagged of
benign app system prompts and homework, for a library (with files left out) and thresholds.

    python benchmarks/probes.py [--exclude STEM ...] [--extra FILE ...] [--thresholds PATH] [--json PATH]

``benchmarks/data/head_probes.jsonl`` was written by a different author than the pattern library
(and the library's authors were told not to read it): attacks of five kinds, 80 custom-app system
prompts (sent as the system message before an ordinary question) and 70 homework questions.
``--probes`` runs another file of the same shape, such as ``probes_app_prompts.jsonl`` (300 honest
custom-app system prompts by another author; no attacks, so no attack recall).
``--exclude`` leaves library files out (by file stem, as ``quality.py`` does), so a library change
is measured before and after in one harness; ``--extra`` adds pattern files that are not shipped
(``benchmarks/data/library_trials/``: library changes measured and not taken).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROBES = Path(__file__).resolve().parent / "data" / "head_probes.jsonl"
QUESTION = "What should I pack for a weekend of hiking?"


def main(argv: list[str] | None = None) -> int:
    from benchmarks.quality import _stem_prefix
    from querysentry.detector import Detector
    from querysentry.encoder import Encoder
    from querysentry.index import build_index
    from querysentry.library import default_library_dir, load_library, merge_libraries
    from querysentry.messages import Message
    from querysentry.threshold_files import load_thresholds

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exclude", action="append", default=[], help="library file stem to leave out")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="pattern file to add")
    parser.add_argument("--thresholds", type=Path, help="thresholds JSON (default: shipped)")
    parser.add_argument("--probes", type=Path, default=PROBES)
    parser.add_argument("--no-repair-words", action="store_true", help="the detector without word repair")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    directory = default_library_dir()
    library = load_library(directory)
    if args.exclude:
        prefixes = tuple(_stem_prefix(directory, s) for s in args.exclude)
        kept = tuple(p for p in library if not p.id.startswith(prefixes))
        library = type(library)(library.name, library.version, kept)
    if args.extra:
        library = merge_libraries([library, *(load_library(path) for path in args.extra)])
    encoder = Encoder(threads=2)
    thresholds = load_thresholds(args.thresholds) if args.thresholds else None
    detector = Detector(
        encoder=encoder,
        index=build_index(library, encoder),
        thresholds=thresholds,
        repair_words=not args.no_repair_words,
    )
    rows = [json.loads(line) for line in args.probes.read_text(encoding="utf-8").splitlines() if line.strip()]
    total: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for row in rows:
        if row["kind"] == "app_system_prompt":
            messages = [Message("system", row["text"]), Message("user", QUESTION)]
        else:
            messages = [Message("user", row["text"])]
        verdict = detector.check(messages)
        total[row["kind"]] += 1
        flagged[row["kind"]] += int(verdict.flagged)
    attacks = [k for k in total if any(r["kind"] == k and r["label"] == "attack" for r in rows)]
    report: dict[str, Any] = {
        "patterns": len(library),
        "excluded": args.exclude,
        "thresholds": str(args.thresholds) if args.thresholds else "shipped",
        "per_kind": {
            k: {"n": total[k], "flagged": flagged[k], "share": round(flagged[k] / total[k], 4)} for k in total
        },
        # None for a probe file of benign prompts only (``probes_app_prompts.jsonl``).
        "attack_recall": round(sum(flagged[k] for k in attacks) / sum(total[k] for k in attacks), 4)
        if attacks
        else None,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
