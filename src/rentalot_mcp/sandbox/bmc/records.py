"""Helpers every BookMyColiving resource shares: prefixed ids, ownership (403 vs 404), 400s, date filters."""

from __future__ import annotations

import uuid
from datetime import datetime

from rentalot_mcp.sandbox.context import Ctx
from rentalot_mcp.sandbox.errors import ApiError, FieldError, not_found
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.times import parse_moment


def new_id(prefix: str) -> str:
    """`prop_3f9c0a1b2d4e5f60`: the platform's ids are opaque strings with a type prefix."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def bad_request(*problems: FieldError) -> ApiError:
    return ApiError(400, "BAD_REQUEST", "Body validation failed", list(problems))


def owned(ctx: Ctx, kind: str, record_id: str, what: str) -> Record:
    """A live record of this operator; 403 when another operator owns it, 404 when nobody does."""
    record = ctx.tx.get(kind, ctx.owner, record_id)
    if record is not None:
        return record
    elsewhere = ctx.tx.execute(
        "SELECT 1 FROM records WHERE kind = ? AND id = ? AND deleted_at IS NULL", (kind, record_id)
    ).fetchone()
    if elsewhere:
        raise ApiError(403, "FORBIDDEN", "API key doesn't own this resource")
    raise not_found(what)


def moment(ctx: Ctx, name: str) -> datetime | None:
    """A date or date-time query filter; 400 naming the parameter when it is not ISO 8601."""
    text = ctx.query.get(name)
    if text is None:
        return None
    parsed = parse_moment(text)
    if parsed is None:
        raise ApiError(400, "BAD_REQUEST", f"{name} must be an ISO 8601 date or date-time, e.g. 2026-04-01T00:00:00Z")
    return parsed


def newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda record: record["createdAt"], reverse=True)
