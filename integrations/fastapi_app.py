"""A FastAPI app with an OpenAI-compatible chat endpoint behind QuerySentry.

    python -m integrations.fastapi_app            # http://127.0.0.1:8000, JSON logs on stderr

Route code gets the request's outcome through a dependency; this demo only reports it back, a
real app might route flagged traffic to a cheaper model or drop the reasoning from the answer.
"""

from __future__ import annotations

import argparse
import logging.config
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from integrations.chat_backend import completion, stream
from querysentry import Detector, Outcome, QuerySentryMiddleware
from querysentry.telemetry import LOGGING_CONFIG_EXAMPLE


def querysentry_outcome(request: Request) -> Outcome | None:
    """The dependency that hands QuerySentry's outcome to route code (None if not scanned)."""
    return getattr(request.state, "querysentry", None)


def create_app(detector: Detector | None = None, **options: Any) -> FastAPI:
    app = FastAPI(title="QuerySentry demo")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(
        request: Request, outcome: Annotated[Outcome | None, Depends(querysentry_outcome)]
    ) -> JSONResponse | StreamingResponse:
        body = await request.json()
        if body.get("stream"):
            return StreamingResponse(stream(body), media_type="text/event-stream")
        note = outcome.action if outcome is not None else "not scanned"
        return JSONResponse(completion(body, note))

    options.setdefault("exclude_paths", ["/health"])
    app.add_middleware(QuerySentryMiddleware, detector=detector, **options)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry demo chat app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--mode", choices=["shadow", "tag", "enforce"], default="tag")
    args = parser.parse_args()
    import uvicorn

    logging.config.dictConfig(LOGGING_CONFIG_EXAMPLE)
    uvicorn.run(create_app(mode=args.mode), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
