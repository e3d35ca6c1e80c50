from dataclasses import replace

import pytest

from querysentry.categories import Category, Severity
from querysentry.policy import ClientPolicy, action_for_level, answer_only, apply_mode, request_action, stronger
from querysentry.threshold_files import default_thresholds
from querysentry.verdict import Verdict


def flagged(category: Category) -> Verdict:
    return Verdict(True, 0.9, 0.1, category, None, 0.8, (), None)


POLICY = ClientPolicy(tag_at=1.0, throttle_at=2.0, block_at=4.0, release=0.5, hold=100.0)


def test_request_action_uses_the_category_map() -> None:
    assert request_action(None, {}) == "allow"
    assert request_action(flagged(Category.PROMPT_EXTRACTION), {}) == "tag"
    assert request_action(flagged(Category.PROMPT_EXTRACTION), {"prompt_extraction": "block"}) == "block"


@pytest.mark.parametrize(
    ("mode", "wanted", "done"),
    [
        ("shadow", "block", "allow"),
        ("tag", "block", "tag"),
        ("tag", "throttle", "tag"),
        ("enforce", "throttle", "throttle"),
    ],
)
def test_modes(mode: str, wanted: str, done: str) -> None:
    assert apply_mode(mode, wanted) == done  # type: ignore[arg-type]


def test_stronger_and_levels() -> None:
    assert stronger("tag", "block") == "block" and stronger("throttle", "allow") == "throttle"
    assert action_for_level("ok") == "allow" and action_for_level("block") == "block"
    with pytest.raises(ValueError):
        action_for_level("nuke")


def test_levels_rise_at_once() -> None:
    assert POLICY.level(0.5, "ok", 0.0, now=0.0) == ("ok", 0.0)
    assert POLICY.level(2.5, "ok", 0.0, now=10.0) == ("throttle", 110.0)
    assert POLICY.level(9.0, "tag", 50.0, now=10.0) == ("block", 110.0)


def test_hysteresis_holds_a_level_until_risk_falls_far_enough_and_the_hold_ends() -> None:
    # Risk dips just under the entry: held.
    assert POLICY.level(1.8, "throttle", until=110.0, now=200.0)[0] == "throttle"
    # Risk far below but still inside the hold: held.
    assert POLICY.level(0.1, "throttle", until=110.0, now=50.0)[0] == "throttle"
    # Both: it drops to what the risk supports.
    assert POLICY.level(0.1, "throttle", until=110.0, now=200.0) == ("ok", 0.0)
    assert POLICY.level(0.99, "block", until=110.0, now=200.0)[0] == "ok"
    assert POLICY.level(1.5, "block", until=110.0, now=200.0) == ("tag", 300.0)


def test_a_client_at_the_edge_does_not_flap() -> None:
    level, until, changes = "ok", 0.0, 0
    for step, risk in enumerate([1.05, 0.95, 1.02, 0.9, 1.01, 0.97] * 10):
        new, until = POLICY.level(risk, level, until, now=float(step))  # type: ignore[arg-type]
        changes += new != level
        level = new
    assert changes == 1 and level == "tag"


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError):
        ClientPolicy(tag_at=2.0, throttle_at=1.0)
    with pytest.raises(ValueError):
        ClientPolicy(release=0.0)


def test_combine_is_the_stronger_of_request_and_client() -> None:
    from querysentry.policy import combine, throttled

    assert combine("tag", None) == "tag"
    assert combine("allow", "throttle") == "throttle"
    assert combine("block", "tag") == "block"
    assert combine("allow", "ok") == "allow"
    assert throttled("throttle", True) == "tag" and throttled("throttle", False) == "throttle"
    assert throttled("throttle", None) == "throttle" and throttled("block", True) == "block"


def test_answer_only_is_qa_harvesting_or_a_flag_standing_on_its_frame() -> None:
    thresholds = default_thresholds()
    assert answer_only(flagged(Category.QA_HARVESTING), None)
    assert not answer_only(None, thresholds)
    assert not answer_only(replace(flagged(Category.QA_HARVESTING), flagged=False), thresholds)
    # A generic reasoning phrasing over the threshold by less than the frame bonus, in a frame.
    framed = replace(flagged(Category.REASONING_TRACE), margin=0.1, frames=("qa_frame",), severity=Severity.MEDIUM)
    assert answer_only(framed, thresholds)
    assert not answer_only(framed, None)  # no thresholds, no frame bonus to stand on
    assert not answer_only(replace(framed, frames=()), thresholds)  # clears its threshold alone
    assert not answer_only(replace(framed, severity=Severity.HIGH), thresholds)  # an explicit lane
    assert not answer_only(replace(framed, margin=thresholds.frame_bonus + 0.05), thresholds)
