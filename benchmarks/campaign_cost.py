"""What finding campaigns costs the middleware: the same app behind QuerySentry with the campaign
layer matching imported campaigns only (``campaigns="shared"``) and finding them here too
(``"auto"``), on real uvicorn servers, in one run.

    python benchmarks/campaign_cost.py [--requests 240] [--clients 60] [--rounds 2] [--json PATH]

The prompts are `middleware.py`'s (a quarter ask for the hidden chain of thought, so campaigns
form across the ``--clients`` keys the requests rotate through). Reported: added p50 over the
plain app for novel prompts sent one at a time (interleaved across the three servers, so slow
phases of a noisy machine hit all alike) and requests/s with 16 concurrent clients, the two
guarded servers alternating ``--rounds`` times; the ratios auto/shared are the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.middleware import body, prompt, start, user  # noqa: E402


def _headers(i: int, clients: int) -> dict[str, str]:
    return {"Authorization": f"Bearer sk-bench-{i % clients:04d}"}


async def _one_at_a_time(urls: list[str], n: int, clients: int, first: int) -> list[list[float]]:
    async with httpx.AsyncClient(timeout=60) as client:
        out: list[list[float]] = [[] for _ in urls]
        for i in range(n):
            payload = body(user(prompt(first + i)))
            for url, bucket in zip(urls, out):
                started = time.perf_counter()
                response = await client.post(url + "/v1/chat/completions", json=payload, headers=_headers(i, clients))
                response.raise_for_status()
                bucket.append((time.perf_counter() - started) * 1000)
        return out


async def _throughput(url: str, n: int, clients: int, first: int, workers: int = 16) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            response = await client.post(
                url + "/v1/chat/completions", json=body(user(prompt(first + i))), headers=_headers(i, clients)
            )
            response.raise_for_status()

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=workers)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        return n / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    servers = {name: start(name) for name in ("plain", "guarded", "guarded_campaigns")}
    try:
        urls = [url for _, url in servers.values()]
        plain, shared, auto = asyncio.run(_one_at_a_time(urls, args.requests, args.clients, 50_000))
        base = statistics.median(plain)
        report: dict[str, Any] = {
            "requests": args.requests,
            "clients": args.clients,
            "added_p50_ms": {"shared": statistics.median(shared) - base, "auto": statistics.median(auto) - base},
        }
        report["added_p50_auto_over_shared"] = report["added_p50_ms"]["auto"] / report["added_p50_ms"]["shared"]
        rates: dict[str, list[float]] = {"shared": [], "auto": []}
        for r in range(args.rounds):
            for name, key in (("guarded", "shared"), ("guarded_campaigns", "auto")):
                first = 60_000 + 10_000 * r + (5_000 if key == "auto" else 0)
                rates[key].append(_throughput_sync(servers[name][1], args.requests, args.clients, first))
        report["requests_per_s"] = rates
        report["throughput_auto_over_shared"] = statistics.median(rates["auto"]) / statistics.median(rates["shared"])
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def _throughput_sync(url: str, n: int, clients: int, first: int) -> float:
    return asyncio.run(_throughput(url, n, clients, first))


if __name__ == "__main__":
    raise SystemExit(main())
