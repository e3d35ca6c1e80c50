"""Client features: what links keys beyond their content, when the app can tell.

``client_features(scope) -> tuple[str, ...]`` returns hashed ``kind:value`` tokens. The campaign
layer (``querysentry.behaviour.campaigns``) uses them as linkage evidence only: a key that shares
a network prefix and a User-Agent family with a campaign's members joins it at a lower instruction
similarity; a token never decides anything alone. ``tier:<name>`` tokens are passed in clear (an
app's own account tier, e.g. ``new``, ``free``, ``unverified``) and make campaign membership one
level stricter.

The default reads the caller's network prefix (IPv4 /24, IPv6 /48, through trusted proxies as
``ClientIdentity`` reads the address) and the User-Agent's family (the product token before the
first ``/``, e.g. ``python-httpx``), hashed with the identity salt. Apps add their own
(SDK headers, a TLS fingerprint a front proxy passes on, account age or tier) with
``ClientFeatures(extra=...)``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from querysentry.asgi.identity import ClientIdentity, first_headers

__all__ = ["ClientFeatures", "user_agent_family"]

_PRODUCT = re.compile(r"[A-Za-z][A-Za-z0-9._+-]{0,40}")


def user_agent_family(user_agent: str) -> str:
    """The product name of a User-Agent (``OpenAI/Python 1.40`` → ``openai``), or ``none``."""
    match = _PRODUCT.match(user_agent.strip()[:64])
    return match.group(0).lower() if match else "none"


def _prefix(address: str) -> str | None:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


@dataclass(frozen=True)
class ClientFeatures:
    """The default ``client_features`` callable (see the module docstring).

    ``identity`` reads the address (its trusted proxies and salt are used); ``extra(scope,
    headers)`` returns more ``kind:value`` tokens, hashed here unless their kind is ``tier``.
    """

    identity: ClientIdentity = field(default_factory=ClientIdentity)
    extra: Callable[[Mapping[str, Any], Mapping[str, str]], tuple[str, ...]] | None = None

    def _hash(self, kind: str, value: str) -> str:
        digest = hmac.new(self.identity._salt, f"{kind}:{value}".encode(), hashlib.blake2b).hexdigest()[:12]
        return f"{kind}:{digest}"

    def __call__(self, scope: Mapping[str, Any]) -> tuple[str, ...]:
        headers = first_headers(scope)
        tokens = []
        prefix = _prefix(self.identity.client_address(scope))
        if prefix is not None:
            tokens.append(self._hash("net", prefix))
        tokens.append(self._hash("ua", user_agent_family(headers.get("user-agent", ""))))
        if self.extra is not None:
            for token in self.extra(scope, headers)[:16]:
                kind, _, value = token.partition(":")
                tokens.append(token if kind == "tier" else self._hash(kind, value))
        return tuple(tokens)
