"""Property tests: the text steps never fail on hostile input and leave nothing hidden."""

from hypothesis import given, settings
from hypothesis import strategies as st

from querysentry.text.normalize import normalize
from querysentry.text.segment import SegmentationConfig, segment_messages

HIDDEN = {chr(c) for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202E, 0x2066, 0x00AD)} | {
    chr(c) for c in range(0xE0000, 0xE0080)
}
# Ordinary text mixed with the characters attackers use to hide instructions.
hostile = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([*sorted(HIDDEN), "\u0435", "\u043e", "\uff52", " ", "\n", "\t"]),
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_normalize_never_fails_and_removes_hidden_characters(text: str) -> None:
    result = normalize(text)
    assert not HIDDEN & set(result.text)
    for decoded in result.decoded:
        assert not HIDDEN & set(decoded)
    assert "  " not in result.text and "\n\n\n" not in result.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["system", "user", "tool"]), hostile), max_size=5), st.integers(16, 400))
def test_segments_stay_in_budget_and_point_into_their_message(messages: list[tuple[str, str]], budget: int) -> None:
    normalized = [(role, normalize(text).text) for role, text in messages]
    segments = segment_messages(normalized, SegmentationConfig(token_budget=budget))
    assert sum(s.tokens for s in segments) <= budget
    for segment in segments:
        assert normalized[segment.message_index][1][segment.start : segment.end] == segment.text
        assert segment.text.strip()
