"""MCP wiring: a low-level `Server` whose tools/list and tools/call are backed by a `Runtime`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from rentalot_mcp import __version__
from rentalot_mcp.catalogue import Tool
from rentalot_mcp.runtime import Runtime

INSTRUCTIONS = (
    "Tools for a rental business on Rentalot: properties (and their images), contacts (prospects), "
    "showings and availability, conversations and messages, drafts, follow-ups, workflows and their runs, "
    "pre-screening sessions, webhooks and settings. Find ids with list_* or search_conversations before "
    "get/update/delete. Check availability with check_showing_availability before create_showing. "
    "Writes need a Pro plan key; Starter keys are read-only."
)


def mcp_tool(tool: Tool) -> types.Tool:
    operation = tool.operation
    return types.Tool(
        name=operation.name,
        title=operation.title,
        description=operation.description,
        input_schema=operation.input_schema,
        output_schema=operation.output_schema,
        annotations=types.ToolAnnotations(
            title=operation.title,
            read_only_hint=operation.read_only,
            destructive_hint=operation.destructive,
            idempotent_hint=operation.idempotent,
            open_world_hint=True,
        ),
    )


KeyResolver = Callable[[ServerRequestContext[Any]], Mapping[str, str] | None]
"""Finds per-request platform keys (provider name -> key) in a request, e.g. in its HTTP headers."""


def build_server(runtime: Runtime, *, key_resolver: KeyResolver | None = None) -> Server[Any]:
    """An MCP server for the runtime's catalogue (the caller owns the runtime and closes it)."""
    listing = types.ListToolsResult(tools=[mcp_tool(tool) for tool in runtime.catalogue])

    async def list_tools(ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None) -> Any:
        return listing

    async def call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> Any:
        return await runtime.call(
            params.name,
            params.arguments,
            api_keys=key_resolver(ctx) if key_resolver else None,
            progress=ctx.session.report_progress,
        )

    return Server(
        "rentalot-mcp",
        version=__version__,
        title="Rentalot MCP",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
