"""Tools a provider answers in-process, without HTTP (e.g. checking a webhook signature).

A local tool becomes a `LocalOperation`: an `Operation` with a handler instead of a route, so it
is listed, selected (toolsets, --read-only) and validated against its input schema exactly like a
generated one. Local tools compute and touch nothing outside the process: read-only and idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import mcp_types as types

from rentalot_mcp.openapi.operations import Naming, Operation
from rentalot_mcp.openapi.spec import JsonObject

LocalHandler = Callable[[Mapping[str, Any]], JsonObject]
"""Validated arguments -> the structured answer."""
LOCAL_METHOD = "LOCAL"


@dataclass(frozen=True, slots=True)
class LocalOperation(Operation):
    """An operation with no HTTP request behind it."""

    handler: LocalHandler = field(kw_only=True)

    @property
    def read_only(self) -> bool:
        return True

    @property
    def destructive(self) -> bool:
        return False

    @property
    def idempotent(self) -> bool:
        return True

    def invoke(self, arguments: Mapping[str, Any]) -> types.CallToolResult:
        answer = self.handler(arguments)
        text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)], structured_content=answer)


@dataclass(frozen=True, slots=True)
class LocalTool:
    """How a provider declares a local tool; `operation()` gives it the provider's name prefix."""

    name: str
    """The tool name without the provider prefix, in snake_case."""
    title: str
    description: str
    toolset: str
    input_schema: JsonObject
    handler: LocalHandler

    def operation(self, naming: Naming) -> LocalOperation:
        return LocalOperation(
            name=naming.prefix + self.name,
            title=self.title,
            description=self.description,
            method=LOCAL_METHOD,
            path="",
            toolset=naming.toolset(self.toolset),
            operation_id=self.name,
            arguments=(),
            input_schema=self.input_schema,
            output_schema=None,
            success_status=200,
            handler=self.handler,
        )
