"""The catalogue: selection end to end, its size per mode, and the arguments it lists or only accepts."""

from __future__ import annotations

import json

import anyio
import pytest
import respx
from mcp import Client

from rentalot_mcp.catalogue import FIELDS, Catalogue, Selection, UnknownSelection
from rentalot_mcp.cli import main
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.runtime import Runtime, load_tools
from rentalot_mcp.server import build_server, listing_chars, model_visible_chars, tool_definitions
from tests.conftest import FAKE_BASE_URLS, fake_settings, reference_json

BASE = FAKE_BASE_URLS["rentalot"]
UUID = "0d3c1a5e-7b2f-4c1e-9a4b-2f6d8e0c1a11"
AVAILABLE = load_tools(fake_settings())
RENTALOT_NAMES = frozenset(tool.name for tool in AVAILABLE if tool.provider == RENTALOT.name)
MAX_MODEL_VISIBLE = 30_000
MAX_DYNAMIC_LISTING = 3_000


def _listed(selection: Selection, *, dynamic: bool = False) -> list:
    runtime = Runtime(fake_settings(), Catalogue.select(AVAILABLE, selection))
    try:
        return tool_definitions(runtime, dynamic=dynamic)
    finally:
        anyio.run(runtime.aclose)


def _names(selection: Selection) -> set[str]:
    return {tool.name for tool in Catalogue.select(AVAILABLE, selection)}


# ---------------------------------------------------------------- selection
def test_toolsets_select_whole_resource_groups() -> None:
    names = _names(Selection(toolsets=frozenset({"drafts", "followups"})))
    assert names == {
        "list_drafts",
        "create_draft",
        "get_draft",
        "update_draft",
        "delete_draft",
        "send_draft",
        "list_followups",
        "create_followup",
        "get_followup",
        "delete_followup",
    }


def test_single_tools_add_to_toolsets_and_exclusions_win() -> None:
    names = _names(
        Selection(
            toolsets=frozenset({"webhooks"}),
            tools=frozenset({"get_contact"}),
            exclude_tools=frozenset({"delete_webhook", "get_contact"}),
        )
    )
    assert "get_contact" not in names and "delete_webhook" not in names
    assert {"list_webhooks", "create_webhook", "rotate_webhook_secret"} <= names
    assert all("webhook" in name for name in names)


def test_read_only_keeps_only_tools_that_change_nothing() -> None:
    catalogue = Catalogue.select(AVAILABLE, Selection(tools=RENTALOT_NAMES, read_only=True))
    assert len(catalogue) == 29
    assert all(tool.operation.method == "GET" for tool in catalogue)
    assert _names(Selection(tools=frozenset({"create_property"}), read_only=True)) == set()


def test_unknown_names_are_refused_with_the_known_toolsets() -> None:
    with pytest.raises(UnknownSelection, match="unknown toolset or tool: nope, no_such_tool") as caught:
        Catalogue.select(AVAILABLE, Selection(toolsets=frozenset({"nope"}), tools=frozenset({"no_such_tool"})))
    assert "showings" in str(caught.value)


def test_the_command_line_flags_reach_the_catalogue(capsys) -> None:
    assert main(["tools", "--json", "--toolsets", "showings", "--exclude-tools", "get_showing", "--read-only"]) == 0
    listed = {tool["name"] for tool in json.loads(capsys.readouterr().out)}
    assert listed == {"list_showings", "check_showing_availability"}
    assert main(["tools", "--tools", "get_property,get_contact"]) == 0
    table = capsys.readouterr().out
    assert "get_property" in table and "get_contact" in table and "list_properties" not in table


@pytest.mark.anyio
async def test_a_selected_server_lists_and_calls_only_its_tools() -> None:
    runtime = Runtime.create(fake_settings(), Selection(toolsets=frozenset({"contacts"}), read_only=True))
    try:
        async with Client(build_server(runtime)) as client:
            listed = {tool.name for tool in (await client.list_tools()).tools}
            refused = await client.call_tool("create_contact", {"name": "Sam"})
    finally:
        await runtime.aclose()
    assert listed == {"list_contacts", "get_contact"}
    assert refused.is_error and "Unknown tool 'create_contact'" in refused.content[0].text


# ---------------------------------------------------------------- size
def test_the_default_catalogue_is_lean() -> None:
    tools = _listed(Selection(tools=RENTALOT_NAMES))
    assert len(tools) == 65
    assert model_visible_chars(tools) <= MAX_MODEL_VISIBLE


def test_it_is_under_056_of_the_official_servers() -> None:
    official = reference_json("official-mcp-tools.json")
    theirs = len(
        json.dumps(
            [{"name": t["name"], "description": t["description"], "inputSchema": t["inputSchema"]} for t in official],
            separators=(",", ":"),
        )
    )
    assert model_visible_chars(_listed(Selection(tools=RENTALOT_NAMES))) < 0.56 * theirs


@pytest.mark.parametrize(
    "selection",
    [Selection(), Selection(read_only=True), Selection(toolsets=frozenset({"showings"}))],
    ids=["everything", "read-only", "one-toolset"],
)
def test_dynamic_mode_lists_a_few_small_tools_whatever_the_selection(selection: Selection) -> None:
    tools = _listed(selection, dynamic=True)
    assert [tool.name for tool in tools] == ["search_tools", "describe_tool", "call_tool"]
    assert listing_chars(tools) <= MAX_DYNAMIC_LISTING


def test_sizes_follow_the_selection() -> None:
    full = model_visible_chars(_listed(Selection(tools=RENTALOT_NAMES)))
    read_only = model_visible_chars(_listed(Selection(tools=RENTALOT_NAMES, read_only=True)))
    one = model_visible_chars(_listed(Selection(toolsets=frozenset({"showings"}))))
    assert one < read_only < full / 2


# ---------------------------------------------------------------- listed and accepted arguments
LISTED = {tool.name: tool for tool in _listed(Selection(tools=RENTALOT_NAMES))}


def test_list_tools_list_fields_and_get_tools_accept_it_unlisted() -> None:
    by_name = {tool.name: tool for tool in AVAILABLE}
    assert FIELDS in LISTED["list_properties"].input_schema["properties"]
    assert FIELDS not in LISTED["get_property"].input_schema["properties"]
    assert by_name["get_property"].validator.problems({"propertyId": UUID, FIELDS: ["id"]}) == []
    assert FIELDS not in by_name["create_property"].input_schema["properties"]
    assert by_name["create_property"].split_arguments({"address": "x", FIELDS: ["id"]}) == (
        {"address": "x", FIELDS: ["id"]},
        None,
    )


@pytest.mark.anyio
async def test_idempotency_key_is_unlisted_but_still_sent_as_given() -> None:
    assert "idempotencyKey" not in LISTED["create_draft"].input_schema["properties"]
    runtime = Runtime.create(fake_settings())
    try:
        with respx.mock:
            route = respx.post(f"{BASE}/api/v1/drafts").respond(201, json={"data": {"id": UUID}})
            result = await runtime.call(
                "create_draft", {"contactId": UUID, "channel": "sms", "body": "Hi", "idempotencyKey": "mine-1"}
            )
    finally:
        await runtime.aclose()
    assert not result.is_error
    assert route.calls.last.request.headers["Idempotency-Key"] == "mine-1"
