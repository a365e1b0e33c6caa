"""MCP wiring: a low-level `Server` whose tools, resources and prompts are backed by a `Runtime`.

Every schema a client sees passes through `schemas` (portable and compact), in every mode.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from rentalot_mcp import __version__, schemas
from rentalot_mcp.catalogue import Tool
from rentalot_mcp.dynamic import DynamicTools
from rentalot_mcp.prompts import Prompts
from rentalot_mcp.resources import Resources
from rentalot_mcp.runtime import Runtime

PROVIDER_INSTRUCTIONS = {
    "rentalot": (
        "Rentalot tools run a rental business: properties (and images), contacts, showings, calendar events, "
        "conversations and messages, drafts, follow-ups, workflows and their runs, pre-screening sessions, "
        "webhooks, settings. Get IDs from list_* or search_conversations before get/update/delete. To book, "
        "check_showing_availability, then create_showing. Times are ISO 8601, money USD. Writes need a Pro or "
        "Scale key; Starter keys only read."
    ),
}
"""What an agent should know first about each provider's tools, by provider name."""
SHARED_INSTRUCTIONS = (
    "Lists are paged (page, limit) and each answer says which page it is. List tools take fields=[names] "
    "to return only those fields of each item; get tools accept fields too. Each POST call carries its own "
    "idempotency key, kept across retries; pass idempotencyKey only to make separate calls count once."
)
DYNAMIC_INSTRUCTIONS = (
    "Only three tools are listed: search_tools finds tools by keyword or toolset, describe_tool shows one "
    "tool's arguments, call_tool runs it with arguments checked as describe_tool shows."
)


def instructions(runtime: Runtime, resources: Resources, *, dynamic: bool = False) -> str:
    """A few lines on how the tools fit together, for the providers actually served."""
    providers = dict.fromkeys(tool.provider for tool in runtime.catalogue)
    parts = [PROVIDER_INSTRUCTIONS[name] for name in providers if name in PROVIDER_INSTRUCTIONS]
    parts.append(SHARED_INSTRUCTIONS)
    if dynamic:
        parts.append(DYNAMIC_INSTRUCTIONS)
    guides = resources.guide_uris()
    if guides:
        parts.append(f"Read {', '.join(guides)} for keys, plans, limits, errors and webhooks.")
    return "\n".join(parts)


def mcp_tool(tool: Tool) -> types.Tool:
    """The tool as tools/list shows it: portable schemas, arguments the server fills in left out."""
    operation = tool.operation
    return types.Tool(
        name=operation.name,
        title=operation.title,
        description=operation.description,
        input_schema=schemas.input_schema(tool.listed_schema),
        output_schema=schemas.output_schema(operation.output_schema),
        annotations=types.ToolAnnotations(
            read_only_hint=operation.read_only,
            destructive_hint=operation.destructive,
            idempotent_hint=operation.idempotent,
            open_world_hint=True,
        ),
    )


def tool_definitions(runtime: Runtime, *, dynamic: bool = False) -> list[types.Tool]:
    """What tools/list returns in the given mode."""
    return DynamicTools(runtime).definitions() if dynamic else [mcp_tool(tool) for tool in runtime.catalogue]


def model_visible_chars(tools: Iterable[types.Tool]) -> int:
    """The part clients hand the model (name, description, input schema), as one compact JSON array."""
    visible = [{"name": t.name, "description": t.description or "", "inputSchema": t.input_schema} for t in tools]
    return len(json.dumps(visible, separators=(",", ":")))


def listing_chars(tools: Iterable[types.Tool]) -> int:
    """The whole tools/list result as compact JSON."""
    listing = types.ListToolsResult(tools=list(tools)).model_dump(by_alias=True, exclude_none=True, mode="json")
    return len(json.dumps(listing, separators=(",", ":")))


KeyResolver = Callable[[ServerRequestContext[Any]], Mapping[str, str] | None]
"""Finds per-request platform keys (provider name -> key) in a request, e.g. in its HTTP headers."""


def build_server(runtime: Runtime, *, key_resolver: KeyResolver | None = None, dynamic: bool = False) -> Server[Any]:
    """An MCP server for the runtime's catalogue (the caller owns the runtime and closes it)."""
    meta_tools = DynamicTools(runtime) if dynamic else None
    listing = types.ListToolsResult(tools=tool_definitions(runtime, dynamic=dynamic))
    resources = Resources(runtime)
    prompts = Prompts(runtime.catalogue)

    async def list_tools(ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None) -> Any:
        return listing

    async def call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> Any:
        call = meta_tools.call if meta_tools else runtime.call
        return await call(
            params.name,
            params.arguments,
            api_keys=key_resolver(ctx) if key_resolver else None,
            progress=ctx.session.report_progress,
        )

    async def list_resources(ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None) -> Any:
        return types.ListResourcesResult(resources=resources.list())

    async def read_resource(ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams) -> Any:
        return resources.read(str(params.uri))

    async def list_prompts(ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None) -> Any:
        return types.ListPromptsResult(prompts=prompts.list())

    async def get_prompt(ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams) -> Any:
        return prompts.get(params.name, params.arguments)

    return Server(
        "rentalot-mcp",
        version=__version__,
        title="Rentalot MCP",
        instructions=instructions(runtime, resources, dynamic=dynamic),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
    )
