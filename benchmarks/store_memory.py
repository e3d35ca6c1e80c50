"""Memory of the default ``memory://`` behaviour store under a flood of distinct client keys.

    python benchmarks/store_memory.py [--keys 1000000] [--max-keys 100000]

Every request comes from a new key (account rotation at its most extreme), through the real
``BehaviourTracker``. The store keeps at most ``max_keys`` keys (clients and template units share
the bound), so resident memory must level off once the bound is reached, however many keys follow.
Reports RSS at checkpoints and the store's size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from querysentry.behaviour import BehaviourTracker  # noqa: E402
from querysentry.categories import Category  # noqa: E402
from querysentry.messages import Message  # noqa: E402
from querysentry.storage import MemoryStore  # noqa: E402
from querysentry.verdict import Verdict  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


async def flood(keys: int, max_keys: int) -> dict[str, object]:
    store = MemoryStore(max_keys=max_keys)
    tracker = BehaviourTracker(store=store)
    verdict = Verdict(False, 0.5, -0.2, Category.REASONING_TRACE, None, 0.7, (), None)
    checkpoints = sorted({max_keys // 2, max_keys, 2 * max_keys, keys // 2, keys})
    rows = []
    started = time.perf_counter()
    baseline = rss_mb()
    for i in range(1, keys + 1):
        # Two distinct units per request: the key's own question and a shared sentence.
        messages = [Message("user", f"Question from key {i:x}: what is the capital of place {i:x}? Please answer.")]
        await tracker.observe(f"rotating-{i:x}", verdict, messages, 1_767_225_600.0 + i * 0.01)
        if i in checkpoints:
            rows.append({"keys_seen": i, "store_keys": len(store), "rss_mb": round(rss_mb(), 1)})
            print(rows[-1], file=sys.stderr)
    return {
        "keys": keys,
        "max_keys": max_keys,
        "baseline_rss_mb": round(baseline, 1),
        "checkpoints": rows,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--max-keys", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report = asyncio.run(flood(args.keys, args.max_keys))
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
