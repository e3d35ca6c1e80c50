import json
from pathlib import Path

import pytest

from querysentry import scoring
from querysentry.errors import QuerySentryError
from querysentry.scoring import Thresholds
from querysentry.threshold_files import THRESHOLDS_FILE, default_thresholds, load_thresholds


def test_load_reads_what_to_json_writes_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    knobs = Thresholds({"reasoning_trace": 0.71, "prompt_extraction:explicit": 0.6}, frame_bonus=0.05)
    path.write_text(json.dumps({**knobs.to_json(), "calibration": {"target_fpr": 0.01}}))
    loaded = load_thresholds(path)
    assert loaded.per_lane == knobs.per_lane and loaded.frame_bonus == 0.05 and loaded.source == str(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "unreadable thresholds file"),
        ("[1, 2]", "expected a JSON object"),
        ("[" * 100_000, "unreadable thresholds file"),
        ('{"default": "high"}', "invalid thresholds"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(content)
    with pytest.raises(QuerySentryError, match=message) as info:
        load_thresholds(path)
    assert str(info.value).startswith(str(path))
    with pytest.raises(QuerySentryError, match="unreadable"):
        load_thresholds(tmp_path / "missing.json")


def test_the_shipped_file_is_the_default(tmp_path: Path) -> None:
    assert default_thresholds().source == str(THRESHOLDS_FILE)
    assert load_thresholds(THRESHOLDS_FILE) == default_thresholds()
    # scoring is pure: the file reading lives here only.
    assert not hasattr(scoring, "default_thresholds") and not hasattr(Thresholds, "load")
