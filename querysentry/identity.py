"""Who is calling: a stable client key per request, without keeping secrets.

The default key is the caller's API key (``Authorization: Bearer …`` or ``x-api-key``), hashed with
a salt so that the raw key never reaches logs or storage; without one, the client address.
``X-Forwarded-For`` is honoured only when the connection comes from a configured trusted proxy,
and then the right-most address that is not itself a trusted proxy is taken, because everything
to its left was written by the client and can be forged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ClientIdentity", "hash_secret"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def hash_secret(secret: str, salt: bytes) -> str:
    """A short, stable, non-reversible id for a secret (HMAC-SHA256, 96 bits shown)."""
    return hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def _headers(scope: Mapping[str, Any]) -> dict[str, str]:
    # ASGI headers are lower-cased bytes pairs; the last value wins, as in most servers.
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


@dataclass(frozen=True)
class ClientIdentity:
    """The default ``client_key`` callable: ``key:<hash>`` for API keys, else ``ip:<address>``.

    ``trusted_proxies`` are addresses or CIDR networks (``"10.0.0.0/8"``) of reverse proxies whose
    ``X-Forwarded-For`` may be believed. ``salt`` should be a deployment secret shared by all
    replicas, so that every replica derives the same key for the same caller.
    """

    trusted_proxies: Iterable[str] = ()
    salt: bytes = b"querysentry"
    _networks: tuple[Network, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        networks = tuple(ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies)
        object.__setattr__(self, "_networks", networks)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def key_for_api_key(self, api_key: str) -> str:
        """The client key a request with this API key gets (for allow- and deny-lists)."""
        return f"key:{hash_secret(api_key, self.salt)}"

    def __call__(self, scope: Mapping[str, Any]) -> str:
        headers = _headers(scope)
        authorization = headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return self.key_for_api_key(token.strip())
        api_key = headers.get("x-api-key", "").strip()
        if api_key:
            return self.key_for_api_key(api_key)
        return f"ip:{self.client_address(scope, headers)}"

    def client_address(self, scope: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> str:
        """The caller's address, looking through trusted proxies only."""
        client = scope.get("client")
        peer = str(client[0]) if client else "unknown"
        if not self._networks or not self._trusted(peer):
            return peer
        forwarded = (headers if headers is not None else _headers(scope)).get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._trusted(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return peer  # garbage in the header: fall back to the proxy itself
        return hops[0] if hops else peer
