"""Webhook subscriptions, and `emit`, which every other resource calls to announce an event.

The signing secret is returned only by create and rotate-secret; rotating replaces it at once, so
every later delivery (including test pings) is signed with the new one. Plain http URLs are accepted
only for loopback hosts, so a local receiver can be used while real endpoints must be HTTPS.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Ping, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import ApiError, invalid
from rentalot_mcp.sandbox.rentalot.kinds import WEBHOOK
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.webhooks import Delivery, Outcome, delivery

ops = HandlerTable()
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def emit(ctx: Ctx, event: str, data: Any) -> None:
    """Queue `event` for every active subscription to it; sent only if the request commits."""
    for hook in ctx.tx.list(WEBHOOK, ctx.owner, active=True):
        if event in hook["events"]:
            ctx.deliveries.append(_delivery(ctx, hook, event, data))


def _delivery(ctx: Ctx, hook: Record, event: str, data: Any) -> Delivery:
    return delivery(
        url=hook["url"],
        secret=hook["_secret"],
        event=event,
        data=data,
        now=ctx.stamp,
        kind=WEBHOOK,
        owner=ctx.owner,
        sub_id=hook["id"],
    )


def _new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise invalid("url", "must use HTTPS (plain http is accepted only for localhost)")


@ops("listWebhooks")
def list_webhooks(ctx: Ctx) -> Reply:
    return paginate(ctx, (public(h) for h in ctx.tx.list(WEBHOOK, ctx.owner)))


@ops("createWebhook")
def create_webhook(ctx: Ctx) -> Reply:
    _check_url(ctx.arg("url"))
    limit = ctx.account.plan.max_webhooks
    if ctx.tx.count(WEBHOOK, ctx.owner) >= limit:
        raise ApiError(403, "FORBIDDEN", f"Your plan ({ctx.account.plan.name}) allows at most {limit} webhooks.")
    hook = {
        "id": new_id(),
        "url": ctx.arg("url"),
        "events": list(dict.fromkeys(ctx.arg("events"))),
        "active": True,
        "description": ctx.arg("description"),
        "lastDeliveredAt": None,
        "lastFailedAt": None,
        "createdAt": ctx.stamp,
        "updatedAt": ctx.stamp,
        "_secret": _new_secret(),
    }
    ctx.tx.insert(WEBHOOK, ctx.owner, hook)
    return ok({**public(hook), "secret": hook["_secret"]}, 201)


@ops("getWebhook")
def get_webhook(ctx: Ctx) -> Reply:
    return ok(public(ctx.load(WEBHOOK, ctx.path["webhookId"], "Webhook")))


@ops("updateWebhook")
def update_webhook(ctx: Ctx) -> Reply:
    hook = ctx.load(WEBHOOK, ctx.path["webhookId"], "Webhook")
    if "url" in ctx.body:
        _check_url(ctx.body["url"])
    for name in ("url", "active", "description"):
        if name in ctx.body:
            hook[name] = ctx.body[name]
    if "events" in ctx.body:
        hook["events"] = list(dict.fromkeys(ctx.body["events"]))
    hook["updatedAt"] = ctx.stamp
    return ok(public(ctx.tx.save(WEBHOOK, ctx.owner, hook)))


@ops("deleteWebhook")
def delete_webhook(ctx: Ctx) -> Reply:
    if ctx.load_for_delete(WEBHOOK, ctx.path["webhookId"], "Webhook") is not None:
        ctx.tx.delete(WEBHOOK, ctx.owner, ctx.path["webhookId"], ctx.stamp)
    return no_content()


@ops("testWebhook")
def test_webhook(ctx: Ctx) -> Reply:
    hook = ctx.load(WEBHOOK, ctx.path["webhookId"], "Webhook")
    data = {"webhookId": hook["id"], "message": "Test ping from the Rentalot sandbox"}
    ctx.ping = Ping(_delivery(ctx, hook, "test", data), _render_test)
    return Reply(200, None)


def _render_test(outcome: Outcome) -> dict[str, Any]:
    result: dict[str, Any] = {"status": "delivered" if outcome.delivered else "failed"}
    if outcome.status_code is not None:
        result["statusCode"] = outcome.status_code
    if outcome.error is not None:
        result["error"] = outcome.error
    return {"data": result}


@ops("rotateWebhookSecret")
def rotate_secret(ctx: Ctx) -> Reply:
    hook = ctx.load(WEBHOOK, ctx.path["webhookId"], "Webhook")
    hook["_secret"] = _new_secret()
    hook["updatedAt"] = ctx.stamp
    ctx.tx.save(WEBHOOK, ctx.owner, hook)
    return ok({"id": hook["id"], "secret": hook["_secret"]})
