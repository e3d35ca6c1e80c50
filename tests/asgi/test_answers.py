"""The middleware records what it answered, so that a follow-up quoting it is verified."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import time
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from querysentry import Detector
from querysentry.engine.engine import UNVERIFIED_FOLLOW_UP_SIGNAL
from querysentry.middleware import QuerySentryMiddleware
from tests.countermeasures.streams import chat_body, chat_stream

QUESTION = "Which is the longest river in Europe?"
FOLLOW = "And the second longest?"


def _answer(question: str) -> str:
    return f"You asked {len(question)} characters' worth: the Volga."


def make_app(detector: Detector, **options: Any) -> tuple[Starlette, list[Any]]:
    seen: list[Any] = []

    async def reply(request: Request) -> Response:
        body = await request.json()
        seen.append(request.state.querysentry)
        answer = _answer(body["messages"][-1]["content"])
        if body.get("stream"):
            events = chat_stream([answer[:10], answer[10:]])
            return StreamingResponse(iter(events), media_type="text/event-stream")
        if body.get("gzip"):
            data = gzip.compress(json.dumps(chat_body(answer)).encode())
            return Response(data, media_type="application/json", headers={"content-encoding": "gzip"})
        return JSONResponse(chat_body(answer))

    app = Starlette(routes=[Route("/v1/chat/completions", reply, methods=["POST"])])
    app.add_middleware(QuerySentryMiddleware, detector=detector, **options)
    return app, seen


def _thread(answer: str, **extra: Any) -> dict[str, Any]:
    turns = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": FOLLOW},
    ]
    return {"model": "m", "messages": turns, **extra}


def _first(**extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": QUESTION}], **extra}


def _answers_recorded(app: Starlette, count: int) -> None:
    # The answer is read after the last byte is out, in a worker thread: a streamed response may
    # return to the test client first. A real follow-up comes seconds later.
    middleware: Any = app.middleware_stack
    while not isinstance(middleware, QuerySentryMiddleware):
        middleware = middleware.app
    ledger = middleware.engine.history
    assert ledger is not None
    deadline = time.monotonic() + 10
    while sum(bool(t.answers) for t in ledger._turns.values()) < count:
        assert time.monotonic() < deadline, "the answer was never recorded"
        time.sleep(0.01)


def _unverified(outcome: Any) -> bool:
    return UNVERIFIED_FOLLOW_UP_SIGNAL in outcome.signals


@pytest.mark.parametrize("stream", [False, True])
def test_a_follow_up_quoting_the_services_answer_is_verified_and_a_forged_one_is_not(
    detector: Detector, stream: bool
) -> None:
    app, seen = make_app(detector)
    key = {"Authorization": "Bearer sk-learner"}
    with TestClient(app) as client:
        first = client.post("/v1/chat/completions", json=_first(stream=stream), headers=key)
        _answers_recorded(app, 1)
        client.post("/v1/chat/completions", json=_thread(_answer(QUESTION), stream=stream), headers=key)
        client.post(
            "/v1/chat/completions", json=_thread("Something the service never said.", stream=stream), headers=key
        )
        # Another key quoting the same real answer did not send the earlier turn.
        other = {"Authorization": "Bearer sk-other"}
        client.post("/v1/chat/completions", json=_thread(_answer(QUESTION), stream=stream), headers=other)
    assert first.status_code == 200 and not _unverified(seen[0])
    assert not _unverified(seen[1])
    assert _unverified(seen[2]) and _unverified(seen[3])


def test_the_response_is_sent_byte_for_byte(detector: Detector) -> None:
    app, _ = make_app(detector)
    plain, _ = make_app(detector, max_answer_bytes=0)
    with TestClient(app) as client, TestClient(plain) as reference:
        for body in (_first(), _first(stream=True)):
            got = client.post("/v1/chat/completions", json=body)
            want = reference.post("/v1/chat/completions", json=body)
            assert got.content == want.content and got.headers["content-type"] == want.headers["content-type"]


def test_an_answer_not_read_leaves_the_earlier_turn_alone_to_count(detector: Detector) -> None:
    # A compressed body is not decompressed here, and with max_answer_bytes=0 nothing is copied:
    # the earlier turn was this key's, and that is what is checked.
    for options, extra in (({}, {"gzip": True}), ({"max_answer_bytes": 0}, {})):
        app, seen = make_app(detector, **options)
        with TestClient(app) as client:
            client.post("/v1/chat/completions", json=_first(**extra))
            client.post("/v1/chat/completions", json=_thread("whatever it quotes", **extra))
        assert not _unverified(seen[1])


def test_a_body_longer_than_the_bound_is_not_recorded(detector: Detector) -> None:
    app, seen = make_app(detector, max_answer_bytes=64)
    with TestClient(app) as client:
        client.post("/v1/chat/completions", json=_first())
        client.post("/v1/chat/completions", json=_thread("not the answer"))
    assert not _unverified(seen[1])


def test_a_failing_ledger_costs_only_the_record(detector: Detector, caplog: pytest.LogCaptureFixture) -> None:
    app, _ = make_app(detector)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("ledger down")

    with TestClient(app) as client:
        middleware = app.middleware_stack
        while not isinstance(middleware, QuerySentryMiddleware):
            middleware = middleware.app  # type: ignore[union-attr]
        middleware.engine.answered = broken  # type: ignore[method-assign]
        with caplog.at_level(logging.ERROR, logger="querysentry"):
            response = client.post("/v1/chat/completions", json=_first())
    assert response.status_code == 200 and response.json()["choices"][0]["message"]["content"] == _answer(QUESTION)
    assert any("could not record the answer" in r.getMessage() for r in caplog.records)


def test_without_a_ledger_nothing_is_recorded_or_signalled(detector: Detector) -> None:
    from querysentry.engine import Engine, EngineConfig

    engine = Engine(EngineConfig(), detector=detector, history=None, watch_index=None)
    app, seen = make_app(detector, engine=engine)
    with TestClient(app) as client:
        client.post("/v1/chat/completions", json=_thread("forged, but nobody checks"))
    assert seen[0].conversation is None and not _unverified(seen[0])


def test_the_tap_records_only_once_the_app_has_returned() -> None:
    # Not from inside send: a StreamingResponse cancels what its last send still awaits when the
    # client's disconnect arrives after the last byte, and the record would be lost.
    from querysentry.asgi.answers import AnswerTap

    sent: list[Any] = []
    recorded: list[tuple[bytes, str]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def record(body: bytes, content_type: str) -> None:
        recorded.append((body, content_type))

    def start(status: int = 200, encoding: str | None = None) -> dict[str, Any]:
        pairs = [(b"content-type", b"application/json")] + (
            [(b"content-encoding", encoding.encode())] if encoding else []
        )
        return {"type": "http.response.start", "status": status, "headers": pairs}

    async def respond(tap: AnswerTap, first: dict[str, Any], chunks: list[bytes]) -> None:
        await tap.send(first)
        for i, chunk in enumerate(chunks):
            await tap.send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})

    async def go() -> None:
        tap = AnswerTap(send, record, max_bytes=100)
        await respond(tap, start(), [b'{"a":', b" 1}"])
        assert recorded == [] and len(sent) == 3  # everything went out, nothing recorded yet
        await tap.finish()
        await tap.finish()  # once only
        assert recorded == [(b'{"a": 1}', "application/json")]
        for first, chunks in (
            (start(), [b"x" * 60, b"y" * 60]),  # over the bound
            (start(500), [b"{}"]),  # not an answer
            (start(encoding="gzip"), [b"{}"]),  # compressed: not read here
        ):
            other = AnswerTap(send, record, max_bytes=100)
            await respond(other, first, chunks)
            await other.finish()
        assert len(recorded) == 1
        cut = AnswerTap(send, record, max_bytes=100)
        await cut.send(start())
        await cut.send({"type": "http.response.body", "body": b"{", "more_body": True})
        await cut.finish()  # the body never completed (the app failed or the client left)
        assert len(recorded) == 1

    asyncio.run(go())
