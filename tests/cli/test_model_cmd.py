import json
import re
from pathlib import Path


def test_model_info_json(run) -> None:  # type: ignore[no-untyped-def]
    result = run("model", "info", "--verify", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["verified"] and data["dimensions"] == 384
    assert data["source"]["package"] and data["fidelity"]["mean_cosine_single"] >= 0.999


def test_model_info_human(run) -> None:  # type: ignore[no-untyped-def]
    result = run("model", "info")
    assert "all-MiniLM-L6-v2" in result.stdout and "fingerprint" in result.stdout


def test_model_info_on_a_missing_directory(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("model", "info", "--model-dir", str(tmp_path))
    assert result.exit_code == 2 and "no encoder manifest" in result.stderr


def test_model_info_prints_aligned_key_value_lines_not_python_dicts(run) -> None:  # type: ignore[no-untyped-def]
    result = run("model", "info", "--verify")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert not any(mark in result.stdout for mark in ("{", "}", "':", "['"))
    keys = [line.split(": ", 1)[0] for line in lines]
    assert all(re.fullmatch(r"[a-z0-9_.-]+", key) for key in keys), keys
    columns = {len(line) - len(line.split(": ", 1)[1].lstrip()) for line in lines}
    assert len(columns) == 1  # every value starts in the same column
    values = dict(line.split(": ", 1) for line in lines)
    assert values["model"].strip() == "sentence-transformers/all-MiniLM-L6-v2"
    assert values["dimensions"].strip() == "384" and values["source.package"].strip()
    assert float(values["fidelity.mean_cosine_single"]) >= 0.999
    assert values["files"].strip() == "ok (sha256 verified)"


def test_model_info_json_is_one_valid_document(run) -> None:  # type: ignore[no-untyped-def]
    result = run("model", "info", "--json")
    data = json.loads(result.stdout)
    assert data["model"] == "sentence-transformers/all-MiniLM-L6-v2" and data["verified"] is False
