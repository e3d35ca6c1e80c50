"""What the conversation ledger costs the middleware: the same app behind QuerySentry (campaigns
on) with the ledger and the answer tap (the default) and without them (``history=None``,
``max_answer_bytes=0``), on real uvicorn servers, in one run.

    python benchmarks/history_cost.py [--requests 240] [--clients 60] [--rounds 2] [--json PATH]

Each key holds a conversation: its requests re-send its earlier turns and the answers the echo
app gave them, so every follow-up is checked against the ledger, and the transcript grows to
``--turns`` turns before it starts again. Reported, as in ``campaign_cost.py``: added p50 over
the plain app for requests sent one at a time (interleaved across the three servers) and
requests/s with 16 concurrent clients; the ratios with/without are the figures.
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

from benchmarks.middleware import prompt, start  # noqa: E402


class _Conversations:
    """Per key, the conversation so far (one per server: each answers on its own)."""

    def __init__(self, clients: int, turns: int) -> None:
        self.clients = clients
        self.turns = turns
        self._held: dict[tuple[str, int], list[dict[str, str]]] = {}

    def next(self, url: str, i: int, first: int) -> tuple[dict[str, Any], dict[str, str], tuple[str, int]]:
        key = (url, i % self.clients)
        history = self._held.get(key, [])
        if len(history) >= 2 * self.turns:
            history = []
        messages = [*history, {"role": "user", "content": prompt(first + i)}]
        headers = {"Authorization": f"Bearer sk-hist-{key[1]:04d}"}
        return {"model": "echo", "messages": messages}, headers, key

    def answered(self, key: tuple[str, int], payload: dict[str, Any], response: httpx.Response) -> None:
        answer = response.json()["choices"][0]["message"]["content"]
        self._held[key] = [*payload["messages"], {"role": "assistant", "content": answer}]


async def _one_at_a_time(urls: list[str], n: int, talks: _Conversations, first: int) -> list[list[float]]:
    async with httpx.AsyncClient(timeout=60) as client:
        out: list[list[float]] = [[] for _ in urls]
        for i in range(n):
            for url, bucket in zip(urls, out):
                payload, headers, key = talks.next(url, i, first)
                started = time.perf_counter()
                response = await client.post(url + "/v1/chat/completions", json=payload, headers=headers)
                response.raise_for_status()
                bucket.append((time.perf_counter() - started) * 1000)
                talks.answered(key, payload, response)
        return out


async def _throughput(url: str, n: int, talks: _Conversations, first: int, workers: int = 16) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            payload, headers, key = talks.next(url, i, first)
            response = await client.post(url + "/v1/chat/completions", json=payload, headers=headers)
            response.raise_for_status()
            talks.answered(key, payload, response)

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=workers)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        return n / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    names = {"plain": "plain", "without": "guarded_campaigns_no_history", "with": "guarded_campaigns"}
    servers = {label: start(app) for label, app in names.items()}
    try:
        talks = _Conversations(args.clients, args.turns)
        urls = [url for _, url in servers.values()]
        plain, without, with_ledger = asyncio.run(_one_at_a_time(urls, args.requests, talks, 70_000))
        base = statistics.median(plain)
        report: dict[str, Any] = {
            "requests": args.requests,
            "clients": args.clients,
            "turns": args.turns,
            "added_p50_ms": {
                "without": statistics.median(without) - base,
                "with": statistics.median(with_ledger) - base,
            },
        }
        report["added_p50_with_over_without"] = report["added_p50_ms"]["with"] / report["added_p50_ms"]["without"]
        rates: dict[str, list[float]] = {"without": [], "with": []}
        for r in range(args.rounds):
            for label in ("without", "with"):
                first = 80_000 + 10_000 * r + (5_000 if label == "with" else 0)
                fresh = _Conversations(args.clients, args.turns)
                rates[label].append(asyncio.run(_throughput(servers[label][1], args.requests, fresh, first)))
        report["requests_per_s"] = rates
        report["throughput_with_over_without"] = statistics.median(rates["with"]) / statistics.median(rates["without"])
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
