"""Error responses in the shape of the API that was called (OpenAI, Anthropic or Gemini). Pure.

The middleware's refusals (403, 429, 413), the demo apps' 400 for a body that is not JSON and the
proxy's 502/504 for an upstream that does not answer all come from here, so that a client's own SDK
raises its usual exception class (``PermissionDeniedError``, ``RateLimitError``, ...) and finds the
request id where it looks for it.

The message depends on the status only: a refusal reads the same whatever the reason (category,
score, client level), so that the response is no oracle for tuning an attack, and an upstream
failure never names the upstream.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from starlette.responses import JSONResponse

from querysentry.extract import is_anthropic_path

__all__ = ["ERROR_STATUSES", "api_family", "error_body", "error_response", "is_gemini_path"]

ApiFamily = Literal["openai", "anthropic", "gemini"]


@dataclass(frozen=True)
class _Kind:
    message: str
    openai: str  # OpenAI's error.type (and error.code)
    anthropic: str  # Anthropic's error.type (docs.claude.com/en/api/errors; anthropic.types.ErrorType)
    google: str  # google.rpc status name (Gemini's error.status)


_KINDS: dict[int, _Kind] = {
    400: _Kind(
        "The request could not be parsed.", "invalid_request_error", "invalid_request_error", "INVALID_ARGUMENT"
    ),
    403: _Kind("This request was refused.", "permission_error", "permission_error", "PERMISSION_DENIED"),
    # Google answers an oversized payload with INVALID_ARGUMENT; the HTTP status stays 413 here.
    413: _Kind("Request body too large.", "request_too_large", "request_too_large", "INVALID_ARGUMENT"),
    429: _Kind("Too many requests.", "rate_limit_error", "rate_limit_error", "RESOURCE_EXHAUSTED"),
    502: _Kind("The upstream is unreachable.", "api_error", "api_error", "UNAVAILABLE"),
    504: _Kind("The upstream timed out.", "api_error", "timeout_error", "DEADLINE_EXCEEDED"),
}

ERROR_STATUSES = frozenset(_KINDS)
"""The statuses :func:`error_body` knows; any other raises ``ValueError``."""

# Gemini's REST methods are custom verbs on a model resource: ``/v1beta/models/NAME:generateContent``.
_GEMINI_METHOD = re.compile(r":(?:stream)?generateContent$|:countTokens$", re.IGNORECASE)


def is_gemini_path(path: str) -> bool:
    """``…/models/NAME:generateContent`` (or ``:streamGenerateContent``, ``:countTokens``)."""
    return _GEMINI_METHOD.search(path.rstrip("/")) is not None


def api_family(path: str) -> ApiFamily:
    """Whose error shape a request to ``path`` expects: Gemini and Anthropic by path, else OpenAI's."""
    if is_gemini_path(path):
        return "gemini"
    if is_anthropic_path(path):
        return "anthropic"
    return "openai"


def error_body(path: str, status: int, *, request_id: str) -> dict[str, Any]:
    """The JSON body of an error answer to a request for ``path``; raises ``ValueError`` for a status not known."""
    try:
        kind = _KINDS[status]
    except KeyError:
        raise ValueError(f"no error shape for status {status}; known: {sorted(_KINDS)}") from None
    family = api_family(path)
    if family == "anthropic":
        return {"type": "error", "error": {"type": kind.anthropic, "message": kind.message}, "request_id": request_id}
    if family == "gemini":
        # Google's body has no request id; the headers carry it.
        return {"error": {"code": status, "message": kind.message, "status": kind.google}}
    return {
        "error": {"message": kind.message, "type": kind.openai, "code": kind.openai, "param": None},
        "request_id": request_id,
    }


def error_response(
    path: str, status: int, *, request_id: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error answer for ``path`` with the request id in ``x-request-id`` (OpenAI's SDK reads it)
    and ``request-id`` (Anthropic's). ``headers`` are added (e.g. ``retry-after``); they cannot
    replace the two id headers."""
    merged = {name.lower(): value for name, value in (headers or {}).items()}
    merged["x-request-id"] = request_id
    merged["request-id"] = request_id
    return JSONResponse(error_body(path, status, request_id=request_id), status_code=status, headers=merged)
