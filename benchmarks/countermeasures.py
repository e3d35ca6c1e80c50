"""What response countermeasures cost a client in good standing: leak detection on (the default for
every client) against raw passthrough, in one run.

    python benchmarks/countermeasures.py            # writes benchmarks/countermeasures_results.json

1. **CPU per chunk**, in process: an ASGI app streams an OpenAI chat completion (about 1,600
   chunks of one token each) into a ``send`` that does nothing, bare and through
   ``countermeasure_send`` with the plan an unflagged client gets (the request's system prompt
   guarded, nothing held back), and with a flagged client's plan (reasoning withheld, a whole leak
   held back) for comparison. Process time, median of interleaved rounds.
2. **End to end**, two uvicorn servers on 127.0.0.1 (plain and guarded, the same app) and an httpx
   client streaming from both in turn:
   - *paced*: the upstream sends a chunk every 2 ms (500 tokens/s, a fast model): throughput of
     the stream (target: within 2 %) and time to first byte (target: nothing added);
   - *unpaced*: the upstream sends as fast as the servers can (loopback, CPU-bound): the ratio
     here is the CPU cost against HTTP framing alone, an upper bound no model stream reaches.

The machine is shared (2 cores): every comparison alternates the two sides request by request and
reports medians; ratios come from one run.
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
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from querysentry.countermeasures import CountermeasurePlan, CountermeasureSettings, countermeasure_send

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("countermeasures_results.json")
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

SYSTEM = (
    "You are Juniper, the booking assistant of Northwind Rail, a regional train operator. Answer questions "
    "about timetables, fares, seat reservations, luggage rules and accessibility. Keep answers short, "
    "friendly and factual. If a question is about a refund older than ninety days, explain that a human "
    "agent must handle it and give the support address. Never invent a connection that is not in the timetable."
)
ANSWER = (
    "Good question about luggage. In short, there are three things worth knowing. First, most travellers "
    "can bring two large bags and one small item at no charge. Second, bicycles need a reservation on "
    "regional trains during the summer. Third, the journey planner lists every station's facilities, "
    "including lifts, ramps and staffed counters. "
)
SETTINGS = CountermeasureSettings()


def chunk_events(count: int) -> list[bytes]:
    """An OpenAI chat completion stream of ``count`` content chunks (about 4 characters each)."""
    text = ANSWER * (count * 4 // len(ANSWER) + 1)
    head = {"id": "chatcmpl-b", "object": "chat.completion.chunk", "created": 1_760_000_000, "model": "m"}

    def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
        chunk = {**head, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        return b"data: " + json.dumps(chunk).encode() + b"\n\n"

    events = [event({"role": "assistant", "content": ""})]
    events += [event({"content": text[4 * n : 4 * n + 4]}) for n in range(count)]
    return [*events, event({}, "stop"), b"data: [DONE]\n\n"]


def unflagged_plan() -> CountermeasurePlan:
    return SETTINGS.plan(level="ok", client="bench", system_prompt=SYSTEM)


def flagged_plan() -> CountermeasurePlan:
    return SETTINGS.plan(level="tag", client="bench", system_prompt=SYSTEM)


# -- 1. CPU per chunk --------------------------------------------------------------------------------


async def _stream(events: list[bytes], plan: CountermeasurePlan | None) -> int:
    sent = 0

    async def send(message: Message) -> None:
        nonlocal sent
        sent += len(message.get("body", b""))

    target: Send = send if plan is None else countermeasure_send(send, plan)
    await target({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
    for event in events:
        await target({"type": "http.response.body", "body": event, "more_body": True})
    await target({"type": "http.response.body", "body": b"", "more_body": False})
    return sent


def cpu(rounds: int, chunks: int) -> dict[str, Any]:
    events = chunk_events(chunks)
    plans: dict[str, CountermeasurePlan | None] = {"raw": None, "leak_detection": unflagged_plan(),
                                                    "flagged": flagged_plan()}  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in plans}
    asyncio.run(_stream(events, plans["leak_detection"]))  # compile the secret once, as a warm server has
    for _ in range(rounds):
        for name, plan in plans.items():
            started = time.process_time()
            asyncio.run(_stream(events, plan))
            times[name].append((time.process_time() - started) * 1e6 / len(events))
    row: dict[str, Any] = {f"{name}_us_per_chunk": statistics.median(values) for name, values in times.items()}
    row["added_us_per_chunk"] = row["leak_detection_us_per_chunk"] - row["raw_us_per_chunk"]
    row["chunks"] = len(events)
    return row


# -- 2. end to end -----------------------------------------------------------------------------------


async def _chat(request: Request) -> StreamingResponse:
    count = int(request.query_params.get("chunks", "300"))
    delay = float(request.query_params.get("delay_ms", "0")) / 1000

    async def body() -> AsyncIterator[bytes]:
        for event in chunk_events(count):
            if delay:
                await asyncio.sleep(delay)
            yield event

    return StreamingResponse(body(), media_type="text/event-stream")


async def _health(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def plain_app() -> Starlette:
    return Starlette(routes=[Route("/v1/chat/completions", _chat, methods=["GET", "POST"]), Route("/health", _health)])


def guarded_app() -> Any:
    """The same app behind the wrapper, with the plan the middleware will build for an unflagged client."""
    app = plain_app()

    async def guarded(scope: MutableMapping[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        await app(scope, receive, countermeasure_send(send, unflagged_plan()))

    return guarded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(factory: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", f"benchmarks.countermeasures:{factory}", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{factory} did not start")


async def _timed_stream(client: httpx.AsyncClient, url: str, chunks: int, delay_ms: float) -> tuple[float, float, int]:
    """(time to first body byte, total time, bytes) of one streamed request, in seconds."""
    started = time.perf_counter()
    first = 0.0
    size = 0
    params = {"chunks": str(chunks), "delay_ms": str(delay_ms)}
    async with client.stream("POST", url + "/v1/chat/completions", params=params, json={}) as response:
        async for data in response.aiter_raw():
            if not size:
                first = time.perf_counter() - started
            size += len(data)
    return first, time.perf_counter() - started, size


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``; 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _compare(servers: dict[str, tuple[int, str]], requests: int, chunks: int, delay_ms: float) -> dict[str, Any]:
    firsts: dict[str, list[float]] = {name: [] for name in servers}
    totals: dict[str, list[float]] = {name: [] for name in servers}
    cpu_used: dict[str, float] = dict.fromkeys(servers, 0.0)
    sizes: dict[str, int] = {}
    async with httpx.AsyncClient(timeout=120) as client:
        for _pid, url in servers.values():  # warm both: connections, the secret's index
            await _timed_stream(client, url, 20, 0)
        for _ in range(requests):
            for name, (pid, url) in servers.items():
                before = _cpu_seconds(pid)
                first, total, size = await _timed_stream(client, url, chunks, delay_ms)
                cpu_used[name] += _cpu_seconds(pid) - before
                firsts[name].append(first * 1000)
                totals[name].append(total)
                sizes[name] = size
    plain, guarded = statistics.median(totals["plain"]), statistics.median(totals["guarded"])
    served = requests * (chunks + 3)
    plain_cpu, guarded_cpu = (cpu_used[name] * 1e6 / served for name in ("plain", "guarded"))
    return {
        "requests": requests,
        "chunks": chunks,
        "delay_ms": delay_ms,
        "same_bytes": sizes["plain"] == sizes["guarded"],
        "plain_server_cpu_us_per_chunk": plain_cpu,
        "guarded_server_cpu_us_per_chunk": guarded_cpu,
        # The countermeasures' CPU as a share of the time the stream takes: what they take from it.
        "added_cpu_share_of_stream_pct": (guarded_cpu - plain_cpu) / (plain * 1e6 / (chunks + 3)) * 100,
        "plain_chunks_per_s": chunks / plain,
        "guarded_chunks_per_s": chunks / guarded,
        "throughput_ratio": plain / guarded,
        "throughput_cost_pct": (guarded / plain - 1) * 100,
        "plain_ttfb_p50_ms": statistics.median(firsts["plain"]),
        "guarded_ttfb_p50_ms": statistics.median(firsts["guarded"]),
        "added_ttfb_p50_ms": statistics.median(firsts["guarded"]) - statistics.median(firsts["plain"]),
    }


def end_to_end(requests: int) -> dict[str, Any]:
    servers = {name: _start(factory) for name, factory in (("plain", "plain_app"), ("guarded", "guarded_app"))}
    try:
        urls = {name: (process.pid, url) for name, (process, url) in servers.items()}
        return {
            "paced": asyncio.run(_compare(urls, requests, chunks=500, delay_ms=2.0)),
            "unpaced": asyncio.run(_compare(urls, requests, chunks=2000, delay_ms=0.0)),
        }
    finally:
        for process, _url in servers.values():
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="in-process rounds (default 15)")
    parser.add_argument("--requests", type=int, default=12, help="streamed requests per server and mode (default 12)")
    args = parser.parse_args()
    results: dict[str, Any] = {"load_average_before": os.getloadavg()[0], "cpu": cpu(args.rounds, 1600)}
    results.update(end_to_end(args.requests))
    results["load_average_after"] = os.getloadavg()[0]
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    c, paced, unpaced = results["cpu"], results["paced"], results["unpaced"]
    print(f"{'':34}{'plain':>12}{'guarded':>12}{'cost':>10}")
    print(f"{'CPU per chunk (us)':34}{c['raw_us_per_chunk']:12.2f}{c['leak_detection_us_per_chunk']:12.2f}"
          f"{c['added_us_per_chunk']:+10.2f}   flagged plan: {c['flagged_us_per_chunk']:.2f}")  # fmt: skip
    for label, row in (("paced 2 ms/chunk", paced), ("unpaced (loopback, CPU-bound)", unpaced)):
        print(f"{label + ' chunks/s':34}{row['plain_chunks_per_s']:12.0f}{row['guarded_chunks_per_s']:12.0f}"
              f"{row['throughput_cost_pct']:+9.2f}%")  # fmt: skip
        print(f"{label + ' TTFB p50 (ms)':34}{row['plain_ttfb_p50_ms']:12.2f}{row['guarded_ttfb_p50_ms']:12.2f}"
              f"{row['added_ttfb_p50_ms']:+10.2f}")  # fmt: skip
        print(f"{label + ' server CPU/chunk (us)':34}{row['plain_server_cpu_us_per_chunk']:12.1f}"
              f"{row['guarded_server_cpu_us_per_chunk']:12.1f}   = {row['added_cpu_share_of_stream_pct']:.2f}% "
              "of the stream's time")  # fmt: skip
    print(f"load average {results['load_average_before']:.1f} before, {results['load_average_after']:.1f} after")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
