import pytest

from querysentry.behaviour.signals import ClientSignals, RiskModel, request_evidence
from querysentry.categories import Category
from querysentry.verdict import Verdict


def verdict(margin: float, category: Category | None = Category.REASONING_TRACE) -> Verdict:
    return Verdict(
        flagged=margin >= 0, score=0.7 + margin, margin=margin, category=category, severity=None,
        threshold=0.7, matches=(), segment=None,
    )  # fmt: skip


@pytest.mark.parametrize(("margin", "expected"), [(0.2, 1.0), (0.0, 1.0), (-0.075, 0.5), (-0.15, 0.0), (-0.4, 0.0)])
def test_evidence_ramps_below_the_threshold(margin: float, expected: float) -> None:
    assert request_evidence(verdict(margin), ramp=0.15) == pytest.approx(expected)


def test_no_category_no_evidence() -> None:
    assert request_evidence(None) == 0.0
    assert request_evidence(verdict(0.1, category=None)) == 0.0


def test_benign_background_rate_never_builds_risk() -> None:
    model = RiskModel(allowance=0.1, needed=4.0)
    # 1,000 requests, 5 % of them flagged: under the allowance, however long it goes on.
    signals = ClientSignals.from_fields({"_n": 1000, "_e": 50, "_f": 50}, 0.1, 3)
    assert model.risk(signals) == 0.0


def test_evidence_above_the_allowance_builds_risk() -> None:
    model = RiskModel(allowance=0.1, needed=4.0)
    assert model.risk(model.signals({"_n": 20, "_e": 10})) == pytest.approx((10 - 2) / 4)


def test_a_template_carrying_the_evidence_is_not_diluted_by_other_traffic() -> None:
    model = RiskModel(allowance=0.1, needed=4.0)
    # 300 requests, 30 of them one template with evidence 0.6 each: overall excess is negative,
    # the template's own is 18 - 3 = 15.
    fields = {"_n": 300, "_e": 18, "t:aaaa": 30, "e:aaaa": 18, "t:bbbb": 200}
    signals = model.signals(fields)
    assert signals.template == "aaaa"
    assert model.risk(signals) == pytest.approx(15 / 4)
    assert any("template aaaa" in r for r in model.reasons(signals))


def test_template_reuse_without_evidence_is_no_risk() -> None:
    model = RiskModel()
    signals = model.signals({"_n": 500, "_e": 2, "t:app": 500})
    assert model.risk(signals) == 0.0
    assert model.reasons(signals) == ()


def test_regular_timing_is_reported() -> None:
    model = RiskModel()
    fields = {"_n": 40, "_e": 0, "_g1": 39 * 2.0, "_g2": 39 * 4.01, "_gn": 39}
    reasons = model.reasons(model.signals(fields))
    assert any("machine-regular" in r for r in reasons)
    assert any("sustained rate of 30 requests per minute" in r for r in reasons)
    slow = {"_n": 40, "_e": 0, "_g1": 39 * 60.0, "_g2": 39 * 3600.0 * 4, "_gn": 39}
    assert model.reasons(model.signals(slow)) == ()


def test_invalid_models_are_refused() -> None:
    with pytest.raises(ValueError):
        RiskModel(allowance=1.0)
