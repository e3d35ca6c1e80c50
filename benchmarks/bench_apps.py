"""The apps `benchmarks/middleware.py` serves with uvicorn: the same echo chat app, plain, behind
QuerySentry (in tag mode, default detector: cache and micro-batcher on), and behind a bare raw
encode of the new message (the baseline for what scanning costs)."""

from __future__ import annotations

import json

from anyio import to_thread
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integrations import starlette_app
from querysentry import Encoder, QuerySentryMiddleware


def plain() -> Starlette:
    app = starlette_app.create_app()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not QuerySentryMiddleware]  # type: ignore[comparison-overlap]
    return app


def guarded() -> Starlette:
    return starlette_app.create_app(mode="tag")


class EncodeFirst:
    """A raw ONNX encode of the last message in a worker thread before the app runs: the least any
    in-app scan costs, measured under the same serving conditions as the middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.encoder = Encoder(threads=1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/chat/completions":
            return await self.app(scope, receive, send)
        message = await receive()  # the benchmark's bodies arrive in one message
        text = json.loads(message.get("body", b"{}"))["messages"][-1]["content"]
        await to_thread.run_sync(self.encoder.encode, [text])
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return message

        await self.app(scope, replay, send)


def encoding() -> Starlette:
    app = plain()
    app.add_middleware(EncodeFirst)
    return app


def guarded_campaigns() -> Starlette:
    """As ``guarded``, with campaigns found in this server's own traffic (``campaigns="auto"``)."""
    return starlette_app.create_app(mode="tag", campaigns="auto")


def guarded_campaigns_no_history() -> Starlette:
    """As ``guarded_campaigns``, without the conversation ledger and the answer tap."""
    return starlette_app.create_app(mode="tag", campaigns="auto", history=None, max_answer_bytes=0)
