"""Follow-ups: messages scheduled for a later time in an existing conversation.

A pending follow-up whose time has come is sent when it is next read (its message appears in the
conversation and its status becomes `sent`), so the outcome depends only on the clock, never on a
background job. The text comes from the account's follow-up template for the step, if one is set.
Only pending follow-ups can be cancelled; cancelling twice is fine.
"""

from __future__ import annotations

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import conflict, invalid
from rentalot_mcp.sandbox.rentalot.conversations import post_message
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, CONVERSATION, FOLLOWUP
from rentalot_mcp.sandbox.rentalot.settings import settings_of
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.times import iso, parse_datetime

ops = HandlerTable()

DEFAULT_TEXT = "Hi {firstName}, just following up on your rental search. Are you still interested? Happy to help."


def first_name(contact: Record) -> str:
    return (contact.get("name") or "there").split()[0]


def message_for(settings: Record, contact: Record, step: int) -> str:
    templates = {int(t["step"]): t["template"] for t in settings.get("followupTemplates") or []}
    text = templates.get(step, DEFAULT_TEXT)
    return text.replace("{firstName}", first_name(contact)).replace("{name}", contact.get("name") or "")


def _fresh(ctx: Ctx, followup: Record) -> Record:
    due = parse_datetime(followup["scheduledFor"])
    if followup["status"] == "pending" and due is not None and due <= ctx.now:
        conversation = ctx.tx.get(CONVERSATION, ctx.owner, followup["conversationId"] or "")
        if conversation is None:
            followup.update(status="failed", failureReason="the conversation no longer exists")
        else:
            post_message(ctx, conversation, followup["message"], at=followup["scheduledFor"])
            followup.update(status="sent", sentAt=followup["scheduledFor"])
        ctx.tx.save(FOLLOWUP, ctx.owner, followup)
    return followup


@ops("listFollowups")
def list_followups(ctx: Ctx) -> Reply:
    rows = [_fresh(ctx, f) for f in ctx.tx.list(FOLLOWUP, ctx.owner)]
    for name in ("status", "contactId"):
        if name in ctx.query:
            rows = [f for f in rows if f[name] == ctx.query[name]]
    rows.sort(key=lambda f: f["scheduledFor"])
    return paginate(ctx, [public(f) for f in rows])


@ops("createFollowup")
def create_followup(ctx: Ctx) -> Reply:
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    conversation = ctx.ref(CONVERSATION, ctx.arg("conversationId"), "Conversation", "conversationId")
    if conversation["contactId"] != contact["id"]:
        raise invalid("conversationId", "the conversation belongs to a different contact")
    when = parse_datetime(ctx.arg("scheduledAt"))
    if when is None or when <= ctx.now:
        raise invalid("scheduledAt", "must be in the future")
    step = int(ctx.arg("sequenceStep", 1))
    followup = {
        "id": new_id(),
        "contactId": contact["id"],
        "conversationId": conversation["id"],
        "message": message_for(settings_of(ctx.tx, ctx.owner), contact, step),
        "sequenceStep": step,
        "scheduledFor": iso(when),
        "status": "pending",
        "createdAt": ctx.stamp,
    }
    ctx.tx.insert(FOLLOWUP, ctx.owner, followup)
    return ok(public(followup), 201)


@ops("getFollowup")
def get_followup(ctx: Ctx) -> Reply:
    return ok(public(_fresh(ctx, ctx.load(FOLLOWUP, ctx.path["followupId"], "Follow-up"))))


@ops("cancelFollowup")
def cancel_followup(ctx: Ctx) -> Reply:
    followup = _fresh(ctx, ctx.load(FOLLOWUP, ctx.path["followupId"], "Follow-up"))
    if followup["status"] == "cancelled":
        return no_content()
    if followup["status"] != "pending":
        raise conflict(f"The follow-up is {followup['status']}; only pending follow-ups can be cancelled.")
    followup.update(status="cancelled", cancelledAt=ctx.stamp)
    ctx.tx.save(FOLLOWUP, ctx.owner, followup)
    return no_content()
