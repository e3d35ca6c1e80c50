"""The report as a browser renders it: headless Chromium's DOM dump and a screenshot.

Command used (also for docs/report.png):

    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2000 \
        --screenshot=report.png file:///path/report.html
    chromium --headless --no-sandbox --disable-gpu --dump-dom file:///path/report.html

Skipped when chromium is not on PATH, unless QUERYSENTRY_REQUIRE_CHROMIUM=1 (CI), where that fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from querysentry.report import build_report, render_html

SAMPLE = Path(__file__).parent / "data" / "sample_decisions.jsonl"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("QUERYSENTRY_REQUIRE_CHROMIUM") == "1":
        pytest.fail("chromium is not on PATH and QUERYSENTRY_REQUIRE_CHROMIUM=1")
    pytest.skip("chromium is not on PATH (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(build_report(SAMPLE)), encoding="utf-8")
    return path


def run_chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Its own profile directory: a shared or missing HOME must not make runs interfere or fail.
    profile = cwd / "profile"
    command = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, cwd=cwd, check=False)


def visible_text(dom: str) -> str:
    """The text a reader sees: tags dropped (titles of SVG tooltips too), entities decoded, spaces folded."""
    dom = re.sub(r"<(style|title)\b[^>]*>.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", dom)))


def test_dom_shows_headline_clients_clusters_and_chart_labels(page: Path) -> None:
    result = run_chromium("--dump-dom", page.as_uri(), cwd=page.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    text = visible_text(result.stdout)
    for expected in ["276 requests", "51 clients", "70 flagged requests", "15 flagged clients", "1 clusters"]:
        value, label = expected.split(" ", 1)
        assert re.search(rf"\b{value} {label}\b", text, flags=re.I), expected
    assert "5h 56m" in text and "8 lines skipped" in text
    data = build_report(SAMPLE)
    assert data.flagged_clients[0][0] in text and "c-3b5e04c198c5" in text
    for label in ["time (UTC), 15 min buckets", "requests", "score", "flagged requests", "prompt_extraction"]:
        assert label in text, label
    assert "allow 200" in text and "throttle 17" in text and "block 33" in text
    assert "2026.11.0+fe82fd11" in text and "pe-0001" in text


def test_screenshot_is_a_real_image(page: Path) -> None:
    shot = page.parent / "report.png"
    result = run_chromium(f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri(), cwd=page.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a blank page compresses to a few KB; charts and tables do not
