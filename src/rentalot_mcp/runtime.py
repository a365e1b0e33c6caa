"""Everything a running server holds: the selected tools, one API client per provider, the call path.

`Runtime.call` is the whole life of a tool call, free of MCP types on the way in: lookup,
validate, route, send, render. Exceptions never leave it; it always returns a result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types

from rentalot_mcp.cache import TtlCache, request_key
from rentalot_mcp.catalogue import Catalogue, Selection, Tool
from rentalot_mcp.client import ApiClient, ApiResponse, CallFailed
from rentalot_mcp.config import Settings
from rentalot_mcp.local_tools import LocalOperation
from rentalot_mcp.openapi.operations import HttpRequest, build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.results import render, tool_error

logger = logging.getLogger(__name__)

ProgressReporter = Callable[[float, float | None, str | None], Awaitable[None]]
"""`(progress, total, message)`: how a long call tells the client it is still alive."""


def load_tools(settings: Settings, spec_override: str | Path | None = None) -> list[Tool]:
    """Generate the tools of every enabled provider (`spec_override` replaces Rentalot's spec)."""
    tools: list[Tool] = []
    for provider_settings in settings.providers:
        if not provider_settings.enabled:
            continue
        provider = provider_settings.provider
        source = spec_override if spec_override and provider is RENTALOT else provider.spec_path
        document = load_spec(str(source))
        tools.extend(
            Tool(operation, provider.name, spec_source=str(source))
            for operation in build_operations(document, provider.naming)
        )
        tools.extend(Tool(local.operation(provider.naming), provider.name) for local in provider.local_tools)
    return tools


class Runtime:
    """The selected catalogue and the clients that serve it."""

    def __init__(
        self,
        settings: Settings,
        catalogue: Catalogue,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.catalogue = catalogue
        needed = {tool.provider for tool in catalogue}
        self.clients = {
            p.provider.name: ApiClient(p, transport=transport) for p in settings.providers if p.provider.name in needed
        }
        self.cache: TtlCache[ApiResponse] = TtlCache()

    @classmethod
    def create(
        cls,
        settings: Settings,
        selection: Selection | None = None,
        *,
        spec_override: str | Path | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Runtime:
        catalogue = Catalogue.select(load_tools(settings, spec_override), selection or Selection())
        return cls(settings, catalogue, transport=transport)

    async def call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        *,
        api_keys: Mapping[str, str] | None = None,
        progress: ProgressReporter | None = None,
    ) -> types.CallToolResult:
        """Run one tool call. `api_keys` (provider name -> key) overrides the configured keys for
        this call only (per-request keys on shared HTTP servers)."""
        tool = self.catalogue.get(name)
        if tool is None:
            return tool_error(f"Unknown tool {name!r}. Call tools/list to see the available tools.")
        arguments = dict(arguments or {})
        problems = tool.validator.problems(arguments)
        if problems:
            listing = "\n".join(f"- {problem}" for problem in problems)
            return tool_error(f"Invalid arguments for {name}; nothing was sent:\n{listing}")
        arguments, fields = tool.split_arguments(arguments)
        client = self.clients[tool.provider]
        started = time.perf_counter()
        try:
            if isinstance(tool.operation, LocalOperation):
                return tool.operation.invoke(arguments)
            request = tool.operation.build_request(arguments)
            response = await self._send(tool, client, request, (api_keys or {}).get(tool.provider), progress)
        except CallFailed as exc:
            logger.info("tool %s failed before an answer (%.0f ms)", name, (time.perf_counter() - started) * 1000)
            return tool_error(f"{name} failed: {exc}")
        except Exception as exc:  # never let a traceback reach the client
            logger.exception("tool %s: unexpected %s", name, exc.__class__.__name__)
            return tool_error(f"{name} failed: internal error ({exc.__class__.__name__}); nothing more is known.")
        logger.info("tool %s -> HTTP %s (%.0f ms)", name, response.status, (time.perf_counter() - started) * 1000)
        return render(tool.operation, response, client.settings, fields=fields)

    async def _send(
        self,
        tool: Tool,
        client: ApiClient,
        request: HttpRequest,
        api_key: str | None,
        progress: ProgressReporter | None,
    ) -> ApiResponse:
        """Send, or reuse a recent answer of an operation its provider declares stable."""
        ttl = client.settings.provider.cache_ttls.get(tool.operation.operation_id)
        if not ttl:
            return await client.send(request, api_key=api_key, progress=progress)
        key = request_key(tool.provider, tool.name, request, api_key or client.settings.api_key.value)
        cached = self.cache.get(key)
        if cached is not None:
            return replace(cached, meta={"cached": True})
        response = await client.send(request, api_key=api_key, progress=progress)
        if response.ok:
            self.cache.put(key, response, ttl)
        return response

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()
