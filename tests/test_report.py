"""The decision-log report: reading, aggregation, and the HTML it renders (escaping included)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from querysentry.report import MAX_BUCKETS, ReportData, build_report, read_decisions, render_html

SAMPLE = Path(__file__).parent / "data" / "sample_decisions.jsonl"
EVIL = "<script>alert(1)</script>"


def decision(time: str = "2026-11-23T23:50:01.123+00:00", **fields: Any) -> str:
    record: dict[str, Any] = {
        "request_id": "r",
        "client": "key:aaaa",
        "status": "scanned",
        "action": "allow",
        "would_act": None,
        "api": "openai_chat",
        "flagged": False,
        "category": None,
        "score": 0.1,
        "pattern_id": None,
        "segment": None,
        "index_version": "2026.11.0+1a2b3c4d",
        "latency_ms": 3.0,
        "client_risk": 0.0,
        "client_level": "ok",
        "cluster_id": None,
        "reasons": [],
    }
    record.update(fields)
    line = {"time": time, "level": "INFO", "logger": "querysentry", "message": "querysentry decision"}
    return json.dumps({**line, "querysentry": record})


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sample_log_aggregates_to_the_expected_totals() -> None:
    data = build_report(SAMPLE)
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.startswith("{")]
    fields = [r["querysentry"] for r in records if r.get("message") == "querysentry decision"]
    assert data.requests == len(fields) == 276
    assert data.flagged == sum(f["flagged"] for f in fields)
    assert len(data.clients) == len({f["client"] for f in fields})
    assert data.skipped_lines == 8  # app heartbeats, one non-JSON line and one blank line
    assert sum(data.actions.values()) == data.requests and set(data.actions) == {"allow", "tag", "throttle", "block"}
    assert sum(data.score_bins) + data.unscored == data.requests
    assert sum(data.categories.values()) == data.flagged
    assert [c for c, _, _ in data.clusters] == ["c-3b5e04c198c5"]
    assert set(data.versions) == {"2026.11.0+fe82fd11", "2026.11.1+9f8e7d6c"}
    width, buckets = data.timeline()
    assert width == 900 and 20 <= len(buckets) <= 60  # about six hours in 15-minute bars
    assert sum(sum(c.values()) for _, c in buckets) == data.requests


def test_flagged_clients_carry_level_risk_first_flag_cluster_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        decision("2026-11-23T10:00:00+00:00", client="key:bad"),
        decision(
            "2026-11-23T10:05:00+00:00",
            client="key:bad",
            flagged=True,
            category="reasoning_trace",
            score=0.9,
            pattern_id="rt-0001",
            client_risk=0.6,
            client_level="tag",
            reasons=["first"],
        ),
        decision(
            "2026-11-23T10:10:00+00:00",
            client="key:bad",
            flagged=True,
            category="reasoning_trace",
            score=0.95,
            pattern_id="rt-0001",
            client_risk=1.4,
            client_level="throttle",
            cluster_id="c-1",
            reasons=["peak", "x"],
        ),
        decision("2026-11-23T10:15:00+00:00", client="key:bad", client_risk=0.9, client_level="tag"),
        decision("2026-11-23T10:20:00+00:00", client="key:ring", cluster_id="c-1", client_level="block"),
        decision("2026-11-23T10:30:00+00:00", client="key:good"),
    )
    data = build_report(path)
    rows = {key: stats.to_dict(key) for key, stats in data.flagged_clients}
    assert list(rows) == ["key:ring", "key:bad"]  # worst level first; key:good is not listed
    bad = rows["key:bad"]
    assert bad["requests"] == 4 and bad["flagged_requests"] == 2 and bad["highest_level"] == "throttle"
    assert bad["max_client_risk"] == 1.4 and bad["top_reason"] == "peak"
    assert bad["first_flagged"] == "2026-11-23T10:05:00+00:00" and bad["cluster_id"] == "c-1"
    assert data.clusters == [("c-1", 2, 2)]
    assert data.patterns == {"rt-0001": 2} and data.categories == {"reasoning_trace": 2}
    summary = data.to_dict()["summary"]
    assert summary["flagged_clients"] == 2 and summary["clients"] == 3 and summary["span_seconds"] == 1800


def test_other_records_and_bad_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "",
        "not json",
        "[1, 2]",
        json.dumps({"message": "app line", "querysentry": {"client": "key:x"}}),
        json.dumps({"message": "querysentry decision", "querysentry": None}),
        decision(),
        "   ",
        decision(time="garbage", score="high", flagged="yes", client_risk=float("nan")),
    )
    skipped: list[int] = []
    decisions = list(read_decisions(path, skipped.append))
    assert len(decisions) == 2 and skipped == [1, 2, 3, 4, 5, 7]
    data = build_report(path)
    assert data.requests == 2 and data.skipped_lines == 6 and data.untimed == 1 and data.unscored == 1
    assert data.flagged == 0  # "yes" is not true


def test_index_versions_record_first_last_and_count(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        decision("2026-11-23T12:00:00Z", index_version="v1"),
        decision("2026-11-23T11:00:00+01:00", index_version="v1"),  # 10:00 UTC, out of order
        decision("2026-11-23T13:00:00", index_version="v2"),  # naive: taken as UTC
        decision("2026-11-23T13:30:00+00:00", index_version=None, status="oversize", score=None),
    )
    versions = build_report(path).to_dict()["index_versions"]
    assert versions == [
        {"index_version": "v1", "count": 2, "first": "2026-11-23T10:00:00+00:00", "last": "2026-11-23T12:00:00+00:00"},
        {"index_version": "v2", "count": 1, "first": "2026-11-23T13:00:00+00:00", "last": "2026-11-23T13:00:00+00:00"},
    ]


def test_time_buckets_stay_bounded_over_a_long_span() -> None:
    data = ReportData()
    # One request a minute for ten days: far more minutes than MAX_BUCKETS.
    lines = (decision(f"2026-11-{1 + m // 1440:02d}T{m // 60 % 24:02d}:{m % 60:02d}:00+00:00") for m in range(14400))
    for item in read_decisions_from(lines):
        data.add(item)
    assert len(data.buckets) <= MAX_BUCKETS and data.bucket_width > 60
    width, buckets = data.timeline()
    assert len(buckets) <= 60 and width % data.bucket_width == 0
    assert sum(sum(c.values()) for _, c in buckets) == 14400


def read_decisions_from(lines: Any) -> Any:
    from querysentry.report import _parse_line

    for line in lines:
        parsed = _parse_line(line)
        assert parsed is not None
        yield parsed


def test_html_shows_headline_tables_and_labelled_charts() -> None:
    data = build_report(SAMPLE)
    page = render_html(data)
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 3
    # Self-contained: no scripts and nothing fetched.
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<link" not in page and "@import" not in page
    for label, value in [("requests", 276), ("clients", 51), ("flagged requests", 70), ("clusters", 1)]:
        assert re.search(rf'data-metric="{label}"><div class="n">{value}</div>', page), label
    assert "8 lines skipped" in page and "5h 56m" in page
    top_client = data.flagged_clients[0][0]
    assert top_client in page and "c-3b5e04c198c5" in page
    # Chart labels a reader (and a test) can find.
    assert "time (UTC), 15 min buckets" in page and ">requests</text>" in page and ">score</text>" in page
    assert "allow 200" in page and "block 33" in page
    assert ">prompt_extraction</text>" in page and ">29</text>" in page
    assert "pe-0002" in page and "2026.11.1+9f8e7d6c" in page


def test_attacker_controlled_strings_are_escaped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        decision(
            client=f"key:{EVIL}",
            flagged=True,
            category='x"><img src=x onerror=alert(1)>',
            score=0.9,
            pattern_id=EVIL,
            client_level="block",
            client_risk=3.0,
            cluster_id=EVIL,
            reasons=[EVIL],
            index_version=EVIL,
            action=EVIL,
        ),
    )
    page = render_html(build_report(path))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;script&gt;") >= 5  # client, pattern, cluster (twice), reason, version


def test_long_strings_are_truncated(tmp_path: Path) -> None:
    path = write(tmp_path, decision(client="key:" + "A" * 50_000, reasons=["R" * 50_000], client_level="tag"))
    data = build_report(path)
    ((key, stats),) = data.flagged_clients
    assert len(key) <= 200 and stats.top_reason is not None and len(stats.top_reason) <= 200
    assert len(render_html(data)) < 40_000


def test_empty_log_renders_nothing_flagged() -> None:
    page = render_html(ReportData())
    assert "No flagged clients." in page and "No clusters." in page and "No decision records carry" in page


# -- campaigns -------------------------------------------------------------------------------------


def campaign(cid: str, time: str, client: str, **fields: Any) -> str:
    """A decision carrying campaign fields, as CampaignMatch.to_fields writes them."""
    record: dict[str, Any] = {
        "campaign_id": cid,
        "campaign_level": "tag",
        "campaign_members": None,
        "campaign_requests": None,
        "campaign_signature": ["sk-1"],
        "campaign_categories": ["reasoning_trace"],
        "campaign_linkage": ["skeleton"],
        "campaign_source": None,
    }
    record.update(fields)
    return decision(time, client=client, **record)


def test_campaigns_aggregate_members_requests_levels_and_growth(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        campaign("cmp-a", "2026-11-23T10:00:10+00:00", "key:1", campaign_members=2, campaign_requests=5),
        campaign("cmp-a", "2026-11-23T10:00:40+00:00", "key:2", campaign_members=3, campaign_requests=6),
        campaign("cmp-b", "2026-11-23T10:01:00+00:00", "key:9", campaign_source="partner-x", campaign_level="block"),
        campaign("cmp-a", "2026-11-23T10:03:00+00:00", "key:3", campaign_level="throttle", campaign_members=9),
        campaign("cmp-a", "2026-11-23T10:03:30+00:00", "key:1", campaign_categories=["reasoning_trace", "code"]),
        # Out of order: earlier than the lines above. key:3 arrived at 10:02, and these engine counts are stale.
        campaign("cmp-a", "2026-11-23T10:02:00+00:00", "key:3", campaign_members=1, campaign_requests=1),
        campaign("cmp-a", "2026-11-23T10:04:00+00:00", "key:4", campaign_linkage=["skeleton", "vector"]),
        decision("2026-11-23T10:05:00+00:00", client="key:plain"),
    )
    data = build_report(path)
    assert [cid for cid, _ in data.campaigns] == ["cmp-a", "cmp-b"]  # most members first
    report = data.to_dict()
    assert report["summary"]["campaigns"] == 2
    a, b = report["campaigns"]
    assert a["members"] == 4 and a["requests"] == 6 and a["highest_level"] == "throttle"
    assert a["engine_members"] == 9 and a["engine_requests"] == 6  # latest by log time, field by field
    assert a["categories"] == {"reasoning_trace": 6, "code": 1} and a["linkage"] == ["skeleton", "vector"]
    assert a["source"] is None and not a["members_capped"] and a["unlisted_requests"] == 0
    assert a["first"] == "2026-11-23T10:00:10+00:00" and a["last"] == "2026-11-23T10:04:00+00:00"
    series = a["series"]
    assert series["bucket_seconds"] == 60
    assert [(p["start"][11:16], p["requests"], p["new_members"], p["members"]) for p in series["buckets"]] == [
        ("10:00", 2, 2, 2),
        ("10:01", 0, 0, 2),  # a quiet minute stays in the series
        ("10:02", 1, 1, 3),  # key:3 counted where it first appeared, not where its first line was read
        ("10:03", 2, 0, 3),
        ("10:04", 1, 1, 4),
    ]
    assert b["source"] == "partner-x" and b["highest_level"] == "block" and b["members"] == 1
    assert b["engine_members"] is None and b["series"]["buckets"][0]["members"] == 1


def test_campaign_html_section_table_and_growth_chart(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        campaign("cmp-a", "2026-11-23T10:00:00+00:00", "key:1", campaign_members=7),
        campaign("cmp-a", "2026-11-23T10:30:00+00:00", "key:2", campaign_level="throttle"),
        campaign("cmp-b", "2026-11-23T10:10:00+00:00", "key:3", campaign_source="partner-x"),
    )
    page = render_html(build_report(path))
    assert re.search(r'data-metric="campaigns"><div class="n">2</div>', page)
    assert page.index('id="clusters"') < page.index('id="campaigns"') < page.index('id="patterns"')
    section = page[page.index('id="campaigns"') : page.index('id="patterns"')]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
    assert [re.sub(r"<[^>]+>", "", c[0]) for c in cells] == ["cmp-a", "cmp-b"]
    assert "found here" in cells[0][1] and cells[1][1] == "partner-x"
    assert ">throttle<" in cells[0][2] and cells[0][3] == "2 / 7" and cells[1][3] == "1 / –"
    assert cells[0][4] == "2" and cells[0][5] == "reasoning_trace (2)"
    assert cells[0][6] == "2026-11-23 10:00:00 UTC" and cells[0][7] == "2026-11-23 10:30:00 UTC"
    assert section.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2 and "<polyline" in section
    assert "cmp-a: 2 members by" in section  # the growth chart's tooltip


def test_campaign_memory_is_bounded_against_a_hostile_log() -> None:
    from querysentry.report import MAX_CAMPAIGN_BUCKETS, MAX_CAMPAIGN_MEMBERS, MAX_CAMPAIGN_TOKENS, MAX_CAMPAIGNS

    data = ReportData()
    many = [f"cat-{i}" for i in range(MAX_CAMPAIGN_TOKENS * 20)]
    lines = [
        campaign("big", f"2026-11-{1 + m // 1440:02d}T{m // 60 % 24:02d}:{m % 60:02d}:00+00:00", f"key:{m}")
        for m in range(MAX_CAMPAIGN_MEMBERS + 50)
    ]
    lines += [campaign(f"c-{i}", "2026-11-23T10:00:00+00:00", "key:x") for i in range(MAX_CAMPAIGNS + 5)]
    lines.append(campaign("c-0", "2026-11-23T10:00:00+00:00", "key:x", campaign_categories=many, campaign_linkage=many))
    for item in read_decisions_from(lines):
        data.add(item)
    big = data.campaign_stats["big"]
    assert len(big.members) == MAX_CAMPAIGN_MEMBERS and big.unlisted_requests == 50
    assert big.requests == MAX_CAMPAIGN_MEMBERS + 50 and len(big.buckets) <= MAX_CAMPAIGN_BUCKETS
    assert sum(c["requests"] for c in big.buckets.values()) == big.requests
    _width, series = big.series()
    assert len(series) <= 40 and series[-1][3] == MAX_CAMPAIGN_MEMBERS  # cumulative ends at the itemised members
    # Later campaign ids share one row; per-campaign token counters stop at their cap.
    assert len(data.campaign_stats) == MAX_CAMPAIGNS + 1 and data.campaign_stats["(other)"].requests == 6
    c0 = data.campaign_stats["c-0"]
    assert len(c0.categories) <= MAX_CAMPAIGN_TOKENS + 1 and len(c0.linkage) <= MAX_CAMPAIGN_TOKENS + 1
    page = render_html(data)
    assert f">{MAX_CAMPAIGN_MEMBERS}+ / –<" in page and f"Showing 200 of {MAX_CAMPAIGNS + 1}." in page


def test_campaign_strings_are_escaped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        campaign(
            EVIL,
            "2026-11-23T10:00:00+00:00",
            "key:1",
            campaign_categories=[EVIL, '"><img src=x>'],
            campaign_source=EVIL,
            campaign_level=EVIL,
        ),
    )
    page = render_html(build_report(path))
    assert "<script" not in page and "<img" not in page
    section = page[page.index('id="campaigns"') : page.index('id="patterns"')]
    # id cell, source, category, the chart's label and tooltip
    assert section.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


def test_a_log_without_campaign_fields_says_so() -> None:
    data = build_report(SAMPLE)
    assert data.campaigns == [] and data.to_dict()["campaigns"] == [] and data.to_dict()["summary"]["campaigns"] == 0
    page = render_html(data)
    assert "No campaigns." in page and re.search(r'data-metric="campaigns"><div class="n">0</div>', page)
