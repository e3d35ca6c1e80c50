import itertools

import pytest

from querysentry.countermeasures.pieces import PendingPieces, TextPipeline
from querysentry.countermeasures.think import ThinkTagFilter, strip_think_blocks


def _stream(text_pieces: list[str], **kwargs: object) -> list[str]:
    think = ThinkTagFilter(**kwargs)  # type: ignore[arg-type]
    outs: list[str] = []
    for piece in text_pieces:
        outs += think.feed(piece)
    outs += think.flush()
    assert len(outs) == len(text_pieces)  # one output per piece, in order
    return outs


ANSWER = "<think>The user wants a haiku; count syllables first.</think>\n\nAn old silent pond"


@pytest.mark.parametrize("cut", range(len(ANSWER) + 1))
def test_a_block_split_anywhere_is_withheld(cut: int) -> None:
    assert "".join(_stream([ANSWER[:cut], ANSWER[cut:]])) == "An old silent pond"


def test_one_character_pieces() -> None:
    assert "".join(_stream(list(ANSWER))) == "An old silent pond"


@pytest.mark.parametrize("cuts", list(itertools.combinations(range(1, 30), 2))[::7])
def test_three_pieces_in_replace_mode(cuts: tuple[int, int]) -> None:
    text = "Sure. <THINKING>secret plan</thinking> Done."
    a, b = cuts
    out = "".join(_stream([text[:a], text[a:b], text[b:]], mode="replace", marker="[withheld]"))
    assert out == "Sure. [withheld] Done."


def test_text_without_tags_comes_out_piece_for_piece() -> None:
    pieces = ["Compare a <", "b and <t", "able> tags; <th", "ink is not a tag", "> end <"]
    assert _stream(pieces) == pieces


def test_a_held_partial_tag_is_given_back_to_its_own_piece() -> None:
    think = ThinkTagFilter()
    assert think.feed("x <thi") == []
    assert think.feed("s is fine") == ["x <thi", "s is fine"]


def test_an_unclosed_block_is_dropped_to_the_end() -> None:
    assert "".join(_stream(["Answer: <think>still reasoning when", " the stream ended"])) == "Answer: "


def test_several_blocks_and_a_marker_each() -> None:
    text = "<think>a</think>one <think>b</think>two"
    assert strip_think_blocks(text) == "one two"
    assert strip_think_blocks(text, mode="replace", marker="[r]") == "[r]one [r]two"


def test_release_drops_a_held_partial_tag_rather_than_risk_a_block() -> None:
    think = ThinkTagFilter()
    assert think.feed("ok <thin") == []
    assert think.release() == ["ok "]
    # The tag that completes after the release is not recognised: the filter errs on losing 5 characters.
    assert think.feed("k>") == ["k>"]


def test_the_hold_is_bounded_to_a_partial_tag() -> None:
    think = ThinkTagFilter()
    for piece in ["<", "/", "t", "h"]:
        think.feed(piece)
    assert len(think._buffer) <= len("</thinking>") - 1


def test_pending_pieces_keep_splits_kept_text_at_piece_boundaries() -> None:
    pending = PendingPieces()
    for size in (3, 0, 4):
        pending.add(size)
    pending.keep(1, "bcdefg")
    pending.emit(2, "[m]")
    assert pending.resolve_all() == ["bc[m]", "", "defg"]


def test_a_pipeline_feeds_each_stage_the_outputs_of_the_last() -> None:
    pipeline = TextPipeline([ThinkTagFilter(), ThinkTagFilter(mode="replace", marker="!")])
    assert pipeline.run("a<think>x</think>b<thin", slice_chars=3) == "ab<thin"
