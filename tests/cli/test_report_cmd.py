"""``querysentry report`` through click: output file, summary line, --json, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from querysentry.cli.report_cmd import report_command

SAMPLE = Path(__file__).parent.parent / "data" / "sample_decisions.jsonl"


def run(*args: str) -> Result:
    return CliRunner().invoke(report_command, list(args), catch_exceptions=False)


def test_writes_the_page_and_prints_a_summary_line(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "report.html"
    result = run(str(SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"{out}: 276 requests from 51 clients, 70 flagged (15 clients, 1 clusters, 0 campaigns); 8 lines skipped"
    )
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "c-3b5e04c198c5" in page
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temp file left behind


def test_json_prints_the_aggregate(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run(str(SAMPLE), "--output", str(out), "--json", "--title", "Nightly <run>")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["output"] == str(out) and data["summary"]["requests"] == 276
    assert data["summary"]["lines_skipped"] == 8 and data["clusters"][0]["cluster_id"] == "c-3b5e04c198c5"
    assert sum(data["score_histogram"]["counts"]) == 276 and data["timeline"]["bucket_seconds"] == 900
    assert "<title>Nightly &lt;run&gt;</title>" in out.read_text(encoding="utf-8")


def test_a_log_without_decisions_is_a_one_line_error(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text('{"message": "hello"}\nplain text\n\n', encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(report_command, [str(log), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("querysentry: error: ")
    assert "no querysentry decision records" in lines[0] and "in 3 lines" in lines[0]


def test_missing_log_and_missing_output_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(report_command, [str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no such file" in result.output and len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(report_command, [str(SAMPLE)])
    assert result.exit_code == 2 and "--output" in result.output


def test_registers_on_a_group(tmp_path: Path) -> None:
    import click

    @click.group()
    def group() -> None:
        pass

    group.add_command(report_command)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(group, ["report", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0 and out.is_file()
