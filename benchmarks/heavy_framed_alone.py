"""One honest population replayed alone through the engine: ``heavy_framed``, per app and layer.

    python benchmarks/heavy_framed_alone.py --seed 1 --seed 2 --seed 3 --embed-cache /tmp/qs/embh.npz \
        --json benchmarks/traffic_results_heavy_framed.json

The population is also registered in the traffic benchmark (``traffic.py``); alone, it runs in
a quarter of the time, without the campaigns and other users it would share the engine with (its
figures are then a lower bound on what the whole traffic does to it). Each seed's records are the
ones ``traffic.py`` generates for it; the report holds ``traffic.py``'s honest row and, per app
(the User-Agent's product token), the keys each layer acted on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.traffic import _benign_row, decide_all, layers
from benchmarks.traffic_scenarios.heavy_framed import SCENARIO, heavy_framed_users
from benchmarks.traffic_scenarios.scenarios import DEFAULT_SCALE


def run(seed: int, embed_cache: Path | None) -> dict[str, Any]:
    records = heavy_framed_users(random.Random(f"querysentry-traffic/{seed}/{SCENARIO}"), DEFAULT_SCALE)
    records.sort(key=lambda r: (r["ts"], r["client"]))
    cache = embed_cache.with_name(f"{embed_cache.stem}.seed{seed}.npz") if embed_cache is not None else None
    decisions = decide_all(records, campaigns="auto", embed_cache=cache)
    keys: dict[str, set[str]] = defaultdict(set)
    acted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record, decision in zip(records, decisions):
        app = str(record["headers"]["user-agent"]).split("/")[0]
        keys[app].add(decision["client"])
        for layer in layers(decision):
            acted[(app, layer)].add(decision["client"])
    apps = {
        app: {"keys": len(members), **{layer: len(acted[(app, layer)]) for layer in ("request", "client", "campaign")}}
        for app, members in sorted(keys.items())
    }
    return {"requests": len(records), "row": _benign_row(list(zip(records, decisions))), "apps": apps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, action="append", help="seed (repeatable; default 1, 2, 3)")
    parser.add_argument("--embed-cache", type=Path, help="encoder vectors kept across runs (NAME.seedN.npz)")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    report = {str(seed): run(seed, args.embed_cache) for seed in (args.seed or [1, 2, 3])}
    for seed, result in report.items():
        row = result["row"]
        print(f"seed {seed}: {row['flagged_clients']} of {row['clients']} acted on, {row['blocked_clients']} blocked")
        print("  " + json.dumps(result["apps"]))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
