"""``querysentry eval`` and ``querysentry calibrate``: measure and tune on your own traffic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from querysentry.cli.check_cmd import _detector, read_requests
from querysentry.cli.common import CliError, atomic_output, echo_json, fail, json_option, progress
from querysentry.errors import InputError, QuerySentryError
from querysentry.jsonl import read_jsonl
from querysentry.messages import MessagesLike
from querysentry.verdict import Verdict

if TYPE_CHECKING:
    from querysentry.detector import Detector

_BATCH = 32


_SHOWN_UNKNOWN = 5


def read_labels(path: Path) -> list[Any]:
    """The ``label`` of every request line of ``path``.

    ``InputError`` naming file:line if a line has none, and naming every unknown label with the
    first file:line it occurs on (and the accepted labels) if there is any. O(file size).
    """
    from querysentry.evaluation import accepted_labels, is_known_label

    labels: list[Any] = []
    unknown: dict[str, int] = {}  # the label as JSON -> the first line it is on
    for number, record in read_jsonl(path):
        if not isinstance(record, dict) or "label" not in record:
            raise InputError(f"{path}:{number}: no 'label' field ({accepted_labels()})")
        label = record["label"]
        if not is_known_label(label):
            unknown.setdefault(json.dumps(label, ensure_ascii=False), number)
        labels.append(label)
    if unknown:
        shown = [f"{label} (first at {path}:{line})" for label, line in list(unknown.items())[:_SHOWN_UNKNOWN]]
        more = f" and {len(unknown) - _SHOWN_UNKNOWN} more" if len(unknown) > _SHOWN_UNKNOWN else ""
        noun = "label" if len(unknown) == 1 else "labels"
        raise InputError(f"unknown {noun} {', '.join(shown)}{more}; accepted labels: {accepted_labels()}")
    return labels


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _verdicts(detector: Detector, requests: Sequence[tuple[str, MessagesLike]], label: str) -> list[Verdict]:
    verdicts: list[Verdict] = []
    with progress(label, len(requests)) as report:
        for start in range(0, len(requests), _BATCH):
            verdicts.extend(detector.check_many([r for _, r in requests[start : start + _BATCH]]))
            report(len(verdicts), len(requests))
    return verdicts


@click.command(name="eval")
@click.argument("labeled", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--fpr", "fprs", multiple=True, type=float, default=(0.01, 0.001), show_default=True,
              help="Report recall at this benign false-positive rate (repeatable).")  # fmt: skip
@click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), help="Index directory.")
@click.option("--thresholds", "thresholds_file", type=click.Path(path_type=Path), help="Thresholds JSON file.")
@click.option("--plot", "plot_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write roc.png and scores.png here (needs the 'plot' extra).")  # fmt: skip
@json_option
def eval_command(
    labeled: Path,
    fprs: tuple[float, ...],
    index_dir: Path | None,
    thresholds_file: Path | None,
    plot_dir: Path | None,
    as_json: bool,
) -> None:
    """Evaluate on LABELED JSONL: a request per line (messages, text, prompt or input) and a label.

    Prints ROC AUC, recall at the chosen false-positive rates, the confusion matrix at the
    thresholds in force, and a table per category.
    """
    from querysentry.evaluation import evaluate

    if any(not 0 <= f < 1 for f in fprs):
        raise CliError("--fpr takes rates in [0, 1)")
    try:
        requests, labels = read_requests(labeled), read_labels(labeled)
        detector = _detector(index_dir, thresholds_file, ())
        result = evaluate(_verdicts(detector, requests, "evaluating"), labels, fprs)
    except (QuerySentryError, ValueError) as exc:
        raise fail(exc) from None
    if result.positives == 0 or result.negatives == 0:
        raise CliError(
            f"{labeled}: needs both benign and extraction labels; "
            f"found {result.positives} extraction and {result.negatives} benign"
        )
    data = result.to_json()
    data["thresholds"] = detector.thresholds.source
    if plot_dir is not None:
        data["plots"] = [str(p) for p in _plot(result, plot_dir)]
    if as_json:
        echo_json(data)
        return
    c = data["confusion"]
    click.echo(f"{_count(result.requests, 'request')}: {result.positives} extraction, {result.negatives} benign")
    click.echo(f"ROC AUC {data['auroc']}")
    for rate, recall in data["recall_at_fpr"].items():
        click.echo(f"recall at {float(rate):.2%} FPR: {recall:.1%}")
    click.echo(
        f"at the thresholds in force ({data['thresholds']}): recall {data['recall']:.1%}, "
        f"false-positive rate {data['false_positive_rate']:.2%}"
    )
    click.echo(
        f"  flagged: {c['true_positive']} extraction, {c['false_positive']} benign; "
        f"passed: {c['false_negative']} extraction, {c['true_negative']} benign"
    )
    click.echo("category                      positives  flagged  recall  benign flagged as")
    for name, row in data["per_category"].items():
        recall = f"{row['recall']:.1%}" if row["recall"] is not None else "-"
        click.echo(f"{name:<29} {row['positives']:>9} {row['flagged']:>8} {recall:>7} {row['false_positives']:>18}")
    for path in data.get("plots", []):
        click.echo(f"wrote {path}")


def _plot(result: Any, directory: Path) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: files only
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise CliError("--plot needs the 'plot' extra: pip install 'querysentry[plot]'") from None
    import numpy as np

    directory.mkdir(parents=True, exist_ok=True)
    pos = np.sort(np.asarray(result.positive_margins))
    neg = np.sort(np.asarray(result.negative_margins))
    cuts = np.unique(np.concatenate([pos, neg]))[::-1]
    tpr = [float((pos >= c).mean()) for c in cuts]
    fpr = [float((neg >= c).mean()) for c in cuts]
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, *fpr, 1], [0, *tpr, 1], label=f"AUC {result.auroc:.3f}")
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set(xlabel="benign false-positive rate", ylabel="extraction recall", title="ROC")
    ax.legend(loc="lower right")
    roc = directory / "roc.png"
    fig.savefig(roc, dpi=120, bbox_inches="tight")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(min(pos.min(), neg.min()), max(pos.max(), neg.max()), 40).tolist()
    ax.hist(neg, bins=bins, alpha=0.6, label="benign", density=True)
    ax.hist(pos, bins=bins, alpha=0.6, label="extraction", density=True)
    ax.axvline(0, color="black", linestyle="--", label="threshold")
    ax.set(xlabel="margin over the category threshold", ylabel="density", title="Score distribution")
    ax.legend()
    scores = directory / "scores.png"
    fig.savefig(scores, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return [roc, scores]


@click.command(name="calibrate")
@click.argument("benign", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Thresholds file to write (for --thresholds, QuerySentryMiddleware(thresholds=...)).")  # fmt: skip
@click.option("--target-fpr", type=float, default=0.01, show_default=True, help="Share of BENIGN that may be flagged.")
@click.option("--floor", type=float, default=0.7, show_default=True, help="No threshold goes below this cosine.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path, file_okay=False), help="Index directory.")
@click.option("--thresholds", "thresholds_file", type=click.Path(path_type=Path), help="Start from these knobs.")
@json_option
def calibrate_command(
    benign: Path,
    output: Path,
    target_fpr: float,
    floor: float,
    index_dir: Path | None,
    thresholds_file: Path | None,
    as_json: bool,
) -> None:
    """Choose per-category thresholds from BENIGN JSONL (your own benign traffic) alone.

    Writes a thresholds file, and shows what it costs: recall on the shipped library's self-test
    (every extraction pattern checked against the rest of the library) before and after.
    """
    from querysentry.calibration import calibrate_thresholds, false_positive_rate, lane_matrix
    from querysentry.evaluation import library_self_test
    from querysentry.scoring import ALL_LANES

    if not 0 < target_fpr < 1:
        raise CliError("--target-fpr takes a rate in (0, 1)")
    try:
        requests = read_requests(benign)
        if len(requests) < 100:
            raise CliError(f"{benign}: {_count(len(requests), 'request')}; calibrating needs at least 100 benign ones")
        detector = _detector(index_dir, thresholds_file, ())
        before = detector.thresholds
        matrix = lane_matrix([dict(v.lane_scores) for v in _verdicts(detector, requests, "scoring")])
        per_lane = calibrate_thresholds(matrix, target_fpr, floor=floor)
        after = before.with_overrides(per_lane)
        cuts = [after.for_lane(lane) for lane in ALL_LANES]
        import numpy as np

        achieved = false_positive_rate(matrix, np.asarray(cuts))
        index = detector.index_handle.current
        self_test = {"before": library_self_test(index, before), "after": library_self_test(index, after)}
    except (QuerySentryError, ValueError) as exc:
        raise fail(exc) from None
    document = after.to_json()
    document["calibration"] = {
        "method": "benign only: prior-weighted FPR shares per lane, scaled until the union meets the target",
        "target_fpr": target_fpr,
        "floor": floor,
        "benign_prompts": len(requests),
        "benign_fpr": round(achieved, 5),
        "source": str(benign),
        "index_version": index.version,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "self_test_recall": {k: v["recall"] for k, v in self_test.items()},
    }
    with atomic_output(output) as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
    if as_json:
        echo_json({"output": str(output), **document, "self_test": self_test})
        return
    click.echo(
        f"wrote {output}: {_count(len(requests), 'benign request')}, {achieved:.2%} flagged (target {target_fpr:.2%})"
    )
    was, now = self_test["before"]["recall"], self_test["after"]["recall"]
    click.echo(f"library self-test recall: {was:.1%} before -> {now:.1%} after")
    for name, recall in self_test["after"]["per_category"].items():
        click.echo(f"  {name:<24} {self_test['before']['per_category'].get(name, 0):.1%} -> {recall:.1%}")
