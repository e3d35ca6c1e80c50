"""Reading the answer text out of a response body, for the conversation ledger."""

from __future__ import annotations

import json

from querysentry.countermeasures.answers import answer_texts
from tests.countermeasures.streams import (
    anthropic_body,
    anthropic_stream,
    chat_body,
    chat_stream,
    gemini_body,
    gemini_stream,
    joined,
    responses_body,
    responses_stream,
)

ANSWER = "(C) is right: 'since' goes with a point in time."
PIECES = ["(C) is right: ", "'since' goes", " with a point in time."]


def test_whole_json_bodies_of_each_shape() -> None:
    bodies = [chat_body(ANSWER, "thinking"), responses_body(ANSWER, "summary"), anthropic_body(ANSWER, "hmm")]
    for body in [*bodies, gemini_body(ANSWER, "thought")]:
        assert answer_texts(json.dumps(body).encode(), "application/json") == [ANSWER]


def test_streams_of_each_shape_give_the_joined_pieces_once() -> None:
    # A done event repeats the whole text: it is not counted twice.
    streams = [chat_stream(PIECES, ["step one"]), responses_stream(PIECES, ["sum"]), anthropic_stream(PIECES, ["t"])]
    for events in [*streams, gemini_stream(PIECES, ["t"])]:
        assert answer_texts(joined(events), "text/event-stream; charset=utf-8") == [ANSWER]


def test_reasoning_is_not_an_answer() -> None:
    only_reasoning = chat_stream([], ["step one", "step two"])
    assert answer_texts(joined(only_reasoning), "text/event-stream") == []


def test_several_choices_give_each_and_all_joined() -> None:
    body = chat_body("first")
    body["choices"].append({"index": 1, "message": {"role": "assistant", "content": "second"}, "finish_reason": "stop"})
    assert answer_texts(json.dumps(body).encode(), "application/json") == ["first\nsecond", "first", "second"]


def test_bodies_that_are_not_answers_give_none() -> None:
    assert answer_texts(b'{"error": {"message": "rate limited"}}', "application/json") == []
    assert answer_texts(b"not json at all", "application/json") == []
    assert answer_texts(b"[1, 2, 3]", "application/json") == []
    assert answer_texts(json.dumps(chat_body(ANSWER)).encode(), "text/plain") == []
    assert answer_texts(b"data: {not json}\n\ndata: [DONE]\n\n", "text/event-stream") == []
    assert answer_texts(b'data: {"unknown": "shape"}\n\n', "text/event-stream") == []
    assert answer_texts(b"", "") == []


def test_the_text_kept_is_bounded() -> None:
    body = json.dumps(chat_body("x" * 10_000)).encode()
    (kept,) = answer_texts(body, "application/json", max_chars=100)
    assert kept == "x" * 100


def test_hostile_bodies_cost_a_bounded_read_and_give_no_answer() -> None:
    # An app echoing a caller's text can send anything back: nested, repeated, broken.
    nested = b"[" * 200_000 + b"]" * 200_000
    deep_event = b"data: " + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"\n\n"
    for body, kind in (
        (nested, "application/json"),
        (deep_event, "text/event-stream"),
        (b"\xff\xfe" * 1000, "application/json"),
    ):
        assert answer_texts(body, kind) == []
    many = b"".join([b"data: [DONE]\n\n"] * 10_000)
    assert answer_texts(many, "text/event-stream") == []
