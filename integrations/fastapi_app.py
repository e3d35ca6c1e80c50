"""A FastAPI app with an OpenAI-compatible chat endpoint behind QuerySentry.

    python -m integrations.fastapi_app            # http://127.0.0.1:8000, JSON logs on stderr
    curl http://127.0.0.1:8000/metrics            # if prometheus_client is installed

Route code gets the request's outcome through a dependency; this demo only reports it back, a
real app might route flagged traffic to a cheaper model or drop the reasoning from the answer.
"""

from __future__ import annotations

import argparse
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from integrations.chat_backend import bad_request, completion, read_chat_body, stream
from querysentry import Detector, Outcome, QuerySentryMiddleware
from querysentry.metrics import Metrics
from querysentry.telemetry import configure_logging


def querysentry_outcome(request: Request) -> Outcome | None:
    """The dependency that hands QuerySentry's outcome to route code (None if not scanned)."""
    return getattr(request.state, "querysentry", None)


def create_app(detector: Detector | None = None, metrics: Metrics | None = None, **options: Any) -> FastAPI:
    """The app; ``metrics`` defaults to a registry of the app's own, served at ``/metrics``."""
    app = FastAPI(title="QuerySentry demo")
    metrics = metrics if metrics is not None else Metrics.isolated()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(
        request: Request, outcome: Annotated[Outcome | None, Depends(querysentry_outcome)]
    ) -> JSONResponse | StreamingResponse:
        body = await read_chat_body(request)
        if body is None:
            return bad_request(request)
        if body.get("stream"):
            return StreamingResponse(stream(body), media_type="text/event-stream")
        note = outcome.action if outcome is not None else "not scanned"
        return JSONResponse(completion(body, note))

    if metrics.enabled:
        # A Starlette Route, which serves an ASGI app object as it is (FastAPI's add_route wants an endpoint).
        app.router.routes.append(Route("/metrics", metrics.asgi_app(), include_in_schema=False))
    options.setdefault("exclude_paths", ["/health", "/metrics"])
    app.add_middleware(QuerySentryMiddleware, detector=detector, metrics=metrics, **options)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry demo chat app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--mode", choices=["shadow", "tag", "enforce"], default="tag")
    parser.add_argument("--log-file", help="append the JSON decision records here (default: stderr)")
    args = parser.parse_args()
    import uvicorn

    configure_logging(path=args.log_file)
    uvicorn.run(create_app(mode=args.mode), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
