"""Pre-screening sessions: prospect submissions from public chat workflows, and their one-time review.

Only a completed session awaiting review can be approved or denied; a second review is a 409.
Approving moves the prospect forward (contact status `applicant`). Active sessions past `expiresAt`
read as expired.
"""

from __future__ import annotations

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, ok, paginate, public
from rentalot_mcp.sandbox.errors import conflict
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, SESSION
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.times import parse_datetime

ops = HandlerTable()

FILTERS = ("contactId", "workflowTemplateId", "status", "reviewStatus")


def _fresh(ctx: Ctx, session: Record) -> Record:
    expires = parse_datetime(session["expiresAt"])
    if session["status"] == "active" and expires is not None and expires <= ctx.now:
        session.update(status="expired", updatedAt=session["expiresAt"])
        ctx.tx.save(SESSION, ctx.owner, session)
    return session


@ops("listSessions")
def list_sessions(ctx: Ctx) -> Reply:
    rows = [_fresh(ctx, s) for s in ctx.tx.list(SESSION, ctx.owner)]
    for name in FILTERS:
        if name in ctx.query:
            rows = [s for s in rows if s[name] == ctx.query[name]]
    rows.sort(key=lambda s: s["createdAt"], reverse=True)
    return paginate(ctx, [public(s) for s in rows])


@ops("getSession")
def get_session(ctx: Ctx) -> Reply:
    return ok(public(_fresh(ctx, ctx.load(SESSION, ctx.path["sessionId"], "Session"))))


@ops("reviewSession")
def review_session(ctx: Ctx) -> Reply:
    session = _fresh(ctx, ctx.load(SESSION, ctx.path["sessionId"], "Session"))
    if session["reviewStatus"] != "pending_review":
        raise conflict(f"The session was already reviewed ({session['reviewStatus']} at {session['reviewedAt']}).")
    if session["status"] != "completed":
        raise conflict(f"The session is {session['status']}; only completed sessions can be reviewed.")
    session.update(
        reviewStatus=ctx.arg("reviewStatus"),
        reviewNotes=ctx.arg("reviewNotes"),
        reviewedAt=ctx.stamp,
        updatedAt=ctx.stamp,
    )
    ctx.tx.save(SESSION, ctx.owner, session)
    contact = ctx.tx.get(CONTACT, ctx.owner, session["contactId"] or "")
    if contact is not None and session["reviewStatus"] == "approved" and contact["status"] in ("prospect", "scheduled"):
        contact.update(status="applicant", updatedAt=ctx.stamp)
        ctx.tx.save(CONTACT, ctx.owner, contact)
    return ok(public(session))
