"""The same demo as a plain Starlette app: QuerySentry needs nothing from FastAPI.

python -m integrations.starlette_app --port 8001   # metrics at /metrics if prometheus_client is installed
"""

from __future__ import annotations

import argparse
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from integrations.chat_backend import bad_request, completion, read_chat_body, stream
from querysentry import Detector, QuerySentryMiddleware
from querysentry.metrics import Metrics
from querysentry.telemetry import configure_logging


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def chat(request: Request) -> Response:
    body = await read_chat_body(request)
    if body is None:
        return bad_request(request)
    if body.get("stream"):
        return StreamingResponse(stream(body), media_type="text/event-stream")
    outcome = getattr(request.state, "querysentry", None)
    return JSONResponse(completion(body, outcome.action if outcome is not None else "not scanned"))


def create_app(detector: Detector | None = None, metrics: Metrics | None = None, **options: Any) -> Starlette:
    """The app; ``metrics`` defaults to a registry of the app's own, served at ``/metrics``."""
    metrics = metrics if metrics is not None else Metrics.isolated()
    routes = [Route("/health", health), Route("/v1/chat/completions", chat, methods=["POST"])]
    if metrics.enabled:
        routes.append(Route("/metrics", metrics.asgi_app()))
    options.setdefault("exclude_paths", ["/health", "/metrics"])
    return Starlette(
        routes=routes,
        middleware=[Middleware(QuerySentryMiddleware, detector=detector, metrics=metrics, **options)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry demo (Starlette)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--log-file", help="append the JSON decision records here (default: stderr)")
    args = parser.parse_args()
    import uvicorn

    configure_logging(path=args.log_file)
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
