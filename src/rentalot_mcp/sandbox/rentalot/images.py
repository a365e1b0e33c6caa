"""Property images: presigned upload to the sandbox, confirm, list, reorder, delete, import by URL.

Confirm checks what was actually uploaded: an r2Key this property was never given is a 422, a key
with nothing PUT to it yet is a 409, and the declared content type and size must match the upload.
Batch confirm is all-or-nothing. URL imports never fetch anything (the sandbox works offline): a URL
whose file extension is not an image type fails, the others are attached with their URL as given.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from rentalot_mcp.sandbox import uploads
from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, ok, public
from rentalot_mcp.sandbox.errors import FieldError, conflict, invalid, not_found, validation_failed
from rentalot_mcp.sandbox.rentalot.jobs import advance, job_view, load_job, new_job
from rentalot_mcp.sandbox.rentalot.kinds import IMAGE, PROPERTY
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record

ops = HandlerTable()

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif", ".avif"}
JOB_TYPE = "image_import"


def images_of(ctx: Ctx, property_id: str) -> list[Record]:
    return sorted(ctx.tx.list(IMAGE, ctx.owner, _propertyId=property_id), key=lambda i: i["order"])


def add_image(ctx: Ctx, property_id: str, url: str, alt_text: str | None, r2_key: str | None = None) -> Record:
    image = {
        "id": new_id(),
        "url": url,
        "altText": alt_text,
        "order": ctx.tx.count(IMAGE, ctx.owner, _propertyId=property_id),
        "createdAt": ctx.stamp,
        "_propertyId": property_id,
        "_r2Key": r2_key,
    }
    return ctx.tx.insert(IMAGE, ctx.owner, image)


def remove_images(ctx: Ctx, images: list[Record]) -> None:
    for image in images:
        ctx.tx.delete(IMAGE, ctx.owner, image["id"], ctx.stamp)
    keys = [i["_r2Key"] for i in images if i["_r2Key"]]
    if keys:
        uploads.discard(ctx.tx, keys)


def _property(ctx: Ctx) -> Record:
    return ctx.load(PROPERTY, ctx.path["propertyId"], "Property")


def _room_for(ctx: Ctx, prop: Record, adding: int) -> None:
    limit = ctx.account.plan.max_images_per_property
    count = ctx.tx.count(IMAGE, ctx.owner, _propertyId=prop["id"])
    if count + adding > limit:
        raise invalid("images", f"the property has {count} of at most {limit} images; delete some first")


def _renumber(ctx: Ctx, ordered: list[Record]) -> None:
    for position, image in enumerate(ordered):
        if image["order"] != position:
            image["order"] = position
            ctx.tx.save(IMAGE, ctx.owner, image)


def _announce(ctx: Ctx, prop: Record) -> None:
    emit(ctx, "property.updated", {"id": prop["id"], "images": [public(i) for i in images_of(ctx, prop["id"])]})


@ops("listPropertyImages")
def list_images(ctx: Ctx) -> Reply:
    return ok([public(i) for i in images_of(ctx, _property(ctx)["id"])])


@ops("deletePropertyImages")
def delete_images(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    wanted = set(ctx.arg("imageIds"))
    images = images_of(ctx, prop["id"])
    doomed = [i for i in images if i["id"] in wanted]
    remove_images(ctx, doomed)
    _renumber(ctx, [i for i in images if i["id"] not in wanted])
    if doomed:
        _announce(ctx, prop)
    return Reply(200, {"deleted": len(doomed)})


def _presign(ctx: Ctx, prop: Record, item: dict[str, Any]) -> dict[str, str]:
    key = uploads.new_key(f"properties/{prop['id']}", item["fileName"])
    uploads.reserve(ctx.tx, ctx.owner, key, item["contentType"], item["sizeBytes"], ctx.clock)
    return {"fileName": item["fileName"], "uploadUrl": f"{ctx.base_url}{uploads.UPLOAD_PATH}{key}", "r2Key": key}


@ops("presignImageUpload")
def presign(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    _room_for(ctx, prop, 1)
    signed = _presign(ctx, prop, ctx.body)
    return Reply(
        200,
        {
            "uploadUrl": signed["uploadUrl"],
            "r2Key": signed["r2Key"],
            "maxImages": ctx.account.plan.max_images_per_property,
            "method": "PUT",
            "headers": {"Content-Type": ctx.arg("contentType")},
        },
    )


@ops("presignImageBatch")
def presign_batch(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    _room_for(ctx, prop, len(ctx.arg("images")))
    return ok([_presign(ctx, prop, item) for item in ctx.arg("images")])


def _confirm(ctx: Ctx, prop: Record, item: dict[str, Any], prefix: str) -> Record:
    key = item["r2Key"]
    upload = uploads.find(ctx.tx, ctx.owner, key)
    if upload is None or not key.startswith(f"properties/{prop['id']}/"):
        raise invalid(f"{prefix}r2Key", "is not an upload key issued for this property")
    if upload.confirmed:
        raise conflict(f"{prefix}r2Key {key} was already confirmed.")
    if upload.size is None:
        raise conflict(f"Nothing has been uploaded for {prefix}r2Key yet; PUT the file to its uploadUrl first.")
    problems = []
    if item["contentType"] != upload.content_type:
        problems.append(FieldError(f"{prefix}contentType", f"does not match the presigned type {upload.content_type}"))
    if item["sizeBytes"] != upload.size:
        problems.append(
            FieldError(f"{prefix}sizeBytes", f"is {item['sizeBytes']} but {upload.size} bytes were uploaded")
        )
    if problems:
        raise validation_failed(problems)
    uploads.mark_confirmed(ctx.tx, key)
    url = f"{ctx.base_url}{uploads.FILE_PATH}{key}"
    return add_image(ctx, prop["id"], url, item.get("altText"), r2_key=key)


@ops("confirmImageUpload")
def confirm(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    _room_for(ctx, prop, 1)
    image = _confirm(ctx, prop, ctx.body, "")
    _announce(ctx, prop)
    return ok(public(image))


@ops("confirmImageBatch")
def confirm_batch(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    _room_for(ctx, prop, len(ctx.arg("images")))
    keys = [item["r2Key"] for item in ctx.arg("images")]
    if len(set(keys)) != len(keys):
        raise invalid("images", "lists the same r2Key more than once")
    images = [public(_confirm(ctx, prop, item, f"images[{i}].")) for i, item in enumerate(ctx.arg("images"))]
    _announce(ctx, prop)
    return ok(images, 201)


@ops("reorderPropertyImages")
def reorder(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    ids: list[str] = ctx.arg("imageIds")
    images = {i["id"]: i for i in images_of(ctx, prop["id"])}
    problems = [
        FieldError(f"imageIds[{n}]", "is not an image of this property") for n, i in enumerate(ids) if i not in images
    ]
    if len(set(ids)) != len(ids):
        problems.append(FieldError("imageIds", "lists an image more than once"))
    if problems:
        raise validation_failed(problems)
    rest = [image for image_id, image in images.items() if image_id not in set(ids)]
    _renumber(ctx, [images[i] for i in ids] + rest)
    _announce(ctx, prop)
    return Reply(200, {"ok": True})


@ops("importPropertyImages")
def import_images(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    urls: list[str] = ctx.arg("urls")
    job = new_job(ctx, JOB_TYPE, urls, _propertyId=prop["id"], totalUrls=len(urls), imported=0)
    return Reply(202, {"data": {"jobId": job["id"], "status": "pending", "totalUrls": len(urls)}})


@ops("getImageImportJob")
def get_import_job(ctx: Ctx) -> Reply:
    prop = _property(ctx)
    job = load_job(ctx, JOB_TYPE)
    if job["_propertyId"] != prop["id"]:
        raise not_found("Job")
    limit = ctx.account.plan.max_images_per_property

    def step(_index: int, url: str) -> dict[str, Any] | None:
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        if suffix and suffix not in IMAGE_SUFFIXES:
            return {"url": url, "message": f"unsupported file type {suffix}; expected an image"}
        if ctx.tx.count(IMAGE, ctx.owner, _propertyId=prop["id"]) >= limit:
            return {"url": url, "message": f"the property already has the maximum of {limit} images"}
        add_image(ctx, prop["id"], url, None)
        job["imported"] += 1
        return None

    advance(ctx, job, step, lambda: _announce(ctx, prop))
    return ok(job_view(job))
