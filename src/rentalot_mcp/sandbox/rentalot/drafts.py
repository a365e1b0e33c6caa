"""Drafts: messages staged for review, sent on demand, expiring after 24 hours.

Only pending drafts can change; sending one posts the message into the contact's conversation on the
draft's channel and marks the draft sent, so sending twice is a 409. Expiry is applied whenever a
draft is read, so it never depends on a background job.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import conflict
from rentalot_mcp.sandbox.rentalot.conversations import conversation_for, pick_channel, post_message
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, DRAFT, PROPERTY
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.times import iso, parse_datetime

ops = HandlerTable()

LIFETIME = timedelta(hours=24)
EDITABLE = ("channel", "subject", "recipientPhone", "recipientEmail")


def _fresh(ctx: Ctx, draft: Record) -> Record:
    """Expire a pending draft past its `expiresAt` (persisted, so lists and gets agree)."""
    expires = parse_datetime(draft["expiresAt"] or "")
    if draft["status"] == "pending" and expires is not None and expires <= ctx.now:
        draft.update(status="expired", updatedAt=iso(expires))
        ctx.tx.save(DRAFT, ctx.owner, draft)
    return draft


def _pending(ctx: Ctx) -> Record:
    draft = _fresh(ctx, ctx.load(DRAFT, ctx.path["draftId"], "Draft"))
    if draft["status"] != "pending":
        raise conflict(f"The draft is {draft['status']}; only pending drafts can be changed, sent or deleted.")
    return draft


def deep_links(phone: str | None, email: str | None, subject: str | None, text: str) -> dict[str, str]:
    """Links that open each app able to reach the recipient with the message pre-filled."""
    links: dict[str, str] = {}
    if phone:
        digits = "".join(c for c in phone if c.isdigit())
        links["whatsapp"] = f"https://wa.me/{digits}?{urlencode({'text': text}, quote_via=quote)}"
        links["sms"] = f"sms:{phone}?{urlencode({'body': text}, quote_via=quote)}"
    if email:
        mail = {"subject": subject or "", "body": text}
        links["email"] = f"mailto:{email}?{urlencode(mail, quote_via=quote)}"
        gmail = {"view": "cm", "to": email, "su": subject or "", "body": text}
        links["gmail"] = f"https://mail.google.com/mail/?{urlencode(gmail, quote_via=quote)}"
    links["telegram"] = f"https://t.me/share/url?{urlencode({'url': '', 'text': text}, quote_via=quote)}"
    return links


@ops("listDrafts")
def list_drafts(ctx: Ctx) -> Reply:
    rows = [_fresh(ctx, d) for d in ctx.tx.list(DRAFT, ctx.owner)]
    for name in ("status", "contactId", "channel"):
        if name in ctx.query:
            rows = [d for d in rows if d[name] == ctx.query[name]]
    rows.reverse()
    return paginate(ctx, [public(d) for d in rows])


@ops("createDraft")
def create_draft(ctx: Ctx) -> Reply:
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    if ctx.arg("propertyId"):
        ctx.ref(PROPERTY, ctx.arg("propertyId"), "Property", "propertyId")
    draft = {
        "id": new_id(),
        "contactId": contact["id"],
        "propertyId": ctx.arg("propertyId"),
        "content": ctx.arg("body"),
        "subject": ctx.arg("subject"),
        "channel": ctx.arg("channel"),
        "recipientPhone": ctx.arg("recipientPhone"),
        "recipientEmail": ctx.arg("recipientEmail"),
        "status": "pending",
        "sentAt": None,
        "expiresAt": iso(ctx.now + LIFETIME),
        "createdAt": ctx.stamp,
        "updatedAt": ctx.stamp,
    }
    ctx.tx.insert(DRAFT, ctx.owner, draft)
    return ok(public(draft), 201)


@ops("getDraft")
def get_draft(ctx: Ctx) -> Reply:
    return ok(public(_fresh(ctx, ctx.load(DRAFT, ctx.path["draftId"], "Draft"))))


@ops("updateDraft")
def update_draft(ctx: Ctx) -> Reply:
    draft = _pending(ctx)
    if "body" in ctx.body:
        draft["content"] = ctx.body["body"]
    draft.update({name: ctx.body[name] for name in EDITABLE if name in ctx.body})
    draft["updatedAt"] = ctx.stamp
    return ok(public(ctx.tx.save(DRAFT, ctx.owner, draft)))


@ops("deleteDraft")
def delete_draft(ctx: Ctx) -> Reply:
    draft = ctx.load_for_delete(DRAFT, ctx.path["draftId"], "Draft")
    if draft is not None:
        _pending(ctx)
        ctx.tx.delete(DRAFT, ctx.owner, draft["id"], ctx.stamp)
    return no_content()


@ops("sendDraft")
def send_draft(ctx: Ctx) -> Reply:
    draft = _pending(ctx)
    if ctx.arg("body"):
        draft["content"] = ctx.arg("body")
    if ctx.arg("subject") is not None:
        draft["subject"] = ctx.arg("subject")
    contact = ctx.ref(CONTACT, draft["contactId"], "Contact", "contactId")
    reachable = {**contact, "phone": draft["recipientPhone"] or contact["phone"]}
    reachable["email"] = draft["recipientEmail"] or contact["email"]
    channel = pick_channel(ctx, reachable, draft["channel"])
    post_message(ctx, conversation_for(ctx, contact["id"], channel), draft["content"])
    draft.update(status="sent", sentAt=ctx.stamp, updatedAt=ctx.stamp)
    ctx.tx.save(DRAFT, ctx.owner, draft)
    links = deep_links(reachable["phone"], reachable["email"], draft["subject"], draft["content"])
    return ok({"draft": public(draft), "deepLinks": links})
