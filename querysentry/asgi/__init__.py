"""The ASGI edge: the middleware, body capture and replay, identity, features, refusals, headers.

``QuerySentryMiddleware`` loads on first use, so that ``replay`` can read client identity and
features from recorded headers without loading Starlette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from querysentry.asgi.identity import ClientIdentity

if TYPE_CHECKING:
    from querysentry.asgi.middleware import QuerySentryMiddleware

__all__ = ["ClientIdentity", "QuerySentryMiddleware"]


def __getattr__(name: str) -> Any:
    if name == "QuerySentryMiddleware":
        from querysentry.asgi.middleware import QuerySentryMiddleware

        return QuerySentryMiddleware
    raise AttributeError(f"module 'querysentry.asgi' has no attribute {name!r}")
