"""Serving an MCP server over a transport: stdio here; HTTP transports plug in beside it."""

from __future__ import annotations

from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server


async def run_stdio(server: Server[Any]) -> None:
    """Serve one client on stdin/stdout until it disconnects; stdout carries protocol messages only."""
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
