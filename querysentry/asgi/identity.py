"""Who is calling: a stable client key per request, without keeping secrets.

The default key is the caller's API key (``Authorization: Bearer …`` or ``x-api-key``), hashed with
a salt so that the raw key never reaches logs or storage; without one, the client address.

Headers are read the way the application reads them: Starlette's ``request.headers.get`` (what auth
code calls) returns the *first* of repeated headers, so the key is taken from the first one too.
Repeated identity headers with different values are reported by ``identity_conflict``: an account
that adds a random second ``Authorization`` header per request must not become a new client each
time, and the attempt is itself a signal.

``X-Forwarded-For`` is honoured only when the connection comes from a configured trusted proxy,
and then the right-most address that is not itself a trusted proxy is taken, because everything
to its left was written by the client and can be forged. Note that uvicorn rewrites
``scope["client"]`` from ``X-Forwarded-For`` itself when its ``--proxy-headers`` option is on (its
default, for connections from ``--forwarded-allow-ips``, 127.0.0.1 by default): see the README's
deployment section.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IDENTITY_HEADERS", "SALT_ENV", "ClientIdentity", "first_headers", "hash_secret", "identity_conflict"]

LOG = logging.getLogger("querysentry")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SALT_ENV = "QUERYSENTRY_SALT"
IDENTITY_HEADERS = ("authorization", "x-api-key")


def hash_secret(secret: str, salt: bytes) -> str:
    """A short, stable, non-reversible id for a secret (HMAC-SHA256, 96 bits shown)."""
    return hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def first_headers(scope: Mapping[str, Any]) -> dict[str, str]:
    """Lower-cased header names → the *first* value, as ``starlette.datastructures.Headers.get``. O(headers)."""
    out: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        out.setdefault(key.decode("latin-1").lower(), value.decode("latin-1"))
    return out


def identity_conflict(scope: Mapping[str, Any]) -> bool:
    """True when an identity header is repeated with different values. O(headers)."""
    seen: dict[bytes, bytes] = {}
    for key, value in scope.get("headers", []):
        name = key.lower()
        if name.decode("latin-1") in IDENTITY_HEADERS and seen.setdefault(name, value.strip()) != value.strip():
            return True
    return False


def _default_salt() -> bytes:
    configured = os.environ.get(SALT_ENV, "")
    if configured:
        return configured.encode("utf-8")
    # A public constant would let anyone reverse logged keys with a dictionary; a random salt cannot
    # be reversed, but every process then derives different keys for the same caller.
    LOG.warning(
        "querysentry: no client-key salt configured (ClientIdentity(salt=...) or %s); using a random "
        "per-process salt, so replicas and restarts will not agree on client keys",
        SALT_ENV,
    )
    return secrets.token_bytes(32)


@dataclass(frozen=True)
class ClientIdentity:
    """The default ``client_key`` callable: ``key:<hash>`` for API keys, else ``ip:<address>``.

    ``trusted_proxies`` are addresses or CIDR networks (``"10.0.0.0/8"``) of reverse proxies whose
    ``X-Forwarded-For`` may be believed. ``salt`` is a deployment secret shared by all replicas, so
    that every replica derives the same key for the same caller; without one it is read from the
    ``QUERYSENTRY_SALT`` environment variable, and failing that a random per-process salt is used
    (with a warning at construction).
    """

    trusted_proxies: Iterable[str] = ()
    salt: bytes | None = None
    _networks: tuple[Network, ...] = field(init=False, repr=False)
    _salt: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        networks = tuple(ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies)
        object.__setattr__(self, "_networks", networks)
        if self.salt is not None and not self.salt:
            raise ValueError("salt must not be empty")
        object.__setattr__(self, "_salt", self.salt if self.salt is not None else _default_salt())

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def key_for_api_key(self, api_key: str) -> str:
        """The client key a request with this API key gets (for allow- and deny-lists)."""
        return f"key:{hash_secret(api_key, self._salt)}"

    def __call__(self, scope: Mapping[str, Any]) -> str:
        headers = first_headers(scope)
        authorization = headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return self.key_for_api_key(token.strip())
        api_key = headers.get("x-api-key", "").strip()
        if api_key:
            return self.key_for_api_key(api_key)
        return f"ip:{self.client_address(scope, headers)}"

    def client_address(self, scope: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> str:
        # ``headers`` is accepted for backwards compatibility; the raw scope is what is read.
        """The caller's address, looking through trusted proxies only."""
        client = scope.get("client")
        peer = str(client[0]) if client else "unknown"
        if not self._networks or not self._trusted(peer):
            return peer
        # Repeated X-Forwarded-For headers are one list in order (RFC 9110 5.3): a proxy may append a
        # header of its own after the one the client wrote, and the right end is what it saw.
        forwarded = ",".join(
            v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"x-forwarded-for"
        )
        hops = [hop.strip() for hop in forwarded.split(",")[-64:] if hop.strip()]
        for hop in reversed(hops):
            if not self._trusted(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return peer  # garbage in the header: fall back to the proxy itself
        return hops[0] if hops else peer
