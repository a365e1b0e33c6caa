"""The real command over stdio: a subprocess, the SDK's stdio client, nothing mocked."""

from __future__ import annotations

import json
import subprocess

import pytest
from mcp import Client

from tests.e2e.conftest import command, exchange, isolated_env, stdio_params

pytestmark = pytest.mark.anyio


async def test_without_a_key_the_server_lists_tools_and_explains_how_to_set_one(tmp_path) -> None:
    async with Client(stdio_params(tmp_path)) as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool("list_properties", {"limit": 5})
    assert len(tools) == 65
    assert result.is_error
    assert "RENTALOT_API_KEY" in result.content[0].text and "--sandbox" in result.content[0].text


def test_stdout_carries_only_protocol_messages(tmp_path) -> None:
    """A raw JSON-RPC exchange: every stdout line parses as JSON-RPC; logs go to stderr."""
    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    done = subprocess.run(
        [*command(), "--log-level", "debug"],
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    messages = [json.loads(line) for line in lines]
    assert all(m.get("jsonrpc") == "2.0" for m in messages)
    listed = next(m for m in messages if m.get("id") == 2)
    assert len(listed["result"]["tools"]) == 65
    assert "serving 65 tools" in done.stderr


def test_tools_command_prints_the_catalogue(tmp_path) -> None:
    done = subprocess.run(
        [*command(), "tools", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        check=True,
    )
    tools = json.loads(done.stdout)
    assert len(tools) == 65 and {"name", "description", "inputSchema"} <= set(tools[0])
    table = subprocess.run(
        [*command(), "tools", "--toolsets", "showings"],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        check=True,
    ).stdout
    assert "create_showing" in table and "list_properties" not in table


def test_an_unknown_toolset_is_a_clear_usage_error(tmp_path) -> None:
    done = subprocess.run(
        [*command(), "tools", "--toolsets", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown toolset or tool: nope" in done.stderr and "Traceback" not in done.stderr


def test_malformed_json_rpc_does_not_kill_the_server(tmp_path) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    lines = [
        json.dumps(initialize),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        "this is not json",
        '{"jsonrpc": "2.0", "id": 2, "method": ',
        json.dumps({"jsonrpc": "2.0", "id": 3, "method": "no/such/method"}),
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": 42}}),
        json.dumps([1, 2, 3]),
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 5,
                "method": "tools/call",
                "params": {"name": "get_property", "arguments": {"propertyId": "../settings"}},
            }
        ),
        json.dumps({"jsonrpc": "2.0", "id": 6, "method": "tools/list"}),
    ]
    answers = exchange(command(), isolated_env(tmp_path), tmp_path, lines, last_id=6)
    assert answers[3]["error"]["code"] == -32601
    assert "error" in answers[4]
    assert answers[5]["result"]["isError"] is True
    assert "propertyId: must be a valid uuid" in answers[5]["result"]["content"][0]["text"]
    assert len(answers[6]["result"]["tools"]) == 65
