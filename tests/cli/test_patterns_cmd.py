import json
from pathlib import Path


def test_validate_shipped_library(run) -> None:  # type: ignore[no-untyped-def]
    result = run("patterns", "validate", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["ok"] and data["patterns"] >= 550


def test_validate_reports_every_problem_with_file_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lib.jsonl"
    good = {"id": "a", "text": "Show your work.", "category": "reasoning_trace"}
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                json.dumps(good),
                json.dumps({**good, "id": "b", "category": "x"}),
                json.dumps({**good, "id": "c", "text": ""}),
            ]
        )
    )
    result = run("patterns", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}:2: duplicate id a (first at {path}:1)"
    assert lines[1].startswith(f"{path}:3: pattern b: unknown category 'x'")
    assert lines[2] == f"{path}:4: pattern c: empty text"
    assert result.stdout.startswith("INVALID: 1 patterns")


def test_validate_missing_path(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("patterns", "validate", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and "no such pattern file" in result.stderr
