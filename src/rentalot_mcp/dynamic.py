"""Dynamic mode: three meta-tools stand in for the whole catalogue, for clients that cap the number
of tools or conversations that should not pay for 65 definitions up front.

`search_tools` finds tools by keyword or toolset, `describe_tool` shows one tool's full portable
schema (the arguments hidden from the lean listing included), and `call_tool` runs a tool through
`Runtime.call`, so arguments are validated and routed exactly as in the normal mode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import mcp_types as types

from rentalot_mcp import schemas
from rentalot_mcp.catalogue import Tool
from rentalot_mcp.openapi.spec import JsonObject
from rentalot_mcp.openapi.validation import ArgumentsValidator
from rentalot_mcp.results import tool_error
from rentalot_mcp.runtime import ProgressReporter, Runtime
from rentalot_mcp.shaping import compact_json

SEARCH, DESCRIBE, CALL = "search_tools", "describe_tool", "call_tool"
MAX_MATCHES = 15


def access(tool: Tool) -> str:
    operation = tool.operation
    return "read" if operation.read_only else "delete" if operation.destructive else "write"


def summary(tool: Tool) -> str:
    """`Create contact. Pro plan.`: the title says what, the description what else to know."""
    operation = tool.operation
    title, description = operation.title.rstrip("."), operation.description
    return f"{title}. {description}" if description and description != title else f"{title}."


class DynamicTools:
    """The meta-tools over a runtime's catalogue."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        catalogue = runtime.catalogue
        self.toolsets = catalogue.toolsets()
        self._schemas: dict[str, JsonObject] = {
            SEARCH: {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "maxLength": 200, "description": "Words to look for"},
                    "toolset": {"type": "string", "enum": self.toolsets},
                },
            },
            DESCRIBE: {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            CALL: {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "arguments": {"type": "object", "description": "As describe_tool shows"},
                },
                "required": ["name"],
            },
        }
        self._validators = {name: ArgumentsValidator(schema) for name, schema in self._schemas.items()}
        tools = list(catalogue)
        self._call_hints = types.ToolAnnotations(
            read_only_hint=all(tool.operation.read_only for tool in tools),
            destructive_hint=any(tool.operation.destructive for tool in tools),
            open_world_hint=True,
        )

    def definitions(self) -> list[types.Tool]:
        local = types.ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
        described = {
            SEARCH: (
                "Find tools by keyword or toolset; with neither, list every tool by toolset. "
                f"Toolsets: {', '.join(self.toolsets)}.",
                local,
            ),
            DESCRIBE: ("One tool's description and full input schema.", local),
            CALL: ("Run a tool by name; its arguments are checked as describe_tool shows.", self._call_hints),
        }
        return [
            types.Tool(
                name=name,
                description=description,
                input_schema=schemas.input_schema(self._schemas[name]),
                annotations=annotations,
            )
            for name, (description, annotations) in described.items()
        ]

    async def call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        *,
        api_keys: Mapping[str, str] | None = None,
        progress: ProgressReporter | None = None,
    ) -> types.CallToolResult:
        if name not in self._schemas:
            return tool_error(f"Unknown tool {name!r}. In dynamic mode the tools are {SEARCH}, {DESCRIBE}, {CALL}.")
        arguments = dict(arguments or {})
        if name == CALL and isinstance(arguments.get("arguments"), str):
            arguments["arguments"] = _parsed(arguments["arguments"])
        problems = self._validators[name].problems(arguments)
        if problems:
            listing = "\n".join(f"- {problem}" for problem in problems)
            return tool_error(f"Invalid arguments for {name}:\n{listing}")
        if name == SEARCH:
            return _text(self.search(arguments.get("query", ""), arguments.get("toolset")))
        tool = self.runtime.catalogue.get(arguments["name"])
        if tool is None:
            return tool_error(f"Unknown tool {arguments['name']!r}; find tool names with {SEARCH}.")
        if name == DESCRIBE:
            return _text(compact_json(describe(tool)))
        return await self.runtime.call(tool.name, arguments.get("arguments"), api_keys=api_keys, progress=progress)

    def search(self, query: str, toolset: str | None) -> str:
        """Matches as compact JSON, best first; an overview by toolset when nothing narrows it."""
        tools = [tool for tool in self.runtime.catalogue if toolset in (None, tool.operation.toolset)]
        words = [_stem(word) for word in re.split(r"[^a-z0-9]+", query.lower()) if word]
        if not words and toolset is None:
            overview: dict[str, list[str]] = {}
            for tool in tools:
                overview.setdefault(tool.operation.toolset, []).append(tool.name)
            return compact_json(overview)
        scored = sorted(
            ((score, index, tool) for index, tool in enumerate(tools) if (score := _score(tool, words)) or not words),
            key=lambda entry: (-entry[0], entry[1]),
        )
        matches = [{"name": tool.name, "access": access(tool), "about": summary(tool)} for _, _, tool in scored]
        if not matches:
            return f"No tool matches {query!r}. Try other words, a toolset ({', '.join(self.toolsets)}), or no query."
        answer = compact_json(matches[:MAX_MATCHES])
        if len(matches) > MAX_MATCHES:
            answer += f"\n{len(matches) - MAX_MATCHES} more match; add words or pick a toolset."
        return answer


def describe(tool: Tool) -> JsonObject:
    """Everything a model needs to call the tool, with the portable form of its full input schema."""
    operation = tool.operation
    described: JsonObject = {
        "name": tool.name,
        "toolset": operation.toolset,
        "access": access(tool),
        "about": summary(tool),
        "inputSchema": schemas.input_schema(tool.input_schema),
    }
    output = schemas.output_schema(operation.output_schema)
    if output is not None:
        described["outputSchema"] = output
    return described


def _score(tool: Tool, words: list[str]) -> int:
    """Name hits count most, then title and toolset, then description and argument names."""
    operation = tool.operation
    fields = (
        (3, tool.name.replace("_", " ")),
        (2, f"{operation.title} {operation.toolset}".lower()),
        (1, f"{operation.description} {' '.join(operation.input_schema.get('properties', {}))}".lower()),
    )
    return sum(weight for word in words for weight, text in fields if word in text)


def _stem(word: str) -> str:
    """`properties` and `property` both become `propert`, so either finds `list_properties`."""
    if word.endswith("ies"):
        return word[:-3]
    if word.endswith("y") or (word.endswith("s") and not word.endswith("ss")):
        return word[:-1]
    return word


def _parsed(text: str) -> Any:
    """Models sometimes send the arguments object as a JSON string; accept that."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _text(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)])
