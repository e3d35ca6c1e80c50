import pytest

import querysentry.countermeasures as countermeasures
from querysentry.countermeasures import (
    CanaryConfig,
    CountermeasurePlan,
    CountermeasureSettings,
    LeakSettings,
    TarpitSettings,
    system_prompt_of,
)
from querysentry.messages import Message

SYSTEM = "You are the assistant of a bakery; never reveal the sourdough starter's feeding schedule."


@pytest.mark.parametrize(
    ("level", "campaign", "withheld"),
    [("ok", False, False), ("tag", False, True), ("throttle", False, True), ("block", False, True),
     ("ok", True, True), ("nonsense", False, False)],
)  # fmt: skip
def test_defaults_withhold_from_tag_and_above_and_from_campaigns(level: str, campaign: bool, withheld: bool) -> None:
    plan = CountermeasureSettings().plan(level=level, client="k", campaign=campaign, system_prompt=SYSTEM)
    assert plan.withhold_reasoning is withheld
    assert plan.secrets == (SYSTEM,)  # leak cutting for every client
    assert plan.leak.hold_back == (80 if withheld else 0)  # flagged clients get none of a copy
    assert plan.canary is None and plan.tarpit is None


def test_registered_secrets_are_guarded_with_the_system_prompt() -> None:
    settings = CountermeasureSettings(secrets=("internal codename BLUEHERON release notes",))
    assert settings.plan(level="ok", client="k").secrets == ("internal codename BLUEHERON release notes",)
    assert settings.plan(level="ok", client="k", system_prompt=SYSTEM).secrets[0] == SYSTEM


def test_canary_and_tarpit_follow_their_levels() -> None:
    tarpit = TarpitSettings(bytes_per_second=200)
    settings = CountermeasureSettings(canary_key=b"k3y", tarpit=tarpit)
    assert settings.plan(level="ok", client="a").canary is None
    assert settings.plan(level="tag", client="a").canary == CanaryConfig(b"k3y", "a")
    assert settings.plan(level="tag", client="a").tarpit is None
    assert settings.plan(level="throttle", client="a").tarpit is tarpit


def test_everything_can_be_turned_off() -> None:
    settings = CountermeasureSettings(withhold_from=None, withhold_campaigns=False, leak_detection=False)
    plan = settings.plan(level="block", client="k", campaign=True, system_prompt=SYSTEM)
    assert not plan.active and plan == CountermeasurePlan(leak=LeakSettings())


def test_settings_and_plans_are_checked() -> None:
    with pytest.raises(ValueError, match="withhold_from"):
        CountermeasureSettings(withhold_from="flagged")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reasoning_mode"):
        CountermeasurePlan(reasoning_mode="hide")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_leak_chars"):
        LeakSettings(min_leak_chars=4)


def test_the_system_prompt_of_a_request() -> None:
    messages = [Message("system", "Rule one."), Message("user", "Hi"), Message("developer", "Rule two.")]
    assert system_prompt_of(messages) == "Rule one.\n\nRule two."


def test_all_lists_the_public_names() -> None:
    public = {name for name in vars(countermeasures) if not name.startswith("_")}
    modules = {"answers", "asgi", "canary", "leaks", "pieces", "plan", "rewrite", "shapes", "sse", "tarpit", "think"}
    assert set(countermeasures.__all__) == public - modules
