import json
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
