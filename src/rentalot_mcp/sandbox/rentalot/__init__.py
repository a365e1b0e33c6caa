"""The Rentalot v1 platform as the sandbox serves it: plans, bearer auth, handlers for all operations."""

from __future__ import annotations

from starlette.datastructures import Headers

from rentalot_mcp.sandbox.accounts import Plan
from rentalot_mcp.sandbox.context import HandlerTable
from rentalot_mcp.sandbox.platform import Platform
from rentalot_mcp.sandbox.rentalot import (
    calendar,
    contacts,
    conversations,
    drafts,
    followups,
    images,
    properties,
    sessions,
    settings,
    subscriptions,
    workflows,
)
from rentalot_mcp.sandbox.rentalot.seed import DEMO_KEYS, seed
from rentalot_mcp.sandbox.rentalot.spec import SPEC_PATH

PLANS = {
    "Starter": Plan("Starter", rate_limit=30, max_page_size=50, can_write=False),
    "Pro": Plan("Pro", rate_limit=120, max_page_size=100, can_write=True, max_webhooks=10, max_images_per_property=25),
    "Scale": Plan(
        "Scale", rate_limit=600, max_page_size=200, can_write=True, max_webhooks=50, max_images_per_property=50
    ),
}

ID_NAMES = {
    "propertyId": "Property",
    "contactId": "Contact",
    "showingId": "Showing",
    "conversationId": "Conversation",
    "draftId": "Draft",
    "followupId": "Follow-up",
    "workflowId": "Workflow",
    "runId": "Workflow run",
    "webhookId": "Webhook",
    "sessionId": "Session",
    "jobId": "Job",
}


def bearer(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _handlers() -> HandlerTable:
    table = HandlerTable()
    for module in (
        properties,
        images,
        contacts,
        calendar,
        conversations,
        drafts,
        followups,
        workflows,
        subscriptions,
        sessions,
        settings,
    ):
        for operation_id, handler in module.ops.items():
            table(operation_id)(handler)
    return table


RENTALOT = Platform(
    name="rentalot",
    spec_path=SPEC_PATH,
    api_prefix="/api/v1",
    plans=PLANS,
    handlers=_handlers(),
    seed=seed,
    api_key=bearer,
    missing_key_message="Missing API key: send it as 'Authorization: Bearer <key>'.",
    upgrade_plan="Pro",
    id_names=ID_NAMES,
    extra_paths=conversations.SANDBOX_PATHS,
)

__all__ = ["DEMO_KEYS", "PLANS", "RENTALOT"]
