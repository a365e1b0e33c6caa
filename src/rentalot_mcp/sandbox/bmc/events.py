"""Webhooks the BookMyColiving way: one dashboard URL per operator, every delivery signed with its time.

A delivery is `{event, timestamp, data}` with `X-BMC-Event`, `X-BMC-Timestamp` and `X-BMC-Signature`
(hex HMAC-SHA256 of `{timestamp}.{body}` under the operator's webhook secret). Events go out after the
request commits and are not retried; the test event is awaited so its outcome can be reported.
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from rentalot_mcp.sandbox.bmc.kinds import WEBHOOK
from rentalot_mcp.sandbox.bmc.records import bad_request
from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Ping, Reply
from rentalot_mcp.sandbox.errors import ApiError, FieldError
from rentalot_mcp.sandbox.platform import sandbox_operation
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.webhooks import Delivery, Outcome
from rentalot_mcp.webhooks import EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, USER_AGENT, bmc_timestamp, sign_bmc

ops = HandlerTable()

WEBHOOK_PATH = "/sandbox/webhook"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
TEST_EVENT = "lead.created"
_TEST_DATA: dict[str, dict[str, Any]] = {
    "lead.created": {
        "id": "lead_test",
        "propertyId": "prop_test",
        "guestName": "Test Guest",
        "guestEmail": "guest@example.com",
    },
    "message.received": {
        "id": "msg_test",
        "threadId": "usr_test",
        "propertyId": "prop_test",
        "sender": "TENANT",
        "content": "Is a private room free next month?",
    },
}
SANDBOX_PATHS = {
    WEBHOOK_PATH: sandbox_operation(
        "sandboxSetWebhook",
        "put",
        body={
            "url": {"type": "string", "format": "uri"},
            "secret": {"type": "string", "minLength": 16, "maxLength": 200},
        },
        required=("url",),
    )
}
"""Sandbox-only: what Dashboard Settings does on the real platform (set the URL, get or set the secret)."""


def emit(ctx: Ctx, event: str, data: Any) -> None:
    """Queue `event` for the operator's webhook URL, if one is set; sent only if the request commits."""
    hook = ctx.tx.get(WEBHOOK, ctx.owner, ctx.owner)
    if hook is not None:
        ctx.deliveries.append(_delivery(ctx, hook, event, data))


def _delivery(ctx: Ctx, hook: Record, event: str, data: Any) -> Delivery:
    timestamp = bmc_timestamp(ctx.now)
    payload = {"event": event, "timestamp": timestamp, "data": data}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign_bmc(body, timestamp, hook["_secret"]),
    }
    return Delivery(
        url=hook["url"],
        secret=hook["_secret"],
        event=event,
        body=body,
        kind=WEBHOOK,
        owner=ctx.owner,
        subscription_id=ctx.owner,
        headers=headers,
    )


@ops("sandboxSetWebhook")
def set_webhook(ctx: Ctx) -> Reply:
    url: str = ctx.arg("url")
    parts = urlsplit(url)
    if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)):
        raise bad_request(FieldError("url", "must use HTTPS (plain http is accepted only for localhost)"))
    existing = ctx.tx.get(WEBHOOK, ctx.owner, ctx.owner)
    secret = ctx.arg("secret") or (existing or {}).get("_secret") or "bmcwh_" + secrets.token_hex(24)
    hook = {"id": ctx.owner, "url": url, "lastDeliveredAt": None, "lastFailedAt": None, "_secret": secret}
    if existing is None:
        ctx.tx.insert(WEBHOOK, ctx.owner, hook)
    else:
        ctx.tx.save(WEBHOOK, ctx.owner, hook)
    return Reply(200, {"url": url, "secret": secret})


@ops("sendTestWebhook")
def send_test_webhook(ctx: Ctx) -> Reply:
    hook = ctx.tx.get(WEBHOOK, ctx.owner, ctx.owner)
    if hook is None:
        raise ApiError(
            400,
            "BAD_REQUEST",
            f"No webhook URL is configured: set one in Dashboard Settings (sandbox: PUT /bmc{WEBHOOK_PATH}).",
        )
    event: str = ctx.arg("event") or TEST_EVENT
    data = {**_test_data(event), "test": True}

    def render(outcome: Outcome) -> dict[str, Any]:
        return {"event": event, "delivered": outcome.delivered, "status": outcome.status_code}

    ctx.ping = Ping(_delivery(ctx, hook, event, data), render)
    return Reply(200, None)


def _test_data(event: str) -> dict[str, Any]:
    if event in _TEST_DATA:
        return _TEST_DATA[event]
    status = {"property.approved": "APPROVED", "property.rejected": "REJECTED"}.get(event, "PENDING_REVIEW")
    return {"id": "prop_test", "name": "Test Coliving", "status": status}
