"""Contacts: prospects, tenants, owners and vendors.

Deleting a contact is a soft delete: the record keeps its data and gains `deletedAt`, but it is gone
from every read (get, list, and lookups by other resources), as on the platform.
"""

from __future__ import annotations

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import FieldError, validation_failed
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record

ops = HandlerTable()

FIELDS = ("name", "email", "phone", "status", "role", "channelPreference", "source", "referralSource", "language")


def new_contact(stamp: str, values: dict[str, object]) -> Record:
    contact: Record = {
        "id": new_id(),
        "name": None,
        "email": None,
        "phone": None,
        "status": "prospect",
        "role": "prospect",
        "channelPreference": None,
        "source": "api",
        "referralSource": None,
        "language": "en",
        "notes": None,
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    contact.update({k: v for k, v in values.items() if v is not None})
    return contact


@ops("listContacts")
def list_contacts(ctx: Ctx) -> Reply:
    filters = {name: ctx.query[name] for name in ("status", "role") if name in ctx.query}
    if "channel" in ctx.query:
        filters["channelPreference"] = ctx.query["channel"]
    rows = ctx.tx.list(CONTACT, ctx.owner, **filters)
    needle = ctx.query.get("search", "").casefold().strip()
    if needle:
        rows = [c for c in rows if any(needle in (c.get(f) or "").casefold() for f in ("name", "email", "phone"))]
    rows.reverse()
    return paginate(ctx, [public(c) for c in rows])


@ops("createContact")
def create_contact(ctx: Ctx) -> Reply:
    if not ctx.arg("email") and not ctx.arg("phone"):
        raise validation_failed(
            [FieldError("email", "email or phone is required"), FieldError("phone", "email or phone is required")]
        )
    contact = ctx.tx.insert(CONTACT, ctx.owner, new_contact(ctx.stamp, {k: ctx.arg(k) for k in FIELDS}))
    emit(ctx, "contact.updated", public(contact))
    return ok(public(contact), 201)


@ops("getContact")
def get_contact(ctx: Ctx) -> Reply:
    return ok(public(ctx.load(CONTACT, ctx.path["contactId"], "Contact")))


@ops("updateContact")
def update_contact(ctx: Ctx) -> Reply:
    contact = ctx.load(CONTACT, ctx.path["contactId"], "Contact")
    contact.update({k: v for k, v in ctx.body.items() if k in FIELDS or k == "notes"})
    contact["updatedAt"] = ctx.stamp
    ctx.tx.save(CONTACT, ctx.owner, contact)
    emit(ctx, "contact.updated", public(contact))
    return ok(public(contact))


@ops("deleteContact")
def delete_contact(ctx: Ctx) -> Reply:
    contact = ctx.load_for_delete(CONTACT, ctx.path["contactId"], "Contact")
    if contact is not None:
        contact["deletedAt"] = ctx.stamp
        ctx.tx.save(CONTACT, ctx.owner, contact)
        ctx.tx.delete(CONTACT, ctx.owner, contact["id"], ctx.stamp, keep_data=True)
    return no_content()
