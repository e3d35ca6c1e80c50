"""What a two-stage scan would cost in quality: windows and clauses only where a sentence is close.

    python benchmarks/cascade.py --dev ../shared/datasets/dev --json benchmarks/cascade_results.json

Today every segment of a request is embedded: sentences, the whole message, clauses of long
sentences, and windows of adjacent sentences (a median of 5 or more per prompt). A cascade embeds
the first stage (sentences, whole messages, decoded blobs) and then only those clauses and windows
whose sentences already came within ``delta`` of a threshold: a window of two sentences far from
every pattern, or a clause of such a sentence, rarely decides. This script embeds every segment
once, then replays the decision with each ``delta`` on the same hits, so the sweep costs nothing:

- segments embedded per request (mean, median), against the full scan;
- verdicts that change (flagged under the full scan, not under the cascade, and the reverse), on
  the dev data (calibration side) and on attacks and honest prompts written by another author
  (``benchmarks/traffic_scenarios``: never read while choosing the stage split);
- recall at the shipped thresholds per source, full scan against cascade.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.quality import DiskCachedEmbedder, build_requests  # noqa: E402
from querysentry import Detector, Encoder  # noqa: E402
from querysentry.index import SearchHit  # noqa: E402
from querysentry.messages import MessagesLike  # noqa: E402
from querysentry.scoring import Thresholds, decide  # noqa: E402
from querysentry.text.segment import Segment  # noqa: E402

DELTAS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 1.0)


# What the second stage of a cascaded scan may skip: pieces of sentences and runs of sentences,
# which only matter when the sentences they are made of are already near a threshold.
SECOND_STAGE_KINDS = frozenset({"clause", "window"})


def cascade_plan(
    segments: Sequence[Segment],
    hits_of: Callable[[Segment], Sequence[SearchHit]],
    thresholds: Thresholds,
    frames: frozenset[str],
    delta: float,
    second: frozenset[str] = SECOND_STAGE_KINDS,
) -> list[Segment]:
    """The segments a cascaded scan embeds: every first-stage segment, and each second-stage one
    (``second`` kinds) that overlaps a first-stage segment of its message whose margin is at
    least ``-delta``. ``hits_of`` gives a first-stage segment's nearest patterns. Pure."""
    first = [s for s in segments if s.kind not in second]
    near = [s for s in first if decide([(s, hits_of(s))], thresholds, frames).margin >= -delta]
    chosen = list(first)
    for segment in segments:
        if segment.kind in second and any(
            p.message_index == segment.message_index and p.start < segment.end and segment.start < p.end for p in near
        ):
            chosen.append(segment)
    return chosen


@dataclass
class Item:
    group: str  # "dev" or "unseen"
    label: str  # "positive" or "benign"
    source: str
    payload: MessagesLike


def unseen_items(seed: int, n: int) -> list[Item]:
    """Attacks and honest prompts from the campaign benchmark's generator (another author)."""
    from benchmarks.traffic_scenarios import attacks, benign, fills

    rng = random.Random(seed)
    items: list[Item] = []
    for category in attacks.CATEGORIES:
        for _ in range(n):
            text = attacks.instruction(category, rng)
            fill = fills.exam_question(rng) if rng.random() < 0.7 else fills.document(rng)
            body = f"{text}\n\n{fill}" if rng.random() < 0.5 else f"{fill}\n\n{text}"
            items.append(Item("unseen", "positive", f"attack:{category}", body))
    for _ in range(n * 3):
        _family, text = attacks.extraction_attack(rng)
        items.append(Item("unseen", "positive", "attack:prompt_extraction", text))
    for _ in range(n * 10):
        items.append(Item("unseen", "benign", "benign:ordinary", benign.ordinary_request(rng)))
    for _ in range(n * 5):
        items.append(Item("unseen", "benign", "benign:homework", benign.homework_request(rng)))
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, required=True, help="../shared/datasets/dev")
    parser.add_argument("--fills", type=int, default=2)
    parser.add_argument("--unseen", type=int, default=40, help="attacks per category from the generator")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qs-cascade-cache.npz"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    encoder = Encoder(threads=2)
    embed = DiskCachedEmbedder(encoder, args.cache)
    detector = Detector(encoder=encoder, embed=embed)
    items = [
        Item("dev", r.group, f"{r.group}:{r.source}", r.payload)
        for r in build_requests(args.dev, args.fills, 0, args.seed)
        if r.group in ("benign", "positive")
    ]
    items += unseen_items(args.seed, args.unseen)
    print(f"{len(items)} requests", file=sys.stderr)

    index = detector.index_handle.current
    prepared = [detector._prepare(item.payload) for item in items]
    texts = list(dict.fromkeys(s.text for p in prepared for s in p.segments))
    hits: dict[str, Any] = {}
    for start in range(0, len(texts), 512):
        chunk = texts[start : start + 512]
        hits.update(zip(chunk, index.search(embed(chunk), detector.top_k)))
        print(f"  {start + len(chunk)}/{len(texts)} segments", file=sys.stderr)
    embed.save()

    thresholds = detector.thresholds
    report: dict[str, Any] = {"requests": len(items), "deltas": {}}
    full = [decide([(s, hits[s.text]) for s in p.segments], thresholds, p.frames).flagged for p in prepared]
    full_segments = [len({s.text for s in p.segments}) for p in prepared]
    for delta in DELTAS:
        flagged, embedded = [], []
        for p in prepared:
            chosen = cascade_plan(p.segments, lambda s: hits[s.text], thresholds, p.frames, delta)
            embedded.append(len({s.text for s in chosen}))
            flagged.append(decide([(s, hits[s.text]) for s in chosen], thresholds, p.frames).flagged)
        row: dict[str, Any] = {
            "segments_mean": statistics.mean(embedded),
            "segments_median": statistics.median(embedded),
            "lost": {},
            "gained": {},
            "recall": {},
        }
        for group in ("dev", "unseen"):
            for label in ("positive", "benign"):
                idx = [i for i, it in enumerate(items) if it.group == group and it.label == label]
                row["lost"][f"{group}:{label}"] = sum(full[i] and not flagged[i] for i in idx)
                row["gained"][f"{group}:{label}"] = sum(flagged[i] and not full[i] for i in idx)
        for source in sorted({f"{it.group}:{it.source}" for it in items}):
            idx = [i for i, it in enumerate(items) if f"{it.group}:{it.source}" == source]
            row["recall"][source] = (
                round(sum(full[i] for i in idx) / len(idx), 4),
                round(sum(flagged[i] for i in idx) / len(idx), 4),
                len(idx),
            )
        report["deltas"][str(delta)] = row
        print(
            f"delta {delta:>4}: segments mean {row['segments_mean']:.2f} median {row['segments_median']:.1f}"
            f" lost {row['lost']} gained {row['gained']}"
        )
    report["full_segments_mean"] = statistics.mean(full_segments)
    report["full_segments_median"] = statistics.median(full_segments)
    print(f"full scan: segments mean {report['full_segments_mean']:.2f} median {report['full_segments_median']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
