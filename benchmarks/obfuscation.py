"""Recall under character-level disguises, on attacks written by another author.

    python benchmarks/obfuscation.py [--per-category 30] [--seed 7] [--disguises unseen|third|fourth|fifth]
        [--no-repair-words] [--json out.json]

The attack texts and the disguises come from ``benchmarks/traffic_scenarios`` (``attacks.py``,
``obfuscate.py``), written for the campaign benchmark by a different author than the detector's
patterns and normalisation rules; nothing from the dev data. For each instruction category and for
system-prompt extraction, ``--per-category`` fresh paraphrases are checked plain and under each
disguise (one transform each) at the shipped thresholds. Reported: recall per disguise, and its
ratio to the plain recall (issue 12's target: every disguise >= 90 % of plain).

``--disguises unseen`` uses ``disguises_unseen.py`` instead: a second set of disguises written by a
helper who had not read the normaliser nor the first set, so the normaliser's rules were not
shaped on it. ``--disguises third`` uses ``disguises_third.py``: a third set, written later by
another helper who had read neither the normaliser nor the other two (multi-character leetspeak,
symbol stand-ins, look-alikes from rarer scripts, mixed separators, split words, stacks).
``--disguises fourth`` uses ``disguises_fourth.py``: written by yet another helper, after the
normaliser's fourth round was finished, without reading it or the other sets (leetspeak mixes,
look-alikes, "fancy text" styles, visible and invisible separators, noise, broken words, typos,
case and accents, dropped vowels, stacks): the held-out set for that round. ``--disguises fifth``
uses ``disguises_fifth.py``: word-level damage (keyboard typos, letter slips, three styles of
dropped vowels, split and glued words, punctuation inside words, text-speak, sound-alike
spellings, abbreviations, and mixes), written by a helper while word repair
(``querysentry/text/words.py``) was being written, without reading it, the normaliser or the
other sets: the held-out set for word repair. ``--no-repair-words`` measures the detector
without word repair.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.traffic_scenarios import (  # noqa: E402
    disguises_fifth,
    disguises_fourth,
    disguises_third,
    disguises_unseen,
    obfuscate,
)
from benchmarks.traffic_scenarios.attacks import CATEGORIES, extraction_attack, instruction  # noqa: E402

DISGUISES = {
    "campaign": obfuscate.TRANSFORMS,
    "unseen": disguises_unseen.TRANSFORMS,
    "third": disguises_third.TRANSFORMS,
    "fourth": disguises_fourth.TRANSFORMS,
    "fifth": disguises_fifth.TRANSFORMS,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--disguises", choices=sorted(DISGUISES), default="campaign")
    parser.add_argument("--no-repair-words", action="store_true", help="the detector without word repair")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from querysentry import Detector

    rng = random.Random(args.seed)
    texts: list[str] = []
    for category in sorted(CATEGORIES):
        texts += [instruction(category, rng) for _ in range(args.per_category)]
    texts += [extraction_attack(rng)[1] for _ in range(args.per_category * 2)]
    variants = {"plain": texts}
    transforms = DISGUISES[args.disguises]
    for name in sorted(transforms):
        variants[name] = [transforms[name](t, random.Random(f"{args.seed}:{name}:{i}")) for i, t in enumerate(texts)]
    detector = Detector(repair_words=not args.no_repair_words)
    recall = {}
    for name, batch in variants.items():
        verdicts = detector.check_many(batch)
        recall[name] = sum(v.flagged for v in verdicts) / len(verdicts)
    plain = recall["plain"]
    report = {
        "texts": len(texts),
        "seed": args.seed,
        "disguises": args.disguises,
        "repair_words": not args.no_repair_words,
        "recall": {k: round(v, 4) for k, v in recall.items()},
        "ratio_to_plain": {k: round(v / plain, 3) if plain else None for k, v in recall.items()},
    }
    print(f"{'disguise':<20} {'recall':>7} {'/ plain':>8}")
    for name in variants:
        ratio = report["ratio_to_plain"][name]
        print(f"{name:<20} {recall[name]:>7.1%} {ratio:>8.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
