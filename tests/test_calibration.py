import numpy as np
import pytest

from querysentry.calibration import calibrate_thresholds, false_positive_rate, lane_matrix
from querysentry.categories import Category
from querysentry.scoring import ALL_LANES, Lane


def test_lane_matrix_orders_columns_like_all_lanes() -> None:
    matrix = lane_matrix([{"reasoning_trace": 0.5, "prompt_extraction:explicit": 0.9}, {}])
    assert matrix.shape == (2, len(ALL_LANES))
    assert matrix[0, ALL_LANES.index(Lane(Category.REASONING_TRACE, False))] == 0.5
    assert matrix[0, ALL_LANES.index(Lane(Category.PROMPT_EXTRACTION, True))] == 0.9
    assert (matrix[1] == -1).all()


def test_calibrated_thresholds_meet_the_target_on_the_calibration_set() -> None:
    rng = np.random.default_rng(3)
    benign = rng.uniform(0.2, 0.9, size=(2000, len(ALL_LANES)))
    cuts = calibrate_thresholds(benign, 0.01, floor=0.0)
    vector = np.array([cuts[lane.key] for lane in ALL_LANES])
    fpr = false_positive_rate(benign, vector)
    assert 0.005 <= fpr <= 0.01
    looser = np.array([v for v in calibrate_thresholds(benign, 0.05, floor=0.0).values()])
    assert (looser <= vector + 1e-9).all() and false_positive_rate(benign, looser) <= 0.05


def test_weights_shift_the_budget_between_categories() -> None:
    rng = np.random.default_rng(4)
    benign = rng.uniform(0.2, 0.9, size=(3000, len(ALL_LANES)))
    weights = {c: 1.0 for c in Category if c.is_extraction} | {Category.REASONING_TRACE: 20.0}
    cuts = calibrate_thresholds(benign, 0.02, weights=weights, floor=0.0)
    assert cuts["reasoning_trace"] < cuts["prompt_extraction"]


def test_floor_and_input_checks() -> None:
    benign = np.full((100, len(ALL_LANES)), -1.0)
    assert set(calibrate_thresholds(benign, 0.01, floor=0.55).values()) == {0.55}
    with pytest.raises(ValueError):
        calibrate_thresholds(np.zeros((10, 3)), 0.01)
    with pytest.raises(ValueError):
        calibrate_thresholds(benign, 1.5)
