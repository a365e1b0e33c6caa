"""What a handler receives and returns, and the helpers every resource module shares.

A handler is a plain synchronous function `(Ctx) -> Reply` run on a worker thread inside the request's
transaction; it raises `ApiError` to refuse. Side effects that leave the process (webhooks) are
collected on the context and performed only after the transaction commits.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rentalot_mcp.sandbox.accounts import Account
from rentalot_mcp.sandbox.errors import invalid, not_found
from rentalot_mcp.sandbox.store import Record, Tx
from rentalot_mcp.sandbox.times import Clock, iso
from rentalot_mcp.sandbox.webhooks import Delivery, Outcome

DEFAULT_PAGE_SIZE = 20


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: Any = None
    """JSON-serialisable body; None means no body (204)."""


@dataclass(frozen=True, slots=True)
class Ping:
    """A delivery the response waits for; `render` turns its outcome into the whole response body."""

    delivery: Delivery
    render: Callable[[Outcome], Any]


@dataclass(slots=True)
class Ctx:
    tx: Tx
    account: Account
    clock: Clock
    now: datetime
    base_url: str
    path: dict[str, str]
    query: dict[str, Any]
    body: Any
    deliveries: list[Delivery] = field(default_factory=list)
    ping: Ping | None = None

    @property
    def owner(self) -> str:
        return self.account.id

    @property
    def stamp(self) -> str:
        """The request's time as stored and returned (one instant for every record it touches)."""
        return iso(self.now)

    def load(self, kind: str, record_id: str, what: str) -> Record:
        """A live record of this account, or 404 `<what> not found` (also for other accounts' ids)."""
        record = self.tx.get(kind, self.owner, record_id)
        if record is None:
            raise not_found(what)
        return record

    def ref(self, kind: str, record_id: str, what: str, field_name: str) -> Record:
        """A record named in the body or query: unknown ids there are a 422 on that field, not a 404."""
        record = self.tx.get(kind, self.owner, record_id)
        if record is None:
            raise invalid(field_name, f"{what} not found")
        return record

    def load_for_delete(self, kind: str, record_id: str, what: str) -> Record | None:
        """The live record to delete; None if it was already deleted (DELETE repeats answer 204); else 404."""
        found = self.tx.find(kind, self.owner, record_id)
        if found is None:
            raise not_found(what)
        return found.data if found.deleted_at is None else None

    def arg(self, name: str, default: Any = None) -> Any:
        """A body field (bodies are objects once validated)."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default


Handler = Callable[[Ctx], Reply]


class HandlerTable(dict[str, Handler]):
    """operationId -> handler, filled by decorating functions: `@ops("listProperties")`."""

    def __call__(self, operation_id: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            if operation_id in self:
                raise ValueError(f"two handlers for {operation_id}")
            self[operation_id] = handler
            return handler

        return register


def new_id() -> str:
    return str(uuid.uuid4())


def public(record: Record) -> Record:
    """The record without internal (`_`-prefixed) fields."""
    return {key: value for key, value in record.items() if not key.startswith("_")}


def ok(data: Any, status: int = 200) -> Reply:
    return Reply(status, {"data": data})


def no_content() -> Reply:
    return Reply(204, None)


def paginate(ctx: Ctx, items: Iterable[Any]) -> Reply:
    """`{data, pagination}` for one page; `limit` defaults to 20 and is capped by the plan's page size."""
    rows = list(items)
    page = int(ctx.query.get("page") or 1)
    limit = min(int(ctx.query.get("limit") or DEFAULT_PAGE_SIZE), ctx.account.plan.max_page_size)
    start = (page - 1) * limit
    total = len(rows)
    return Reply(
        200,
        {
            "data": rows[start : start + limit],
            "pagination": {"page": page, "limit": limit, "total": total, "totalPages": math.ceil(total / limit)},
        },
    )
