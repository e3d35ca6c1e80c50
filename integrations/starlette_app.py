"""The same demo as a plain Starlette app: QuerySentry needs nothing from FastAPI.

python -m integrations.starlette_app --port 8001
"""

from __future__ import annotations

import argparse
import logging.config
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from integrations.chat_backend import completion, stream
from querysentry import Detector, QuerySentryMiddleware
from querysentry.telemetry import LOGGING_CONFIG_EXAMPLE


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def chat(request: Request) -> Response:
    body = await request.json()
    if body.get("stream"):
        return StreamingResponse(stream(body), media_type="text/event-stream")
    outcome = getattr(request.state, "querysentry", None)
    return JSONResponse(completion(body, outcome.action if outcome is not None else "not scanned"))


def create_app(detector: Detector | None = None, **options: Any) -> Starlette:
    options.setdefault("exclude_paths", ["/health"])
    return Starlette(
        routes=[Route("/health", health), Route("/v1/chat/completions", chat, methods=["POST"])],
        middleware=[Middleware(QuerySentryMiddleware, detector=detector, **options)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry demo (Starlette)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    import uvicorn

    logging.config.dictConfig(LOGGING_CONFIG_EXAMPLE)
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
