"""An offline HTML report from the middleware's JSON decision log.

``read_decisions`` streams a log written by :class:`querysentry.telemetry.JsonFormatter`, or the
output of ``querysentry replay -o`` (the same envelope, ``querysentry.engine.record``), and yields
the decision records (message ``querysentry decision``); anything else is skipped and counted.
:class:`ReportData` aggregates them one at a time, so memory grows with the number of clients,
patterns and time buckets, never with the number of lines. ``render_html`` turns the aggregate
into one self-contained page: inline CSS and hand-drawn inline SVG, no scripts, nothing fetched.

The log is attacker-influenced (client keys come from request headers, reasons quote template
hashes), so every string taken from it is truncated when stored and escaped when rendered.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from querysentry.engine.record import record_of
from querysentry.jsonl import iter_lines, parse_json_line
from querysentry.policy import LEVELS, level_rank

__all__ = [
    "ACTIONS",
    "LEVELS",
    "CampaignStats",
    "ClientStats",
    "Decision",
    "ReportData",
    "build_report",
    "read_decisions",
    "render_html",
]

ACTIONS: tuple[str, ...] = ("allow", "tag", "throttle", "block")

# Caps that keep memory and page size bounded however hostile the log is.
MAX_TEXT = 200  # characters kept of any string from the log
MAX_KEYS = 10_000  # distinct values per counter (patterns, categories, versions, clusters); the rest go to "(other)"
MAX_CLIENTS = 1_000_000  # per-client rows kept; later new clients are counted, not itemised
MAX_BUCKETS = 4_000  # raw time buckets; beyond that the bucket width grows (see _coarsen)
MAX_ROWS = 200  # table rows rendered
OTHER = "(other)"
SCORE_BINS = 20
# Campaigns keep member sets and time series each, so they get tighter caps than MAX_KEYS: at most
# MAX_CAMPAIGNS x MAX_CAMPAIGN_MEMBERS client keys, the same order as MAX_CLIENTS.
MAX_CAMPAIGNS = 1_000  # distinct campaign ids itemised; later ones are merged into OTHER
MAX_CAMPAIGN_MEMBERS = 1_000  # member clients kept per campaign; requests from further ones are counted
MAX_CAMPAIGN_TOKENS = 50  # categories / linkage tokens kept per campaign, and items read from each list
MAX_CAMPAIGN_BUCKETS = 400  # time buckets per campaign; beyond that its bucket width grows

# Bucket widths in seconds; each divides the next, so coarser buckets merge finer ones exactly and
# stay aligned to UTC minutes, hours and days.
_WIDTHS: tuple[int, ...] = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400, 28 * 86400)
_CHART_BARS = 60  # the timeline is re-bucketed to at most this many bars
_SPARK_POINTS = 40  # a campaign's growth series is re-bucketed to at most this many steps


@dataclass(frozen=True)
class Decision:
    """One decision record: its log time (None if missing or unparsable) and its ``querysentry`` fields."""

    time: datetime | None
    fields: Mapping[str, Any]


def read_decisions(path: Path | str, skipped: Callable[[int], None] | None = None) -> Iterator[Decision]:
    """Yield the decision records of a JSONL log, streaming; call ``skipped(line_number)`` for every other line.

    Blank lines, non-JSON lines, JSON that is not an object and records with another message or
    without a ``querysentry`` object are all skipped: a shared log holds the application's lines too.
    """
    # errors="replace": one bad byte in a huge log should cost one line at most, not the report.
    for number, line in iter_lines(path, errors="replace"):
        decision = _parse_line(line)
        if decision is None:
            if skipped is not None:
                skipped(number)
            continue
        yield decision


def _parse_line(line: str) -> Decision | None:
    if not line.strip():
        return None
    record, error = parse_json_line(line)
    if error is not None:
        return None
    fields = record_of(record)
    if fields is None:
        return None
    return Decision(time=_parse_time(record.get("time")), fields=fields)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        # Python 3.10's fromisoformat does not take a "Z" suffix; the formatter writes +00:00 but others may not.
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return None
    # A naive time is taken as UTC so that all times compare and bucket on one clock.
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text[:MAX_TEXT]


def _number(value: Any) -> float | None:
    # bool is an int subclass; a "true" score is a malformed record, not 1.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _count(counter: Counter[str], key: str, n: int = 1, limit: int = MAX_KEYS) -> None:
    """Counter increment that folds new keys into OTHER once ``limit`` distinct keys are held."""
    if key not in counter and len(counter) >= limit:
        key = OTHER
    counter[key] += n


def _int(value: Any) -> int | None:
    # bool is an int subclass; "members": true is a malformed record, not 1.
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _strings(value: Any) -> list[str]:
    """The first MAX_CAMPAIGN_TOKENS strings of a list field: one hostile line must not cost a huge loop."""
    if not isinstance(value, list):
        return []
    return [text for item in value[:MAX_CAMPAIGN_TOKENS] if (text := _text(item))]


def _iso(time: datetime | None) -> str | None:
    return time.isoformat(timespec="seconds") if time is not None else None


@dataclass
class ClientStats:
    """What the report keeps per client: counts, and the details of its worst moment."""

    requests: int = 0
    flagged: int = 0
    level: str = "ok"  # the highest client level seen
    max_risk: float = 0.0
    first_flagged: datetime | None = None
    cluster_id: str | None = None  # the latest cluster it was seen in
    top_reason: str | None = None  # the first reason given when its risk peaked
    noticed: bool = False  # flagged a request or reached a level above ok

    def to_dict(self, client: str) -> dict[str, Any]:
        return {
            "client": client,
            "requests": self.requests,
            "flagged_requests": self.flagged,
            "highest_level": self.level,
            "max_client_risk": round(self.max_risk, 4),
            "first_flagged": _iso(self.first_flagged),
            "cluster_id": self.cluster_id,
            "top_reason": self.top_reason,
        }


@dataclass
class CampaignStats:
    """What the report keeps per campaign: its members as the log shows them, and how they grew.

    ``buckets`` maps a bucket start (epoch s, ``width`` wide) to ``requests`` and ``new_members``,
    the members whose first request in this campaign falls in that bucket.
    """

    requests: int = 0
    level: str = "ok"  # the highest campaign level seen
    source: str | None = None  # the intel source it was imported from; None: found by this deployment
    members: dict[str, int | None] = field(default_factory=dict)  # client -> first seen (epoch s; None: untimed)
    unlisted_requests: int = 0  # requests from clients beyond MAX_CAMPAIGN_MEMBERS (distinct count unknown)
    engine_members: int | None = None  # campaign_members / campaign_requests of the latest record
    engine_requests: int | None = None
    categories: Counter[str] = field(default_factory=Counter)  # requests carrying each campaign category
    linkage: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    width: int = _WIDTHS[0]
    buckets: dict[int, Counter[str]] = field(default_factory=dict)
    _reported_at: datetime | None = None

    def add(self, client: str, f: Mapping[str, Any], time: datetime | None) -> None:
        self.requests += 1
        level = _text(f.get("campaign_level"))
        if level_rank(level) > level_rank(self.level):
            self.level = level or "ok"
        source = _text(f.get("campaign_source"))
        if source and self.source is None:
            self.source = source
        for category in _strings(f.get("campaign_categories")):
            _count(self.categories, category, limit=MAX_CAMPAIGN_TOKENS)
        for token in _strings(f.get("campaign_linkage")):
            _count(self.linkage, token, limit=MAX_CAMPAIGN_TOKENS)
        # "Latest" by log time, not line order: merged or replayed logs need not be sorted.
        # An untimed record only fills in a count while no timed one has.
        newer = self._reported_at is None or (time is not None and time >= self._reported_at)
        if newer:
            members, requests = _int(f.get("campaign_members")), _int(f.get("campaign_requests"))
            if members is not None or requests is not None:
                self.engine_members = members if members is not None else self.engine_members
                self.engine_requests = requests if requests is not None else self.engine_requests
                self._reported_at = time
        epoch = None
        if time is not None:
            self.first = time if self.first is None else min(self.first, time)
            self.last = time if self.last is None else max(self.last, time)
            epoch = int(time.timestamp())
            self._step(epoch, "requests", 1)
        self._member(client, epoch)
        if len(self.buckets) > MAX_CAMPAIGN_BUCKETS:
            while len(self.buckets) > MAX_CAMPAIGN_BUCKETS:
                self.width = _next_width(self.width)
                self.buckets = _rebucket(self.buckets, self.width)

    def _member(self, client: str, epoch: int | None) -> None:
        if client not in self.members:
            if len(self.members) >= MAX_CAMPAIGN_MEMBERS:
                self.unlisted_requests += 1
                return
            self.members[client] = epoch
            if epoch is not None:
                self._step(epoch, "new_members", 1)
            return
        seen = self.members[client]
        if epoch is not None and (seen is None or epoch < seen):
            # An out-of-order line moves the member's arrival earlier; its old bucket still exists
            # (rebucketing only merges), so the move keeps every bucket's count exact.
            if seen is not None:
                self._step(seen, "new_members", -1)
            self.members[client] = epoch
            self._step(epoch, "new_members", 1)

    def _step(self, epoch: int, key: str, n: int) -> None:
        start = epoch - epoch % self.width
        self.buckets.setdefault(start, Counter())[key] += n

    def series(self, points: int = _SPARK_POINTS) -> tuple[int, list[tuple[int, int, int, int]]]:
        """(bucket width, [(bucket start, requests, new members, cumulative members)]) over the campaign's span.

        Empty buckets are included so that a pause shows as a flat stretch. Members first seen only
        in untimed records are not in the cumulative count.
        """
        width, buckets = _span_buckets(self.buckets, self.width, points)
        rows, total = [], 0
        for start, counts in buckets:
            total += counts.get("new_members", 0)
            rows.append((start, counts.get("requests", 0), counts.get("new_members", 0), total))
        return width, rows

    def to_dict(self, campaign_id: str) -> dict[str, Any]:
        width, series = self.series()
        return {
            "campaign_id": campaign_id,
            "source": self.source,
            "highest_level": self.level,
            "members": len(self.members),
            "members_capped": self.unlisted_requests > 0,
            "unlisted_requests": self.unlisted_requests,
            "requests": self.requests,
            "engine_members": self.engine_members,
            "engine_requests": self.engine_requests,
            "categories": dict(self.categories.most_common()),
            "linkage": [token for token, _ in self.linkage.most_common()],
            "first": _iso(self.first),
            "last": _iso(self.last),
            "series": {
                "bucket_seconds": width,
                "buckets": [
                    {
                        "start": _iso(datetime.fromtimestamp(s, timezone.utc)),
                        "requests": r,
                        "new_members": n,
                        "members": m,
                    }
                    for s, r, n, m in series
                ],
            },
        }


@dataclass
class _VersionSeen:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None


@dataclass
class ReportData:
    """The aggregate of a decision log, built one record at a time with :meth:`add`."""

    requests: int = 0
    flagged: int = 0
    skipped_lines: int = 0
    untimed: int = 0  # decisions without a usable time: counted everywhere except the timeline
    clients_dropped: int = 0  # requests from clients beyond MAX_CLIENTS (still in all totals)
    first: datetime | None = None
    last: datetime | None = None
    actions: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)  # of flagged requests only
    patterns: Counter[str] = field(default_factory=Counter)
    score_bins: list[int] = field(default_factory=lambda: [0] * SCORE_BINS)
    unscored: int = 0
    clients: dict[str, ClientStats] = field(default_factory=dict)
    cluster_requests: Counter[str] = field(default_factory=Counter)
    cluster_members: dict[str, set[str]] = field(default_factory=dict)
    versions: dict[str, _VersionSeen] = field(default_factory=dict)
    bucket_width: int = _WIDTHS[0]
    buckets: dict[int, Counter[str]] = field(default_factory=dict)  # bucket start (epoch s) -> action counts
    campaign_stats: dict[str, CampaignStats] = field(default_factory=dict)

    def skip(self, _line: int = 0) -> None:
        self.skipped_lines += 1

    def add(self, decision: Decision) -> None:
        """Fold one decision record into the aggregate."""
        f, time = decision.fields, decision.time
        self.requests += 1
        action = _text(f.get("action")) or "unknown"
        _count(self.actions, action)
        _count(self.statuses, _text(f.get("status")) or "unknown")
        flagged = f.get("flagged") is True
        if flagged:
            self.flagged += 1
            _count(self.categories, _text(f.get("category")) or "unknown")
        pattern = _text(f.get("pattern_id"))
        if pattern:
            _count(self.patterns, pattern)
        score = _number(f.get("score"))
        if score is None:
            self.unscored += 1
        else:
            # Scores are similarities in [0, 1]; anything outside is clamped into the end bins.
            self.score_bins[min(SCORE_BINS - 1, max(0, int(score * SCORE_BINS)))] += 1
        if time is None:
            self.untimed += 1
        else:
            self.first = time if self.first is None else min(self.first, time)
            self.last = time if self.last is None else max(self.last, time)
            self._bucket(time, action)
        version = _text(f.get("index_version"))
        if version:
            self._version(version, time)
        client = _text(f.get("client")) or "(none)"
        cluster = _text(f.get("cluster_id"))
        if cluster:
            _count(self.cluster_requests, cluster)
            key = cluster if cluster in self.cluster_members or len(self.cluster_members) < MAX_KEYS else OTHER
            members = self.cluster_members.setdefault(key, set())
            if len(members) < MAX_CLIENTS:
                members.add(client)
        campaign = _text(f.get("campaign_id"))
        if campaign:
            key = campaign if campaign in self.campaign_stats or len(self.campaign_stats) < MAX_CAMPAIGNS else OTHER
            self.campaign_stats.setdefault(key, CampaignStats()).add(client, f, time)
        self._client(client, f, flagged, cluster, time)

    def _client(
        self, client: str, f: Mapping[str, Any], flagged: bool, cluster: str | None, time: datetime | None
    ) -> None:
        stats = self.clients.get(client)
        if stats is None:
            if len(self.clients) >= MAX_CLIENTS:
                self.clients_dropped += 1
                return
            stats = self.clients[client] = ClientStats()
        stats.requests += 1
        level = _text(f.get("client_level"))
        risk = _number(f.get("client_risk"))
        if flagged:
            stats.flagged += 1
        if level_rank(level) > level_rank(stats.level):
            stats.level = level or "ok"
        if cluster:
            stats.cluster_id = cluster
        if flagged or level_rank(level) > 0:
            if time is not None and (stats.first_flagged is None or time < stats.first_flagged):
                stats.first_flagged = time
            stats.noticed = True
        reasons = f.get("reasons")
        if risk is not None and (risk > stats.max_risk or stats.top_reason is None):
            stats.max_risk = max(stats.max_risk, risk)
            if isinstance(reasons, list) and reasons:
                stats.top_reason = _text(reasons[0])

    def _version(self, version: str, time: datetime | None) -> None:
        seen = self.versions.get(version)
        if seen is None:
            if len(self.versions) >= MAX_KEYS:
                version = OTHER
            seen = self.versions.setdefault(version, _VersionSeen())
        seen.count += 1
        if time is not None:
            seen.first = time if seen.first is None else min(seen.first, time)
            seen.last = time if seen.last is None else max(seen.last, time)

    def _bucket(self, time: datetime, action: str) -> None:
        epoch = int(time.timestamp())
        start = epoch - epoch % self.bucket_width
        counts = self.buckets.get(start)
        if counts is None:
            counts = self.buckets[start] = Counter()
        # Unknown actions share one slot so that a hostile log cannot grow every bucket.
        counts[action if action in ACTIONS else "other"] += 1
        if len(self.buckets) > MAX_BUCKETS:
            self._coarsen()

    def _coarsen(self) -> None:
        """Move to the next bucket width and merge: the span is only known at the end of the stream."""
        while len(self.buckets) > MAX_BUCKETS:
            self.bucket_width = _next_width(self.bucket_width)
            self.buckets = _rebucket(self.buckets, self.bucket_width)

    # -- derived views -------------------------------------------------------------------------

    @property
    def flagged_clients(self) -> list[tuple[str, ClientStats]]:
        """Clients that sent a flagged request or reached a level above ok, worst first."""
        rows = [(key, stats) for key, stats in self.clients.items() if stats.noticed]
        rows.sort(key=lambda r: (-level_rank(r[1].level), -r[1].max_risk, -r[1].flagged, r[0]))
        return rows

    @property
    def clusters(self) -> list[tuple[str, int, int]]:
        """(cluster id, member count, requests), largest first."""
        rows = [(cid, len(self.cluster_members.get(cid, ())), n) for cid, n in self.cluster_requests.items()]
        rows.sort(key=lambda r: (-r[2], r[0]))
        return rows

    @property
    def campaigns(self) -> list[tuple[str, CampaignStats]]:
        """(campaign id, stats), largest first: most members in the log, then most requests."""
        rows = list(self.campaign_stats.items())
        rows.sort(key=lambda r: (-len(r[1].members), -r[1].requests, r[0]))
        return rows

    def timeline(self, bars: int = _CHART_BARS) -> tuple[int, list[tuple[int, Counter[str]]]]:
        """(bucket width, [(bucket start, action counts)]) over the whole span, at most about ``bars`` buckets.

        Empty buckets are included so that quiet periods show as gaps rather than being squeezed out.
        """
        return _span_buckets(self.buckets, self.bucket_width, bars)

    def to_dict(self) -> dict[str, Any]:
        """The aggregate as plain JSON-able data (what ``querysentry report --json`` prints)."""
        width, timeline = self.timeline()
        flagged_clients = self.flagged_clients
        return {
            "summary": {
                "requests": self.requests,
                "clients": len(self.clients),
                "flagged_requests": self.flagged,
                "flagged_clients": len(flagged_clients),
                "clusters": len(self.cluster_requests),
                "campaigns": len(self.campaign_stats),
                "first": _iso(self.first),
                "last": _iso(self.last),
                "span_seconds": (self.last - self.first).total_seconds() if self.first and self.last else None,
                "lines_skipped": self.skipped_lines,
                "untimed": self.untimed,
            },
            "actions": dict(self.actions),
            "statuses": dict(self.statuses),
            "flagged_clients": [stats.to_dict(key) for key, stats in flagged_clients],
            "clusters": [{"cluster_id": c, "members": m, "requests": n} for c, m, n in self.clusters],
            "campaigns": [stats.to_dict(key) for key, stats in self.campaigns],
            "timeline": {
                "bucket_seconds": width,
                "buckets": [
                    {"start": _iso(datetime.fromtimestamp(s, timezone.utc)), **{a: c.get(a, 0) for a in ACTIONS}}
                    for s, c in timeline
                ],
            },
            "score_histogram": {"bins": SCORE_BINS, "counts": list(self.score_bins), "unscored": self.unscored},
            "categories": dict(self.categories.most_common()),
            "patterns": dict(self.patterns.most_common()),
            "index_versions": [
                {"index_version": v, "count": s.count, "first": _iso(s.first), "last": _iso(s.last)}
                for v, s in self._versions_sorted()
            ],
        }

    def _versions_sorted(self) -> list[tuple[str, _VersionSeen]]:
        far = datetime.max.replace(tzinfo=timezone.utc)
        return sorted(self.versions.items(), key=lambda kv: (kv[1].first or far, kv[0]))


def _next_width(width: int) -> int:
    for candidate in _WIDTHS:
        if candidate > width and candidate % width == 0:
            return candidate
    return width * 2


def _span_buckets(
    buckets: Mapping[int, Counter[str]], width: int, bars: int
) -> tuple[int, list[tuple[int, Counter[str]]]]:
    """Re-bucket to at most about ``bars`` buckets over the span, empty buckets included."""
    if not buckets:
        return width, []
    low, high = min(buckets), max(buckets)
    base = width
    while (high - low) // width + 1 > bars and width < _WIDTHS[-1] * 1024:
        width = _next_width(width)
    merged = _rebucket(buckets, width) if width != base else buckets
    low, high = min(merged), max(merged)
    return width, [(start, merged.get(start, Counter())) for start in range(low, high + 1, width)]


def _rebucket(buckets: Mapping[int, Counter[str]], width: int) -> dict[int, Counter[str]]:
    merged: dict[int, Counter[str]] = {}
    for start, counts in buckets.items():
        target = merged.setdefault(start - start % width, Counter())
        target.update(counts)
    return merged


def build_report(path: Path | str, decisions: Iterable[Decision] | None = None) -> ReportData:
    """Aggregate the decision log at ``path`` (or the given ``decisions``)."""
    data = ReportData()
    for decision in decisions if decisions is not None else read_decisions(path, data.skip):
        data.add(decision)
    return data


# -- HTML ------------------------------------------------------------------------------------------

_COLORS = {"allow": "#9ab7a4", "tag": "#e3c04f", "throttle": "#e8893a", "block": "#c8423b", "other": "#8c8c8c"}
_LEVEL_CLASS = {"ok": "lv-ok", "tag": "lv-tag", "throttle": "lv-throttle", "block": "lv-block"}

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2230}
header{background:#1d2230;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;color:#c4c9d6}
main{padding:12px 28px 40px;max-width:1200px}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:16px;margin:0 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 16px;min-width:130px}
.card .n{font-size:24px;font-weight:600} .card .l{color:#5b6275;font-size:12px;text-transform:uppercase}
.card.alert .n{color:#c8423b}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{background:#f0f2f5;font-weight:600} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
.lv{padding:1px 6px;border-radius:3px;font-size:12px;font-weight:600}
.lv-ok{background:#e3efe6}.lv-tag{background:#f6e9b8}.lv-throttle{background:#f6cfa9}.lv-block{background:#f0b9b5}
.note{color:#5b6275;font-size:12px} .grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid section{margin:0} svg{max-width:100%;height:auto} svg text{font:11px system-ui,sans-serif;fill:#1d2230}
"""


def _e(value: Any) -> str:
    """Escape for HTML text and attribute values alike."""
    return html.escape(str(value), quote=True)


def _fmt_time(time: datetime | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC") if time is not None else "–"


def _fmt_span(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s"


def _fmt_width(seconds: int) -> str:
    if seconds % 86400 == 0:
        return f"{seconds // 86400} day" + ("s" if seconds > 86400 else "")
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour" + ("s" if seconds > 3600 else "")
    return f"{seconds // 60} min"


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10^k)."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _timeline_svg(data: ReportData) -> str:
    width_s, buckets = data.timeline()
    if not buckets:
        return '<p class="note">No decision records carry a usable time.</p>'
    w, h, left, right, top, bottom = 960, 280, 56, 12, 14, 46
    plot_w, plot_h = w - left - right, h - top - bottom
    peak = _nice_max(max(sum(c.values()) for _, c in buckets))
    bar_w = plot_w / len(buckets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="decisions over time" id="chart-timeline">'
    ]
    for i in range(5):  # horizontal grid lines with tick labels
        value = peak * i // 4
        y = top + plot_h - plot_h * value / peak
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eceef2"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    slots = (*ACTIONS, "other")
    for i, (start, counts) in enumerate(buckets):
        x, y = left + i * bar_w, float(top + plot_h)
        label = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%d %H:%M")
        title = ", ".join(f"{a} {counts[a]}" for a in slots if counts.get(a))
        parts.append(f"<g><title>{_e(label)}: {_e(title or 'none')}</title>")
        for action in slots:
            n = counts.get(action, 0)
            if n:
                bh = plot_h * n / peak
                y -= bh
                parts.append(
                    f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 0.5):.1f}" '
                    f'height="{bh:.1f}" fill="{_COLORS[action]}"/>'
                )
        parts.append("</g>")
    # Time labels at the first, middle and last bucket so the axis reads without hovering.
    for i in sorted({0, len(buckets) // 2, len(buckets) - 1}):
        when = datetime.fromtimestamp(buckets[i][0], timezone.utc).strftime("%m-%d %H:%M")
        x = left + (i + 0.5) * bar_w
        # The end labels hang inwards so that they are not clipped at the chart's edges.
        anchor = "start" if i == 0 and len(buckets) > 1 else "end" if i == len(buckets) - 1 and i else "middle"
        x = left if anchor == "start" else left + plot_w if anchor == "end" else x
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="{anchor}">{_e(when)}</text>')
    parts.append(f'<line x1="{left}" x2="{w - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#5b6275"/>')
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{h - 6}" text-anchor="middle">'
        f"time (UTC), {_e(_fmt_width(width_s))} buckets</text>"
    )
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">requests</text>'
    )
    parts.append("</svg>")
    legend = " ".join(
        f'<span style="display:inline-block;width:10px;height:10px;background:{_COLORS[a]}"></span> '
        f"{_e(a)} {data.actions.get(a, 0)}"
        for a in ACTIONS
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def _histogram_svg(data: ReportData) -> str:
    w, h, left, right, top, bottom = 460, 240, 44, 18, 18, 40
    plot_w, plot_h = w - left - right, h - top - bottom
    peak = _nice_max(max(data.score_bins))
    bar_w = plot_w / SCORE_BINS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="score distribution" id="chart-scores">'
    ]
    for i, n in enumerate(data.score_bins):
        x = left + i * bar_w
        bh = plot_h * n / peak
        y = top + plot_h - bh
        low, high = i / SCORE_BINS, (i + 1) / SCORE_BINS
        parts.append(
            f"<g><title>score {low:.2f}–{high:.2f}: {n}</title>"
            f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{bh:.1f}" fill="#5a7bb5"/>'
        )
        if n:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{n}</text>')
        parts.append("</g>")
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + plot_w * tick
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{tick:.2f}</text>')
    parts.append(f'<line x1="{left}" x2="{w - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#5b6275"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{h - 6}" text-anchor="middle">score</text>')
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">requests</text>'
    )
    parts.append("</svg>")
    note = f'<p class="note">{data.unscored} requests without a score (not scanned).</p>' if data.unscored else ""
    return "".join(parts) + note


def _category_svg(data: ReportData) -> str:
    rows = data.categories.most_common(20)
    if not rows:
        return '<p class="note">No flagged requests.</p>'
    row_h, label_w, w = 22, 170, 460
    h = row_h * len(rows) + 30
    peak = max(n for _, n in rows)
    bar_max = w - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="flagged categories" id="chart-categories">'
    ]
    for i, (category, n) in enumerate(rows):
        y = 4 + i * row_h
        bw = max(bar_max * n / peak, 1.0)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(category[:28])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bw:.1f}" height="{row_h - 6}" fill="#c8723b"/>')
        parts.append(f'<text x="{label_w + bw + 4:.1f}" y="{y + 14}">{n}</text>')
    parts.append(f'<text x="{label_w + bar_max / 2:.1f}" y="{h - 6}" text-anchor="middle">flagged requests</text>')
    parts.append("</svg>")
    return "".join(parts)


def _growth_svg(campaign_id: str, stats: CampaignStats) -> str:
    """A small step chart of a campaign's cumulative members over its own span (first to last seen)."""
    width_s, series = stats.series()
    if not series or series[-1][3] == 0:
        return "–"
    w, h, pad = 160, 36, 2
    plot_w, plot_h = w - 2 * pad - 28, h - 2 * pad  # 28 px on the right for the final count
    peak = series[-1][3]
    step = plot_w / len(series)
    base = pad + plot_h

    def y(members: int) -> float:
        return base - plot_h * members / peak

    points = [(float(pad), float(base))]
    before = 0
    for i, (_, _, _, members) in enumerate(series):
        x = pad + i * step
        points += [(x, y(before)), (x, y(members))]
        before = members
    points.append((pad + plot_w, y(before)))
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in points)
    area = line + f" {pad + plot_w:.1f},{base:.1f}"
    first = datetime.fromtimestamp(series[0][0], timezone.utc).strftime("%Y-%m-%d %H:%M")
    last = datetime.fromtimestamp(series[-1][0] + width_s, timezone.utc).strftime("%Y-%m-%d %H:%M")
    title = f"{campaign_id}: {peak} members by {last} UTC, from {first} ({_fmt_width(width_s)} steps)"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'class="growth" aria-label="{_e("cumulative members of " + campaign_id)}"><title>{_e(title)}</title>'
        f'<polygon points="{area}" fill="#dfe6f3"/>'
        f'<polyline points="{line}" fill="none" stroke="#5a7bb5" stroke-width="1.5"/>'
        f'<text x="{w - pad}" y="{y(peak) + 10:.1f}" text-anchor="end">{peak}</text></svg>'
    )


def _campaigns_table(campaigns: list[tuple[str, CampaignStats]]) -> str:
    rows = []
    for cid, s in campaigns[:MAX_ROWS]:
        members = f"{len(s.members)}+" if s.unlisted_requests else str(len(s.members))
        engine = str(s.engine_members) if s.engine_members is not None else "–"
        categories = ", ".join(f"{_e(c)} ({n})" for c, n in s.categories.most_common(3))
        if len(s.categories) > 3:
            categories += ", …"
        rows.append(
            [
                f"<code>{_e(cid)}</code>",
                _e(s.source) if s.source else '<span class="note">found here</span>',
                f'<span class="lv {_LEVEL_CLASS.get(s.level, "lv-ok")}">{_e(s.level)}</span>',
                f"{_e(members)} / {_e(engine)}",
                str(s.requests),
                categories or "–",
                _e(_fmt_time(s.first)),
                _e(_fmt_time(s.last)),
                _growth_svg(cid, s),
            ]
        )
    table = _table(
        [
            ("campaign", False),
            ("source", False),
            ("max level", False),
            ("members (log / engine)", True),
            ("requests", True),
            ("categories", False),
            ("first seen", False),
            ("last seen", False),
            ("members over time", False),
        ],
        rows,
        "No campaigns.",
    )
    notes = []
    if any(s.unlisted_requests for _, s in campaigns):
        notes.append(f"“N+”: only the first {MAX_CAMPAIGN_MEMBERS} members of a campaign are itemised.")
    if any(cid == OTHER for cid, _ in campaigns):
        notes.append(f"Campaigns beyond the first {MAX_CAMPAIGNS} are merged into {OTHER}.")
    if rows:
        notes.append("Members (engine): the campaign's size the engine reported on its latest request.")
    note = f'<p class="note">{" ".join(_e(n) for n in notes)}</p>' if notes else ""
    return table + _more(len(campaigns), len(rows)) + note


def _table(headers: list[tuple[str, bool]], rows: Iterable[list[str]], empty: str) -> str:
    """Rows hold already-escaped cells; ``headers`` are (title, numeric)."""
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if num else f"<td>{c}</td>" for c, (_, num) in zip(r, headers))
        + "</tr>"
        for r in rows
    )
    if not body:
        return f'<p class="note">{_e(empty)}</p>'
    head = "".join(f'<th class="num">{_e(t)}</th>' if num else f"<th>{_e(t)}</th>" for t, num in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(total: int, shown: int) -> str:
    return f'<p class="note">Showing {shown} of {total}.</p>' if total > shown else ""


def render_html(data: ReportData, title: str = "QuerySentry report") -> str:
    """The whole report as one self-contained HTML page (no scripts, no external resources)."""
    flagged_clients = data.flagged_clients
    clusters = data.clusters
    campaigns = data.campaigns
    span = (data.last - data.first).total_seconds() if data.first and data.last else None
    cards = [
        ("requests", str(data.requests), False),
        ("clients", str(len(data.clients)), False),
        ("flagged requests", str(data.flagged), data.flagged > 0),
        ("flagged clients", str(len(flagged_clients)), bool(flagged_clients)),
        ("clusters", str(len(clusters)), bool(clusters)),
        ("campaigns", str(len(campaigns)), bool(campaigns)),
        ("time span", _fmt_span(span) if span is not None else "–", False),
    ]
    cards_html = "".join(
        f'<div class="card{" alert" if alert else ""}" data-metric="{_e(label)}">'
        f'<div class="n">{_e(value)}</div><div class="l">{_e(label)}</div></div>'
        for label, value, alert in cards
    )
    notes = [f"{_fmt_time(data.first)} → {_fmt_time(data.last)}"]
    notes.append(f"{data.skipped_lines} lines skipped (not decision records)")
    if data.untimed:
        notes.append(f"{data.untimed} decisions without a usable time")
    if data.clients_dropped:
        notes.append(f"{data.clients_dropped} requests from clients beyond the {MAX_CLIENTS} itemised")

    client_rows = [
        [
            f"<code>{_e(key)}</code>",
            str(s.requests),
            str(s.flagged),
            f'<span class="lv {_LEVEL_CLASS.get(s.level, "lv-ok")}">{_e(s.level)}</span>',
            f"{s.max_risk:.2f}",
            _e(_fmt_time(s.first_flagged)),
            f"<code>{_e(s.cluster_id)}</code>" if s.cluster_id else "–",
            _e(s.top_reason or "–"),
        ]
        for key, s in flagged_clients[:MAX_ROWS]
    ]
    clients_table = _table(
        [
            ("client", False),
            ("requests", True),
            ("flagged", True),
            ("highest level", False),
            ("max client risk", True),
            ("first flagged", False),
            ("cluster", False),
            ("top reason", False),
        ],
        client_rows,
        "No flagged clients.",
    ) + _more(len(flagged_clients), len(client_rows))
    cluster_rows = [[f"<code>{_e(c)}</code>", str(m), str(n)] for c, m, n in clusters[:MAX_ROWS]]
    clusters_table = _table(
        [("cluster", False), ("members", True), ("requests", True)], cluster_rows, "No clusters."
    ) + _more(len(clusters), len(cluster_rows))
    pattern_rows = [[f"<code>{_e(p)}</code>", str(n)] for p, n in data.patterns.most_common(25)]
    patterns_table = _table([("pattern", False), ("matches", True)], pattern_rows, "No matched patterns.") + _more(
        len(data.patterns), len(pattern_rows)
    )
    version_items = data._versions_sorted()
    version_rows = [
        [f"<code>{_e(v)}</code>", str(s.count), _e(_fmt_time(s.first)), _e(_fmt_time(s.last))]
        for v, s in version_items[:MAX_ROWS]
    ]
    versions_table = _table(
        [("index version", False), ("requests", True), ("first seen", False), ("last seen", False)],
        version_rows,
        "No index versions recorded.",
    ) + _more(len(version_items), len(version_rows))
    actions_line = ", ".join(f"{_e(a)} {n}" for a, n in data.actions.most_common())

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{_e(title)}</h1><p>{" · ".join(_e(n) for n in notes)}</p></header><main>
<section id="summary"><h2>Summary</h2><div class="cards">{cards_html}</div>
<p class="note">Actions: {actions_line or "none"}.</p></section>
<section id="timeline"><h2>Decisions over time</h2>{_timeline_svg(data)}</section>
<div class="grid">
<section id="scores"><h2>Score distribution</h2>{_histogram_svg(data)}</section>
<section id="categories"><h2>Flagged categories</h2>{_category_svg(data)}</section>
</div>
<section id="flagged-clients"><h2>Flagged clients</h2>{clients_table}</section>
<section id="clusters"><h2>Clusters</h2>{clusters_table}</section>
<section id="campaigns"><h2>Campaigns</h2>{_campaigns_table(campaigns)}</section>
<div class="grid">
<section id="patterns"><h2>Top matched patterns</h2>{patterns_table}</section>
<section id="index-versions"><h2>Index versions</h2>{versions_table}</section>
</div>
</main></body></html>
"""
