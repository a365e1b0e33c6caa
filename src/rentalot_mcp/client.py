"""The one place HTTP calls are made: an `ApiClient` per provider over one keep-alive httpx client."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from rentalot_mcp import __version__
from rentalot_mcp.config import ProviderSettings
from rentalot_mcp.openapi.operations import HttpRequest

logger = logging.getLogger(__name__)

USER_AGENT = f"rentalot-mcp/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_BODY_BYTES = 2_000_000
"""Answers larger than this are not parsed; the result says so instead of flooding the context."""


class CallFailed(Exception):
    """A call that produced no HTTP answer to render (no key, network down); the message is user-safe."""


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """What came back, parsed once."""

    status: int
    headers: httpx.Headers
    body: Any
    """Parsed JSON, or None for an empty or non-JSON body."""
    text: str
    """The raw text when the body is not JSON (cut to a sane size), else ''."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Facts about the call worth passing to the client (rate-limit budget, replay)."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class ApiClient:
    """Sends routed requests for one provider: base URL, auth, user agent, timeouts."""

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=(settings.base_url.value or settings.provider.default_base_url).rstrip("/"),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    @property
    def provider_name(self) -> str:
        return self.settings.provider.name

    async def send(
        self,
        request: HttpRequest,
        *,
        api_key: str | None = None,
        progress: Callable[[float, float | None, str | None], Awaitable[None]] | None = None,
    ) -> ApiResponse:
        """Send one request; `api_key` overrides the configured key for this request only."""
        key = api_key or self.settings.api_key.value
        if not key:
            raise CallFailed(self.settings.provider.missing_key_help())
        headers = {**self.settings.provider.auth_headers(key), **request.headers}
        try:
            response = await self._http.request(
                request.method,
                request.path,
                params=request.query or None,
                headers=headers,
                json=request.json if request.has_body else None,
            )
        except httpx.TimeoutException:
            raise CallFailed(f"{self._where()} did not answer in time; try again.") from None
        except httpx.TransportError as exc:
            raise CallFailed(f"Could not reach {self._where()} ({exc.__class__.__name__}).") from None
        return parse_response(response)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _where(self) -> str:
        return f"{self.settings.provider.display_name} at {self._http.base_url}"


def parse_response(response: httpx.Response) -> ApiResponse:
    """Parse JSON when the answer is JSON; keep a bounded text otherwise."""
    raw = response.content
    if len(raw) > MAX_BODY_BYTES:
        return ApiResponse(response.status_code, response.headers, None, f"[response of {len(raw)} bytes not shown]")
    if not raw.strip():
        return ApiResponse(response.status_code, response.headers, None, "")
    try:
        return ApiResponse(response.status_code, response.headers, json.loads(raw), "")
    except (ValueError, UnicodeDecodeError):
        return ApiResponse(response.status_code, response.headers, None, raw[:500].decode("utf-8", "replace"))
