"""What makes a platform the sandbox can serve: its spec, handlers, plans, auth and demo data.

Rentalot is one; another platform (BookMyColiving) is another instance mounted under its own prefix,
sharing the database, the request pipeline and the accounts table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers

from rentalot_mcp.sandbox.accounts import Plan
from rentalot_mcp.sandbox.context import Handler
from rentalot_mcp.sandbox.errors import ApiError
from rentalot_mcp.sandbox.store import Tx


@dataclass(frozen=True, slots=True)
class Platform:
    """One REST API the sandbox imitates: its spec, handlers, plans, auth and demo data."""

    name: str
    spec_path: Path
    api_prefix: str
    """The spec paths' common prefix (`/api/v1`); the segment after it names the rate-limit resource."""
    plans: Mapping[str, Plan]
    handlers: Mapping[str, Handler]
    seed: Callable[[Tx, datetime], None]
    api_key: Callable[[Headers], str | None]
    missing_key_message: str
    upgrade_plan: str
    """Named in the 403 a read-only plan gets on writes."""
    id_names: Mapping[str, str]
    """Path parameter -> the resource named in its 404 (`propertyId` -> `Property`)."""
    mount: str = ""
    """Where the platform's spec paths are served (`/bmc` serves `/api/v1/x` at `/bmc/api/v1/x`)."""
    error_body: Callable[[ApiError], dict[str, Any]] = ApiError.body
    validation_status: int = 422
    """The status a request that breaks the schema gets (BookMyColiving documents 400)."""
    """The platform's error envelope (Rentalot: `{error: {code, message, details?}}`)."""
    replayed_header: str = "X-Idempotent-Replayed"
    extra_paths: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    """Sandbox-only operations (OpenAPI path items): served through the same pipeline, absent from the spec."""
    budgets: Mapping[str, Plan] = field(default_factory=dict)
    """operationId -> a rate limit counted apart from the plan's, shared by operations naming the same Plan."""


def sandbox_operation(
    operation_id: str,
    method: str = "post",
    *,
    body: dict[str, Any] | None = None,
    required: tuple[str, ...] = (),
    parameters: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    """A sandbox-only operation as an OpenAPI path item, so it is validated like the platform's own."""
    operation: dict[str, Any] = {"operationId": operation_id}
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        schema = {"type": "object", "properties": body, "required": list(required)}
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return {method: operation}
