"""Each tool call reported to the MCP client as a log notification: tool name, outcome and duration.

Never the arguments, never a key. Only clients that ask get them: on handshake-era protocol versions by
sending `logging/setLevel` (remembered per connection), on 2026-07-28+ by the `_meta` log level of a
request (the SDK enforces that opt-in). Unasked notifications would only be noise in the conversation.
The stderr log of each call is the runtime's.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections import OrderedDict
from typing import Any

import mcp_types as types
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

logger = logging.getLogger(__name__)

LOGGER_NAME = "rentalot_mcp"
LEVELS: tuple[types.LoggingLevel, ...] = (
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
)
MAX_REMEMBERED = 10_000
"""Connections whose chosen level is remembered (the oldest are forgotten first)."""

warnings.filterwarnings("ignore", message="The logging capability is deprecated", category=MCPDeprecationWarning)


def connection_key(ctx: ServerRequestContext[Any]) -> str | None:
    """Which client connection a message belongs to: stdio has one, HTTP names its session.

    None for stateless HTTP, where nothing outlives a request.
    """
    request = ctx.request
    if request is None:
        return "stdio"
    return request.headers.get("mcp-session-id") or request.query_params.get("session_id")


class CallLog:
    """Installs the `logging/setLevel` handler (which declares the logging capability) and a middleware."""

    def __init__(self) -> None:
        self._levels: OrderedDict[str, types.LoggingLevel] = OrderedDict()

    def install(self, server: Server[Any]) -> None:
        server.add_request_handler("logging/setLevel", types.SetLevelRequestParams, self._set_level)
        server.middleware.append(self._observe)

    def threshold(self, ctx: ServerRequestContext[Any]) -> types.LoggingLevel | None:
        """The lowest level this request's client asked for, or None when it did not ask."""
        if ctx.session.protocol_version in MODERN_PROTOCOL_VERSIONS:
            return "debug"  # the SDK applies the request's own opt-in
        key = connection_key(ctx)
        return self._levels.get(key) if key is not None else None

    async def _set_level(self, ctx: ServerRequestContext[Any], params: types.SetLevelRequestParams) -> Any:
        key = connection_key(ctx)
        if key is not None:
            self._levels[key] = params.level
            self._levels.move_to_end(key)
            while len(self._levels) > MAX_REMEMBERED:
                self._levels.popitem(last=False)
        return types.EmptyResult()

    async def _observe(self, ctx: ServerRequestContext[Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != "tools/call" or ctx.request_id is None:
            return await call_next(ctx)
        started = time.perf_counter()
        result = await call_next(ctx)
        name = str((ctx.params or {}).get("name", "?"))
        failed = isinstance(result, dict) and bool(result.get("isError"))
        duration_ms = round((time.perf_counter() - started) * 1000)
        logger.debug("tools/call %s: %s in %d ms", name, "error" if failed else "ok", duration_ms)
        level: types.LoggingLevel = "warning" if failed else "info"
        threshold = self.threshold(ctx)
        if threshold is not None and LEVELS.index(level) >= LEVELS.index(threshold):
            record = {"tool": name, "status": "error" if failed else "ok", "durationMs": duration_ms}
            try:
                await ctx.session.send_log_message(level, record, LOGGER_NAME, related_request_id=ctx.request_id)
            except Exception as exc:  # a client that went away must not turn a result into an error
                logger.debug("could not send the call log to the client: %s", exc.__class__.__name__)
        return result
