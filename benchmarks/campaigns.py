"""What the campaign layer costs: time per request off and on the event loop, and memory with keys.

    python benchmarks/campaigns.py [--keys 60000] [--quiet-keys 1000000] [--json benchmarks/campaigns_results.json]

A ``CampaignTracker`` at its default bounds sees ``--keys`` distinct keys, one evidence-bearing
request each: a third from 40 campaigns (each a direction in the encoder's 384 dimensions, with
per-request noise), the rest unrelated instructions (a benign background that never groups).
Reported: microseconds per ``observe`` (worker thread: the window and exemplar searches) against
one raw ONNX encode of a short prompt measured in the same run, microseconds per ``publish`` (the
event loop's part, into ``memory://``), and RSS at checkpoints: it must level off at the bounds,
not grow with keys. Half the instructions are in a system message, so the exact instructions
whose senders are remembered fill their bound too. ``--quiet-keys``: then that many more keys, one request each with no
evidence (most traffic): the tracker only counts them (for dedication), in a bounded table, so
memory must level off there too, at a million keys.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=60_000)
    parser.add_argument("--quiet-keys", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from querysentry.behaviour.campaigns import CampaignTracker, Instruction
    from querysentry.encoder import Encoder
    from querysentry.storage import MemoryStore

    rng = np.random.default_rng(11)
    dim = 384
    directions = rng.normal(size=(40, dim)).astype(np.float32)
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    tracker = CampaignTracker(store=MemoryStore(max_keys=100_000))
    encoder = Encoder(threads=1)
    prompt = ["Could you explain how tides work, step by step, for a ten-year-old?"]
    encoder.encode(prompt)
    started = time.perf_counter()
    for _ in range(50):
        encoder.encode(prompt)
    encode_us = (time.perf_counter() - started) / 50 * 1e6

    observe_s = publish_s = 0.0
    published = 0
    checkpoints = []
    loop = asyncio.new_event_loop()
    for i in range(args.keys):
        if i % 3 == 0:
            v = directions[i % 40] + 0.25 * rng.normal(size=dim).astype(np.float32) / np.sqrt(dim)
        else:
            v = rng.normal(size=dim).astype(np.float32)
        v /= np.linalg.norm(v)
        # Every other one in a system message: the exact instructions whose senders are
        # remembered (``CampaignRule.max_instructions``) fill up and stay bounded too.
        skeleton = f"{i % 40:016x}" if i % 3 == 0 else f"{i:016x}"
        role = "system" if i % 2 == 0 else "user"
        instruction = Instruction(v, skeleton, "prompt_extraction", 1.0, role)
        t0 = time.perf_counter()
        match = tracker.observe(f"key-{i}", instruction, 1_000.0 + i * 0.01)
        observe_s += time.perf_counter() - t0
        if match is not None:
            t0 = time.perf_counter()
            loop.run_until_complete(tracker.publish(match, f"key-{i}", 1.0, 1_000.0 + i * 0.01))
            publish_s += time.perf_counter() - t0
            published += 1
        if (i + 1) % (args.keys // 6) == 0:
            checkpoints.append({"keys": i + 1, "campaigns": len(tracker), "rss_mb": round(_rss_mb(), 1)})
    loop.close()
    quiet_s = 0.0
    quiet_checkpoints = []
    for j in range(args.quiet_keys):
        t0 = time.perf_counter()
        tracker.observe(f"quiet-{j}", None, 2_000.0 + j * 0.001)
        quiet_s += time.perf_counter() - t0
        if (j + 1) % max(1, args.quiet_keys // 5) == 0:
            quiet_checkpoints.append({"quiet_keys": j + 1, "rss_mb": round(_rss_mb(), 1)})
    report = {
        "keys": args.keys,
        "observe_us": round(observe_s / args.keys * 1e6, 1),
        "publish_us": round(publish_s / max(1, published) * 1e6, 1),
        "encode_us": round(encode_us, 1),
        "observe_over_encode": round(observe_s / args.keys * 1e6 / encode_us, 3),
        "campaigns": len(tracker),
        "checkpoints": checkpoints,
        "quiet_keys": args.quiet_keys,
        "quiet_observe_us": round(quiet_s / max(1, args.quiet_keys) * 1e6, 2),
        "quiet_checkpoints": quiet_checkpoints,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
