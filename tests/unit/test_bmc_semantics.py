"""BookMyColiving semantics on the call path: error shape, reuse and replay notes, the reply quota, settings."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
import respx

from rentalot_mcp.catalogue import Selection
from rentalot_mcp.config import load_settings, sandbox_settings
from rentalot_mcp.runtime import Runtime, load_tools
from rentalot_mcp.server import tool_definitions
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, fake_settings

BASE = FAKE_BASE_URLS["bookmycoliving"]
pytestmark = pytest.mark.anyio
NEW_PROPERTY = {"name": "Sunny Coliving", "cityId": "city_lisbon", "externalId": "pms-42"}


@pytest.fixture
async def runtime():
    built = Runtime.create(fake_settings())
    yield built
    await built.aclose()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, "bmc_get_property failed: HTTP 400: Listing is archived"),
        (403, "does not own that resource"),
        (404, "Use the matching list_* or search tool"),
        (409, "bmc_get_property failed: HTTP 409: Listing is archived"),
    ],
)
async def test_string_errors_become_tool_errors_with_the_platform_message(runtime, status: int, expected: str) -> None:
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties/p1").respond(status, json={"error": "Listing is archived"})
        result = await runtime.call("bmc_get_property", {"propertyId": "p1"})
    assert result.is_error
    text = result.content[0].text
    assert "Listing is archived" in text and expected in text
    assert "Starter" not in text


async def test_unauthorized_names_the_variable_to_set(runtime) -> None:
    with respx.mock:
        respx.get(f"{BASE}/api/v1/leads").respond(401, json={"error": "Invalid API key"})
        result = await runtime.call("bmc_list_leads", {})
    text = result.content[0].text
    assert result.is_error and "Invalid API key" in text and "BMC_API_KEY" in text
    assert FAKE_KEYS["bookmycoliving"] not in text


async def test_a_reused_external_id_is_reported_as_not_created(runtime) -> None:
    existing = {"id": "prop_1", "name": "Sunny Coliving", "status": "APPROVED", "externalId": "pms-42", "reused": True}
    with respx.mock:
        respx.post(f"{BASE}/api/v1/properties").respond(200, json=existing)
        result = await runtime.call("bmc_create_property", NEW_PROPERTY)
    assert not result.is_error
    assert json.loads(result.content[0].text) == existing
    assert any(block.text.startswith("Already exists, not created") for block in result.content[1:])


async def test_a_new_listing_carries_no_reuse_note(runtime) -> None:
    created = {"id": "prop_2", "name": "Sunny Coliving", "status": "PENDING_REVIEW", "reused": False}
    with respx.mock:
        respx.post(f"{BASE}/api/v1/properties").respond(201, json=created)
        result = await runtime.call("bmc_create_property", NEW_PROPERTY)
    assert len(result.content) == 1
    assert result.structured_content == created


async def test_a_replayed_write_says_nothing_was_done_twice(runtime) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/api/v1/properties/p1/submit").respond(
            200, json={"id": "p1", "name": "n", "status": "PENDING_REVIEW"}, headers={"Idempotent-Replayed": "true"}
        )
        result = await runtime.call("bmc_submit_property_for_review", {"propertyId": "p1", "idempotencyKey": "k-1"})
    assert route.calls.last.request.headers["idempotency-key"] == "k-1"
    assert result.meta["replayed"] is True
    assert any("nothing was done twice" in block.text for block in result.content[1:])


async def test_a_reply_reports_the_hourly_quota_left(runtime) -> None:
    headers = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "57", "X-RateLimit-Reset": "1777111200"}
    with respx.mock:
        respx.post(f"{BASE}/api/v1/messages/user_9").respond(201, json={"id": "m1", "content": "Hi"}, headers=headers)
        result = await runtime.call("bmc_reply_to_thread", {"threadId": "user_9", "content": "Hi", "propertyId": "p1"})
    assert not result.is_error
    assert result.content[-1].text == "Quota: 57 of 60 calls left; the window resets at 2026-04-25 10:00:00 UTC."
    assert result.meta["rateLimit"] == {"limit": 60, "remaining": 57, "reset": 1777111200.0}


async def test_other_reads_surface_the_budget_only_in_meta(runtime) -> None:
    headers = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "999", "X-RateLimit-Reset": "1777111200"}
    with respx.mock:
        respx.get(f"{BASE}/api/v1/leads/l1").respond(200, json={"id": "l1", "propertyId": "p1"}, headers=headers)
        result = await runtime.call("bmc_get_lead", {"leadId": "l1"})
    assert len(result.content) == 1
    assert result.meta["rateLimit"]["remaining"] == 999


@pytest.mark.parametrize("length", [5001, 0])
async def test_reply_length_is_checked_before_anything_is_sent(runtime, length: int) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        result = await runtime.call(
            "bmc_reply_to_thread", {"threadId": "user_9", "content": "x" * length, "propertyId": "p1"}
        )
    assert result.is_error and not route.called
    assert "nothing was sent" in result.content[0].text and "content:" in result.content[0].text


async def test_a_reply_of_exactly_5000_characters_goes_out(runtime) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/api/v1/messages/user_9").respond(201, json={"id": "m1", "content": "..."})
        result = await runtime.call(
            "bmc_reply_to_thread", {"threadId": "user_9", "content": "é" * 5000, "propertyId": "p"}
        )
    assert not result.is_error
    assert len(json.loads(route.calls.last.request.content)["content"]) == 5000


def test_bmc_is_off_without_a_key_and_on_with_one(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    without = {tool.provider for tool in load_tools(load_settings(environ, cwd=tmp_path))}
    assert without == {"rentalot"}
    settings = load_settings({**environ, "BMC_API_KEY": "bmc_x_1234", "BMC_BASE_URL": "https://b.test"}, cwd=tmp_path)
    bmc = settings.for_provider("bookmycoliving")
    assert bmc.enabled and bmc.base_url.value == "https://b.test"
    assert {tool.provider for tool in load_tools(settings)} == {"rentalot", "bookmycoliving"}
    default = load_settings({**environ, "BMC_API_KEY": "bmc_x_1234"}, cwd=tmp_path).for_provider("bookmycoliving")
    assert default.base_url.value == "https://bookmycoliving.com"


def test_the_sandbox_serves_bmc_under_its_own_prefix_with_the_demo_key() -> None:
    bmc = sandbox_settings("http://127.0.0.1:9999/").for_provider("bookmycoliving")
    assert bmc.enabled
    assert bmc.base_url.value == "http://127.0.0.1:9999/bmc"
    assert bmc.api_key.value == "bmc_demo_operator"


async def test_the_local_tool_is_selected_and_annotated_like_any_read_only_tool() -> None:
    runtime = Runtime.create(fake_settings(), Selection(toolsets=frozenset({"bmc"}), read_only=True))
    try:
        names = {tool.name for tool in runtime.catalogue}
        listed = {tool.name: tool for tool in tool_definitions(runtime)}
    finally:
        await runtime.aclose()
    assert "bmc_verify_webhook_signature" in names and "bmc_list_leads" in names
    assert "bmc_create_property" not in names and "list_properties" not in names
    annotations = listed["bmc_verify_webhook_signature"].annotations
    assert annotations.read_only_hint is True and annotations.destructive_hint is False


def test_fields_that_may_be_null_are_left_untyped_in_the_output_schema() -> None:
    """A single type would make clients reject a real answer whose adminNotes is null."""
    runtime = Runtime.create(fake_settings())
    schema = runtime.catalogue.get("bmc_get_property").operation.output_schema
    anyio.run(runtime.aclose)
    assert schema["properties"]["status"] == {"type": "string"}
    assert "adminNotes" not in schema["properties"] and "externalId" not in schema["properties"]
