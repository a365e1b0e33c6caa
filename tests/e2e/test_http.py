"""Streamable HTTP for real: `rentalot-mcp serve --transport http --sandbox` as a subprocess, the SDK's client.

Covers a whole session (handshake and modern protocol), the bearer token, DNS-rebinding refusals, and
log notifications. `running_server` is shared with the SSE, per-request-key and stateless tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.e2e.processes import Served, running_server

TOKEN = "e2e-token-7d1f0c"
pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore:The logging capability is deprecated")]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("http")
    with running_server(
        home, "--transport", "http", "--sandbox", "--db", str(home / "sandbox.sqlite3"), "--auth-token", TOKEN
    ) as served:
        yield served


def http_client(**headers: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=60.0))


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_full_session_over_streamable_http(server, mode) -> None:
    async with (
        http_client(Authorization=f"Bearer {TOKEN}") as http,
        Client(streamable_http_client(f"{server.root}/mcp", http_client=http), mode=mode) as client,
    ):
        tools = {tool.name for tool in (await client.list_tools()).tools}
        created = await client.call_tool("create_contact", {"name": f"Quentin Ashgrove {mode}", "phone": "+15550101"})
        contact_id = created.structured_content["data"]["id"]
        fetched = await client.call_tool("get_contact", {"contactId": contact_id})
        invalid = await client.call_tool("get_contact", {})
    assert {"list_properties", "create_contact", "get_contact"} <= tools
    assert not created.is_error and not fetched.is_error
    assert fetched.structured_content["data"]["name"] == f"Quentin Ashgrove {mode}"
    assert invalid.is_error and "contactId" in invalid.content[0].text
    log = server.log()
    assert "tool get_contact -> HTTP 200" in log
    for argument in ("Quentin", "+15550101", contact_id):
        assert argument not in log, "arguments must not be logged at info level"
    assert server.stdout.read_text() == ""


async def test_tool_calls_arrive_as_log_notifications(server) -> None:
    received = []

    async def on_log(params) -> None:
        received.append(params)

    async with (
        http_client(Authorization=f"Bearer {TOKEN}") as http,
        Client(
            streamable_http_client(f"{server.root}/mcp", http_client=http), mode="legacy", logging_callback=on_log
        ) as client,
    ):
        await client.call_tool("list_properties", {"limit": 1})
        await client.set_logging_level("info")
        await client.call_tool("list_properties", {"limit": 1})
    assert [(p.logger, p.data["tool"], p.data["status"]) for p in received] == [
        ("rentalot_mcp", "list_properties", "ok")
    ]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-token"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"}, 403),
        ({"Authorization": f"Bearer {TOKEN}", "Host": "rebound.example:80"}, 421),
    ],
)
def test_requests_without_the_token_or_from_foreign_origins_are_refused(server, headers, status) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    accept = {"Accept": "application/json, text/event-stream"}
    response = httpx.post(f"{server.root}/mcp", json=initialize, headers={**accept, **headers}, timeout=10)
    assert response.status_code == status
    assert TOKEN not in response.text
    accepted = httpx.post(
        f"{server.root}/mcp",
        json=initialize,
        headers={**accept, "Authorization": f"Bearer {TOKEN}", "Origin": "http://localhost:6274"},
        timeout=10,
    )
    assert accepted.status_code == 200


async def test_a_client_without_the_token_cannot_connect(server) -> None:
    with pytest.raises(ExceptionGroup) as refused:
        async with (
            http_client() as http,
            Client(streamable_http_client(f"{server.root}/mcp", http_client=http), mode="legacy") as client,
        ):
            await client.list_tools()
    assert refused.group_contains(MCPError, depth=None)
