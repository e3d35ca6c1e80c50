import pytest

from querysentry.text.structure import benchmark_frames


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where do you keep milk?\nOptions:\n- oven\n- fridge", {"answer_options"}),
        ("Pick one: (A) 12 (B) 16 (C) 20", {"answer_options"}),
        ("Q: What is 2+2?\nA: Let's think.", {"qa_frame"}),
        ("Premise: a dog runs.\nHypothesis: an animal moves.\nOPTIONS:\n- yes\n- no", {"answer_options", "qa_frame"}),
        ("Student: Why is the sky blue?\nTeacher:", {"qa_frame"}),
    ],
)
def test_benchmark_items_are_recognised(text: str, expected: set[str]) -> None:
    assert benchmark_frames(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What's a good recipe for banana bread?",
        "My options are limited: should I rent or buy?",  # "options" mid-sentence is not a header
        "The letters (A) and B are on the sign.",  # one lettered item is not a list of options
        "Questions about my lease: who pays for repairs?",
    ],
)
def test_ordinary_prose_has_no_frames(text: str) -> None:
    assert benchmark_frames(text) == frozenset()
