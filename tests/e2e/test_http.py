"""Streamable HTTP for real: `rentalot-mcp serve --transport http --sandbox` as a subprocess, the SDK's client.

Covers a whole session (handshake and modern protocol), the bearer token, DNS-rebinding refusals, and
log notifications. `running_server` is shared with the SSE, per-request-key and stateless tests.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.e2e.conftest import command, isolated_env

TOKEN = "e2e-token-7d1f0c"
STARTUP_SECONDS = 60.0
pytestmark = [pytest.mark.anyio, pytest.mark.filterwarnings("ignore:The logging capability is deprecated")]


@dataclass(frozen=True)
class Served:
    """A running server: its root URL and where its stdout and stderr went."""

    root: str
    stdout: Path
    stderr: Path

    def log(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(root: str, process: subprocess.Popen[bytes], stderr: Path) -> None:
    """Poll /healthz until it answers, the process dies, or the deadline passes."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{stderr.read_text()}")
        try:
            if httpx.get(f"{root}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"server did not answer /healthz in {STARTUP_SECONDS} s:\n{stderr.read_text()}")


@contextmanager
def running(home: Path, argv: list[str], port: int, **env: str) -> Iterator[Served]:
    """Run `argv` (a server listening on `port`) until the block ends, then stop it with SIGTERM."""
    home.mkdir(parents=True, exist_ok=True)
    served = Served(f"http://127.0.0.1:{port}", home / f"stdout-{port}.txt", home / f"stderr-{port}.txt")
    with served.stdout.open("wb") as out, served.stderr.open("wb") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=isolated_env(home, **env), cwd=home)
        try:
            wait_until_healthy(served.root, process, served.stderr)
            yield served
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running_server(home: Path, *args: str, **env: str) -> Iterator[Served]:
    """`rentalot-mcp serve --port <free> *args` on the sandbox unless `args` say otherwise."""
    port = free_port()
    with running(home, [*command(), "serve", "--port", str(port), *args], port, **env) as served:
        yield served


@contextmanager
def running_sandbox(home: Path) -> Iterator[Served]:
    """The demo API alone (`rentalot-mcp sandbox`), for servers that reach it over the network."""
    port = free_port()
    db = home / "shared.sqlite3"
    with running(home, [*command(), "sandbox", "--port", str(port), "--db", str(db)], port) as served:
        yield served


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
