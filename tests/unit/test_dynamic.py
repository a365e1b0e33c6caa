"""Dynamic mode through the SDK's client: find a tool, read its schema, call it as in the normal mode."""

from __future__ import annotations

import json

import pytest
import respx
from mcp import Client

from rentalot_mcp.catalogue import Selection
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.conftest import FAKE_BASE_URLS, fake_settings

BASE = FAKE_BASE_URLS["rentalot"]
UUID = "0d3c1a5e-7b2f-4c1e-9a4b-2f6d8e0c1a11"
pytestmark = pytest.mark.anyio


async def test_search_ranks_name_matches_first_and_reads_plurals(runtime) -> None:
    async with Client(build_server(runtime, dynamic=True)) as client:
        found = await client.call_tool("search_tools", {"query": "showing availability"})
        plural = await client.call_tool("search_tools", {"query": "property"})
    matches = json.loads(found.content[0].text)
    assert matches[0]["name"] == "check_showing_availability"
    assert matches[0]["access"] == "read" and "slots" in matches[0]["about"]
    assert "list_properties" in {match["name"] for match in json.loads(plural.content[0].text.splitlines()[0])}


async def test_search_by_toolset_and_the_overview(runtime) -> None:
    async with Client(build_server(runtime, dynamic=True)) as client:
        drafts = await client.call_tool("search_tools", {"toolset": "drafts"})
        overview = await client.call_tool("search_tools", {})
        nothing = await client.call_tool("search_tools", {"query": "zebra"})
        bad = await client.call_tool("search_tools", {"toolset": "zebras"})
    assert {m["name"] for m in json.loads(drafts.content[0].text)} == {
        "list_drafts",
        "create_draft",
        "get_draft",
        "update_draft",
        "delete_draft",
        "send_draft",
    }
    grouped = json.loads(overview.content[0].text)
    assert sum(len(names) for names in grouped.values()) == len(runtime.catalogue)
    assert "No tool matches 'zebra'" in nothing.content[0].text
    assert bad.is_error and "toolset: must be one of" in bad.content[0].text


async def test_describe_shows_the_full_portable_schema(runtime) -> None:
    async with Client(build_server(runtime, dynamic=True)) as client:
        described = json.loads((await client.call_tool("describe_tool", {"name": "create_draft"})).content[0].text)
        unknown = await client.call_tool("describe_tool", {"name": "nope"})
    schema = described["inputSchema"]
    assert described["access"] == "write"
    assert schema["required"] == ["contactId", "channel", "body"]
    assert "idempotencyKey" in schema["properties"], "unlisted arguments are shown here"
    assert "additionalProperties" not in schema
    assert unknown.is_error and "search_tools" in unknown.content[0].text


async def test_call_validates_exactly_as_the_normal_mode(runtime) -> None:
    bad = {"address": 12, "bedrooms": "two", "surprise": 1}
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        async with Client(build_server(runtime, dynamic=True)) as client:
            dynamic = await client.call_tool("call_tool", {"name": "create_property", "arguments": bad})
        async with Client(build_server(runtime)) as client:
            normal = await client.call_tool("create_property", bad)
    assert dynamic.is_error and dynamic.content[0].text == normal.content[0].text
    assert not route.called


async def test_call_runs_the_tool_and_keeps_its_structured_answer(runtime) -> None:
    payload = {"data": {"id": UUID, "address": "12 Elm St", "monthlyRent": 1850}}
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties/{UUID}").respond(200, json=payload)
        async with Client(build_server(runtime, dynamic=True)) as client:
            as_object = await client.call_tool("call_tool", {"name": "get_property", "arguments": {"propertyId": UUID}})
            as_string = await client.call_tool(
                "call_tool", {"name": "get_property", "arguments": json.dumps({"propertyId": UUID, "fields": ["id"]})}
            )
    assert not as_object.is_error and as_object.structured_content == payload
    assert json.loads(as_string.content[0].text) == {"data": {"id": UUID}}


async def test_unknown_names_point_to_search(runtime) -> None:
    async with Client(build_server(runtime, dynamic=True)) as client:
        missing = await client.call_tool("call_tool", {"name": "drop_everything", "arguments": {}})
        direct = await client.call_tool("list_properties", {})
    assert missing.is_error and "search_tools" in missing.content[0].text
    assert direct.is_error and "search_tools, describe_tool, call_tool" in direct.content[0].text


async def test_call_tool_is_marked_read_only_when_the_catalogue_is() -> None:
    runtime = Runtime.create(fake_settings(), Selection(read_only=True))
    writable = Runtime.create(fake_settings())
    try:
        async with Client(build_server(runtime, dynamic=True)) as client:
            read_only = {tool.name: tool for tool in (await client.list_tools()).tools}["call_tool"]
        async with Client(build_server(writable, dynamic=True)) as client:
            full = {tool.name: tool for tool in (await client.list_tools()).tools}["call_tool"]
    finally:
        await runtime.aclose()
        await writable.aclose()
    assert read_only.annotations.read_only_hint is True and read_only.annotations.destructive_hint is False
    assert full.annotations.read_only_hint is False and full.annotations.destructive_hint is True


async def test_instructions_explain_the_meta_tools(runtime) -> None:
    async with Client(build_server(runtime, dynamic=True)) as client:
        dynamic = client.instructions
    async with Client(build_server(runtime)) as client:
        normal = client.instructions
    assert "search_tools" in dynamic and "search_tools" not in normal
    assert "fields" in normal and "check_showing_availability" in normal
