"""Leads: a tenant's enquiry on a listing, which opens a conversation with the operator.

On the platform leads come from guests on the public site; the sandbox-only `POST /sandbox/leads`
plays the guest, so a demo or test can make one appear (with its `lead.created` and
`message.received` events).
"""

from __future__ import annotations

from typing import Any

from rentalot_mcp.sandbox.bmc.events import emit
from rentalot_mcp.sandbox.bmc.kinds import LEAD
from rentalot_mcp.sandbox.bmc.messages import TENANT, add_message, new_thread
from rentalot_mcp.sandbox.bmc.properties import require_property
from rentalot_mcp.sandbox.bmc.records import moment, new_id, newest_first, owned
from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, paginate
from rentalot_mcp.sandbox.platform import sandbox_operation
from rentalot_mcp.sandbox.store import Record, Tx
from rentalot_mcp.sandbox.times import iso

ops = HandlerTable()

DEFAULT_ENQUIRY = "Hi! Is there a room available? I'd love to know more."
SANDBOX_PATHS = {
    "/sandbox/leads": sandbox_operation(
        "sandboxCreateLead",
        body={
            "propertyId": {"type": "string"},
            "guestName": {"type": "string", "minLength": 1, "maxLength": 200},
            "guestEmail": {"type": "string", "format": "email"},
            "guestPhone": {"type": "string", "maxLength": 40},
            "message": {"type": "string", "minLength": 1, "maxLength": 5000},
            "moveInDate": {"type": "string", "format": "date"},
        },
        required=("propertyId", "guestName", "guestEmail"),
    )
}
"""Sandbox-only: a guest enquires about a listing."""


def new_lead(tx: Tx, owner: str, prop: Record, guest: dict[str, Any], stamp: str) -> tuple[Record, Record, Record]:
    """The lead, the conversation it opens and that conversation's first message."""
    thread = new_thread(tx, owner, prop["id"], guest["guestName"], stamp)
    enquiry = guest.get("message") or DEFAULT_ENQUIRY
    message = add_message(tx, owner, thread, TENANT, enquiry, prop["id"], stamp)
    lead = {
        "id": new_id("lead"),
        "propertyId": prop["id"],
        "threadId": thread["id"],
        "guestName": guest["guestName"],
        "guestEmail": guest["guestEmail"],
        "guestPhone": guest.get("guestPhone"),
        "message": enquiry,
        "moveInDate": guest.get("moveInDate"),
        "createdAt": stamp,
    }
    return tx.insert(LEAD, owner, lead), thread, message


@ops("listLeads")
def list_leads(ctx: Ctx) -> Reply:
    since = moment(ctx, "since")
    property_id = ctx.query.get("propertyId")
    leads = ctx.tx.list(LEAD, ctx.owner, propertyId=property_id) if property_id else ctx.tx.list(LEAD, ctx.owner)
    if since is not None:
        leads = [lead for lead in leads if lead["createdAt"] > iso(since)]
    return paginate(ctx, newest_first(leads))


@ops("getLead")
def get_lead(ctx: Ctx) -> Reply:
    return Reply(200, owned(ctx, LEAD, ctx.path["leadId"], "Lead"))


@ops("sandboxCreateLead")
def create_lead(ctx: Ctx) -> Reply:
    prop = require_property(ctx, ctx.arg("propertyId"))
    lead, _thread, message = new_lead(ctx.tx, ctx.owner, prop, ctx.body, ctx.stamp)
    emit(ctx, "lead.created", lead)
    emit(ctx, "message.received", message)
    return Reply(201, lead)
