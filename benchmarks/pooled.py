"""Segments read from their host's token vectors instead of embedded on their own (a measurement).

The detector embeds each segment alone: a request whose sentence has two clauses costs three
encoder rows (the sentence and each clause), which is most of what the middleware pays above one
raw encode (RESULTS.md, "The middleware on a real server"). A sentence encoder's last layer
already holds a vector per token, so a clause could be read from its sentence's pass: the mean of
the sentence's token vectors over the clause's characters (the idea is known as late chunking).
It costs no encoder row, but the clause's vector then carries its sentence's context, which is
what embedding it alone was for. This measures what that does to the verdicts, with the shipped
library and thresholds (no recalibration), on the dev data and every probe set:

- ``standalone``: as shipped, every segment embedded alone;
- ``clauses``: clauses read from their sentence;
- ``clauses_recheck``: the same, but a clause whose read vector comes within ``RECHECK`` of its
  lane's threshold (margin >= -0.10) is embedded alone too, a second encoder call;
- ``message``: clauses as above, and every segment inside a whole-message segment (sentences,
  windows, clauses) read from the message's pass; ``message_recheck`` with the recheck.

    python benchmarks/pooled.py --dev ../shared/datasets/dev --json benchmarks/pooled_results.json

Rows and tokens are what the encoder would run per request (distinct texts; a host is a segment
that is embedded anyway). Flags are counted per group; AUROC is over verdict margins, dev
positives against dev benign prompts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.quality import auroc, build_requests

DATA = Path(__file__).resolve().parent / "data"
PROBE_FILES = ("probes_sixth", "probes_targets", "probes_fresh", "probes_messy", "head_probes")
QUESTION = "What should I pack for a weekend of hiking?"
VARIANTS = ("standalone", "clauses", "clauses_recheck", "message", "message_recheck")
RECHECK = 0.10  # a read clause this close to its lane's threshold is embedded alone after all


def _hosts(segments: Sequence[Any], variant: str) -> dict[int, int]:
    """For each segment read from a host, the host's position (a segment embedded itself)."""
    if variant == "standalone":
        return {}
    variant = variant.removesuffix("_recheck")
    out: dict[int, int] = {}
    messages = {s.message_index: i for i, s in enumerate(segments) if s.kind == "message"}
    for i, s in enumerate(segments):
        if s.kind == "decoded":
            continue
        if variant == "message" and s.kind != "message" and s.message_index in messages:
            out[i] = messages[s.message_index]
            continue
        if s.kind == "clause":
            for j, h in enumerate(segments):
                if (
                    h.kind == "sentence"
                    and h.message_index == s.message_index
                    and h.start <= s.start
                    and s.end <= h.end
                ):
                    out[i] = j
                    break
    return out


def read_spans(encoder: Any, hosts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[list[Any]]:
    """Span reads from host passes (``Encoder.encode_spans``); None where nothing could be read."""
    _, read = encoder.encode_spans(hosts, spans)
    return [[row if row.any() else None for row in rows] for rows in read]


class Prepared:
    """Every request's segments and every segment text's own vector, computed once for all variants."""

    def __init__(self, detector: Any, requests: Sequence[tuple[str, str, Any]]) -> None:
        self.requests = requests
        self.segments = [detector.segments(payload) for _, _, payload in requests]
        texts = list(dict.fromkeys(s.text for segments in self.segments for s in segments))
        self.vectors: dict[str, np.ndarray] = {}
        for start in range(0, len(texts), 256):
            chunk = texts[start : start + 256]
            self.vectors.update(zip(chunk, detector.encoder.encode(chunk)))
            print(f"\rembedded {start + len(chunk)}/{len(texts)}", end="", file=sys.stderr)
        print(file=sys.stderr)
        self.tokens = dict(zip(texts, detector.encoder.count_tokens(texts)))


def run(detector: Any, prepared: Prepared, variant: str) -> dict[str, Any]:
    from querysentry.scoring import decide

    requests = prepared.requests
    index = detector.index_handle.current
    # Every host pass the variant needs, in batches: (request, host position) -> read vectors.
    jobs = [
        (n, j, [i for i, h in hosts.items() if h == j])
        for n, segments in enumerate(prepared.segments)
        for hosts in [_hosts(segments, variant)]
        for j in dict.fromkeys(hosts.values())
    ]
    read: dict[tuple[int, int], np.ndarray | None] = {}
    for start in range(0, len(jobs), 32):
        chunk = jobs[start : start + 32]
        texts = [prepared.segments[n][j].text for n, j, _ in chunk]
        spans = [
            [
                (
                    prepared.segments[n][i].start - prepared.segments[n][j].start,
                    prepared.segments[n][i].end - prepared.segments[n][j].start,
                )
                for i in children
            ]
            for n, j, children in chunk
        ]
        for (n, _, children), got in zip(chunk, read_spans(detector.encoder, texts, spans)):
            for i, v in zip(children, got):
                read[n, i] = v
    flagged: Counter[str] = Counter()
    total: Counter[str] = Counter()
    margins: dict[str, list[float]] = {"positive": [], "benign": []}
    rows = tokens = rechecked = 0
    for n, (group, kind, payload) in enumerate(requests):
        segments = prepared.segments[n]
        hosts = _hosts(segments, variant)
        own = list(dict.fromkeys(s.text for i, s in enumerate(segments) if i not in hosts))
        rows += len(own)
        tokens += sum(prepared.tokens[t] for t in own)
        vectors = {t: prepared.vectors[t] for t in own}
        for i in hosts:
            text = segments[i].text
            v = read.get((n, i))
            if v is None:  # the span fell past the host's 256 tokens: embedded alone
                v = prepared.vectors[text]
                rows, tokens = rows + 1, tokens + prepared.tokens[text]
            elif variant.endswith("_recheck"):
                hits = index.search(v[None, :].astype(np.float32), detector.top_k)[0]
                if decide([(segments[i], hits)], detector.thresholds, frozenset()).margin >= -RECHECK:
                    v = prepared.vectors[text]  # the second call embeds it alone
                    rows, tokens, rechecked = rows + 1, tokens + prepared.tokens[text], rechecked + 1
            vectors.setdefault(text, v)
        detector.embed = lambda texts, vectors=vectors: np.stack([vectors[t] for t in texts]).astype(np.float32)
        verdict = detector.check(payload)
        total[f"{group}:{kind}"] += 1
        flagged[f"{group}:{kind}"] += int(verdict.flagged)
        if group in margins:
            margins[group].append(verdict.margin)
    count = len(requests)
    return {
        "rows_per_request": round(rows / count, 3),
        "tokens_per_request": round(tokens / count, 1),
        "rechecked_per_request": round(rechecked / count, 3),
        "dev_auroc": round(auroc(np.array(margins["positive"]), np.array(margins["benign"])), 4)
        if margins["positive"] and margins["benign"]
        else None,
        "flagged": {k: [flagged[k], total[k]] for k in sorted(total)},
    }


def load_requests(dev: Path | None) -> list[tuple[str, str, Any]]:
    from querysentry.messages import Message

    out: list[tuple[str, str, Any]] = []
    if dev is not None:
        for r in build_requests(dev, fills=4, max_jailbreaks=600, seed=7):
            out.append((r.group, "dev" if r.group != "positive" else r.family, r.payload))
    for name in PROBE_FILES:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["kind"] == "app_system_prompt":
                payload: Any = [Message("system", row["text"]), Message("user", QUESTION)]
            else:
                payload = [Message("user", row["text"])]
            out.append((f"{name}/{row['label']}", row["kind"], payload))
    return out


def main(argv: list[str] | None = None) -> int:
    from querysentry.detector import Detector
    from querysentry.encoder import Encoder

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, help="the dev datasets folder (probes only without it)")
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="default: all")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    encoder = Encoder(threads=2)
    detector = Detector(encoder=encoder)
    requests = load_requests(args.dev)
    prepared = Prepared(detector, requests)
    report: dict[str, Any] = {"requests": len(requests), "recheck": RECHECK, "variants": {}}
    for variant in args.variant or VARIANTS:
        report["variants"][variant] = run(detector, prepared, variant)
        print(json.dumps({variant: report["variants"][variant]}, indent=1), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
