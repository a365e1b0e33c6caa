"""Drop-in compatibility: the official server's tool names and argument names, from our spec and theirs."""

from __future__ import annotations

import pytest
from mcp import Client

from rentalot_mcp.openapi.operations import build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.conftest import fake_settings, reference_file, reference_json


def _tools(source: str) -> dict[str, dict]:
    return {op.name: op.input_schema for op in build_operations(load_spec(source), RENTALOT.naming)}


def test_our_spec_has_every_official_tool_and_argument() -> None:
    official = reference_json("official-mcp-tools.json")
    ours = _tools(str(RENTALOT.spec_path))
    assert sorted(ours) == sorted(tool["name"] for tool in official)
    missing = {
        tool["name"]: sorted(set(tool["inputSchema"].get("properties", {})) - set(ours[tool["name"]]["properties"]))
        for tool in official
    }
    assert {name: args for name, args in missing.items() if args} == {}
    # A call the official server accepts must be accepted here: we may not require more.
    stricter = {
        tool["name"]: sorted(set(ours[tool["name"]].get("required", [])) - set(tool["inputSchema"].get("required", [])))
        for tool in official
    }
    assert {name: args for name, args in stricter.items() if args} == {}


def test_the_published_spec_yields_the_same_tool_names() -> None:
    official = {tool["name"] for tool in reference_json("official-mcp-tools.json")}
    theirs = _tools(str(reference_file("rentalot-openapi.json")))
    assert set(theirs) == official
    assert theirs["get_property"]["required"] == ["propertyId"]
    assert theirs["get_workflow_run"]["required"] == ["runId"]
    assert theirs["get_image_import_job"]["required"] == ["propertyId", "jobId"]


def test_each_tool_calls_the_operation_the_official_tool_calls() -> None:
    mapping = reference_json("official-tool-operations.json")
    ours = {op.name: op for op in build_operations(load_spec(str(RENTALOT.spec_path)), RENTALOT.naming)}
    for name, target in mapping.items():
        op = ours[name]
        assert (op.method, op.operation_id) == (target["method"], target["operationId"]), name
        normalise = lambda p: "/".join("{}" if s.startswith("{") else s for s in p.split("/"))  # noqa: E731
        assert normalise(op.path) == normalise(target["path"]), name


@pytest.mark.anyio
async def test_tools_list_shows_every_official_argument() -> None:
    """What clients see, not just what is accepted: a client holding the official schemas finds each name."""
    official = reference_json("official-mcp-tools.json")
    runtime = Runtime.create(fake_settings())
    try:
        async with Client(build_server(runtime)) as client:
            listed = {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}
    finally:
        await runtime.aclose()
    missing = {
        tool["name"]: sorted(set(tool["inputSchema"].get("properties", {})) - set(listed[tool["name"]]["properties"]))
        for tool in official
    }
    assert {name: args for name, args in missing.items() if args} == {}
