"""The ASGI edge: the middleware, body capture and replay, identity, refusals, our headers."""

from querysentry.asgi.identity import ClientIdentity
from querysentry.asgi.middleware import QuerySentryMiddleware

__all__ = ["ClientIdentity", "QuerySentryMiddleware"]
