"""The BookMyColiving partner API v1 as the sandbox serves it, under `/bmc`, beside Rentalot.

Same store, pipeline and accounts table as Rentalot; what differs is declared here: `x-api-key`
auth, hourly budgets (replies have their own 60 per hour), the `{"error": "message"}` envelope,
`Idempotent-Replayed`, and sandbox-only endpoints for what the platform's admins and guests do.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers

from rentalot_mcp.sandbox.accounts import Plan
from rentalot_mcp.sandbox.bmc import events, leads, messages, properties, reference
from rentalot_mcp.sandbox.bmc.seed import DEMO_KEYS, seed
from rentalot_mcp.sandbox.context import HandlerTable
from rentalot_mcp.sandbox.errors import ApiError
from rentalot_mcp.sandbox.platform import Platform

SPEC_PATH = Path(str(files("rentalot_mcp.specs") / "bookmycoliving.yaml"))
HOUR = 3600
PLANS = {"Operator": Plan("Operator", rate_limit=1000, max_page_size=100, can_write=True, rate_window=HOUR)}
REPLIES = Plan("replies", rate_limit=60, max_page_size=100, can_write=True, rate_window=HOUR)
REFERENCE = Plan("reference data", rate_limit=5000, max_page_size=100, can_write=True, rate_window=HOUR)
BUDGETS = {
    "replyToThread": REPLIES,
    **dict.fromkeys(("listCities", "listColivingTypes", "listAmenities"), REFERENCE),
}
"""Endpoints the platform limits apart from the rest: 60 replies and 5,000 reference reads per hour."""


def api_key(headers: Headers) -> str | None:
    return headers.get("x-api-key", "").strip() or None


def error_body(error: ApiError) -> dict[str, Any]:
    """`{"error": "message"}`, field problems folded into the one message."""
    details = "; ".join(f"{detail.field}: {detail.message}" for detail in error.details)
    return {"error": f"{error.message}: {details}" if details else error.message}


def _handlers() -> HandlerTable:
    table = HandlerTable()
    for module in (properties, leads, messages, reference, events):
        for operation_id, handler in module.ops.items():
            table(operation_id)(handler)
    return table


BOOKMYCOLIVING = Platform(
    name="bookmycoliving",
    spec_path=SPEC_PATH,
    api_prefix="/api/v1",
    plans=PLANS,
    handlers=_handlers(),
    seed=seed,
    api_key=api_key,
    missing_key_message="Missing API key: send it in the x-api-key header.",
    upgrade_plan="Operator",
    id_names={},
    mount="/bmc",
    error_body=error_body,
    validation_status=400,
    replayed_header="Idempotent-Replayed",
    budgets=BUDGETS,
    extra_paths={
        **properties.SANDBOX_PATHS,
        **leads.SANDBOX_PATHS,
        **messages.SANDBOX_PATHS,
        **events.SANDBOX_PATHS,
    },
)

__all__ = ["BOOKMYCOLIVING", "DEMO_KEYS", "PLANS"]
