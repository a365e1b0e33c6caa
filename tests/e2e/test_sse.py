"""SSE for real: `rentalot-mcp serve --transport sse --sandbox`, the SDK's SSE client, the same front door."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client

from tests.e2e.processes import Served, running_server
from tests.e2e.test_http import TOKEN

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("sse")
    with running_server(
        home, "--transport", "sse", "--sandbox", "--db", str(home / "sandbox.sqlite3"), "--auth-token", TOKEN
    ) as served:
        yield served


async def test_a_full_session_over_sse(server) -> None:
    async with Client(sse_client(f"{server.root}/sse", headers={"Authorization": f"Bearer {TOKEN}"})) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        listed = await client.call_tool("list_properties", {"limit": 2})
        created = await client.call_tool("create_contact", {"name": "Imogen Fairweather", "phone": "+15550102"})
        fetched = await client.call_tool("get_contact", {"contactId": created.structured_content["data"]["id"]})
    assert "list_properties" in tools
    assert not listed.is_error and len(listed.structured_content["data"]) == 2
    assert fetched.structured_content["data"]["name"] == "Imogen Fairweather"
    log = server.log()
    assert "tool get_contact -> HTTP 200" in log
    assert "Imogen" not in log and created.structured_content["data"]["id"] not in log


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/sse", {}, 401),
        ("/sse", {"Authorization": "Bearer nope"}, 401),
        ("/sse", {"Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"}, 403),
        ("/messages/?session_id=0", {"Origin": "https://evil.example"}, 403),
        ("/messages/?session_id=0", {}, 401),
    ],
)
def test_the_stream_and_the_message_endpoint_are_both_guarded(server, path, headers, status) -> None:
    method = "GET" if path == "/sse" else "POST"
    response = httpx.request(method, f"{server.root}{path}", headers=headers, json=None, timeout=10)
    assert response.status_code == status
