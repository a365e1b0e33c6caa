"""Answers sized for a context window: fields, pagination hints and the size cap, through the SDK client
(which checks every structuredContent against the tool's output schema)."""

from __future__ import annotations

import json

import pytest
import respx
from mcp import Client

from rentalot_mcp.runtime import Runtime, load_tools
from rentalot_mcp.server import build_server
from rentalot_mcp.shaping import (
    DEFAULT_MAX_RESULT_CHARS,
    ELLIPSIS,
    MAX_RESULT_CHARS_VARIABLE,
    cut,
    max_result_chars,
    pagination_hint,
    project,
)
from tests.conftest import FAKE_BASE_URLS, fake_settings

BASE = FAKE_BASE_URLS["rentalot"]
UUID = "0d3c1a5e-7b2f-4c1e-9a4b-2f6d8e0c1a11"
pytestmark = pytest.mark.anyio


def _listing(count: int, *, page: int = 1, pages: int = 8, total: int = 142) -> dict:
    items = [
        {"id": f"p{i}", "address": f"{i} Elm St", "monthlyRent": 1000 + i, "description": "Bright flat. " * 20}
        for i in range(count)
    ]
    return {"data": items, "pagination": {"page": page, "limit": count, "total": total, "totalPages": pages}}


@pytest.fixture
async def client():
    runtime = Runtime.create(fake_settings())
    async with Client(build_server(runtime)) as connected:
        yield connected
    await runtime.aclose()


async def test_fields_keep_only_the_named_fields_and_never_reach_the_api(client) -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/api/v1/properties").respond(200, json=_listing(3))
        result = await client.call_tool("list_properties", {"city": "Austin", "fields": ["id", "monthlyRent"]})
    sent = route.calls.last.request.url.params
    assert dict(sent) == {"city": "Austin"}
    body = json.loads(result.content[0].text)
    assert body["data"] == [{"id": f"p{i}", "monthlyRent": 1000 + i} for i in range(3)]
    assert body["pagination"]["totalPages"] == 8
    assert result.structured_content == body


async def test_get_tools_project_their_one_item(client) -> None:
    payload = {"data": {"id": UUID, "address": "12 Elm St", "monthlyRent": 1850}}
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties/{UUID}").respond(200, json=payload)
        result = await client.call_tool("get_property", {"propertyId": UUID, "fields": ["address", "nope"]})
    assert result.structured_content == {"data": {"address": "12 Elm St"}}
    assert any("nope" in block.text for block in result.content[1:])


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        (1, 8, "Page 1 of 8 (142 items) — call again with page=2 for more."),
        (8, 8, "Page 8 of 8 (142 items) — the last page."),
        (1, 0, "Page 1 of 0 (142 items) — nothing matches."),
    ],
)
async def test_list_results_say_where_they_are(client, page: int, pages: int, expected: str) -> None:
    with respx.mock:
        respx.get(f"{BASE}/api/v1/contacts").respond(200, json=_listing(2, page=page, pages=pages))
        result = await client.call_tool("list_contacts", {"page": page})
    assert json.loads(result.content[0].text)["pagination"]["page"] == page
    assert result.content[1].text == expected


async def test_big_lists_are_cut_to_whole_items_with_a_way_to_narrow(client, monkeypatch) -> None:
    monkeypatch.setenv(MAX_RESULT_CHARS_VARIABLE, "4000")
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties").respond(200, json=_listing(100))
        result = await client.call_tool("list_properties", {"limit": 100})
    text = result.content[0].text
    body = json.loads(text)
    assert len(text) <= 4000 and 1 <= len(body["data"]) < 100
    assert result.structured_content == body
    notes = " ".join(block.text for block in result.content[1:])
    assert f"the first {len(body['data'])} of 100 items" in notes
    assert "limit" in notes and "fields" in notes
    assert "call again with page=2" in notes


async def test_one_huge_item_has_its_long_values_shortened(client, monkeypatch) -> None:
    monkeypatch.setenv(MAX_RESULT_CHARS_VARIABLE, "1000")
    payload = {"data": {"id": UUID, "description": "x" * 50_000, "features": ["pool"] * 5_000}}
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties/{UUID}").respond(200, json=payload)
        result = await client.call_tool("get_property", {"propertyId": UUID})
    body = json.loads(result.content[0].text)
    assert len(result.content[0].text) <= 1000
    assert body["data"]["id"] == UUID and body["data"]["description"].endswith(ELLIPSIS)
    assert isinstance(body["data"]["features"], list)
    assert "shortened" in result.content[1].text and "fields=[...]" in result.content[1].text


def test_projection_reports_unknown_names_only_when_there_were_items() -> None:
    assert project({"data": [{"a": 1, "b": 2}]}, ["a", "z"]) == ({"data": [{"a": 1}]}, ["z"])
    assert project({"data": []}, ["z"]) == ({"data": []}, [])
    assert project([{"a": 1}, "loose"], ["a", "a"]) == ([{"a": 1}, "loose"], [])


def test_cutting_keeps_the_json_types_of_the_envelope() -> None:
    body = {"data": [{"text": "y" * 500}] * 50, "pagination": {"page": 1}, "ok": True}
    trimmed, text, note = cut(body, 2_000)
    assert json.loads(text) == trimmed
    assert isinstance(trimmed["data"], list) and trimmed["pagination"] == {"page": 1} and trimmed["ok"] is True
    assert "items are shown" in note


@pytest.mark.parametrize(
    ("raw", "expected"), [("1234", 1234), ("", DEFAULT_MAX_RESULT_CHARS), ("-5", 50_000), ("x", 50_000)]
)
def test_the_cap_comes_from_the_environment(raw: str, expected: int) -> None:
    assert max_result_chars({MAX_RESULT_CHARS_VARIABLE: raw}) == expected


def test_without_a_page_argument_the_hint_only_says_where() -> None:
    images = next(tool.operation for tool in load_tools(fake_settings()) if tool.name == "list_property_images")
    assert "page" not in images.input_schema["properties"]
    assert pagination_hint(images, _listing(1, page=1, pages=3)) == "Page 1 of 3 (142 items)."
    assert pagination_hint(images, {"data": []}) is None
