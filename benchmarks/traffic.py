"""Campaign detection on generated traffic: campaigns and honest users the rules never saw.

    python benchmarks/traffic.py --seeds 3 [--scenario NAME ...] [--write out.jsonl] [--json out.json]
    python benchmarks/traffic.py --seeds 1 --write traffic.jsonl --no-replay   # generate only

The traffic comes from ``benchmarks/traffic_scenarios`` (every phrasing, paraphrase, translation
and obfuscation written for this benchmark; nothing from the dev data or the pattern library).
Each seed's scenarios share one time window and one engine state, as a population would in
production, and go through QuerySentry's replay pipeline (shipped encoder, index and thresholds,
default behaviour settings, in-memory state, enforce mode's default per-category actions).

A request is *acted on* when its action is not ``allow`` or its client's level is ``tag`` or
above. Reported per scenario and seed:

- campaigns: the share of campaign keys acted on once the campaign has sent 100 requests in all
  (``after_100``: of the keys that send a campaign request after the campaign's 100th, those
  acted on at such a request), the share acted on within their first 100 and 300 requests, the
  median of each key's campaign requests until its first action, and the campaign-wide request
  number of the campaign's first action;
- honest clients: the share flagged (acted on at any time) and the number blocked;
- the evaluation customers, apart.

Targets (issue 11): ``after_100`` ≥ 95 %; paraphrasing campaigns ``within_100`` ≥ 90 %; 5 %
blends ``within_300`` ≥ 90 %; honest clients ≤ 0.5 % flagged and none blocked; evaluation never
blocked.

Cost: encoding is the work (about 0.9 M tokens per seed at the default ``--scale 0.25``, which
sends the 1,000-key ring and the 3,000 single-use keys at a quarter of issue 11's size; ``--scale
1`` is that size, about 1.5 M tokens per seed). Nothing is cached across seeds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.traffic_scenarios import DEFAULT_SCALE, SCENARIOS, generate  # noqa: E402

__all__ = ["aggregate", "build_report", "decide_all", "main", "results_table", "score"]

Record = Mapping[str, Any]
Decision = Mapping[str, Any]
_RANK = {"ok": 0, "allow": 0, "tag": 1, "throttle": 2, "block": 3}
TARGETS = {"after_100": 0.95, "within_100": 0.90, "within_300": 0.90}
ESTABLISHED = 100  # campaign requests in all before every key must be acted on
BENIGN_FLAGGED_MAX = 0.005


class _LaneEncoder:
    """The lane's encoder behind a vector cache: what ``MultilingualLane`` needs, fingerprint and encode."""

    def __init__(self, fingerprint: str, encode: Any) -> None:
        self.fingerprint = fingerprint
        self.encode = encode


class _DiskVectors:
    """``encode`` with its vectors kept in a file across runs (``--embed-cache``): re-running one
    seed's traffic under other campaign rules then costs the decisions, not the encoding. The
    vectors are the encoder's own, so the decisions are the same as without it."""

    def __init__(self, encode: Any, path: Path) -> None:
        import numpy as np

        self._np = np
        self._encode = encode
        self.path = path
        self._vectors: dict[str, Any] = {}
        self._added = 0
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                self._vectors = dict(zip(data["texts"].tolist(), data["vectors"]))

    def __call__(self, texts: Sequence[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self._encode(missing)):
                self._vectors[text] = vector
            self._added += len(missing)
        return self._np.stack([self._vectors[t] for t in texts]) if texts else self._encode(texts)

    def save(self) -> None:
        if not self._added or not self._vectors:
            return
        texts = list(self._vectors)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        self._np.savez(tmp, texts=self._np.array(texts), vectors=self._np.stack([self._vectors[t] for t in texts]))
        tmp.replace(self.path)


def decide_all(
    records: Sequence[Record],
    *,
    threads: int = 2,
    campaigns: str = "shared",
    embed_cache: Path | None = None,
    template_groups: bool = False,
    thresholds: Path | None = None,
    multilingual: Path | None = None,
) -> list[dict[str, Any]]:
    """The one call into QuerySentry: each record's decision, in the records' order.

    Returns per record ``{client, action, own_action, client_level, flagged, category, cluster_id,
    reasons, campaign_id, campaign_level}`` (``action`` is what enforce mode, with its default
    per-category actions, would do; ``own_action`` what the request deserves on its own).
    ``campaigns``: the engine's campaign setting (``shared``, the default, or ``auto``). Fresh
    engine state and fresh caches on every call: nothing carries over between seeds
    (``embed_cache`` keeps only the encoder's vectors, which do not depend on the state). A
    record's ``headers`` are not used by today's replay; when client features arrive, pass them here.
    ``template_groups``: the campaign rule's option of that name (measured, off by default).
    ``thresholds``: a thresholds JSON in place of the shipped one. ``multilingual``: an exported
    multilingual encoder's directory, for the opt-in multilingual lane (its vectors are kept in
    ``embed_cache``'s sibling ``….lane.npz``).
    """
    from querysentry.batching import CachedEmbedder
    from querysentry.behaviour import BehaviourTracker
    from querysentry.behaviour.campaigns import CampaignRule, CampaignTracker
    from querysentry.detector import Detector
    from querysentry.encoder import Encoder
    from querysentry.policy import answer_only, capped, configured_lookalike, request_action
    from querysentry.replay import parse_record, replay, replay_engine

    encoder = Encoder(threads=threads)
    disk = _DiskVectors(encoder.encode, embed_cache) if embed_cache is not None else None
    # Caches as `querysentry replay` sets them: a repeated system prompt or fill is embedded once.
    embed = CachedEmbedder(disk if disk is not None else encoder.encode)
    from querysentry.threshold_files import load_thresholds

    loaded = load_thresholds(thresholds) if thresholds is not None else None
    lane = None
    lane_disk = None
    if multilingual is not None:
        from querysentry.multilingual import MultilingualLane

        lane_encoder = Encoder(model_dir=multilingual, threads=threads)
        if embed_cache is not None:
            lane_disk = _DiskVectors(lane_encoder.encode, embed_cache.with_name(embed_cache.stem + ".lane.npz"))
        lane = MultilingualLane.load(_LaneEncoder(lane_encoder.fingerprint, lane_disk or lane_encoder.encode))
    detector = Detector(encoder=encoder, embed=embed, search_cache=100_000, thresholds=loaded, multilingual=lane)
    tracker: CampaignTracker | str = campaigns
    if template_groups:
        tracker = CampaignTracker(CampaignRule(form_locally=campaigns == "auto", template_groups=True))
    engine = replay_engine(detector, BehaviourTracker(), campaigns=tracker)  # type: ignore[arg-type]
    actions, held = engine.config.actions, engine.config.configured_lookalike
    answers = engine.config.answer_only

    def own_action(verdict: Any) -> str:
        # What the request deserves on its own, as the engine decides it (an app's kind of
        # system prompt and a request for answers to benchmark-like items are left to behaviour:
        # ``EngineConfig.configured_lookalike`` and ``EngineConfig.answer_only``).
        own = request_action(verdict, actions)
        if answers is not None and answer_only(verdict, detector.thresholds):
            own = capped(own, answers)
        return capped(own, held) if held is not None and configured_lookalike(verdict) else own

    parsed = (parse_record(dict(r), n) for n, r in enumerate(records, start=1))

    async def run() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        try:
            async for result in replay(parsed, engine, batch=256):
                client = result.client
                match = result.outcome.campaign
                out.append(
                    {
                        "client": result.record.client,
                        "action": result.action,
                        "own_action": own_action(result.verdict),
                        "configured": configured_lookalike(result.verdict),
                        "client_level": client.level if client is not None else "ok",
                        "flagged": result.outcome.flagged,
                        "category": result.outcome.category,
                        "cluster_id": client.cluster_id if client is not None else None,
                        "reasons": list(client.reasons) if client is not None else [],
                        "campaign_id": match.campaign_id if match is not None else None,
                        "campaign_level": match.level if match is not None else None,
                        "campaign_reason": match.reason() if match is not None else None,
                        "campaign_similarity": match.similarity if match is not None else None,
                        "campaign_held": match.held if match is not None else None,
                        "campaign_framed": match.framed if match is not None else None,
                        "signals": list(result.outcome.signals),
                    }
                )
        finally:
            await engine.aclose()
            if disk is not None:
                disk.save()
            if lane_disk is not None:
                lane_disk.save()
        return out

    return asyncio.run(run())


# --------------------------------------------------------------------------- scoring (pure)


def acted_on(decision: Decision) -> bool:
    return bool(decision["action"] != "allow" or _RANK.get(decision["client_level"], 0) >= 1)


def client_acted_on(decision: Decision) -> bool:
    """Acted on through the client's standing (level tag or above), not only the request's own flag."""
    return _RANK.get(decision["client_level"], 0) >= 1


def blocked(decision: Decision) -> bool:
    return bool(decision["action"] == "block" or decision["client_level"] == "block")


def layers(decision: Decision) -> tuple[str, ...]:
    """Which layers act on a request on their own: ``request`` (its own verdict), ``client`` (its
    client's level) and ``campaign`` (its campaign's level); empty when it is not acted on.

    The campaign layer's own share of the honest clients flagged is what ``campaign_only``
    counts: those acted on by nothing else."""
    found = []
    if decision.get("own_action", "allow") != "allow":
        found.append("request")
    if _RANK.get(decision["client_level"], 0) >= 1:
        found.append("client")
    if _RANK.get(decision.get("campaign_level") or "ok", 0) >= 1 and decision["action"] != "allow":
        found.append("campaign")
    if not found and acted_on(decision):
        found.append("request")  # acted on for a reason outside the three (never in a replay today)
    return tuple(found)


def blocking_layers(decision: Decision) -> tuple[str, ...]:
    found = []
    if decision.get("own_action") == "block":
        found.append("request")
    if decision["client_level"] == "block":
        found.append("client")
    if decision.get("campaign_level") == "block" and decision["action"] == "block":
        found.append("campaign")
    return tuple(found)


@dataclass
class _Key:
    requests: int = 0
    campaign_requests: int = 0
    first_action_request: int | None = None  # the key's n-th request (all of its requests)
    first_action_campaign_request: int | None = None  # the key's n-th campaign request
    first_client_level_request: int | None = None  # first request with the client's level at tag or above
    active_after: bool = False  # sent a campaign request after the campaign was established
    acted_after: bool = False  # was acted on at such a request
    client_acted_after: bool = False  # ... through its client level
    max_level: str = "ok"
    blocked: bool = False


def _median(values: Iterable[float]) -> float | None:
    data = list(values)
    return float(statistics.median(data)) if data else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _stronger(a: str, b: str) -> str:
    return a if _RANK.get(a, 0) >= _RANK.get(b, 0) else b


def _campaign_row(pairs: Sequence[tuple[Record, Decision]]) -> dict[str, Any]:
    """One campaign scenario: its keys and campaigns (pairs in time order)."""
    keys: dict[tuple[str, str], _Key] = {}
    ordinals: Counter[str] = Counter()
    first_action: dict[str, int] = {}
    campaign_of: dict[tuple[str, str], str] = {}
    acted_requests = after_requests = 0
    for rec, dec in pairs:
        tag = rec["label"]
        campaign, is_campaign = tag["campaign"], bool(tag["campaign_request"])
        key = keys.setdefault((campaign, rec["client"]), _Key())
        campaign_of[(campaign, rec["client"])] = campaign
        key.requests += 1
        if is_campaign:
            ordinals[campaign] += 1
            key.campaign_requests += 1
        act, by_level = acted_on(dec), client_acted_on(dec)
        if act and key.first_action_request is None:
            key.first_action_request, key.first_action_campaign_request = key.requests, key.campaign_requests
        if by_level and key.first_client_level_request is None:
            key.first_client_level_request = key.requests
        if act and campaign not in first_action and is_campaign:
            first_action[campaign] = ordinals[campaign]
        if is_campaign and ordinals[campaign] > ESTABLISHED:
            key.active_after = True
            after_requests += 1
            if act:
                key.acted_after = True
                acted_requests += 1
            key.client_acted_after = key.client_acted_after or by_level
        key.max_level = _stronger(key.max_level, dec["client_level"])
        key.blocked = key.blocked or blocked(dec)
    stats = list(keys.values())
    eligible = [k for k in stats if k.active_after]
    acted = [k for k in stats if k.first_action_request is not None]
    leveled = [k.first_client_level_request for k in stats if k.first_client_level_request is not None]
    return {
        "campaigns": len(ordinals),
        "keys": len(stats),
        "requests": sum(k.requests for k in stats),
        "campaign_requests": sum(ordinals.values()),
        "after_100": _share(sum(k.acted_after for k in eligible), len(eligible)),
        "after_100_keys": len(eligible),
        "after_100_requests_acted": _share(acted_requests, after_requests),
        "within_100": _share(sum(1 for k in acted if (k.first_action_request or 0) <= 100), len(stats)),
        "within_300": _share(sum(1 for k in acted if (k.first_action_request or 0) <= 300), len(stats)),
        "acted_ever": _share(len(acted), len(stats)),
        # The same, counting only the client's level (what client and campaign detection add
        # to the request's own verdict).
        "after_100_client_level": _share(sum(k.client_acted_after for k in eligible), len(eligible)),
        "within_100_client_level": _share(sum(1 for n in leveled if n <= 100), len(stats)),
        "within_300_client_level": _share(sum(1 for n in leveled if n <= 300), len(stats)),
        "median_requests_to_client_level": _median(leveled),
        "median_campaign_requests_to_first_action": _median(k.first_action_campaign_request or 0 for k in acted),
        "median_requests_to_first_action": _median(k.first_action_request or 0 for k in acted),
        "campaign_request_of_first_action": {c: first_action.get(c) for c in sorted(ordinals)},
        "key_max_levels": dict(Counter(k.max_level for k in stats)),
        "keys_blocked": sum(k.blocked for k in stats),
    }


def _client_rows(pairs: Sequence[tuple[Record, Decision]]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for rec, dec in pairs:
        row = rows.setdefault(
            rec["client"],
            {
                "requests": 0,
                "acted_requests": 0,
                "flagged_requests": 0,
                "blocked_requests": 0,
                "first_action_request": None,
                "first_client_level_request": None,
                "max_level": "ok",
                "categories": Counter(),
                "first_reasons": [],
                "acted_by": Counter(),
                "blocked_by": Counter(),
                "campaigns": Counter(),
            },
        )
        row["requests"] += 1
        acting = layers(dec)
        for layer in acting:
            row["acted_by"][layer] += 1
        if acting == ("campaign",):
            row["acted_by"]["campaign_only"] += 1
            row["campaigns"][str(dec.get("campaign_reason") or "")[:60]] += 1
        for layer in blocking_layers(dec):
            row["blocked_by"][layer] += 1
        row["flagged_requests"] += int(bool(dec["flagged"]))
        if dec["category"]:
            row["categories"][dec["category"]] += 1
        if acted_on(dec):
            row["acted_requests"] += 1
            if row["first_action_request"] is None:
                row["first_action_request"] = row["requests"]
                row["first_reasons"] = list(dec.get("reasons") or [])[:3]
        if client_acted_on(dec) and row["first_client_level_request"] is None:
            row["first_client_level_request"] = row["requests"]
        row["blocked_requests"] += int(blocked(dec))
        row["max_level"] = _stronger(row["max_level"], dec["client_level"])
    for row in rows.values():
        # Flagged only through the campaign layer: every request it was acted on at was acted on
        # by the campaign alone (without the layer the client would have stayed clean).
        row["campaign_only"] = bool(row["acted_requests"]) and row["acted_by"]["campaign_only"] == row["acted_requests"]
        for name in ("categories", "acted_by", "blocked_by"):
            row[name] = dict(row[name])
        row["campaigns"] = dict(row["campaigns"].most_common(3))
    return rows


def _benign_row(pairs: Sequence[tuple[Record, Decision]]) -> dict[str, Any]:
    rows = _client_rows(pairs)
    flagged = {c: r for c, r in rows.items() if r["first_action_request"] is not None}
    return {
        "clients": len(rows),
        "requests": sum(r["requests"] for r in rows.values()),
        "flagged_clients": len(flagged),
        "flagged_share": _share(len(flagged), len(rows)),
        "client_level_flagged": sum(1 for r in rows.values() if r["first_client_level_request"] is not None),
        "blocked_clients": sum(1 for r in rows.values() if r["blocked_requests"]),
        "blocked_requests": sum(r["blocked_requests"] for r in rows.values()),
        "acted_requests": sum(r["acted_requests"] for r in rows.values()),
        "flagged_requests": sum(r["flagged_requests"] for r in rows.values()),
        "client_max_levels": dict(Counter(r["max_level"] for r in rows.values())),
        # Why: clients flagged by the campaign layer alone, clients blocked by each layer.
        "campaign_only_flagged": sum(1 for r in flagged.values() if r["campaign_only"]),
        "campaign_flagged": sum(1 for r in flagged.values() if r["acted_by"].get("campaign")),
        "blocked_by_campaign": sum(1 for r in rows.values() if r["blocked_by"].get("campaign")),
        "blocked_by_request": sum(1 for r in rows.values() if r["blocked_by"].get("request")),
        "blocked_by_client": sum(1 for r in rows.values() if r["blocked_by"].get("client")),
        "flagged_examples": [{"client": c[:12], **r} for c, r in list(flagged.items())[:5]],
    }


def _evaluation_row(pairs: Sequence[tuple[Record, Decision]]) -> dict[str, Any]:
    customers = []
    for client, row in _client_rows(pairs).items():
        customers.append({"client": client[:12], **row, "blocked": row["blocked_requests"] > 0})
    return {"customers": customers, "blocked_customers": sum(c["blocked"] for c in customers)}


def score(records: Sequence[Record], decisions: Sequence[Decision]) -> dict[str, Any]:
    """Per-scenario figures for one seed (records and decisions in the same, time, order)."""
    by_scenario: dict[str, list[tuple[Record, Decision]]] = {}
    for rec, dec in zip(records, decisions):
        by_scenario.setdefault(rec["label"]["scenario"], []).append((rec, dec))
    out: dict[str, Any] = {}
    honest: list[tuple[Record, Decision]] = []
    for name, pairs in by_scenario.items():
        kind = SCENARIOS[name].kind if name in SCENARIOS else "campaign"
        if kind == "campaign":
            out[name] = _campaign_row(pairs)
        elif kind == "evaluation":
            out[name] = _evaluation_row(pairs)
        else:
            out[name] = _benign_row(pairs)
            honest += pairs
    if honest:
        total = _benign_row(honest)
        total.pop("flagged_examples")
        out["benign_total"] = total
    return out


# --------------------------------------------------------------------------- report


def _target(name: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    scenario = SCENARIOS.get(name)
    if scenario is None or scenario.target is None:
        return None
    values = [r[scenario.target] for r in rows]
    known = [v for v in values if v is not None]
    threshold = TARGETS[scenario.target]
    return {
        "metric": scenario.target,
        "threshold": threshold,
        "per_seed": values,
        "met": bool(known) and len(known) == len(values) and min(known) >= threshold,
    }


def aggregate(per_seed: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Scenario rows across seeds, with each campaign scenario's target checked on every seed."""
    names = [n for n in (*SCENARIOS, "benign_total") if any(n in s for s in per_seed)]
    out: dict[str, Any] = {}
    for name in names:
        rows = [s[name] for s in per_seed if name in s]
        entry: dict[str, Any] = {"per_seed": rows}
        if name in SCENARIOS:
            entry = {"kind": SCENARIOS[name].kind, "summary": SCENARIOS[name].summary, **entry}
        target = _target(name, rows)
        if target is not None:
            entry["target"] = target
        if name == "benign_total":
            entry["target"] = {
                "metric": "flagged_share ≤ 0.5 % and no client blocked",
                "per_seed": [(r["flagged_share"], r["blocked_clients"]) for r in rows],
                "met": all((r["flagged_share"] or 0) <= BENIGN_FLAGGED_MAX and not r["blocked_clients"] for r in rows),
            }
        if name == "evaluation":
            entry["target"] = {"metric": "never blocked", "met": all(not r["blocked_customers"] for r in rows)}
        out[name] = entry
    return out


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def results_table(report: Mapping[str, Any]) -> str:
    """The report as Markdown tables, one value per seed separated by slashes."""
    scenarios = report["scenarios"]
    lines = [
        "| campaign scenario | keys | acted on after 100 | by client level | within 100 | within 300 | median campaign "
        "requests to first action | campaign request of first action | target met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, entry in scenarios.items():
        if entry.get("kind") != "campaign":
            continue
        rows = entry["per_seed"]
        firsts = ["/".join(_num(v) for v in r["campaign_request_of_first_action"].values()) for r in rows]
        lines.append(
            f"| {name} | {rows[0]['keys']} | {' / '.join(_pct(r['after_100']) for r in rows)} "
            f"| {' / '.join(_pct(r['after_100_client_level']) for r in rows)} "
            f"| {' / '.join(_pct(r['within_100']) for r in rows)} | {' / '.join(_pct(r['within_300']) for r in rows)} "
            f"| {' / '.join(_num(r['median_campaign_requests_to_first_action']) for r in rows)} "
            f"| {' ; '.join(firsts)} | {'yes' if entry['target']['met'] else 'no'} |"
        )
    lines += [
        "",
        "| honest scenario | clients | flagged | by client level | by campaign alone | blocked clients "
        "| blocked requests | blocked by request / client / campaign |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, entry in scenarios.items():
        if entry.get("kind", "benign") != "benign":
            continue
        rows = entry["per_seed"]
        flagged = " / ".join(f"{r['flagged_clients']} ({_pct(r['flagged_share'])})" for r in rows)
        blocked_clients = " / ".join(str(r["blocked_clients"]) for r in rows)
        blocked_requests = " / ".join(str(r["blocked_requests"]) for r in rows)
        leveled = " / ".join(str(r["client_level_flagged"]) for r in rows)
        alone = " / ".join(str(r.get("campaign_only_flagged", "–")) for r in rows)
        by = " ; ".join(
            f"{r.get('blocked_by_request', '–')}/{r.get('blocked_by_client', '–')}/{r.get('blocked_by_campaign', '–')}"
            for r in rows
        )
        lines.append(
            f"| {name} | {rows[0]['clients']} | {flagged} | {leveled} | {alone} | {blocked_clients} "
            f"| {blocked_requests} | {by} |"
        )
    if "evaluation" in scenarios:
        lines += [
            "",
            "| evaluation customer | requests | first action at request | max level | blocked requests |",
            "|---|---:|---:|---|---:|",
        ]
        for seed, row in zip(report["seeds"], scenarios["evaluation"]["per_seed"]):
            for c in row["customers"]:
                lines.append(
                    f"| seed {seed} {c['client']} | {c['requests']} | {_num(c['first_action_request'])} "
                    f"| {c['max_level']} | {c['blocked_requests']} |"
                )
    return "\n".join(lines)


def _write_traffic(path: Path, seed: int, records: Sequence[Record], many: bool) -> None:
    target = path.with_name(f"{path.stem}.seed{seed}{path.suffix}") if many else path
    with target.open("w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False) + "\n")


def build_report(
    command: str,
    seeds: Sequence[int],
    scale: float,
    sizes: Sequence[int],
    seconds: Sequence[float],
    per_seed: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The JSON report: what was run, how long each seed's replay took, and the scenarios' figures."""
    return {
        "command": command,
        "seeds": list(seeds),
        "scale": scale,
        "requests": list(sizes),
        "seconds": list(seconds),
        "definitions": {
            "acted_on": "request action is not allow, or the client's level is tag or above",
            "after_100": f"of the keys that send a campaign request after the campaign's {ESTABLISHED}th "
            "(in all, across its keys), the share acted on at such a request",
            "within_N": "share of a campaign's keys acted on by their own N-th request",
            "*_client_level": "the same, counting only the client's level (tag or above), not the request's own action",
            "actions": "enforce mode's default per-category actions (prompt_extraction block, others throttle)",
        },
        "scenarios": aggregate(per_seed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="run seeds 1..N (default 3)")
    parser.add_argument(
        "--scenario", action="append", choices=sorted(SCENARIOS), help="only this scenario (repeatable); default all"
    )
    parser.add_argument("--write", type=Path, help="also write each seed's traffic (NAME.seedN.jsonl if several)")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument("--no-replay", action="store_true", help="generate (and --write) only")
    parser.add_argument("--seed", type=int, action="append", help="run this seed (repeatable) instead of 1..--seeds")
    parser.add_argument(
        "--campaigns",
        choices=("shared", "auto"),
        default="shared",
        help="the engine's campaign layer: shared (the default: imported campaigns only) or auto (found here too)",
    )
    parser.add_argument(
        "--embed-cache",
        type=Path,
        help="keep encoder vectors in this .npz across runs (one file per seed: NAME.seedN.npz); decisions unchanged",
    )
    parser.add_argument("--threads", type=int, default=2, help="encoder threads (default 2)")
    parser.add_argument("--thresholds", type=Path, help="thresholds JSON (default: shipped)")
    parser.add_argument(
        "--multilingual", type=Path, help="an exported multilingual encoder: the lane on (off by default)"
    )
    parser.add_argument(
        "--template-groups",
        action="store_true",
        help="campaign rule option: near misses in system messages group across keys used once (measured, off)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help="the ring's and single-use campaign's key counts as a share of issue 11's 1,000 and 3,000 "
        f"(default {DEFAULT_SCALE})",
    )
    args = parser.parse_args(argv)

    seeds = list(args.seed) if args.seed else list(range(1, args.seeds + 1))
    per_seed: list[dict[str, Any]] = []
    sizes: list[int] = []
    seconds: list[float] = []
    for seed in seeds:
        records = generate(seed, args.scenario, scale=args.scale)
        sizes.append(len(records))
        if args.write:
            _write_traffic(args.write, seed, records, len(seeds) > 1)
        if args.no_replay:
            continue
        started = time.perf_counter()
        cache = args.embed_cache.with_name(f"{args.embed_cache.stem}.seed{seed}.npz") if args.embed_cache else None
        decisions = decide_all(
            records,
            threads=args.threads,
            campaigns=args.campaigns,
            embed_cache=cache,
            template_groups=args.template_groups,
            thresholds=args.thresholds,
            multilingual=args.multilingual,
        )
        seconds.append(round(time.perf_counter() - started, 1))
        per_seed.append(score(records, decisions))
        print(f"seed {seed}: {len(records):,} requests in {seconds[-1]:.0f} s", file=sys.stderr)
    if args.no_replay:
        print(json.dumps({"seeds": seeds, "requests": sizes}))
        return 0
    command = "python benchmarks/traffic.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report = build_report(command, seeds, args.scale, sizes, seconds, per_seed)
    print(results_table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
