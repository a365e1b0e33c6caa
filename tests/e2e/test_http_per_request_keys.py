"""One shared server, several accounts: each client's own key in X-Rentalot-Api-Key, never another's."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.e2e.processes import Served, running_server
from tests.e2e.test_http import http_client

HEADER = "X-Rentalot-Api-Key"
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("keys")
    with running_server(
        home, "--transport", "http", "--sandbox", "--db", str(home / "sandbox.sqlite3"), "--per-request-keys"
    ) as served:
        yield served


async def _contacts_seen(root: str, key: str, rounds: int, seen: dict[str, list[set[str]]]) -> None:
    async with (
        http_client(**{HEADER: key}) as http,
        Client(streamable_http_client(f"{root}/mcp", http_client=http), mode="legacy") as client,
    ):
        for _ in range(rounds):
            result = await client.call_tool("list_contacts", {"limit": 50})
            assert not result.is_error, result.content[0].text
            seen[key].append({contact["name"] for contact in result.structured_content["data"]})


async def test_two_clients_see_only_their_own_accounts_data(server) -> None:
    seen: dict[str, list[set[str]]] = {"ra_demo_pro": [], "ra_demo_starter": []}
    async with anyio.create_task_group() as group:
        for key in seen:
            group.start_soon(_contacts_seen, server.root, key, 4, seen)
    pro, starter = seen["ra_demo_pro"], seen["ra_demo_starter"]
    assert len(pro) == len(starter) == 4
    assert all(names == pro[0] for names in pro) and all(names == starter[0] for names in starter)
    assert pro[0] and starter[0] and not pro[0] & starter[0]


async def test_each_client_writes_with_its_own_plan(server) -> None:
    async with (
        http_client(**{HEADER: "ra_demo_pro"}) as pro_http,
        http_client(**{HEADER: "ra_demo_starter"}) as starter_http,
        Client(streamable_http_client(f"{server.root}/mcp", http_client=pro_http), mode="legacy") as pro,
        Client(streamable_http_client(f"{server.root}/mcp", http_client=starter_http), mode="legacy") as starter,
    ):
        refused = await starter.call_tool("create_contact", {"name": "Starter Write", "phone": "+15550103"})
        created = await pro.call_tool("create_contact", {"name": "Pro Write", "phone": "+15550104"})
        contact_id = created.structured_content["data"]["id"]
        own = await pro.call_tool("get_contact", {"contactId": contact_id})
        other = await starter.call_tool("get_contact", {"contactId": contact_id})
    assert refused.is_error and "read-only" in refused.content[0].text
    assert not created.is_error and own.structured_content["data"]["name"] == "Pro Write"
    assert other.is_error and "404" in other.content[0].text


def test_a_request_without_a_key_is_refused(server) -> None:
    response = httpx.post(f"{server.root}/mcp", json={}, timeout=10)
    assert response.status_code == 401 and HEADER in response.json()["error"]
