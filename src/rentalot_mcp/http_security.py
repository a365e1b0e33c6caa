"""Who may talk to the HTTP transports.

One ASGI middleware in front of every endpoint, checked in this order:

1. Host and Origin (DNS-rebinding protection): a web page must not be able to reach a server bound to
   loopback by pointing its own domain at 127.0.0.1. Unknown Host -> 421, foreign Origin -> 403.
2. The shared bearer token (`--auth-token`), compared in constant time -> 401.
3. With per-request keys, the caller's own platform key header must be present -> 401.

Requests without an Origin header (every non-browser MCP client) pass the Origin check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from rentalot_mcp.config import Setting, Settings
from rentalot_mcp.providers import PROVIDERS, Provider

AUTH_TOKEN_VARIABLE = "RENTALOT_MCP_AUTH_TOKEN"  # noqa: S105 - the variable's name, not a token
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - names, not a bind
ANY = "*"
HEALTH_PATH = "/healthz"
"""Answers 200 without any check, for load balancers; it reveals nothing."""


def key_header(provider: Provider) -> str:
    """The header that carries a caller's own key: RENTALOT_API_KEY -> X-Rentalot-Api-Key."""
    return "X-" + "-".join(part.capitalize() for part in provider.key_variable.split("_"))


def request_keys(ctx: Any) -> dict[str, str]:
    """Per-request keys (provider name -> key) from the HTTP request behind an MCP message.

    `ctx` is the SDK's `ServerRequestContext`; its `request` is the Starlette request that carried
    the message (the POST, for SSE and streamable HTTP), so each call uses its own caller's key.
    """
    headers: Mapping[str, str] = getattr(ctx.request, "headers", None) or {}
    keys = {provider.name: headers.get(key_header(provider), "").strip() for provider in PROVIDERS}
    return {name: key for name, key in keys.items() if key}


def without_keys(settings: Settings) -> Settings:
    """The settings with every configured key removed, so a call can only ever use its caller's key."""
    return Settings(
        tuple(
            replace(
                p,
                api_key=Setting(None, f"the {key_header(p.provider)} header of each request"),
                keys_per_request=True,
            )
            for p in settings.providers
        )
    )


def host_name(value: str) -> str:
    """`Example.com:8000` -> `example.com`; `[::1]:8000` -> `::1`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """What the middleware admits; built once from the command line."""

    allowed_hosts: frozenset[str]
    """Host names (no port; any port is fine), lowercase; `*` admits any Host."""
    allowed_origins: frozenset[str]
    """Exact origins (`https://app.example.com`), lowercase; loopback origins are always admitted."""
    auth_token: str | None = None
    key_headers: tuple[str, ...] = ()
    """With per-request keys: the headers of which at least one must be present."""

    @classmethod
    def build(
        cls,
        bind_host: str,
        *,
        allowed_hosts: Iterable[str] = (),
        allowed_origins: Iterable[str] = (),
        auth_token: str | None = None,
        per_request_keys: bool = False,
    ) -> AccessPolicy:
        hosts = set(LOOPBACK_HOSTS) | {host_name(h) for h in allowed_hosts if h.strip()}
        if bind_host not in WILDCARD_BINDS:
            hosts.add(host_name(bind_host))
        return cls(
            allowed_hosts=frozenset(hosts),
            allowed_origins=frozenset(o.strip().rstrip("/").lower() for o in allowed_origins if o.strip()),
            auth_token=auth_token or None,
            key_headers=tuple(key_header(p) for p in PROVIDERS) if per_request_keys else (),
        )

    def host_allowed(self, host: str | None) -> bool:
        return ANY in self.allowed_hosts or (bool(host) and host_name(host or "") in self.allowed_hosts)

    def origin_allowed(self, origin: str | None) -> bool:
        if origin is None:
            return True
        normalized = origin.strip().rstrip("/").lower()
        if ANY in self.allowed_origins or normalized in self.allowed_origins:
            return True
        parts = urlsplit(normalized)
        return parts.scheme in ("http", "https") and (parts.hostname or "") in LOOPBACK_HOSTS

    def token_accepted(self, authorization: str | None) -> bool:
        if self.auth_token is None:
            return True
        scheme, _, credentials = (authorization or "").partition(" ")
        given = credentials.strip() if scheme.lower() == "bearer" else ""
        return hmac.compare_digest(_digest(given), _digest(self.auth_token))

    def refusal(self, headers: Headers) -> tuple[int, str, dict[str, str]] | None:
        """`(status, message, extra headers)` when the request must be refused, else None."""
        if not self.host_allowed(headers.get("host")):
            return 421, "Host not allowed; start the server with --allowed-hosts <this host name>.", {}
        if not self.origin_allowed(headers.get("origin")):
            return 403, "Origin not allowed; start the server with --allowed-origins <this origin>.", {}
        if not self.token_accepted(headers.get("authorization")):
            challenge = {"WWW-Authenticate": 'Bearer realm="rentalot-mcp"'}
            return 401, "Missing or wrong bearer token: send Authorization: Bearer <token>.", challenge
        if self.key_headers and not any(headers.get(h, "").strip() for h in self.key_headers):
            return 401, f"This server uses per-request keys: send your API key in {self.key_headers[0]}.", {}
        return None


def _digest(secret: str) -> bytes:
    """Equal-length inputs for `compare_digest`, so not even the token's length leaks."""
    return hashlib.sha256(secret.encode()).digest()


class AccessMiddleware:
    """Applies an `AccessPolicy` to every HTTP request except the health check."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == HEALTH_PATH:
            await self.app(scope, receive, send)
            return
        refusal = self.policy.refusal(Headers(scope=scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message, extra = refusal
        body = json.dumps({"error": message}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
