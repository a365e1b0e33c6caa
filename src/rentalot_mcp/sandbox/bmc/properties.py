"""Listings and their moderation.

    create ──▶ PENDING_REVIEW ──approve──▶ APPROVED ──unpublish──▶ DRAFT ──submit──▶ PENDING_REVIEW
                     │                        │ replace: stays live, flagged needsReview (approve or reject again)
                     └──────reject──────▶ REJECTED ──submit──▶ PENDING_REVIEW

Approve and reject are the platform admins' moves; the sandbox offers them as sandbox-only endpoints.
A create whose externalId the operator already used returns that listing (200, `reused: true`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rentalot_mcp.sandbox.bmc.events import emit
from rentalot_mcp.sandbox.bmc.kinds import LEAD, MESSAGE, PROPERTY, THREAD
from rentalot_mcp.sandbox.bmc.records import bad_request, new_id, newest_first, owned
from rentalot_mcp.sandbox.bmc.reference import AMENITY_SLUGS, CITY_IDS, COLIVING_TYPE_IDS
from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, paginate
from rentalot_mcp.sandbox.errors import ApiError, FieldError, conflict
from rentalot_mcp.sandbox.platform import sandbox_operation
from rentalot_mcp.sandbox.store import Record, Tx

ops = HandlerTable()

DRAFT, PENDING_REVIEW, APPROVED, REJECTED = "DRAFT", "PENDING_REVIEW", "APPROVED", "REJECTED"
OPTIONAL: dict[str, Any] = {
    "description": None,
    "address": None,
    "amenities": [],
    "contactEmail": None,
    "colivingTypeIds": [],
    "roomOptions": [],
    "externalId": None,
}
"""Fields a create or replace may omit, and what an omitted one becomes."""
ADMIN_PATH = "/sandbox/admin/properties/{propertyId}"
_PROPERTY_ID = {"name": "propertyId", "in": "path", "required": True, "schema": {"type": "string"}}
SANDBOX_PATHS = {
    f"{ADMIN_PATH}/approve": sandbox_operation("sandboxApproveProperty", parameters=(_PROPERTY_ID,)),
    f"{ADMIN_PATH}/reject": sandbox_operation(
        "sandboxRejectProperty",
        parameters=(_PROPERTY_ID,),
        body={"adminNotes": {"type": "string", "minLength": 1, "maxLength": 2000}},
        required=("adminNotes",),
    ),
}
"""Sandbox-only: the moderation an admin does on the real platform."""


def new_property(
    tx: Tx,
    owner: str,
    stamp: str,
    values: dict[str, Any],
    *,
    status: str = PENDING_REVIEW,
    record_id: str = "",
    photos: list[dict[str, str]] | None = None,
    admin_notes: str | None = None,
) -> Record:
    """A listing from the fields a create accepts; status, photos and notes only as the caller decides."""
    record: Record = {"id": record_id or new_id("prop"), "name": values["name"]}
    record.update(slug=_unique_slug(tx, owner, values["name"]), cityId=values["cityId"])
    record.update({name: values.get(name, default) for name, default in OPTIONAL.items()})
    record.update(
        photos=photos or [],
        status=status,
        needsReview=False,
        adminNotes=admin_notes,
        createdAt=stamp,
        updatedAt=stamp,
    )
    return tx.insert(PROPERTY, owner, record)


def _unique_slug(tx: Tx, owner: str, name: str, keep: str | None = None) -> str:
    """`Sunny Coliving` -> `sunny-coliving`, numbered when another of the operator's listings has it."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "listing"
    taken = {p["slug"] for p in tx.list(PROPERTY, owner) if p["id"] != keep}
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_references(body: dict[str, Any]) -> None:
    """Ids and slugs must come from the reference data, as on the platform."""
    problems = []
    if body["cityId"] not in CITY_IDS:
        problems.append(FieldError("cityId", "unknown city: use an id from GET /api/v1/cities"))
    for index, type_id in enumerate(body.get("colivingTypeIds", [])):
        if type_id not in COLIVING_TYPE_IDS:
            problems.append(FieldError(f"colivingTypeIds[{index}]", "unknown: use ids from GET /api/v1/coliving-types"))
    for index, slug in enumerate(body.get("amenities", [])):
        if slug not in AMENITY_SLUGS:
            problems.append(FieldError(f"amenities[{index}]", "unknown: use slugs from GET /api/v1/amenities"))
    if problems:
        raise bad_request(*problems)


def _transition(ctx: Ctx, record: Record, allowed: set[str], action: str, status: str) -> Record:
    if record["status"] not in allowed:
        raise conflict(
            f"Cannot {action} a {record['status']} property: only {' or '.join(sorted(allowed))} ones can be."
        )
    record.update(status=status, updatedAt=ctx.stamp)
    return ctx.tx.save(PROPERTY, ctx.owner, record)


def _under_review(record: Record) -> set[str]:
    """What an admin may moderate: a pending listing, or a live one flagged by a replace."""
    return {PENDING_REVIEW, APPROVED} if record["needsReview"] else {PENDING_REVIEW}


@ops("listProperties")
def list_properties(ctx: Ctx) -> Reply:
    external = ctx.query.get("externalId")
    found = ctx.tx.list(PROPERTY, ctx.owner, externalId=external) if external else ctx.tx.list(PROPERTY, ctx.owner)
    return paginate(ctx, newest_first(found))


@ops("createProperty")
def create_property(ctx: Ctx) -> Reply:
    external = ctx.arg("externalId")
    existing = ctx.tx.list(PROPERTY, ctx.owner, externalId=external) if external else []
    if existing:
        return Reply(200, {**existing[0], "reused": True})
    _check_references(ctx.body)
    record = new_property(ctx.tx, ctx.owner, ctx.stamp, ctx.body)
    emit(ctx, "property.created", record)
    return Reply(201, record)


@ops("getProperty")
def get_property(ctx: Ctx) -> Reply:
    return Reply(200, owned(ctx, PROPERTY, ctx.path["propertyId"], "Property"))


@ops("replaceProperty")
def replace_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    _check_references(ctx.body)
    external = ctx.arg("externalId")
    clash = (
        [p for p in ctx.tx.list(PROPERTY, ctx.owner, externalId=external) if p["id"] != record["id"]]
        if external
        else []
    )
    if clash:
        raise conflict(f"externalId {external!r} is already used by property {clash[0]['id']}")
    record.update(name=ctx.body["name"], cityId=ctx.body["cityId"], updatedAt=ctx.stamp)
    record.update({name: ctx.body.get(name, default) for name, default in OPTIONAL.items()})
    record["slug"] = _unique_slug(ctx.tx, ctx.owner, record["name"], keep=record["id"])
    if record["status"] == APPROVED:
        record["needsReview"] = True
    ctx.tx.save(PROPERTY, ctx.owner, record)
    emit(ctx, "property.updated", record)
    return Reply(200, record)


@ops("deleteProperty")
def delete_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    for kind in (LEAD, MESSAGE, THREAD):
        for item in ctx.tx.list(kind, ctx.owner, propertyId=record["id"]):
            ctx.tx.delete(kind, ctx.owner, item["id"], ctx.stamp)
    ctx.tx.delete(PROPERTY, ctx.owner, record["id"], ctx.stamp)
    emit(ctx, "property.deleted", {"id": record["id"], "name": record["name"], "externalId": record["externalId"]})
    return Reply(200, {"id": record["id"], "deleted": True})


@ops("submitPropertyForReview")
def submit_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    record = _transition(ctx, record, {DRAFT, REJECTED}, "submit", PENDING_REVIEW)
    emit(ctx, "property.updated", record)
    return Reply(200, record)


@ops("unpublishProperty")
def unpublish_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    record["needsReview"] = False
    record = _transition(ctx, record, {APPROVED}, "unpublish", DRAFT)
    emit(ctx, "property.updated", record)
    return Reply(200, record)


@ops("addPropertyPhotos")
def add_photos(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    record["photos"] = [*record["photos"], *({"url": photo["url"]} for photo in ctx.body["photos"])]
    record["updatedAt"] = ctx.stamp
    ctx.tx.save(PROPERTY, ctx.owner, record)
    emit(ctx, "property.updated", record)
    return Reply(200, record)


@ops("sandboxApproveProperty")
def approve_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    allowed = _under_review(record)
    record.update(needsReview=False, adminNotes=None)
    record = _transition(ctx, record, allowed, "approve", APPROVED)
    emit(ctx, "property.approved", record)
    return Reply(200, record)


@ops("sandboxRejectProperty")
def reject_property(ctx: Ctx) -> Reply:
    record = owned(ctx, PROPERTY, ctx.path["propertyId"], "Property")
    allowed = _under_review(record)
    record.update(needsReview=False, adminNotes=ctx.arg("adminNotes"))
    record = _transition(ctx, record, allowed, "reject", REJECTED)
    emit(ctx, "property.rejected", record)
    return Reply(200, record)


def require_property(ctx: Ctx, property_id: str) -> Record:
    """A listing named in a body: unknown there is a 400 on `propertyId`, another operator's a 403."""
    try:
        return owned(ctx, PROPERTY, property_id, "Property")
    except ApiError as error:
        if error.status == 404:
            raise bad_request(FieldError("propertyId", "unknown property")) from None
        raise
