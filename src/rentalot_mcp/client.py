"""The one place HTTP calls are made: an `ApiClient` per provider over one keep-alive httpx client.

Every call gets done at most once, however often it is retried: transient failures (429, 5xx,
dropped connections, read timeouts) are retried with backoff within a time budget, and every
POST carries an `Idempotency-Key` that stays the same across the retries of one tool call.
The platform's rate-limit headers are read on every answer; when the budget is spent the client
waits for the window to reset instead of burning requests.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

from rentalot_mcp import __version__
from rentalot_mcp.config import ProviderSettings
from rentalot_mcp.openapi.operations import HttpRequest

logger = logging.getLogger(__name__)

USER_AGENT = f"rentalot-mcp/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_BODY_CHARS = 1_000_000
"""Answers larger than this are cut, with a marker, instead of flooding the model's context."""
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("X-Idempotent-Replayed", "Idempotent-Replayed")
"""Rentalot and BookMyColiving name the 'this is a replay' header differently."""

Progress = Callable[[float, float | None, str | None], Awaitable[None]]


class CallFailed(Exception):
    """A call that produced no HTTP answer to render (no key, network down); the message is user-safe."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to retry. The budget bounds the whole call, waits included."""

    max_attempts: int = 6
    budget_seconds: float = 60.0
    base_delay: float = 0.2
    max_delay: float = 10.0
    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    @classmethod
    def from_environment(cls) -> RetryPolicy:
        """`RENTALOT_MCP_RETRY_BUDGET` (seconds) and `RENTALOT_MCP_MAX_ATTEMPTS` tune it."""
        default = cls()
        budget = os.environ.get("RENTALOT_MCP_RETRY_BUDGET", "")
        attempts = os.environ.get("RENTALOT_MCP_MAX_ATTEMPTS", "")
        return cls(
            max_attempts=max(1, int(attempts)) if attempts.isdigit() else default.max_attempts,
            budget_seconds=float(budget) if budget.replace(".", "", 1).isdigit() else default.budget_seconds,
        )

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with full jitter; a server's Retry-After is a floor."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        delay = random.uniform(ceiling / 2, ceiling)
        return max(delay, retry_after) if retry_after is not None else delay


@dataclass(slots=True)
class RateLimit:
    """The budget the platform last reported (`X-RateLimit-*`)."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    resource: str | None = None

    def update(self, headers: httpx.Headers) -> None:
        self.limit = _int(headers.get("X-RateLimit-Limit"), self.limit)
        self.remaining = _int(headers.get("X-RateLimit-Remaining"), self.remaining)
        reset = _int(headers.get("X-RateLimit-Reset"), None)
        self.reset = float(reset) if reset is not None else self.reset
        self.resource = headers.get("X-RateLimit-Resource", self.resource)

    def seconds_until_reset(self) -> float:
        if self.remaining is None or self.remaining > 0 or self.reset is None:
            return 0.0
        return max(0.0, self.reset - time.time())

    def as_meta(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("limit", self.limit),
                ("remaining", self.remaining),
                ("reset", self.reset),
                ("resource", self.resource),
            )
            if v is not None
        }


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
    """Facts about the call worth passing to the client: rate-limit budget, replay, attempts."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def replayed(self) -> bool:
        return bool(self.meta.get("replayed"))


class ApiClient:
    """Sends routed requests for one provider: base URL, auth, user agent, timeouts, retries."""

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy.from_environment()
        self._budgets: dict[tuple[str, str], RateLimit] = {}
        self._resource_of: dict[str, str] = {}
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        """Made by the first call, then kept (one connection pool for all calls): making it loads the TLS
        trust store, 20-60 ms that would otherwise delay the server's first tools/list."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=(self.settings.base_url.value or self.settings.provider.default_base_url).rstrip("/"),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                timeout=self._timeout,
                transport=self._transport,
            )
        return self._client

    async def send(
        self,
        request: HttpRequest,
        *,
        api_key: str | None = None,
        progress: Progress | None = None,
    ) -> ApiResponse:
        """Send one request, retrying what is safe to retry; `api_key` overrides the configured key."""
        key = api_key or self.settings.api_key.value
        if not key:
            raise CallFailed(self.settings.provider.missing_key_help())
        headers = {**self.settings.provider.auth_headers(key), **request.headers}
        if request.method == "POST" or request.takes_idempotency_key:
            headers.setdefault(IDEMPOTENCY_HEADER, str(uuid.uuid4()))
        deadline = time.monotonic() + self.retry.budget_seconds
        budget = self._budget(key, request.route)
        attempt = 0
        while True:
            attempt += 1
            await self._wait_for_budget(budget, deadline, progress)
            try:
                response = await self._http.request(
                    request.method,
                    request.path,
                    params=request.query or None,
                    headers=headers,
                    json=request.json if request.has_body else None,
                )
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if self._may_retry(attempt, deadline, exc.__class__.__name__):
                    await self._pause(self.retry.backoff(attempt, None), deadline, progress, exc.__class__.__name__)
                    continue
                raise CallFailed(self._transport_failure(exc, attempt)) from None
            budget = self._record_budget(key, request.route, response.headers)
            if response.status_code in self.retry.statuses and self._may_retry(
                attempt, deadline, f"HTTP {response.status_code}"
            ):
                delay = self.retry.backoff(attempt, _retry_after(response.headers))
                if time.monotonic() + delay < deadline:
                    await self._pause(delay, deadline, progress, f"HTTP {response.status_code}")
                    continue
            return self._parse(response, budget, attempt, headers.get(IDEMPOTENCY_HEADER))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _may_retry(self, attempt: int, deadline: float, reason: str) -> bool:
        allowed = attempt < self.retry.max_attempts and time.monotonic() < deadline
        logger.debug(
            "%s: attempt %d failed (%s)%s",
            self.settings.provider.name,
            attempt,
            reason,
            ", retrying" if allowed else "",
        )
        return allowed

    def _budget(self, key: str, route: str) -> RateLimit:
        """The budget this route counted against last time, for this key (callers may differ)."""
        fingerprint = hashlib.sha256(key.encode()).hexdigest()[:16]
        resource = self._resource_of.get(route, route)
        return self._budgets.setdefault((fingerprint, resource), RateLimit())

    def _record_budget(self, key: str, route: str, headers: httpx.Headers) -> RateLimit:
        """Platforms count per resource (Rentalot) or per endpoint (BookMyColiving): learn which."""
        if headers.get("X-RateLimit-Resource"):
            self._resource_of[route] = headers["X-RateLimit-Resource"]
        budget = self._budget(key, route)
        budget.update(headers)
        return budget

    async def _wait_for_budget(self, budget: RateLimit, deadline: float, progress: Progress | None) -> None:
        """Spent budget: wait for the window to reset rather than collect a 429 — unless the reset is
        further away than this call may take, when the platform's own 429 says when to come back."""
        wait = budget.seconds_until_reset()
        if 0 < wait < deadline - time.monotonic():
            await self._pause(wait, deadline, progress, "rate-limit budget spent")

    async def _pause(self, seconds: float, deadline: float, progress: Progress | None, reason: str) -> None:
        """Sleep, telling the client every second that the call is waiting (and why)."""
        seconds = max(0.0, min(seconds, deadline - time.monotonic()))
        if progress is None or seconds < 1.0:
            await anyio.sleep(seconds)
            return
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            await progress(seconds - left, seconds, f"waiting {left:.0f}s before retrying ({reason})")
            await anyio.sleep(min(1.0, left))

    def _transport_failure(self, exc: Exception, attempts: int) -> str:
        where = f"{self.settings.provider.display_name} at {self._http.base_url}"
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        if isinstance(exc, httpx.TimeoutException):
            return f"{where} did not answer in time{tried}; try again later."
        return f"Could not reach {where}{tried} ({exc.__class__.__name__})."

    def _parse(
        self, response: httpx.Response, budget: RateLimit, attempts: int, idempotency_key: str | None
    ) -> ApiResponse:
        meta: dict[str, Any] = {}
        if budget.as_meta():
            meta["rateLimit"] = budget.as_meta()
        if attempts > 1:
            meta["attempts"] = attempts
        if idempotency_key:
            meta["idempotencyKey"] = idempotency_key
        if any(response.headers.get(name, "").lower() == "true" for name in REPLAYED_HEADERS):
            meta["replayed"] = True
        return parse_response(response, meta)


def parse_response(response: httpx.Response, meta: dict[str, Any] | None = None) -> ApiResponse:
    """Parse JSON when the answer is JSON; otherwise keep a bounded text. Huge answers are cut."""
    raw = response.content
    meta = meta or {}
    if not raw.strip():
        return ApiResponse(response.status_code, response.headers, None, "", meta)
    if len(raw) > MAX_BODY_CHARS:
        text = raw[:MAX_BODY_CHARS].decode("utf-8", "replace")
        marker = f"\n[cut: the answer was {len(raw):,} bytes; ask for less with limit, fields or filters]"
        return ApiResponse(response.status_code, response.headers, None, text + marker, meta)
    try:
        return ApiResponse(response.status_code, response.headers, json.loads(raw), "", meta)
    except (ValueError, UnicodeDecodeError):
        text = raw[:500].decode("utf-8", "replace")
        return ApiResponse(response.status_code, response.headers, None, text, meta)


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
