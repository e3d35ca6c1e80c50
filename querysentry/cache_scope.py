"""Whose caches: the scope that keys every cache of segment vectors and nearest patterns.

A cache shared by all clients answers a text that someone else sent recently faster than a new
one, and that difference is an oracle: anyone can test whether a given system prompt or template
passed through. The middleware sets the scope to the client key around each scan (in the worker
thread that runs it), so a client only ever hits its own entries: a chat's resent history stays
cheap, another tenant's prompt does not. Library callers who leave it unset share one scope ("").
"""

from __future__ import annotations

import contextvars

__all__ = ["cache_scope"]

cache_scope: contextvars.ContextVar[str] = contextvars.ContextVar("querysentry_cache_scope", default="")
