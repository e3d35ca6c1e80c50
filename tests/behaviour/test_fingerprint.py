from collections.abc import Callable
from types import ModuleType

import pytest

import querysentry.behaviour.fingerprint as fingerprint
from querysentry.behaviour.fingerprint import EDGE_CHARS, mask, template_features, unit_hash
from querysentry.messages import Message
from querysentry.text.normalize import MAX_COMBINING_RUN
from tests.conftest import NormalisationRecorder

Recorder = Callable[[ModuleType], NormalisationRecorder]


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


def test_field_labels_are_format_across_clients() -> None:
    # Unrelated apps and pasted exam items all write "Question: ..."; the label left behind when
    # the unit ends at its colon must not make them look like one template to clusters.
    widget = 'Selected text:\n"""\nTides follow the moon.\n"""\nQuestion: what does this mean?'
    rag = "Context: The refund window is 30 days.\n\nQuestion: can I return it after a month?"
    assert not set(template_features(user(widget), labels=False)) & set(template_features(user(rag), labels=False))
    # Within one client they stay units (a blend's item fields are its template).
    assert unit_hash("Question:") in set(template_features(user(widget))) & set(template_features(user(rag)))
    for label in ("Question:", "Selected text:", "My answer:", "Student's answer:", "Answer  :", "fill-in answer:"):
        assert template_features(user(label), labels=False) == (), label
        assert template_features(user(label)) == (unit_hash(label),), label
    # An instruction that ends in a colon is still a unit; so is a longer run of words.
    instruction = "Think it through step by step:"
    assert template_features(user(instruction), labels=False) == (unit_hash(instruction),)
    assert len(template_features(user("Rate the answer from one to ten:"), labels=False)) == 1


def test_field_label_check_is_linear_on_long_units() -> None:
    # One word of 5,000 letters and 2,000 short words before a colon: no backtracking (the label
    # pattern is only tried on short units, and its words and spaces are disjoint classes).
    for text in ("a" * 5_000 + ":", "ab " * 2_000 + ":", "a" * 47 + ":"):
        assert len(template_features(user(text), labels=False)) <= 1


@pytest.mark.parametrize("limit", [4, 5, 16])
def test_long_requests_keep_their_first_and_last_units(limit: int) -> None:
    text = " ".join(f"Sentence number {chr(97 + i)} is here." for i in range(26))
    features = template_features(user(text), limit=limit)
    everything = template_features(user(text), limit=100)
    assert len(features) == limit
    assert features[0] == everything[0] and features[-1] == everything[-1]


# Bounded work (issue 9): a huge or mark-laden request must not cost more than a capped one.


def test_mask_cuts_runs_of_marks_before_nfkc(record_normalisation: Recorder) -> None:
    recorder = record_normalisation(fingerprint)
    masked = mask("rate" + "\u0301" * 6000 + "\u0316" * 6000 + " this")
    assert recorder.inputs and recorder.longest_mark_run() <= MAX_COMBINING_RUN
    assert masked.startswith("rat") and masked.endswith(" this")


def test_mask_keeps_ordinary_accents() -> None:
    assert mask("Évalue la réponse.") == "évalue la réponse."


def _counting_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hashed: list[str] = []
    original = fingerprint.unit_hash

    def counting(unit: str) -> str:
        hashed.append(unit)
        return original(unit)

    monkeypatch.setattr(fingerprint, "unit_hash", counting)
    return hashed


def test_huge_request_hashes_only_its_head_and_tail(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _counting_hashes(monkeypatch)
    body = "".join(f"Filler line number {i} of the upload.\n" for i in range(40_000))  # ~1.4 MB
    text = "Grade the essay below.\n" + body + "Reply with one score only."
    features = template_features(user(text))
    assert sum(map(len, hashed)) <= 2 * EDGE_CHARS
    assert features[0] == unit_hash("Grade the essay below.")
    assert features[-1] == unit_hash("Reply with one score only.")
    assert len(features) == 3  # numbers are masked: every filler line is one unit


def test_many_messages_are_bounded_as_one_request(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _counting_hashes(monkeypatch)
    messages = [Message("system", "You are a strict grader of short answers.")]
    messages += [Message("user", f"Question {i}: explain how tides follow the moon.") for i in range(20_000)]
    features = template_features(messages)
    assert sum(map(len, hashed)) <= 2 * EDGE_CHARS
    assert features[0] == unit_hash("You are a strict grader of short answers.")


def test_units_cut_at_the_edge_are_not_hashed(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _counting_hashes(monkeypatch)
    line = "Every line of this upload is the same length here.\n"
    template_features(user(line * 10_000))
    assert set(hashed) == {line.strip()}  # no partial line from either cut


def test_request_within_the_edges_is_fingerprinted_whole() -> None:
    text = "\n".join(f"Line {chr(97 + i % 26)}{chr(97 + i // 26)} of a mid-sized prompt." for i in range(100))
    assert len(text) < 2 * EDGE_CHARS
    features = template_features(user(text), limit=1000)
    assert len(features) == 100
