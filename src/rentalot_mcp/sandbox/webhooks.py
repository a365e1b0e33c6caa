"""Signed webhook delivery over HTTP.

Signature format: the `X-Webhook-Signature` header is the bare lowercase hex HMAC-SHA256 of the raw
request body, keyed with the subscription's secret (no `sha256=` prefix, no timestamp). A receiver
recomputes it over the exact bytes it received and compares in constant time (`verify`).

Events are delivered after the request that caused them has committed, as fire-and-forget tasks;
the test ping is awaited so its outcome can be reported. Each outcome is written back to the
subscription record (`lastDeliveredAt` / `lastFailedAt`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import httpx

from rentalot_mcp.sandbox.store import Store
from rentalot_mcp.sandbox.times import Clock, iso

SIGNATURE_HEADER = "X-Webhook-Signature"
TIMEOUT_SECONDS = 5.0

logger = logging.getLogger(__name__)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to one subscription; `kind`/`owner`/`subscription_id` locate the record to update."""

    url: str
    secret: str
    event: str
    body: bytes
    kind: str
    owner: str
    subscription_id: str
    headers: Mapping[str, str] | None = None
    """Ready-made headers for platforms that sign differently; None means `X-Webhook-Signature` as above."""


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: bool
    status_code: int | None
    error: str | None = None


def delivery(*, url: str, secret: str, event: str, data: Any, now: str, kind: str, owner: str, sub_id: str) -> Delivery:
    """Build the payload `{id, type, createdAt, data}` and freeze its bytes (the signature covers them)."""
    payload = {"id": str(uuid.uuid4()), "type": event, "createdAt": now, "data": data}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Delivery(url, secret, event, body, kind, owner, sub_id)


class WebhookSender:
    """Posts deliveries with one shared client, created lazily on the serving event loop."""

    def __init__(self, store: Store, clock: Clock, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._store = store
        self._clock = clock
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _http(self) -> httpx.AsyncClient:
        # A client's connections belong to the loop that opened them; an app driven by several loops
        # in turn (test clients without a lifespan) gets a fresh client per loop.
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(transport=self._transport, timeout=TIMEOUT_SECONDS)
            self._loop = loop
        return self._client

    async def send(self, item: Delivery) -> Outcome:
        headers = {"Content-Type": "application/json"}
        if item.headers is None:
            headers.update(
                {
                    "User-Agent": "rentalot-sandbox-webhooks/1",
                    SIGNATURE_HEADER: sign(item.secret, item.body),
                    "X-Webhook-Event": item.event,
                }
            )
        else:
            headers.update(item.headers)
        try:
            response = await self._http().post(item.url, content=item.body, headers=headers)
        except httpx.HTTPError as exc:
            outcome = Outcome(False, None, exc.__class__.__name__)
        else:
            outcome = Outcome(response.is_success, response.status_code)
        logger.info("webhook %s -> %s: %s", item.event, item.url, outcome.status_code or outcome.error)
        await anyio.to_thread.run_sync(self._record, item, outcome)
        return outcome

    def dispatch(self, items: list[Delivery]) -> None:
        """Fire and forget: schedule each delivery on the running loop and keep a reference until done."""
        for item in items:
            task = asyncio.get_running_loop().create_task(self._send_quietly(item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send_quietly(self, item: Delivery) -> None:
        try:
            await self.send(item)
        except Exception:
            logger.exception("webhook delivery to %s failed", item.url)

    def _record(self, item: Delivery, outcome: Outcome) -> None:
        with self._store.transaction() as tx:
            record = tx.get(item.kind, item.owner, item.subscription_id)
            if record is None:
                return
            record["lastDeliveredAt" if outcome.delivered else "lastFailedAt"] = iso(self._clock())
            tx.save(item.kind, item.owner, record)

    async def aclose(self) -> None:
        """Let in-flight deliveries finish (they are bounded by the timeout), then close the client."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
