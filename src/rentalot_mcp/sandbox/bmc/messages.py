"""Conversations: one thread per tenant (its id is the tenant's partner user id), messages in it.

Operator replies are capped at 5,000 characters by the spec; the 60-per-hour budget is the reply
operation's own rate limit. A tenant or admin message announces itself as `message.received`.
"""

from __future__ import annotations

from rentalot_mcp.sandbox.bmc.events import emit
from rentalot_mcp.sandbox.bmc.kinds import MESSAGE, THREAD
from rentalot_mcp.sandbox.bmc.properties import require_property
from rentalot_mcp.sandbox.bmc.records import moment, new_id, owned
from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply
from rentalot_mcp.sandbox.platform import sandbox_operation
from rentalot_mcp.sandbox.store import Record, Tx
from rentalot_mcp.sandbox.times import iso

ops = HandlerTable()

OPERATOR, TENANT = "OPERATOR", "TENANT"
PREVIEW_CHARS = 200
SANDBOX_PATHS = {
    "/sandbox/messages/{threadId}": sandbox_operation(
        "sandboxTenantMessage",
        parameters=({"name": "threadId", "in": "path", "required": True, "schema": {"type": "string"}},),
        body={"content": {"type": "string", "minLength": 1, "maxLength": 5000}},
        required=("content",),
    )
}
"""Sandbox-only: the tenant writes (what the guest does on the public site)."""


def new_thread(tx: Tx, owner: str, property_id: str, participant: str, stamp: str) -> Record:
    thread = {
        "id": new_id("usr"),
        "propertyId": property_id,
        "participantName": participant,
        "createdAt": stamp,
        "lastMessageAt": stamp,
    }
    return tx.insert(THREAD, owner, thread)


def add_message(tx: Tx, owner: str, thread: Record, sender: str, content: str, property_id: str, stamp: str) -> Record:
    message = {
        "id": new_id("msg"),
        "threadId": thread["id"],
        "propertyId": property_id,
        "sender": sender,
        "content": content,
        "createdAt": stamp,
    }
    tx.insert(MESSAGE, owner, message)
    thread["lastMessageAt"] = stamp
    tx.save(THREAD, owner, thread)
    return message


def _summary(ctx: Ctx, thread: Record) -> Record:
    messages = ctx.tx.list(MESSAGE, ctx.owner, threadId=thread["id"])
    last = messages[-1]["content"] if messages else ""
    return {
        "threadId": thread["id"],
        "propertyId": thread["propertyId"],
        "participantName": thread["participantName"],
        "lastMessage": last[:PREVIEW_CHARS],
        "lastMessageAt": thread["lastMessageAt"],
        "messageCount": len(messages),
    }


@ops("listConversations")
def list_conversations(ctx: Ctx) -> Reply:
    start, end = (iso(bound) if bound else None for bound in (moment(ctx, "dateFrom"), moment(ctx, "dateTo")))
    property_id = ctx.query.get("propertyId")
    threads = ctx.tx.list(THREAD, ctx.owner, propertyId=property_id) if property_id else ctx.tx.list(THREAD, ctx.owner)
    kept = [
        thread
        for thread in threads
        if (start is None or thread["lastMessageAt"] >= start) and (end is None or thread["lastMessageAt"] <= end)
    ]
    kept.sort(key=lambda thread: thread["lastMessageAt"], reverse=True)
    return Reply(200, {"data": [_summary(ctx, thread) for thread in kept]})


@ops("getThread")
def get_thread(ctx: Ctx) -> Reply:
    thread = owned(ctx, THREAD, ctx.path["threadId"], "Thread")
    messages = ctx.tx.list(MESSAGE, ctx.owner, threadId=thread["id"])
    return Reply(
        200,
        {
            "threadId": thread["id"],
            "participantName": thread["participantName"],
            "propertyId": thread["propertyId"],
            "messages": messages,
        },
    )


@ops("replyToThread")
def reply_to_thread(ctx: Ctx) -> Reply:
    thread = owned(ctx, THREAD, ctx.path["threadId"], "Thread")
    prop = require_property(ctx, ctx.arg("propertyId"))
    message = add_message(ctx.tx, ctx.owner, thread, OPERATOR, ctx.arg("content"), prop["id"], ctx.stamp)
    return Reply(201, message)


@ops("sandboxTenantMessage")
def tenant_message(ctx: Ctx) -> Reply:
    thread = owned(ctx, THREAD, ctx.path["threadId"], "Thread")
    message = add_message(ctx.tx, ctx.owner, thread, TENANT, ctx.arg("content"), thread["propertyId"], ctx.stamp)
    emit(ctx, "message.received", message)
    return Reply(201, message)
