"""The two apps `benchmarks/middleware.py` serves with uvicorn: the same echo chat app, with and
without QuerySentry (in tag mode, default detector: cache and micro-batcher on)."""

from __future__ import annotations

from starlette.applications import Starlette

from integrations import starlette_app
from querysentry import QuerySentryMiddleware


def plain() -> Starlette:
    app = starlette_app.create_app()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not QuerySentryMiddleware]  # type: ignore[comparison-overlap]
    return app


def guarded() -> Starlette:
    return starlette_app.create_app(mode="tag")
