"""Properties (rental listings) and their bulk import.

Deleting a property is a hard delete (its images and uploaded files go too); only a tombstone remains
so a repeated DELETE answers 204 rather than 404. Bulk import validates every row as a createProperty
body and creates the valid ones as the job is polled.
"""

from __future__ import annotations

from typing import Any

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate
from rentalot_mcp.sandbox.errors import FieldError, validation_failed
from rentalot_mcp.sandbox.rentalot.images import add_image, images_of, remove_images
from rentalot_mcp.sandbox.rentalot.jobs import advance, job_view, load_job, new_job
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, PROPERTY
from rentalot_mcp.sandbox.rentalot.spec import body_validator
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record, Tx
from rentalot_mcp.sandbox.validation import describe

ops = HandlerTable()

JOB_TYPE = "bulk_properties"
OPTIONAL = {
    "city": None,
    "state": None,
    "zip": None,
    "features": [],
    "availabilityDate": None,
    "status": "active",
    "description": None,
    "ownerId": None,
    "isPublic": True,
    "amenities": [],
    "petPolicy": None,
    "parking": None,
    "laundry": None,
    "leaseMinMonths": None,
    "leaseMaxMonths": None,
    "moveInDate": None,
    "depositAmount": None,
    "utilitiesIncluded": [],
    "squareFootage": None,
    "yearBuilt": None,
    "neighborhoodDescription": None,
    "url": None,
    "internalNotes": None,
}
REQUIRED = ("address", "monthlyRent", "bedrooms", "bathrooms")


def new_property(owner: str, stamp: str, values: dict[str, Any]) -> Record:
    record: Record = {"id": new_id(), "userId": owner}
    record.update({name: values[name] for name in REQUIRED})
    record.update({name: values.get(name, default) for name, default in OPTIONAL.items()})
    record.update(createdAt=stamp, updatedAt=stamp)
    return record


def _check(tx: Tx, owner: str, merged: dict[str, Any]) -> list[FieldError]:
    """Rules across fields and records: lease bounds in order, an owner that is one of your contacts."""
    problems = []
    low, high = merged.get("leaseMinMonths"), merged.get("leaseMaxMonths")
    if low is not None and high is not None and low > high:
        problems.append(FieldError("leaseMaxMonths", "must not be less than leaseMinMonths"))
    if merged.get("ownerId") and tx.get(CONTACT, owner, merged["ownerId"]) is None:
        problems.append(FieldError("ownerId", "is not one of your contacts"))
    return problems


def _matches(prop: Record, query: dict[str, Any]) -> bool:
    rent, beds, baths = prop["monthlyRent"], prop["bedrooms"], prop["bathrooms"]
    available = prop.get("availabilityDate")
    checks = {
        "minRent": lambda v: rent >= v,
        "maxRent": lambda v: rent <= v,
        "minBedrooms": lambda v: beds >= v,
        "minBathrooms": lambda v: baths >= v,
        "availableBefore": lambda v: available is None or available <= v,
        "petFriendly": lambda v: (prop.get("petPolicy") in ("allowed", "negotiable")) == v,
        "hasParking": lambda v: (prop.get("parking") in ("included", "available")) == v,
        "city": lambda v: (prop.get("city") or "").casefold() == v.strip().casefold(),
    }
    return all(check(query[name]) for name, check in checks.items() if name in query)


def view(prop: Record, images: list[Record] | None = None) -> Record:
    out = dict(prop)
    if images is not None:
        out["imageUrls"] = [i["url"] for i in images]
    return out


@ops("listProperties")
def list_properties(ctx: Ctx) -> Reply:
    return paginate(ctx, [view(p) for p in ctx.tx.list(PROPERTY, ctx.owner) if _matches(p, ctx.query)])


@ops("createProperty")
def create_property(ctx: Ctx) -> Reply:
    problems = _check(ctx.tx, ctx.owner, ctx.body)
    if problems:
        raise validation_failed(problems)
    prop = ctx.tx.insert(PROPERTY, ctx.owner, new_property(ctx.owner, ctx.stamp, ctx.body))
    for url in ctx.arg("imageUrls") or []:
        add_image(ctx, prop["id"], url, None)
    return ok(view(prop, images_of(ctx, prop["id"])), 201)


@ops("getProperty")
def get_property(ctx: Ctx) -> Reply:
    prop = ctx.load(PROPERTY, ctx.path["propertyId"], "Property")
    return ok(view(prop, images_of(ctx, prop["id"])))


@ops("updateProperty")
def update_property(ctx: Ctx) -> Reply:
    prop = ctx.load(PROPERTY, ctx.path["propertyId"], "Property")
    merged = {**prop, **{k: v for k, v in ctx.body.items() if k in REQUIRED or k in OPTIONAL}}
    problems = _check(ctx.tx, ctx.owner, merged)
    if problems:
        raise validation_failed(problems)
    merged["updatedAt"] = ctx.stamp
    ctx.tx.save(PROPERTY, ctx.owner, merged)
    emit(ctx, "property.updated", merged)
    return ok(view(merged, images_of(ctx, prop["id"])))


@ops("deleteProperty")
def delete_property(ctx: Ctx) -> Reply:
    prop = ctx.load_for_delete(PROPERTY, ctx.path["propertyId"], "Property")
    if prop is not None:
        remove_images(ctx, images_of(ctx, prop["id"]))
        ctx.tx.delete(PROPERTY, ctx.owner, prop["id"], ctx.stamp)
    return no_content()


@ops("bulkCreateProperties")
def bulk_create(ctx: Ctx) -> Reply:
    rows: list[Any] = ctx.arg("properties")
    job = new_job(ctx, JOB_TYPE, rows, total=len(rows), created=0, createdPropertyIds=[])
    return Reply(202, {"data": {"jobId": job["id"], "status": "pending", "total": len(rows)}})


@ops("getBulkImportJob")
def get_bulk_job(ctx: Ctx) -> Reply:
    job = load_job(ctx, JOB_TYPE)

    def step(index: int, row: dict[str, Any]) -> dict[str, Any] | None:
        problems = describe(body_validator("createProperty").iter_errors(row), root="row")
        problems += [] if problems else _check(ctx.tx, ctx.owner, row)
        if problems:
            return {"index": index, "message": "; ".join(f"{p.field}: {p.message}" for p in problems)}
        prop = ctx.tx.insert(PROPERTY, ctx.owner, new_property(ctx.owner, ctx.stamp, row))
        for url in row.get("imageUrls") or []:
            add_image(ctx, prop["id"], url, None)
        job["created"] += 1
        job["createdPropertyIds"].append(prop["id"])
        return None

    advance(ctx, job, step, lambda: emit(ctx, "bulk_import.completed", job_view(job)))
    return ok(job_view(job))
