"""What an attacker can make QuerySentry pay: per-class scan cost, a served app under attack, and a
cross-client cache timing oracle.

    python benchmarks/adversarial.py --quick                       # < 3 minutes
    python benchmarks/adversarial.py --json benchmarks/adversarial_results.json   # < 15 minutes
    python benchmarks/adversarial.py --classes ws_newline,punct_fragments --phases offline

Three phases, one Markdown report on stdout (``--json PATH`` writes every figure):

1. ``offline``: every attack class is built at 1×, 4× and 16× a base size (3,000 bytes of request
   body; 1,000 with ``--quick``; a few classes use a multiple of it, shown in the table) and sent
   once through ``QuerySentryMiddleware`` in-process, on a fresh event loop, with the default
   detector set-up (segment cache, micro-batcher, search cache, ``memory://`` behaviour) built
   fresh for each run, so nothing is cached between runs. That is the whole path a served request
   takes: ``Content-Encoding`` decoding, payload extraction, ``Detector.check`` (in its worker
   thread) and the behaviour update. Measured: CPU time of the process (all threads), and the
   longest stall of the event loop meanwhile (a 2 ms ticker runs beside the request; a stall is
   work on the loop *or* a worker thread holding the GIL inside one C call, such as a regular
   expression search). The comparator is a normal prompt (ordinary prose and questions) in a
   body of the same size on the wire, so ``× normal`` is what one byte of this attack costs against
   one byte of ordinary traffic. Growth is cost(16×)/cost(1×): ~16 is linear, ~256 quadratic. Each
   measurement runs in a worker subprocess under ``--timeout`` (default 60 s); a run that takes
   longer is reported as "> T s" and the worker is replaced.
2. ``server``: two uvicorn servers of the README's Starlette app behind the middleware
   (``benchmarks/bench_apps.py:guarded``, started with ``benchmarks/middleware.py``'s helper): one
   attacked, one idle control. For each class an attacker process sends its 16× request a few
   times one after another, then a few at once, while two other processes poll ``/health`` on
   both servers and a third sends a benign chat request every half second to the attacked one.
   Reported: ``/health`` p50/p99 on the attacked server against the control in the same window,
   the benign requests' latency, the attack requests' latency and HTTP status, and how long after
   the attacker got its answers benign requests are as fast as at idle again (a scan that timed
   out keeps running in its thread). The attacked server is restarted when it does not settle.
   Each attack request is a different instance of the class, so no cache answers it. (The demo
   app answers gzip bodies with 500: it does not inflate them; the middleware has scanned them.)
3. ``oracle``: client A (one API key) sends a text, then client B (another key) sends that text
   and a fresh text of the same length, in alternating order; B's latencies tell whether someone
   else sent a text recently (the caches are shared by all clients).

Every loop here has a count and a time limit; all servers and processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gzip
import json
import multiprocessing
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHAT_PATH = "/v1/chat/completions"
RESULT_PREFIX = "@@adversarial "
# The middleware's defaults: 1 MB on the wire, 4 MB once inflated. Bodies stay under both, so
# that every class is scanned (an oversize body is passed through unscanned, which is cheap).
MAX_WIRE = 990_000
MAX_INFLATED = 3_900_000

# ---------------------------------------------------------------------------------------------
# Normal traffic: ordinary questions and prose, written for this benchmark.

_TOPICS = [
    "the school vegetable garden", "a squeaky bicycle chain", "my grandmother's lentil soup",
    "the night bus timetable", "a leaking kitchen tap", "the village library", "saving for a trip",
    "training for a first ten kilometre run", "a birthday card for my brother", "the new office printer",
    "repotting a lemon tree", "learning to play the ukulele", "a quiet campsite by the lake",
    "the neighbour's noisy dog", "a budget for the football club", "cleaning old silver spoons",
]  # fmt: skip
_SENTENCES = [
    "Could you explain how {t} works, in plain words, for note {n}?",
    "I have been thinking about {t} since last week and I would like a second opinion (note {n}).",
    "What would you change about {t} if you had a free afternoon and about {n} euros?",
    "My friend says {t} is simple, but every time I try it something different goes wrong.",
    "Please suggest three small steps I could take this weekend about {t}, starting with item {n}.",
    "Is there a common mistake people make with {t} that I should watch out for?",
    "We tried twice already, and the second attempt went better than the first one did.",
    "The instructions that came with it were short, so I wrote down {n} questions of my own.",
    "How long does it usually take, and is it worth asking someone to help the first time?",
    "Thank you for reading this far; a short answer with one example would be perfect.",
]


def prose(chars: int, seed: int) -> str:
    """Ordinary prose of exactly ``chars`` characters (ASCII), different for each seed."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < chars:
        sentence = rng.choice(_SENTENCES).format(t=rng.choice(_TOPICS), n=rng.randint(2, 99_999))
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)[: max(1, chars)]


# ---------------------------------------------------------------------------------------------
# Payloads.


@dataclass(frozen=True)
class Payload:
    """One request body as sent on the wire."""

    body: bytes
    encoding: str = ""  # Content-Encoding
    content_type: str = "application/json"
    inflated: int = 0  # decoded size (== len(body) without an encoding)

    @property
    def wire(self) -> int:
        return len(self.body)

    def headers(self, api_key: str) -> dict[str, str]:
        out = {"content-type": self.content_type, "authorization": f"Bearer {api_key}"}
        if self.encoding:
            out["content-encoding"] = self.encoding
        return out


def chat_body(messages: Sequence[dict[str, Any]], **extra: Any) -> bytes:
    return json.dumps({"model": "echo", "messages": list(messages), **extra}, ensure_ascii=False).encode("utf-8")


def plain(body: bytes) -> Payload:
    return Payload(body, inflated=len(body))


def user_text(text: str) -> Payload:
    return plain(chat_body([{"role": "user", "content": text}]))


def repeat_to(unit: str, budget: int) -> str:
    """``unit`` repeated to about ``budget`` bytes once written as a JSON string."""
    return unit * max(1, budget // (len(json.dumps(unit, ensure_ascii=False).encode("utf-8")) - 2))


def normal_payload(wire: int, seed: int = 7) -> Payload:
    """A normal prompt in a body of ``wire`` bytes (the comparator of every class)."""
    overhead = len(chat_body([{"role": "user", "content": ""}]))
    return user_text(prose(max(16, wire - overhead), seed))


def gzip_items(item: Callable[[int], str], wrap: Callable[[str], str], wire: int, cap: int = MAX_INFLATED) -> Payload:
    """A gzip body ``wrap(",".join(items))`` sized to about ``wire`` compressed bytes (at most ``cap``
    inflated): the number of items is estimated from the compression ratio of a sample."""
    sample = 2_000
    sample_text = wrap(",".join(item(i) for i in range(sample)))
    per_item_wire = len(gzip.compress(sample_text.encode("utf-8"), 9, mtime=0)) / sample
    per_item_raw = len(sample_text.encode("utf-8")) / sample
    count = max(1, min(int(wire / per_item_wire), int(cap / per_item_raw)))
    raw = wrap(",".join(item(i) for i in range(count))).encode("utf-8")
    while len(raw) > cap:  # the estimate is close; trim if it overshoots the inflate bound
        count = int(count * 0.95)
        raw = wrap(",".join(item(i) for i in range(count))).encode("utf-8")
    return Payload(gzip.compress(raw, 9, mtime=0), "gzip", inflated=len(raw))


def _chat_wrap(items: str) -> str:
    return '{"model":"echo","messages":[' + items + "]}"


# ---- text classes: ``size`` is the body size to aim at; ``seed`` varies the request, so that a
# ---- repeated attack is not answered from the segment caches.


def ws_newline(size: int, seed: int) -> Payload:
    return user_text(f"Notes {seed} follow." + repeat_to("\n ", size - 70) + "\nEnd of notes.")


def combining(size: int, seed: int) -> Payload:
    # Two combining classes in the wrong canonical order: NFKC sorts them, one swap at a time.
    n = max(1, (size - 70) // 4)
    return user_text(f"abc{seed}" + "\u0301" * n + "\u0316" * n)


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}


def homoglyph(size: int, seed: int) -> Payload:
    text = prose(max(16, (size - 60) * 3 // 4), 11 + seed)
    out = []
    for position, ch in enumerate(text):
        out.append(_HOMOGLYPHS[ch] if ch in _HOMOGLYPHS and position % 2 else ch)
    return user_text("".join(out))


_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u202e", "\u2066", "\ufe0f", "\U000e0100"]


def invisible(size: int, seed: int) -> Payload:
    text = prose(max(16, (size - 60) // 5), 13 + seed)
    out = []
    for position, ch in enumerate(text):
        out.append(ch)
        if ch.isalpha():
            # Every letter followed by an invisible one, every fourth also by its tag-character twin.
            out.append(_INVISIBLE[position % len(_INVISIBLE)])
            if position % 4 == 0:
                out.append(chr(0xE0000 + ord(ch)))
    return user_text("".join(out))


def letter_spaced(size: int, seed: int) -> Payload:
    return user_text(f"{seed} " + repeat_to("a ", size - 70) + "aa")


def hex_like(size: int, seed: int) -> Payload:
    return user_text(f"{seed} " + repeat_to("ab ", size - 70) + "abc")


_LEET_WORDS = ["|-|3ll0", "/\\/\\/(_)|2", "|\\/|@|<3", "+|-|3", "|)@+@", "()|_|+", "|2€@|)", "5y5+3|\\/|"]


def leet_glyphs(size: int, seed: int) -> Payload:
    # Every word is leetspeak of several-character glyphs: each goes through the per-word reader.
    rng = random.Random(seed)
    words = " ".join(rng.choice(_LEET_WORDS) for _ in range(max(2, size // 6)))
    return user_text(words[: max(16, size - 70)])


def bar_spaced(size: int, seed: int) -> Payload:
    # Bars between letters with a glyph now and then: the bar-spacing and glyph patterns at once.
    return user_text(f"{seed} " + repeat_to("a|b|c|-|", size - 70) + "d")


def base64_run(size: int, seed: int) -> Payload:
    # One long run of the base64 alphabet that ends in three '=': the blob pattern backtracks.
    return user_text(f"{seed} " + repeat_to("Ab1+", size - 70) + "===")


def base64_repeat(size: int, seed: int) -> Payload:
    # The same decodable blob again and again: each copy is decoded and normalised, only 8 kept.
    blob = base64.b64encode(f"hello there from the other side {seed}".encode()).decode("ascii")
    return user_text(repeat_to(blob + " ", size - 60))


_WORDS = ["river", "stone", "lantern", "meadow", "copper", "window", "harbour", "pepper", "ladder", "orchard"]


def long_line(size: int, seed: int) -> Payload:
    rng = random.Random(17 + seed)
    words: list[str] = []
    length = 0
    while length < size - 60:
        words.append(rng.choice(_WORDS))
        length += len(words[-1]) + 1
    return user_text(" ".join(words))


def options(size: int, seed: int) -> Payload:
    # Lettered options without a second option in reach: each "(a)" scans up to 200 characters.
    filler = "x" * 150
    return user_text(f"{seed} " + repeat_to(f"(a) {filler} ", size - 70))


def punct_fragments(size: int, seed: int) -> Payload:
    # Lines with no word in them: every one is a fragment to merge into the next, from the start
    # (the one real sentence comes last, so that nothing ends the run of fragments early).
    return user_text("Tell me." + repeat_to("\n!", size - 70) + f"\nThat is all for request {seed}.")


def nfkc_expansion(size: int, seed: int) -> Payload:
    # U+FDFA is one character (3 bytes) that NFKC turns into 18.
    return user_text(f"{seed} " + repeat_to("\ufdfa", size - 70))


def token_dense(size: int, seed: int) -> Payload:
    # Sentences of three 90-character random words: the budget counts each word as ~1 token, the
    # WordPiece tokenizer makes ~68 of it.
    rng = random.Random(19 + seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    sentences: list[str] = []
    length = 0
    while length < size - 60:
        words = ["".join(rng.choice(alphabet) for _ in range(90)) for _ in range(3)]
        sentences.append(" ".join(words) + ".")
        length += len(sentences[-1]) + 1
    return user_text(" ".join(sentences))


def clause_scan(size: int, seed: int) -> Payload:
    # The newest message fills the budget with short sentences; older ones hold many clauses,
    # each of which is checked against every kept sentence.
    newest = {"role": "user", "content": " ".join(["Go on now."] * 250)}
    clause = f"We walked home {seed}, then we ate soup and then we slept, and then we woke up early again. "
    older = {"role": "user", "content": repeat_to(clause, max(len(clause), size - 2_900))}
    return plain(chat_body([older, newest]))


def huge_lines(size: int, seed: int) -> Payload:
    lines = [f"item {i}: bring {seed} jars of honey and a map of the coast" for i in range(max(1, size // 58))]
    return user_text("\n".join(lines))


# ---- body classes --------------------------------------------------------------------------


def gzip_tiny_msgs(size: int, seed: int) -> Payload:
    return gzip_items(lambda i: json.dumps({"role": "user", "content": f"hi {seed}-{i}"}), _chat_wrap, size)


def gzip_empty_msgs(size: int, seed: int) -> Payload:
    # No text at all: the request counts as short, so its preparation runs on the event loop.
    def item(i: int) -> str:
        return json.dumps({"role": "user", "content": "", "name": f"u{seed}-{i}"})

    return gzip_items(item, _chat_wrap, size)


def gzip_blob_msgs(size: int, seed: int) -> Payload:
    def item(i: int) -> str:
        blob = base64.b64encode(f"hello world {seed} {i:05d}".encode()).decode("ascii")
        return json.dumps({"role": "user", "content": blob})

    return gzip_items(item, _chat_wrap, size)


def gzip_tool_calls(size: int, seed: int) -> Payload:
    def item(i: int) -> str:
        call = {"id": f"call_{seed}_{i}", "type": "function", "function": {"name": "f", "arguments": "x" * 120}}
        return json.dumps(call)

    def wrap(items: str) -> str:
        return '{"model":"echo","messages":[{"role":"assistant","content":"ok","tool_calls":[' + items + "]}]}"

    return gzip_items(item, wrap, size)


def content_parts(size: int, seed: int) -> Payload:
    part = {"type": "text", "text": "ok"}
    count = max(1, (size - 80) // len(json.dumps(part)))
    first = {"type": "text", "text": f"part {seed}"}
    return plain(chat_body([{"role": "user", "content": [first] + [part] * count}]))


def deep_json(size: int, seed: int) -> Payload:
    depth = max(1, (size - 120) // 2)
    head = chat_body([{"role": "user", "content": f"What is the capital of Peru ({seed})?"}])[:-1]
    return plain(head + b',"metadata":' + b"[" * depth + b"]" * depth + b"}")


def multi_member_gzip(size: int, seed: int) -> Payload:
    first = chat_body([{"role": "user", "content": f"What is the capital of Peru ({seed})?"}])
    member = gzip.compress(b" ", 9, mtime=0)
    body = gzip.compress(first, 9, mtime=0) + member * max(1, (size - 60) // len(member))
    return Payload(body, "gzip", inflated=len(first))  # the scan inflates the first member only


@dataclass(frozen=True)
class AttackClass:
    name: str
    build: Callable[[int, int], Payload]
    description: str
    known: bool  # listed in issue 9
    base_factor: int = 1  # 1× is this many base sizes


CLASSES: list[AttackClass] = [
    AttackClass("ws_newline", ws_newline, '"\\n " repeated: one block of newlines, then `^\\s*` regexes', True),
    AttackClass("combining", combining, '"abc" + U+0301×n + U+0316×n: NFKC reorders marks one swap at a time', True),
    AttackClass("homoglyph", homoglyph, "prose with every other a/e/o/p/c/x/y/i Cyrillic", True),
    AttackClass("invisible", invisible, "prose, each letter followed by zero-width/bidi/VS/tag characters", True),
    AttackClass("huge_lines", huge_lines, "one message of many short lines (template units); 1× = 20 bases", True, 20),
    AttackClass("gzip_tiny_msgs", gzip_tiny_msgs, "gzip body of many tiny user messages", True),
    AttackClass("letter_spaced", letter_spaced, '"a a a … aa"', True),
    AttackClass("hex_like", hex_like, '"ab ab ab … abc"', True),
    AttackClass("leet_glyphs", leet_glyphs, "words of multi-character leetspeak glyphs (the per-word reader)", True),
    AttackClass("bar_spaced", bar_spaced, '"a|b|c|-|" repeated: bar spacing and glyphs at once', True),
    AttackClass("base64_run", base64_run, "one base64-alphabet run ending in '===' (blob regex backtracks)", True),
    AttackClass("base64_repeat", base64_repeat, "one decodable base64 blob repeated (each copy decoded)", True),
    AttackClass("long_line", long_line, "words without a sentence end or a newline", True),
    AttackClass("options", options, '"(a) " + 150 chars, repeated, never a "(b)"', True),
    AttackClass("content_parts", content_parts, "one message of many text content parts", True),
    AttackClass("deep_json", deep_json, "a user message plus one deeply nested array", True),
    AttackClass("multi_member_gzip", multi_member_gzip, "gzip body: a chat body member, then many members", True),
    AttackClass("punct_fragments", punct_fragments, '"Tell me." then "\\n!" repeated: word-less fragments', False),
    AttackClass("token_dense", token_dense, "sentences of three 90-character random words (budget undercount)", False),
    AttackClass("nfkc_expansion", nfkc_expansion, "U+FDFA repeated: NFKC makes 18 characters of each", False),
    AttackClass("clause_scan", clause_scan, "budget filled by short sentences + an older clause-rich message", False),
    AttackClass("gzip_empty_msgs", gzip_empty_msgs, "gzip body of many empty user messages (the short path)", False),
    AttackClass("gzip_blob_msgs", gzip_blob_msgs, "gzip body of many messages holding a base64 blob each", False),
    AttackClass("gzip_tool_calls", gzip_tool_calls, "gzip body: one assistant message with many tool calls", False),
]
BY_NAME = {c.name: c for c in CLASSES}
SIZES = (1, 4, 16)


def build(name: str, k: int, base: int, seed: int = 0) -> Payload:
    if name == "normal":
        return normal_payload(base * k, seed=7 + seed)
    attack = BY_NAME[name]
    return attack.build(base * attack.base_factor * k, seed)


# ---------------------------------------------------------------------------------------------
# Offline phase: the worker process (``--worker``) and its driver.


class _Ticker:
    """Records the longest gap between 2 ms sleeps on the running loop."""

    def __init__(self) -> None:
        self.max_gap = 0.0
        self.running = True

    async def run(self) -> None:
        while self.running:
            started = time.perf_counter()
            await asyncio.sleep(0.002)
            self.max_gap = max(self.max_gap, time.perf_counter() - started - 0.002)


class _Worker:
    """Builds a fresh middleware per run around one shared encoder and pattern index."""

    def __init__(self) -> None:
        from querysentry import Encoder
        from querysentry.detector import default_index

        self.encoder = Encoder(threads=1)
        self.index = default_index(self.encoder)

    def middleware(self) -> Any:
        # The middleware's default detector (`_default_detector`), built from public parts so that
        # each run starts with empty caches; the time budget is lifted to measure the whole scan.
        from querysentry import Detector, QuerySentryMiddleware
        from querysentry.batching import fast_embedder

        detector = Detector(
            encoder=self.encoder, index=self.index, embed=fast_embedder(self.encoder.encode), search_cache=50_000
        )

        async def app(scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

        return QuerySentryMiddleware(app, detector=detector, time_budget=3_600.0, watch_index=None)

    def once(self, payload: Payload) -> dict[str, Any]:
        middleware = self.middleware()
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in payload.headers("offline-key").items()]
        scope: dict[str, Any] = {
            "type": "http", "method": "POST", "path": CHAT_PATH, "raw_path": CHAT_PATH.encode(), "query_string": b"",
            "headers": headers, "client": ("127.0.0.1", 40_000), "server": ("127.0.0.1", 8000), "scheme": "http",
            "http_version": "1.1", "root_path": "",
        }  # fmt: skip
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": payload.body, "more_body": False}
            await asyncio.sleep(3_600)
            return {"type": "http.disconnect"}

        async def send(message: Any) -> None:
            return None

        async def request() -> float:
            ticker = _Ticker()
            task = asyncio.create_task(ticker.run())
            await asyncio.sleep(0.01)  # the ticker is running before the request starts
            await middleware(scope, receive, send)
            ticker.running = False
            await task
            return ticker.max_gap

        cpu, wall = time.process_time(), time.perf_counter()
        stall = asyncio.run(request())
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        outcome = scope.get("state", {}).get("querysentry")
        verdict = getattr(outcome, "verdict", None)
        timings = getattr(verdict, "timings", None)
        return {
            "cpu_ms": cpu * 1000,
            "wall_ms": wall * 1000,
            "stall_ms": stall * 1000,
            "status": getattr(outcome, "status", None),
            "segments": getattr(verdict, "segments_scanned", None),
            "detector_normalize_ms": getattr(timings, "normalize_ms", None),
            "detector_total_ms": getattr(timings, "total_ms", None),
        }

    def job(self, spec: dict[str, Any]) -> dict[str, Any]:
        payload = build(spec["cls"], spec["k"], spec["base"])  # seed 0: caches are fresh anyway
        runs = []
        for _ in range(spec["repeats"]):
            runs.append(self.once(payload))
            if runs[-1]["wall_ms"] > 2_000:  # slow enough that one run is a good figure
                break
        best = sorted(runs, key=lambda r: float(r["cpu_ms"]))[len(runs) // 2]
        return {**best, "wire": payload.wire, "inflated": payload.inflated, "runs": len(runs)}


def worker_main() -> int:
    """``--worker``: read job specs (JSON lines) on stdin, answer each with one result line."""
    import logging

    # The decision log and the middleware's own error reports (a deep_json body) are not figures.
    logging.getLogger("querysentry").addHandler(logging.NullHandler())
    worker = _Worker()
    worker.once(normal_payload(3_000))  # warm-up: ORT's first calls are slower
    worker.once(normal_payload(3_000, seed=8))
    print(RESULT_PREFIX + json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(RESULT_PREFIX + json.dumps(worker.job(json.loads(line))), flush=True)
    return 0


class WorkerPool:
    """One measuring subprocess; replaced when a job runs past the timeout."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()

    def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        self._lines = queue.Queue()
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )  # fmt: skip
        lines = self._lines
        stdout = self._process.stdout
        assert stdout is not None

        def pump() -> None:
            for line in stdout:
                if line.startswith(RESULT_PREFIX):
                    lines.put(line[len(RESULT_PREFIX) :])

        threading.Thread(target=pump, daemon=True).start()
        lines.get(timeout=120)  # the "ready" line

    def run(self, spec: dict[str, Any]) -> dict[str, Any] | None:
        """The job's result, or None if it did not finish within the timeout."""
        if self._process is None or self._process.poll() is not None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(json.dumps(spec) + "\n")
        self._process.stdin.flush()
        try:
            result: dict[str, Any] = json.loads(self._lines.get(timeout=self.timeout))
            return result
        except queue.Empty:
            self.close()
            return None

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=30)
            self._process = None


def offline_phase(names: Sequence[str], base: int, repeats: int, timeout: float) -> dict[str, Any]:
    pool = WorkerPool(timeout)
    normals: dict[int, dict[str, Any] | None] = {}
    rows: dict[str, Any] = {}
    try:

        def normal_at(wire: int) -> dict[str, Any] | None:
            # Normal traffic costs about the same within a few per cent of size: one measurement
            # per two significant digits of the body size.
            bucket = int(float(f"{wire:.2g}"))
            if bucket not in normals:
                normals[bucket] = pool.run({"cls": "normal", "k": 1, "base": bucket, "repeats": max(3, repeats)})
            return normals[bucket]

        for name in ["normal", *names]:
            row: dict[str, Any] = {"sizes": {}}
            for k in SIZES:
                started = time.monotonic()
                runs = max(3, repeats) if name == "normal" else repeats
                result = pool.run({"cls": name, "k": k, "base": base, "repeats": runs})
                entry: dict[str, Any] = {"timed_out": result is None}
                if result is None:
                    entry["cpu_ms"] = timeout * 1000  # a lower bound
                    entry["wire"] = build(name, k, base).wire
                else:
                    entry.update(result)
                reference = normal_at(int(entry["wire"])) if name != "normal" else result
                if reference is not None:
                    entry["normal_cpu_ms"] = reference["cpu_ms"]
                    entry["ratio"] = entry["cpu_ms"] / max(reference["cpu_ms"], 1e-3)
                row["sizes"][str(k)] = entry
                print(f"[offline] {name} {k}x: {_cost(entry)} ({time.monotonic() - started:.1f} s)",
                      file=sys.stderr, flush=True)  # fmt: skip
            first, last = row["sizes"]["1"], row["sizes"][str(SIZES[-1])]
            row["growth"] = last["cpu_ms"] / max(first["cpu_ms"], 1e-3)
            row["growth_is_lower_bound"] = bool(last["timed_out"])
            rows[name] = row
    finally:
        pool.close()
    return {"base": base, "repeats": repeats, "timeout_s": timeout, "classes": rows}


def _cost(entry: dict[str, Any]) -> str:
    if entry.get("timed_out"):
        return f"> {entry['cpu_ms'] / 1000:.0f} s"
    ms = float(entry["cpu_ms"])
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


# ---------------------------------------------------------------------------------------------
# Server phase: processes that ping, send benign traffic and attack. Each is bounded by a count
# and a deadline, and reports once on ``out``.

PING_TIMEOUT = 10.0


def _pinger(tag: str, url: str, stop: Any, seconds: float, out: Any) -> None:
    import httpx

    latencies: list[float] = []
    failures = 0
    with httpx.Client(timeout=PING_TIMEOUT) as client:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline and len(latencies) < 20_000:
            started = time.perf_counter()
            try:
                client.get(url + "/health").raise_for_status()
            except httpx.HTTPError:
                failures += 1
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)
    out.put((tag, {"latencies": latencies, "failures": failures}))


def _benign(url: str, stop: Any, seconds: float, first: int, out: Any) -> None:
    import httpx

    latencies: list[float] = []
    actions: list[str] = []  # the demo app echoes the middleware's action: "tag" here means timeout
    with httpx.Client(timeout=60.0) as client:
        deadline = time.monotonic() + seconds
        i = first
        while not stop.is_set() and time.monotonic() < deadline and len(latencies) < 200:
            payload = user_text(prose(240, i))
            started = time.perf_counter()
            try:
                response = client.post(url + CHAT_PATH, content=payload.body, headers=payload.headers("benign-key"))
                answer = response.json()
                actions.append(str(answer.get("querysentry")) if isinstance(answer, dict) else "error")
            except (httpx.HTTPError, ValueError):
                actions.append("error")
            latencies.append((time.perf_counter() - started) * 1000)
            i += 1
            stop.wait(0.5)
    out.put(("benign", {"latencies": latencies, "actions": actions}))


def _attacker(url: str, payloads: list[Payload], sequential: int, seconds: float, out: Any) -> None:
    """Sends ``payloads[:sequential]`` one after another, then the rest at once. Runs at a lower
    priority: real attackers are other machines and do not share our cores."""
    import httpx

    os.nice(10)
    results: list[tuple[float, str]] = []
    concurrent = len(payloads) - sequential

    async def one(client: httpx.AsyncClient, payload: Payload) -> None:
        started = time.perf_counter()
        try:
            response = await client.post(url + CHAT_PATH, content=payload.body, headers=payload.headers("attacker-key"))
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        results.append(((time.perf_counter() - started) * 1000, status))

    async def attack() -> None:
        async with httpx.AsyncClient(timeout=seconds, limits=httpx.Limits(max_connections=concurrent + 1)) as client:
            for payload in payloads[:sequential]:
                await one(client, payload)
            await asyncio.gather(*(one(client, payload) for payload in payloads[sequential:]))

    async def bounded() -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(attack(), seconds)

    asyncio.run(bounded())
    out.put(("attack", {"results": results}))


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": _percentile(values, 0.5),
        "p99_ms": _percentile(values, 0.99),
        "max_ms": max(values) if values else None,
    }


@dataclass
class ServerSettings:
    sequential: int
    concurrent: int
    attack_seconds: float  # the attacker's own deadline
    min_window: float  # pings run at least this long
    drain_seconds: float  # how long to wait for the attacked server to settle


SERVER_LOG = Path(tempfile.gettempdir()) / "querysentry-adversarial-servers.log"


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    """``benchmarks/middleware.py``'s ``start("guarded")``, with the server's stderr (tracebacks of
    requests the app itself cannot parse) sent to ``SERVER_LOG`` instead of this report."""
    from benchmarks import middleware as bench

    saved = os.dup(2)
    with SERVER_LOG.open("ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            return bench.start("guarded")
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class Servers:
    """The attacked and the control server (both the README's app behind the middleware)."""

    def __init__(self) -> None:
        self.control, self.control_url = start_server()
        self.attacked, self.attacked_url = start_server()
        self.restarts = 0

    def restart_attacked(self) -> None:
        _stop(self.attacked)
        self.attacked, self.attacked_url = start_server()
        self.restarts += 1

    def close(self) -> None:
        for process in (self.attacked, self.control):
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _drain(url: str, limit: float, threshold_ms: float, seed: int) -> float | None:
    """Seconds until three benign chat requests in a row (novel texts, so they need the encoder)
    answer within ``threshold_ms``; None if that does not happen within ``limit`` seconds. /health
    alone would miss a scan that keeps the encoder busy with the GIL released."""
    import httpx

    started = time.monotonic()
    good = 0
    with httpx.Client(timeout=max(1.0, limit)) as client:
        for i in range(10_000):
            if time.monotonic() - started >= limit:
                break
            payload = user_text(prose(240, seed + i))
            before = time.perf_counter()
            try:
                client.post(url + CHAT_PATH, content=payload.body, headers=payload.headers("benign-key"))
                good = good + 1 if (time.perf_counter() - before) * 1000 < threshold_ms else 0
            except httpx.HTTPError:
                good = 0
            if good >= 3:
                return time.monotonic() - started
            time.sleep(0.05)
    return None


def attack_window(
    servers: Servers, payloads: list[Payload], settings: ServerSettings, seed: int, settled_ms: float
) -> dict[str, Any]:
    """Pings and benign traffic on both servers while ``payloads`` are sent (none: idle baseline).
    Afterwards, waits until benign requests answer within ``settled_ms`` again."""
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    out: Any = context.Queue()
    limit = settings.attack_seconds + settings.min_window + 30
    helpers = [
        context.Process(target=_pinger, args=("attacked", servers.attacked_url, stop, limit, out)),
        context.Process(target=_pinger, args=("control", servers.control_url, stop, limit, out)),
        context.Process(target=_benign, args=(servers.attacked_url, stop, limit, seed, out)),
    ]
    for process in helpers:
        process.start()
    started = time.monotonic()
    expected = len(helpers)
    if payloads:
        counts = (settings.sequential, settings.attack_seconds)
        attacker = context.Process(target=_attacker, args=(servers.attacked_url, payloads, *counts, out))
        attacker.start()
        attacker.join(settings.attack_seconds + 15)
        if attacker.is_alive():
            attacker.terminate()
        else:
            expected += 1
    remaining = settings.min_window - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    window = time.monotonic() - started
    stop.set()
    reports: dict[str, Any] = {}
    for _ in range(expected):
        try:
            tag, report = out.get(timeout=PING_TIMEOUT + 70)
        except queue.Empty:
            break
        reports[tag] = report
    for process in helpers:
        process.join(15)
        if process.is_alive():
            process.terminate()
    row: dict[str, Any] = {"window_s": window}
    for tag in ("attacked", "control"):
        report = reports.get(tag, {"latencies": [], "failures": 0})
        row[f"health_{tag}"] = {**_summary(report["latencies"]), "failures": report["failures"]}
    benign = reports.get("benign", {"latencies": [], "actions": []})
    # A benign prompt is allowed when scanned; "tag" means its scan ran out of time (unscanned).
    row["benign"] = {
        **_summary(benign["latencies"]),
        "actions": {a: benign["actions"].count(a) for a in sorted(set(benign["actions"]))},
    }
    if payloads:
        results = reports.get("attack", {"results": []})["results"]
        row["attack"] = {
            **_summary([ms for ms, _ in results]),
            "statuses": {s: sum(1 for _, x in results if x == s) for s in sorted({x for _, x in results})},
            "sent": len(payloads),
            "wire": payloads[0].wire,
            "inflated": payloads[0].inflated,
        }
        drained = _drain(servers.attacked_url, settings.drain_seconds, settled_ms, seed + 500)
        row["busy_after_s"] = drained
        if drained is None:
            servers.restart_attacked()
            row["restarted"] = True
    return row


def server_phase(names: Sequence[str], base: int, settings: ServerSettings) -> dict[str, Any]:
    servers = Servers()
    rows: dict[str, Any] = {}
    try:
        rows["idle"] = attack_window(servers, [], settings, seed=900_000, settled_ms=0.0)
        print(f"[server] idle: {_brief(rows['idle'])}", file=sys.stderr, flush=True)
        # Settled: benign requests as fast as at idle, give or take the noise of two shared cores.
        settled_ms = 2 * float(rows["idle"]["benign"]["p50_ms"] or 200.0) + 50
        for i, name in enumerate(["normal", *names]):
            # A different request each time, as an attacker would send: no cache answers for it.
            count = settings.sequential + settings.concurrent
            payloads = [build(name, SIZES[-1], base, seed=1 + j) for j in range(count)]
            rows[name] = attack_window(servers, payloads, settings, 1_000_000 + 1_000 * i, settled_ms)
            print(f"[server] {name}: {_brief(rows[name])}", file=sys.stderr, flush=True)
        return {"settings": settings.__dict__, "rows": rows, "restarts": servers.restarts}
    finally:
        servers.close()


def _brief(row: dict[str, Any]) -> str:
    attacked, control = row["health_attacked"], row["health_control"]
    return (
        f"health p99 {_ms(attacked['p99_ms'])} vs control {_ms(control['p99_ms'])}, "
        f"benign p50 {_ms(row['benign']['p50_ms'])}, busy after {row.get('busy_after_s', 0.0) or 0.0:.1f} s"
    )


# ---------------------------------------------------------------------------------------------
# Oracle phase: does client B learn what client A sent?


def oracle_phase(pairs: int, chars: int) -> dict[str, Any]:
    import httpx

    process, url = start_server()
    hits: list[float] = []
    misses: list[float] = []
    try:
        with httpx.Client(timeout=30.0) as client:

            def send(text: str, key: str) -> float:
                payload = user_text(text)
                started = time.perf_counter()
                client.post(url + CHAT_PATH, content=payload.body, headers=payload.headers(key)).raise_for_status()
                return (time.perf_counter() - started) * 1000

            send(prose(chars, 1), "warm-up-key")  # first requests pay for lazy set-up
            send(prose(chars, 2), "warm-up-key")
            deadline = time.monotonic() + 120
            for i in range(pairs):
                if time.monotonic() > deadline:
                    break
                seen, fresh = prose(chars, 10_000 + 2 * i), prose(chars, 10_001 + 2 * i)
                send(seen, "client-a-key")
                time.sleep(0.05)
                if i % 2:  # alternate the order so drift over time does not favour either
                    misses.append(send(fresh, "client-b-key"))
                    hits.append(send(seen, "client-b-key"))
                else:
                    hits.append(send(seen, "client-b-key"))
                    misses.append(send(fresh, "client-b-key"))
                time.sleep(0.05)
    finally:
        _stop(process)
    wins = sum(1 for h, m in zip(hits, misses) if h < m)
    return {
        "pairs": len(hits),
        "chars": chars,
        "hit_p50_ms": statistics.median(hits) if hits else None,
        "miss_p50_ms": statistics.median(misses) if misses else None,
        "miss_over_hit": statistics.median(misses) / statistics.median(hits) if hits else None,
        # 0.5 means B cannot tell a text someone else sent from a fresh one; 1.0 means always.
        "fraction_hit_faster": wins / len(hits) if hits else None,
    }


# ---------------------------------------------------------------------------------------------
# Report.


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _ratio(value: float | None, lower_bound: bool = False) -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return f"> {text}" if lower_bound else text


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB" if n >= 1000 else f"{n} B"


def markdown(results: dict[str, Any]) -> str:
    lines: list[str] = []
    offline = results.get("offline")
    if offline:
        lines += [
            f"### Scan cost per class (base {offline['base']:,} B; CPU of one request through the middleware)",
            "",
            "| class | new | 16× body (wire / inflated) | CPU 1× / 4× / 16× | × normal 1× / 4× / 16× "
            "| growth 16×/1× | loop stall 16× | status 16× |",
            "|---|:-:|---|---:|---:|---:|---:|---|",
        ]
        for name, row in offline["classes"].items():
            sizes = [row["sizes"][str(k)] for k in SIZES]
            last = sizes[-1]
            inflated = last.get("inflated", last["wire"])
            body = _size(int(last["wire"])) + (f" / {_size(int(inflated))}" if inflated != last["wire"] else "")
            new = "" if name == "normal" or BY_NAME[name].known else "new"
            lines.append(
                f"| `{name}` | {new} | {body} | {' / '.join(_cost(s) for s in sizes)} | "
                f"{' / '.join(_ratio(s.get('ratio'), bool(s['timed_out'])) for s in sizes)} | "
                f"{_ratio(row['growth'], row['growth_is_lower_bound'])} | "
                f"{'–' if last['timed_out'] else _ms(last.get('stall_ms'))} | "
                f"{'timeout' if last['timed_out'] else last.get('status')} |"
            )
        lines.append("")
    server = results.get("server")
    if server:
        s = server["settings"]
        lines += [
            f"### Served app under attack (16× bodies, {s['sequential']} sequential + {s['concurrent']} concurrent)",
            "",
            "| class | attack p50 / max (statuses) | /health p50 / p99 attacked | /health p50 / p99 control "
            "| benign p50 / max | benign unscanned | settled after |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for name, row in server["rows"].items():
            a, c, b = row["health_attacked"], row["health_control"], row["benign"]
            attack = row.get("attack")
            statuses = ", ".join(f"{k}×{v}" for k, v in attack["statuses"].items()) if attack else ""
            sent = f"{_ms(attack['p50_ms'])} / {_ms(attack['max_ms'])} ({statuses})" if attack else "(no attack)"
            busy = row.get("busy_after_s")
            drain = f"> {s['drain_seconds']:.0f} s (restarted)"
            after = "–" if name == "idle" else drain if row.get("restarted") else f"{busy:.1f} s"
            actions = b.get("actions", {})
            unscanned = f"{actions.get('tag', 0)} / {sum(actions.values())}"
            # Pings that got no answer within PING_TIMEOUT count at that latency; say how many.
            lost = f" ({a['failures']} > {PING_TIMEOUT:.0f} s)" if a.get("failures") else ""
            lines.append(
                f"| `{name}` | {sent} | {_ms(a['p50_ms'])} / {_ms(a['p99_ms'])}{lost} | {_ms(c['p50_ms'])} / "
                f"{_ms(c['p99_ms'])} | {_ms(b['p50_ms'])} / {_ms(b['max_ms'])} | {unscanned} | {after} |"
            )
        lines.append("")
    oracle = results.get("oracle")
    if oracle:
        lines += [
            f"### Cross-client cache oracle ({oracle['pairs']} pairs, {oracle['chars']}-character texts)",
            "",
            "| client B: text A sent (hit) p50 | fresh text (miss) p50 | miss / hit | pairs with hit < miss |",
            "|---:|---:|---:|---:|",
            f"| {_ms(oracle['hit_p50_ms'])} | {_ms(oracle['miss_p50_ms'])} | "
            f"{_ratio(oracle['miss_over_hit'])} | {oracle['fraction_hit_faster']:.2f} |",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats (< 3 minutes)")
    parser.add_argument("--classes", help="comma-separated class names (default: all); 'list' lists them")
    parser.add_argument("--phases", default="offline,server,oracle", help="any of offline,server,oracle")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per offline measurement")
    parser.add_argument("--server-classes", help="classes to attack the server with (default: all selected; "
                        "with --quick the 4 with the largest offline 16× ratio)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main()
    if args.classes == "list":
        for attack in CLASSES:
            print(f"{attack.name:18} {'' if attack.known else '(new) '}{attack.description}")
        return 0
    names = [n.strip() for n in args.classes.split(",")] if args.classes else [c.name for c in CLASSES]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown classes: {', '.join(unknown)} (see --classes list)")
    phases = {p.strip() for p in args.phases.split(",")}
    base = 1_000 if args.quick else 3_000
    sys.path.insert(0, str(ROOT))  # for `benchmarks.middleware` when run as a script
    results: dict[str, Any] = {"mode": "quick" if args.quick else "full", "classes": names}
    started = time.monotonic()
    if "offline" in phases:
        results["offline"] = offline_phase(names, base, 1 if args.quick else 3, args.timeout)
    if "server" in phases:
        if args.server_classes:
            attacked = [n.strip() for n in args.server_classes.split(",") if n.strip() in BY_NAME]
        elif args.quick and "offline" in results:
            rows = results["offline"]["classes"]
            ranked = sorted(names, key=lambda n: -float(rows[n]["sizes"][str(SIZES[-1])].get("ratio", 0.0)))
            attacked = ranked[:4]
        else:
            attacked = names
        settings = (
            ServerSettings(sequential=2, concurrent=2, attack_seconds=8, min_window=2.5, drain_seconds=8)
            if args.quick
            else ServerSettings(sequential=3, concurrent=3, attack_seconds=20, min_window=4, drain_seconds=20)
        )
        results["server"] = server_phase(attacked, base, settings)
    if "oracle" in phases:
        results["oracle"] = oracle_phase(25 if args.quick else 60, 300)
    results["elapsed_s"] = time.monotonic() - started
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
