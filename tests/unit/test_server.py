"""The MCP surface in-process: tools/list and tools/call through the SDK's client, HTTP mocked by respx."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from mcp import Client

from rentalot_mcp.catalogue import Selection
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, fake_settings

BASE = FAKE_BASE_URLS["rentalot"]
PROPERTY_ID = "6f1c3c52-0b7e-4f57-9d35-1f0f1b2a3c4d"
pytestmark = pytest.mark.anyio


async def test_list_tools_has_every_tool_with_annotations(runtime) -> None:
    async with Client(build_server(runtime)) as client:
        listed = (await client.list_tools()).tools
    by_name = {tool.name: tool for tool in listed}
    assert len([name for name in by_name if not name.startswith("bmc_")]) == 65
    get_property = by_name["get_property"]
    assert get_property.input_schema["required"] == ["propertyId"]
    assert get_property.annotations.read_only_hint is True
    assert by_name["delete_property"].annotations.destructive_hint is True
    assert by_name["update_property"].annotations.idempotent_hint is True
    assert by_name["create_property"].annotations.idempotent_hint is False
    assert get_property.output_schema["type"] == "object"


async def test_call_returns_compact_json_and_structured_content(runtime) -> None:
    payload = {"data": {"id": PROPERTY_ID, "address": "12 Elm St", "monthlyRent": 1850}}
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties/{PROPERTY_ID}").respond(200, json=payload)
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool("get_property", {"propertyId": PROPERTY_ID})
    assert not result.is_error
    assert result.content[0].text == json.dumps(payload, separators=(",", ":"))
    assert result.structured_content == payload


async def test_invalid_arguments_name_each_field_and_send_nothing(runtime) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        async with Client(build_server(runtime)) as client:
            result = await client.call_tool(
                "create_property", {"address": 12, "bedrooms": "two", "status": "sold", "surprise": 1}
            )
    assert result.is_error
    text = result.content[0].text
    assert "nothing was sent" in text
    for fragment in (
        "address: must be of type",
        "bedrooms: must be of type",
        "status: must be one of",
        "monthlyRent: is required",
        "bathrooms: is required",
        "surprise: unknown argument",
    ):
        assert fragment in text
    assert not route.called


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            404,
            {"error": {"code": "NOT_FOUND", "message": "Property not found"}},
            "HTTP 404 NOT_FOUND: Property not found",
        ),
        (
            422,
            {
                "error": {
                    "code": "VALIDATION_ERROR",
                    "message": "Invalid body",
                    "details": [{"field": "monthlyRent", "message": "must be positive"}],
                }
            },
            "- monthlyRent: must be positive",
        ),
        (
            422,
            {"type": "about:blank", "title": "Unprocessable", "detail": "rent too low", "status": 422},
            "HTTP 422: Unprocessable: rent too low",
        ),
        (403, {"error": {"code": "FORBIDDEN", "message": "Read-only plan"}}, "Starter plans are read-only"),
        (401, {"error": {"code": "UNAUTHORIZED", "message": "Invalid API key"}}, "RENTALOT_API_KEY"),
        (502, "<html>Bad gateway</html>", "HTTP 502: <html>Bad gateway</html>"),
    ],
)
async def test_api_errors_become_tool_errors(runtime, status, body, expected) -> None:
    with respx.mock:
        kwargs = {"json": body} if isinstance(body, dict) else {"text": body}
        respx.get(f"{BASE}/api/v1/properties/{PROPERTY_ID}").respond(status, **kwargs)
        result = await runtime.call("get_property", {"propertyId": PROPERTY_ID})
    assert result.is_error
    text = result.content[0].text
    assert expected in text
    assert FAKE_KEYS["rentalot"] not in text and "Traceback" not in text


async def test_a_missing_key_gives_an_actionable_error_without_a_request() -> None:
    runtime = Runtime.create(fake_settings(with_keys=False))
    try:
        with respx.mock(assert_all_called=False) as router:
            route = router.route()
            result = await runtime.call("list_properties", {})
    finally:
        await runtime.aclose()
    assert result.is_error and not route.called
    text = result.content[0].text
    for way in ("RENTALOT_API_KEY", ".env", "config.yaml", "--sandbox"):
        assert way in text


async def test_network_failures_are_reported_cleanly(monkeypatch) -> None:
    monkeypatch.setenv("RENTALOT_MCP_MAX_ATTEMPTS", "2")
    runtime = Runtime.create(fake_settings())
    try:
        with respx.mock:
            route = respx.get(f"{BASE}/api/v1/properties").mock(side_effect=httpx.ConnectError("refused"))
            result = await runtime.call("list_properties", {})
    finally:
        await runtime.aclose()
    assert result.is_error and route.call_count == 2
    assert "Could not reach Rentalot at https://rentalot.test after 2 attempts (ConnectError)" in result.content[0].text


async def test_unknown_tools_are_a_tool_error(runtime) -> None:
    result = await runtime.call("drop_database", {})
    assert result.is_error and "Unknown tool 'drop_database'" in result.content[0].text


async def test_selection_limits_the_catalogue() -> None:
    runtime = Runtime.create(fake_settings(), Selection(toolsets=frozenset({"showings"}), read_only=True))
    try:
        names = sorted(tool.name for tool in runtime.catalogue)
    finally:
        await runtime.aclose()
    assert names == ["check_showing_availability", "get_showing", "list_showings"]
