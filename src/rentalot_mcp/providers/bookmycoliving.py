"""BookMyColiving partner API v1: `x-api-key` auth, `bmc_` tools, cached reference data, webhook checks."""

from collections.abc import Mapping
from typing import Any

from rentalot_mcp.local_tools import LocalTool
from rentalot_mcp.openapi.operations import Naming
from rentalot_mcp.openapi.spec import JsonObject
from rentalot_mcp.providers.base import Provider
from rentalot_mcp.webhooks import verify_bmc_signature

TOOLSET = "bmc"
REFERENCE_TTL = 3600.0
"""The platform asks partners to cache cities, coliving types and amenities for at least an hour."""
REFERENCE_OPERATIONS = ("listCities", "listColivingTypes", "listAmenities")
REUSED_NOTE = (
    "Already exists, not created: a listing with this externalId was already on the account, "
    "so this is that existing listing, unchanged. Use bmc_replace_property to change it."
)


def _verify(arguments: Mapping[str, Any]) -> JsonObject:
    verdict = verify_bmc_signature(
        arguments["rawBody"].encode(), arguments["timestamp"], arguments["signature"], arguments["secret"]
    )
    return verdict.as_dict()


VERIFY_WEBHOOK = LocalTool(
    name="verify_webhook_signature",
    title="Verify webhook signature",
    description=(
        "Check a BookMyColiving webhook delivery: X-BMC-Signature must be the HMAC-SHA256 of "
        "`{timestamp}.{rawBody}` under the webhook secret, and X-BMC-Timestamp within 5 minutes of now. "
        "Answers valid and why. Runs locally; nothing is sent."
    ),
    toolset=TOOLSET,
    input_schema={
        "type": "object",
        "properties": {
            "rawBody": {"type": "string", "description": "The request body exactly as received"},
            "timestamp": {"type": "string", "description": "The X-BMC-Timestamp header"},
            "signature": {"type": "string", "description": "The X-BMC-Signature header"},
            "secret": {
                "type": "string",
                "minLength": 1,
                "description": "The webhook secret from dashboard settings (not the API key)",
            },
        },
        "required": ["rawBody", "timestamp", "signature", "secret"],
        "additionalProperties": False,
    },
    handler=_verify,
)

BOOKMYCOLIVING = Provider(
    name="bookmycoliving",
    display_name="BookMyColiving",
    spec_file="bookmycoliving.yaml",
    naming=Naming(prefix="bmc_"),
    auth_headers=lambda key: {"x-api-key": key},
    key_variable="BMC_API_KEY",
    base_url_variable="BMC_BASE_URL",
    default_base_url="https://bookmycoliving.com",
    sandbox_path="/bmc",
    sandbox_key="bmc_demo_operator",
    always_on=False,
    cache_ttls=dict.fromkeys(REFERENCE_OPERATIONS, REFERENCE_TTL),
    result_notes={"reused": REUSED_NOTE},
    budget_reported=frozenset({"replyToThread"}),
    forbidden_hint="This API key does not own that resource: it belongs to another operator account.",
    local_tools=(VERIFY_WEBHOOK,),
    rate_limit_window="hour",
)
