"""Scale-out: two `--stateless` replicas behind a round-robin balancer serve one client workflow.

The balancer is an httpx transport that sends each POST to the next replica in turn (as a load balancer
without sticky sessions would); both replicas reach one sandbox, as replicas share the platform.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.e2e.processes import Served, running_sandbox, running_server

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Replicas:
    first: Served
    second: Served


class RoundRobin(httpx2.AsyncBaseTransport):
    """POSTs go to each replica in turn; the optional GET stream goes to the first."""

    def __init__(self, ports: list[int]) -> None:
        self._first = ports[0]
        self._next = itertools.cycle(ports)
        self._inner = httpx2.AsyncHTTPTransport()
        self.posts: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = next(self._next) if request.method == "POST" else self._first
        if request.method == "POST":
            body = json.loads(request.content)
            self.posts.append((body.get("method") or "", port))
        request.url = request.url.copy_with(port=port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> Iterator[Replicas]:
    home = tmp_path_factory.mktemp("stateless")
    with running_sandbox(home / "api") as api:
        env = {"RENTALOT_API_KEY": "ra_demo_pro", "RENTALOT_BASE_URL": api.root}
        args = ("--transport", "http", "--stateless")
        with running_server(home / "a", *args, **env) as first, running_server(home / "b", *args, **env) as second:
            yield Replicas(first, second)


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_one_workflow_alternates_between_two_replicas(replicas, mode) -> None:
    ports = [httpx2.URL(replicas.first.root).port, httpx2.URL(replicas.second.root).port]
    balancer = RoundRobin(ports)
    async with (
        httpx2.AsyncClient(transport=balancer, timeout=30.0) as http,
        Client(streamable_http_client(f"{replicas.first.root}/mcp", http_client=http), mode=mode) as client,
    ):
        tools = (await client.list_tools()).tools
        created = await client.call_tool("create_contact", {"name": f"Rosalind Vantongeren {mode}", "phone": "+1555"})
        contact_id = created.structured_content["data"]["id"]
        fetched = await client.call_tool("get_contact", {"contactId": contact_id})
        listed = await client.call_tool("list_contacts", {"search": "Vantongeren"})
    assert len(tools) >= 65
    assert fetched.structured_content["data"]["name"] == f"Rosalind Vantongeren {mode}"
    assert f"Rosalind Vantongeren {mode}" in {c["name"] for c in listed.structured_content["data"]}
    calls = [port for method, port in balancer.posts if method == "tools/call"]
    assert len(calls) == 3 and calls[0] != calls[1] != calls[2]
    assert {port for _, port in balancer.posts} == set(ports)
    assert "tool get_contact -> HTTP 200" in replicas.first.log() + replicas.second.log()
