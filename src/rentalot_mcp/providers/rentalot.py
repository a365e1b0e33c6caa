"""Rentalot v1: Bearer API keys, and the official MCP server's tool names."""

from rentalot_mcp.openapi.operations import Naming
from rentalot_mcp.providers.base import Plan, Provider

RENAMES = {
    "cancelShowing": "delete_showing",
    "cancelFollowup": "delete_followup",
    "triggerWorkflow": "trigger_workflow_run",
}
"""operationId -> official tool name, where snake_case(operationId) differs from it."""

TOOLSETS = {"Property Images": "images", "Follow-ups": "followups"}
"""The published spec's tags -> our toolset names (our own spec already uses toolset names)."""

PLANS = {30: Plan("Starter", writes=False), 120: Plan("Pro", writes=True), 600: Plan("Scale", writes=True)}
"""Requests per minute (X-RateLimit-Limit) -> plan, as the platform publishes them."""

RENTALOT = Provider(
    name="rentalot",
    display_name="Rentalot",
    spec_file="rentalot.yaml",
    naming=Naming(renames=RENAMES, toolsets=TOOLSETS),
    auth_headers=lambda key: {"Authorization": f"Bearer {key}"},
    key_variable="RENTALOT_API_KEY",
    base_url_variable="RENTALOT_BASE_URL",
    default_base_url="https://rentalot.ai",
    sandbox_path="",
    sandbox_key="ra_demo_pro",
    always_on=True,
    reads_config_file=True,
    plans_by_rate_limit={
        30: Plan("Starter", writes=False),
        120: Plan("Pro", writes=True),
        600: Plan("Scale", writes=True),
    },
)
