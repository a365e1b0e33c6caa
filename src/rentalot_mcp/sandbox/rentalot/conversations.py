"""Conversations, their messages, search, and sending a message to a contact.

A conversation is one contact on one channel. Everything that sends (POST /messages, a sent draft, a
follow-up that fires, a workflow step) goes through `post_message`, which finds or opens that
conversation and keeps its counters, so the read-only conversation endpoints reflect every send.

The platform receives prospects' replies from messaging apps; the sandbox has no such apps, so it
offers one sandbox-only operation instead, `POST /sandbox/inbound-messages` (not in the spec, same
auth and validation): it records a reply from a contact, emits `message.received`, and cancels the
contact's pending follow-ups, as a real reply would.
"""

from __future__ import annotations

from typing import Any

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, ok, paginate, public
from rentalot_mcp.sandbox.errors import invalid
from rentalot_mcp.sandbox.platform import sandbox_operation
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, CONVERSATION, FOLLOWUP, MESSAGE
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record

ops = HandlerTable()

CHANNELS = ("sms", "whatsapp", "email", "gmail", "telegram")
INBOUND_PATH = "/sandbox/inbound-messages"
SANDBOX_PATHS = {
    INBOUND_PATH: sandbox_operation(
        "simulateInboundMessage",
        body={
            "contactId": {"type": "string", "format": "uuid"},
            "body": {"type": "string", "minLength": 1, "maxLength": 10000},
            "channel": {"type": "string", "enum": list(CHANNELS)},
        },
        required=("contactId", "body"),
    )
}
"""Operations only the sandbox has, routed like the spec's."""
PHONE_CHANNELS = {"sms", "whatsapp"}
EMAIL_CHANNELS = {"email", "gmail"}


def pick_channel(ctx: Ctx, contact: Record, requested: str | None, *, field: str = "channel") -> str:
    """The requested channel, else the contact's preference, else their latest conversation's, else by address.

    Refuses (422 on `field`) a channel the contact cannot be reached on.
    """
    channel = requested or contact.get("channelPreference")
    if channel not in CHANNELS:
        latest = sorted(
            ctx.tx.list(CONVERSATION, ctx.owner, contactId=contact["id"]),
            key=lambda c: c["lastMessageAt"] or "",
        )
        channel = latest[-1]["channel"] if latest else ("sms" if contact.get("phone") else "email")
    if channel in PHONE_CHANNELS and not contact.get("phone"):
        raise invalid(field, f"the contact has no phone number, so {channel} cannot reach them")
    if channel in EMAIL_CHANNELS and not contact.get("email"):
        raise invalid(field, f"the contact has no email address, so {channel} cannot reach them")
    return channel


def conversation_for(ctx: Ctx, contact_id: str, channel: str) -> Record:
    for conversation in ctx.tx.list(CONVERSATION, ctx.owner, contactId=contact_id, channel=channel):
        return conversation
    return ctx.tx.insert(
        CONVERSATION,
        ctx.owner,
        {
            "id": new_id(),
            "contactId": contact_id,
            "channel": channel,
            "status": "active",
            "lastMessageAt": None,
            "messageCount": 0,
            "createdAt": ctx.stamp,
        },
    )


def post_message(
    ctx: Ctx, conversation: Record, content: str, *, direction: str = "outbound", at: str | None = None
) -> Record:
    """Append a message (sent now, or `at`), bump the conversation's counters, reopen it, announce it."""
    sent_at = at or ctx.stamp
    message = {
        "id": new_id(),
        "conversationId": conversation["id"],
        "direction": direction,
        "content": content,
        "channel": conversation["channel"],
        "sentAt": sent_at,
    }
    ctx.tx.insert(MESSAGE, ctx.owner, message)
    conversation.update(
        lastMessageAt=max(sent_at, conversation["lastMessageAt"] or ""),
        messageCount=conversation["messageCount"] + 1,
        status="active",
    )
    ctx.tx.save(CONVERSATION, ctx.owner, conversation)
    event = "message.sent" if direction == "outbound" else "message.received"
    emit(ctx, event, {**message, "contactId": conversation["contactId"]})
    return message


def send_to_contact(ctx: Ctx, contact: Record, content: str, channel: str | None) -> Record:
    chosen = pick_channel(ctx, contact, channel)
    return post_message(ctx, conversation_for(ctx, contact["id"], chosen), content)


@ops("listConversations")
def list_conversations(ctx: Ctx) -> Reply:
    filters = {name: ctx.query[name] for name in ("contactId", "status") if name in ctx.query}
    rows = ctx.tx.list(CONVERSATION, ctx.owner, **filters)
    rows.sort(key=lambda c: c["lastMessageAt"] or c["createdAt"], reverse=True)
    return paginate(ctx, rows)


@ops("getConversation")
def get_conversation(ctx: Ctx) -> Reply:
    return ok(ctx.load(CONVERSATION, ctx.path["conversationId"], "Conversation"))


@ops("listConversationMessages")
def list_messages(ctx: Ctx) -> Reply:
    conversation = ctx.load(CONVERSATION, ctx.path["conversationId"], "Conversation")
    rows = ctx.tx.list(MESSAGE, ctx.owner, conversationId=conversation["id"])
    return paginate(ctx, [public(m) for m in reversed(rows)])


@ops("searchConversations")
def search_conversations(ctx: Ctx) -> Reply:
    needle = ctx.query["query"].casefold()
    conversations = {c["id"]: c for c in ctx.tx.list(CONVERSATION, ctx.owner)}
    hits = [m for m in ctx.tx.list(MESSAGE, ctx.owner) if needle in m["content"].casefold()]
    hits.reverse()
    limit = min(int(ctx.query.get("limit") or 20), 50)
    page = int(ctx.query.get("page") or 1)
    names: dict[str, Any] = {}
    results = []
    for message in hits[(page - 1) * limit : page * limit]:
        contact_id = conversations[message["conversationId"]]["contactId"]
        if contact_id not in names:
            found = ctx.tx.find(CONTACT, ctx.owner, contact_id)
            names[contact_id] = found.data.get("name") if found else None
        results.append(
            {
                "messageId": message["id"],
                "content": message["content"],
                "direction": message["direction"],
                "channel": message["channel"],
                "sentAt": message["sentAt"],
                "conversationId": message["conversationId"],
                "contactName": names[contact_id],
            }
        )
    return Reply(200, {"data": results, "total": len(hits)})


@ops("sendMessage")
def send_message(ctx: Ctx) -> Reply:
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    message = send_to_contact(ctx, contact, ctx.arg("body"), ctx.arg("channel"))
    return ok(public(message), 201)


@ops("simulateInboundMessage")
def simulate_inbound(ctx: Ctx) -> Reply:
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    channel = pick_channel(ctx, contact, ctx.arg("channel"))
    message = post_message(ctx, conversation_for(ctx, contact["id"], channel), ctx.arg("body"), direction="inbound")
    for followup in ctx.tx.list(FOLLOWUP, ctx.owner, contactId=contact["id"], status="pending"):
        followup.update(status="cancelled", cancelledAt=ctx.stamp, cancelReason="the contact replied")
        ctx.tx.save(FOLLOWUP, ctx.owner, followup)
    return ok(public(message), 201)
