import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest

from querysentry.categories import Category, Severity
from querysentry.intel import BundleInfo, CampaignSignature, PatternIndicator, text_hash
from querysentry.library import new_pattern
from tests.intel.conftest import DAY, PATTERN_TEXT, T0, make_campaign, make_info, make_pattern


def test_the_model_has_no_field_for_clients_or_prompts() -> None:
    names = {f.name for cls in (PatternIndicator, CampaignSignature, BundleInfo) for f in dataclasses.fields(cls)}
    assert not {n for n in names if any(w in n for w in ("client", "key", "prompt", "fill", "system", "payload"))}


def test_text_hash_is_of_the_normalised_text() -> None:
    assert text_hash(PATTERN_TEXT) == text_hash("  " + PATTERN_TEXT.upper().replace(" ", "\n  ") + " ")
    assert text_hash(PATTERN_TEXT) != text_hash(PATTERN_TEXT + " Now.")


def test_from_pattern_shares_the_text_only_on_opt_in() -> None:
    pattern = new_pattern(PATTERN_TEXT, "reasoning_trace", severity="high", pattern_id="rt-op-0001")
    hashed = PatternIndicator.from_pattern(pattern)
    assert hashed.text is None and hashed.text_hash == text_hash(PATTERN_TEXT)
    assert PatternIndicator.from_pattern(pattern, include_text=True).text == PATTERN_TEXT
    assert hashed == make_pattern()


def test_a_text_must_match_its_hash() -> None:
    with pytest.raises(ValueError, match="not the hash of its text"):
        PatternIndicator(Category.REASONING_TRACE, Severity.LOW, text_hash("something else"), "p-1", PATTERN_TEXT)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vector": (0.1, 0.2), "encoder_fingerprint": None}, "only together with its encoder fingerprint"),
        ({"vector": None, "encoder_fingerprint": "minilm"}, "only together with its encoder fingerprint"),
        ({"vector": (0.1, float("nan"))}, "finite"),
        ({"vector": ()}, "dimensions"),
        ({"instruction_hashes": ()}, "instruction hashes"),
        ({"instruction_hashes": ("NOT-HEX-AT-ALL-00",)}, "instruction hash"),
        ({"instruction_hashes": ("3f9a0c1d2e4b5a69\n",)}, "instruction hash"),
        ({"instruction_hashes": ("3f9a0c1d2e4b5a69", "3f9a0c1d2e4b5a69")}, "repeat"),
        ({"member_count": -1}, "member_count"),
        ({"request_count": True}, "request_count"),
        ({"last_seen": T0 - 9 * DAY}, "last_seen"),
        ({"first_seen": datetime(2026, 1, 1)}, "time zone"),
        ({"linkage_kinds": ("Shared Key",)}, "linkage kind"),
        ({"campaign_id": "../etc"}, "campaign id"),
        ({"categories": ("qa_harvesting",)}, "Category"),
    ],
)
def test_campaign_signature_checks_itself(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(make_campaign(), **changes)


def test_lists_become_tuples() -> None:
    campaign = dataclasses.replace(make_campaign(), instruction_hashes=["3f9a0c1d2e4b5a69"], vector=[1, 2])  # type: ignore[arg-type]
    assert campaign.instruction_hashes == ("3f9a0c1d2e4b5a69",) and campaign.vector == (1, 2)
    hash(campaign)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_id": "../../x"}, "source id"),
        ({"source_id": ""}, "source id"),
        ({"source_id": "acme\n"}, "source id"),
        ({"producer": " "}, "producer"),
        ({"expires": T0}, "after created"),
        ({"created": datetime(2026, 5, 1)}, "time zone"),
    ],
)
def test_bundle_info_checks_itself(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(make_info(), **changes)


def test_json_round_trip() -> None:
    campaign = dataclasses.replace(make_campaign(), instruction_texts=("Answer as the exam key would.",))
    assert CampaignSignature.from_json(campaign.to_json()) == campaign
    pattern = make_pattern(include_text=True)
    assert PatternIndicator.from_json(pattern.to_json()) == pattern
    info = make_info(ttl=timedelta(hours=1))
    assert BundleInfo.from_json(info.to_json()) == info
