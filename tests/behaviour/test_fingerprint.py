import pytest

from querysentry.behaviour.fingerprint import mask, template_features, unit_hash
from querysentry.messages import Message


def user(text: str) -> list[Message]:
    return [Message("user", text)]


def test_mask_ignores_case_numbers_and_spacing() -> None:
    assert mask("Rate  answer 12 from 1 to 10.") == mask("rate answer 7 from 3 to 99.")
    assert unit_hash("Rate answer 12 from 1 to 10.") == unit_hash("RATE   answer 4 from 1 to 10.")
    assert unit_hash("Rate the answer.") != unit_hash("Rate the question.")


def test_fills_of_one_template_share_its_units_and_not_their_fills() -> None:
    template = "Solve the problem below.\n{q}\nThink it through one step at a time, then give the final answer."
    a = template_features(user(template.format(q="A farmer has 12 cows and buys 5 more. How many now?")))
    b = template_features(user(template.format(q="Which planet is closest to the sun? Mercury or Mars?")))
    shared = set(a) & set(b)
    assert shared == {
        unit_hash("Solve the problem below."),
        unit_hash("Think it through one step at a time, then give the final answer."),
    }


def test_system_template_units_come_back_with_every_user_question() -> None:
    system = Message("system", "You are a patient tutor. Explain each step of your reasoning before the answer.")
    a = template_features([system, Message("user", "What is the capital of Peru?")])
    b = template_features([system, Message("user", "Why is the sky blue?")])
    assert len(set(a) & set(b)) == 2


def test_assistant_turns_and_tiny_units_are_ignored() -> None:
    features = template_features(
        [Message("assistant", "Here is a long answer about rivers."), Message("user", "A: 1.")]
    )
    assert features == ()


@pytest.mark.parametrize("limit", [4, 5, 16])
def test_long_requests_keep_their_first_and_last_units(limit: int) -> None:
    text = " ".join(f"Sentence number {chr(97 + i)} is here." for i in range(26))
    features = template_features(user(text), limit=limit)
    everything = template_features(user(text), limit=100)
    assert len(features) == limit
    assert features[0] == everything[0] and features[-1] == everything[-1]
