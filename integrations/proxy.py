"""A reverse proxy that puts QuerySentry in front of any OpenAI-compatible server.

    python -m integrations.proxy --upstream http://127.0.0.1:11434 --port 8080   # e.g. Ollama

Every request is forwarded as it came (method, path, query, headers, body byte for byte) and the
upstream response is streamed back as it is produced, so Server-Sent Events arrive chunk by chunk.
With ``upstream_headers=True`` the upstream also learns QuerySentry's verdict.

``--countermeasures`` (``create_app(..., countermeasures=True)`` or a ``CountermeasureSettings``)
rewrites responses per the client's standing (``querysentry.countermeasures``): reasoning withheld
from flagged clients, leaks of the system prompt cut, for every client. The upstream is then asked
for ``Accept-Encoding: identity``, since compressed bodies cannot be rewritten; one that
compresses anyway (gzip or deflate) is decoded here, so that nothing passes unread.

An upstream that refuses the connection answers 502, one that does not answer within the timeout
504, both in the called API's error shape (``querysentry.asgi.refusal``) and without naming the
upstream; the proxy logs one WARNING (``querysentry.proxy``) for each. A failure after the upstream
has started answering cannot change the status any more: the connection is cut.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from querysentry import Detector, QuerySentryMiddleware
from querysentry.asgi.refusal import error_response
from querysentry.telemetry import configure_logging

# Under the package's logger, so that configure_logging() sends these lines with the decisions.
LOG = logging.getLogger("querysentry.proxy")

# Reads time out per chunk, not per response: a long generation that streams is never cut. A host
# that does not even accept the connection is given up on sooner.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)

# Codings the proxy can undo itself (the standard library's), for an upstream that ignores identity.
DECODABLE = {"gzip", "deflate"}

# Per-hop headers (RFC 9110 §7.6.1) describe one connection and must not be forwarded.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip


def create_app(
    upstream: str,
    detector: Detector | None = None,
    timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    **options: Any,
) -> Starlette:
    """The proxy; ``timeout`` (seconds, or an ``httpx.Timeout``) bounds each wait on the upstream.
    ``options`` go to ``QuerySentryMiddleware`` (``countermeasures=True`` among them)."""
    client = httpx.AsyncClient(base_url=upstream.rstrip("/"), timeout=timeout)
    where = _loggable(client.base_url)
    # Bodies the countermeasures rewrite must arrive as plain bytes.
    plain = bool(options.get("countermeasures"))

    async def forward(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        if plain:
            headers = [(k, v) for k, v in headers if k.lower() != "accept-encoding"] + [("accept-encoding", "identity")]
        outgoing = client.build_request(
            request.method,
            httpx.URL(path=request.url.path, query=request.url.query.encode()),
            headers=headers,
            content=request.stream(),
        )
        try:
            upstream_response = await client.send(outgoing, stream=True)
        except httpx.TimeoutException as exc:  # before TransportError: it is one
            return _upstream_failed(request, 504, exc, where)
        except httpx.TransportError as exc:  # refused, reset, DNS, protocol error
            return _upstream_failed(request, 502, exc, where)
        response_headers = {k: v for k, v in upstream_response.headers.items() if k.lower() not in HOP_BY_HOP}
        chunks = upstream_response.aiter_raw()
        codings = _codings(upstream_response)
        if plain and codings and codings <= DECODABLE:
            # Compressed despite identity: decoded here (httpx undoes each coding as it streams).
            chunks = upstream_response.aiter_bytes()
            response_headers = {k: v for k, v in response_headers.items() if k.lower() != "content-encoding"}
        return StreamingResponse(
            chunks,
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


def _upstream_failed(request: Request, status: int, exc: Exception, where: str) -> Response:
    outcome = getattr(request.state, "querysentry", None)
    request_id = outcome.request_id if outcome is not None else uuid.uuid4().hex
    # No traceback: an unreachable upstream is an operational state, not a bug in the proxy.
    LOG.warning(
        "querysentry proxy: upstream %s %s (%s: %s)",
        where,
        "timed out" if status == 504 else "unreachable",
        type(exc).__name__,
        str(exc) or "no detail",
        extra={"request_id": request_id, "upstream_status": status},
    )
    return error_response(request.url.path, status, request_id=request_id)


def _codings(response: httpx.Response) -> set[str]:
    """The response's content codings, ``identity`` left out."""
    value = response.headers.get("content-encoding", "")
    return {c.strip().lower() for c in value.split(",") if c.strip() and c.strip().lower() != "identity"}


def _loggable(url: httpx.URL) -> str:
    """The upstream for the operator's log: scheme, host and port, never credentials in the URL."""
    return str(url.copy_with(username=None, password=None, raw_path=b"/", query=None, fragment=None)).rstrip("/")


def main() -> None:
    parser = argparse.ArgumentParser(description="QuerySentry reverse proxy")
    parser.add_argument("--upstream", required=True, help="base URL of the OpenAI-compatible server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--mode", choices=["shadow", "tag", "enforce"], default="tag")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for each read from the upstream (then 504)"
    )
    parser.add_argument(
        "--connect-timeout", type=float, default=10.0, help="seconds to wait for the upstream to accept (then 504)"
    )
    parser.add_argument("--log-file", help="append the JSON decision records here (default: stderr)")
    parser.add_argument(
        "--countermeasures",
        action="store_true",
        help="rewrite responses: reasoning withheld from flagged clients, system-prompt leaks cut for all",
    )
    args = parser.parse_args()
    import uvicorn

    configure_logging(path=args.log_file)
    timeout = httpx.Timeout(args.timeout, connect=args.connect_timeout)
    app = create_app(
        args.upstream, timeout=timeout, mode=args.mode, upstream_headers=True, countermeasures=args.countermeasures
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
