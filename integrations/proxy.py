"""A reverse proxy that puts QuerySentry in front of any OpenAI-compatible server.

    python -m integrations.proxy --upstream http://127.0.0.1:11434 --port 8080   # e.g. Ollama

Every request is forwarded as it came (method, path, query, headers, body byte for byte) and the
upstream response is streamed back as it is produced, so Server-Sent Events arrive chunk by chunk.
With ``upstream_headers=True`` the upstream also learns QuerySentry's verdict.
"""

from __future__ import annotations

import argparse
import contextlib
import logging.config
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from querysentry import Detector, QuerySentryMiddleware
from querysentry.telemetry import LOGGING_CONFIG_EXAMPLE

# Per-hop headers (RFC 9110 §7.6.1) describe one connection and must not be forwarded.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip


def create_app(upstream: str, detector: Detector | None = None, timeout: float = 600.0, **options: Any) -> Starlette:
    client = httpx.AsyncClient(base_url=upstream.rstrip("/"), timeout=timeout)

    async def forward(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        outgoing = client.build_request(
            request.method,
            httpx.URL(path=request.url.path, query=request.url.query.encode()),
            headers=headers,
            content=request.stream(),
        )
        upstream_response = await client.send(outgoing, stream=True)
        response_headers = {k: v for k, v in upstream_response.headers.items() if k.lower() not in HOP_BY_HOP}
        return StreamingResponse(
            upstream_response.aiter_raw(),
            status_code=upstream_response.status_code,
            headers=response_headers,
            background=BackgroundTask(upstream_response.aclose),
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    app = Starlette(routes=[Route("/{path:path}", forward, methods=methods)], lifespan=lifespan)
    app.add_middleware(QuerySentryMiddleware, detector=detector, **options)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry reverse proxy")
    parser.add_argument("--upstream", required=True, help="base URL of the OpenAI-compatible server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--mode", choices=["shadow", "tag", "enforce"], default="tag")
    args = parser.parse_args()
    import uvicorn

    logging.config.dictConfig(LOGGING_CONFIG_EXAMPLE)
    app = create_app(args.upstream, mode=args.mode, upstream_headers=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
