"""MCP log notifications for tool calls, in-process: what the client sees, and what it never sees."""

from __future__ import annotations

import json

import pytest
import respx
from mcp import Client

from rentalot_mcp.call_log import CallLog
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, fake_settings

BASE = FAKE_BASE_URLS["rentalot"]
pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore:The logging capability is deprecated"),
]


@pytest.fixture
async def server():
    runtime = Runtime.create(fake_settings())
    built = build_server(runtime)
    CallLog().install(built)
    yield built
    await runtime.aclose()


async def test_each_call_is_reported_with_name_status_and_duration_but_no_arguments(server) -> None:
    received = []

    async def on_log(params) -> None:
        received.append(params)

    with respx.mock:
        respx.get(f"{BASE}/api/v1/contacts").respond(200, json={"data": [], "pagination": {}})
        async with Client(server, mode="legacy", logging_callback=on_log) as client:
            assert client.server_capabilities.logging is not None
            await client.set_logging_level("info")
            await client.call_tool("list_contacts", {"search": "Margaret Hollis", "limit": 3})
            await client.call_tool("get_contact", {})
    assert [(p.level, p.logger, p.data["tool"], p.data["status"]) for p in received] == [
        ("info", "rentalot_mcp", "list_contacts", "ok"),
        ("warning", "rentalot_mcp", "get_contact", "error"),
    ]
    assert all(isinstance(p.data["durationMs"], int) for p in received)
    sent = json.dumps([p.model_dump() for p in received])
    assert "Margaret" not in sent and FAKE_KEYS["rentalot"] not in sent


async def test_only_clients_that_ask_get_them_and_at_the_level_they_ask(server) -> None:
    received = []

    async def on_log(params) -> None:
        received.append(params)

    async with Client(server, mode="legacy", logging_callback=on_log) as client:
        await client.call_tool("get_contact", {})
        await client.set_logging_level("error")
        await client.call_tool("get_contact", {})
        await client.set_logging_level("warning")
        await client.call_tool("get_contact", {})
    assert [p.level for p in received] == ["warning"]


async def test_on_the_modern_protocol_a_request_opts_in_through_its_log_level(server) -> None:
    received = []

    async def on_log(params) -> None:
        received.append(params)

    async with Client(server, logging_callback=on_log) as silent:
        await silent.call_tool("get_contact", {})
    async with Client(server, log_level="warning", logging_callback=on_log) as client:
        assert client.protocol_version >= "2026"
        await client.call_tool("get_contact", {})
    assert [(p.level, p.data["tool"]) for p in received] == [("warning", "get_contact")]
