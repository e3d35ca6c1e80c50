"""Client-level detection on simulated traffic built from the dev data.

    python benchmarks/traffic.py --data ../shared/datasets/dev [--write traffic.jsonl] [--json out.json]

Scenarios (one seeded run; every client key is its own account):

- ordinary users: benign prompts, a few dozen per user, at human pace;
- templated benign apps: one role-play system prompt (from the benign set) before every user
  question (the app's own template, sent on behalf of many end users);
- pure campaigns: one distillation template filled with exam questions, request after request;
- blended campaigns: the same, but only 10–50 % of the key's requests, the rest benign;
- hydra rings: one template spread over 20–40 keys, 10 requests each, keys joining one after
  another (account rotation).

The traffic goes through the same replay engine as ``querysentry replay`` (shipped detector and
thresholds, default behaviour settings, in-memory state). Reported per scenario: the share of
clients flagged (client level ``tag`` or above at any time), requests until flagged (median and
90th percentile), and for rings the share of keys that got a cluster id. Targets: every pure
campaign within 50 requests; 90 % of blended ones within 300; rings flagged as clusters; at most
0.5 % of benign clients (templated apps included) ever flagged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.quality import DiskCachedEmbedder, fill_template, read_jsonl  # noqa: E402
from querysentry import Detector, Encoder  # noqa: E402
from querysentry.behaviour import BehaviourTracker  # noqa: E402
from querysentry.replay import ClientSummary, parse_record, replay, replay_engine  # noqa: E402

_SLOT = re.compile(r"\{[A-Za-z_0-9]+\}")
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z: traffic time, so decay by time behaves as in production


@dataclass
class Plan:
    scenario: str
    client: str
    requests: list[tuple[float, dict[str, Any], str]]  # (ts, payload, label)


def chat(system: str | None, user: str) -> dict[str, Any]:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
    return {"model": "m", "messages": messages}


class Traffic:
    def __init__(self, data: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        benign = read_jsonl(data / "benign.jsonl")
        # Role-play prompts ("act as …") are what apps put in their system message.
        self.system_prompts = [r["text"] for r in benign if r["source"] == "f/awesome-chatgpt-prompts"]
        self.questions = [r["text"] for r in benign if r["source"] != "f/awesome-chatgpt-prompts"]
        self.benign = [r["text"] for r in benign]
        self.exam = [r["text"] for r in read_jsonl(data / "cot_questions.jsonl")]
        self.templates = read_jsonl(data / "distill_templates.jsonl")

    def campaign_request(self, template: dict[str, Any]) -> dict[str, Any]:
        text = template["text"]
        if _SLOT.search(text):
            return chat(None, fill_template(text, self.exam, self.rng, template["kind"]))
        return chat(text, self.rng.choice(self.exam))

    def human_times(self, n: int, mean_gap: float, start: float) -> list[float]:
        t, out = start, []
        for _ in range(n):
            t += self.rng.expovariate(1 / mean_gap)
            out.append(t)
        return out

    def machine_times(self, n: int, gap: float, start: float) -> list[float]:
        return [start + i * gap + self.rng.uniform(0, gap * 0.2) for i in range(n)]

    def plans(self, counts: dict[str, int]) -> Iterator[Plan]:
        rng = self.rng
        for i in range(counts["ordinary"]):
            times = self.human_times(rng.randint(10, 60), 300, START + rng.uniform(0, 3600))
            yield Plan("ordinary", f"user-{i}", [(t, chat(None, rng.choice(self.benign)), "benign") for t in times])
        for i in range(counts["apps"]):
            system = rng.choice(self.system_prompts)
            times = self.human_times(200, 20, START + rng.uniform(0, 3600))
            requests = [(t, chat(system, rng.choice(self.questions)), "benign") for t in times]
            yield Plan("templated_app", f"app-{i}", requests)
        for i in range(counts["pure"]):
            template = rng.choice(self.templates)
            times = self.machine_times(100, 3, START + rng.uniform(0, 3600))
            requests = [(t, self.campaign_request(template), "campaign") for t in times]
            yield Plan("pure_campaign", f"campaign-{i}", requests)
        for i in range(counts["blended"]):
            template = rng.choice(self.templates)
            share = rng.choice([0.1, 0.2, 0.3, 0.5])
            requests = []
            for t in self.human_times(300, 30, START + rng.uniform(0, 3600)):
                if rng.random() < share:
                    requests.append((t, self.campaign_request(template), "campaign"))
                else:
                    requests.append((t, chat(None, rng.choice(self.benign)), "benign"))
            yield Plan(f"blended_campaign_{int(share * 100)}", f"blend-{i}", requests)
        for ring in range(counts["rings"]):
            template = rng.choice(self.templates)
            start = START + rng.uniform(0, 3600)
            for k in range(rng.randint(20, 40)):
                times = self.machine_times(10, 5, start + k * 20)
                requests = [(t, self.campaign_request(template), "campaign") for t in times]
                yield Plan("hydra_ring", f"ring-{ring}-key-{k}", requests)


def report_of(plans: list[Plan], summaries: dict[str, ClientSummary]) -> dict[str, Any]:
    scenario_of = {p.client: p.scenario for p in plans}
    by_scenario: dict[str, list[ClientSummary]] = {}
    for client, summary in summaries.items():
        by_scenario.setdefault(scenario_of[client], []).append(summary)
    report: dict[str, Any] = {"scenarios": {}}
    for scenario, group in sorted(by_scenario.items()):
        until = sorted(s.first_flagged_request for s in group if s.first_flagged_request is not None)
        row: dict[str, Any] = {
            "clients": len(group),
            "flagged": len(until),
            "flagged_share": len(until) / len(group),
            "requests_until_flagged_p50": statistics.median(until) if until else None,
            "requests_until_flagged_p90": until[int(0.9 * (len(until) - 1))] if until else None,
            "within_50": sum(1 for u in until if u <= 50) / len(group),
            "within_300": sum(1 for u in until if u <= 300) / len(group),
            "clustered": sum(1 for s in group if s.cluster_id) / len(group),
        }
        if scenario in ("ordinary", "templated_app"):
            row["flagged_examples"] = [s.to_dict() for s in group if s.first_flagged_request is not None][:5]
        else:  # campaigns flagged late (after 50 requests) or never
            late = [s for s in group if s.first_flagged_request is None or s.first_flagged_request > 50]
            row["late_examples"] = [s.to_dict() for s in late][:5]
        report["scenarios"][scenario] = row
    rings: dict[str, list[ClientSummary]] = {}
    for summary in by_scenario.get("hydra_ring", []):
        rings.setdefault(summary.client.rsplit("-key-", 1)[0], []).append(summary)
    report["rings"] = {
        ring: {
            "keys": len(keys),
            "clustered": sum(1 for s in keys if s.cluster_id),
            "flagged": sum(1 for s in keys if s.first_flagged_request is not None),
            "cluster_ids": sorted({s.cluster_id for s in keys if s.cluster_id}),
        }
        for ring, keys in sorted(rings.items())
    }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ordinary", type=int, default=300)
    parser.add_argument("--apps", type=int, default=100)
    parser.add_argument("--pure", type=int, default=40)
    parser.add_argument("--blended", type=int, default=60)
    parser.add_argument("--rings", type=int, default=8)
    parser.add_argument("--write", type=Path, help="also write the traffic as a replay file")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "querysentry" / "bench-traffic.npz")
    args = parser.parse_args(argv)

    traffic = Traffic(args.data, args.seed)
    counts = {"ordinary": args.ordinary, "apps": args.apps, "pure": args.pure, "blended": args.blended}
    counts["rings"] = args.rings
    plans = list(traffic.plans(counts))
    lines: list[dict[str, Any]] = [
        {"ts": round(t, 3), "client": p.client, "payload": payload, "label": label}
        for p in plans
        for t, payload, label in p.requests
    ]
    lines.sort(key=lambda line: float(line["ts"]))
    if args.write:
        with args.write.open("w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line) + "\n")

    encoder = Encoder(threads=2)  # offline: both cores for the encoder
    embed = DiskCachedEmbedder(encoder, args.cache)
    detector = Detector(encoder=encoder, embed=embed, search_cache=200_000)
    tracker = BehaviourTracker()
    records = (parse_record(line, n) for n, line in enumerate(lines, start=1))
    summaries: dict[str, ClientSummary] = {}
    started = time.perf_counter()

    async def run() -> None:
        done = 0
        async for result in replay(records, replay_engine(detector, tracker), batch=256):
            summaries.setdefault(result.record.client, ClientSummary(result.record.client)).add(result)
            done += 1
            if done % 5000 == 0:
                print(f"{done}/{len(lines)} requests, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    asyncio.run(run())
    elapsed = time.perf_counter() - started
    embed.save()
    report = {
        "requests": len(lines),
        "clients": len(summaries),
        "seconds": round(elapsed, 1),
        **report_of(plans, summaries),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
