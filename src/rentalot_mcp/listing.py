"""`rentalot-mcp tools`: the catalogue as a table by toolset, or as the JSON that tools/list returns.

Sizes are what each tool costs the model's context before any call: the bytes of its definition,
shown as tokens at about four bytes per token, so users can see what `--toolsets` saves.
"""

from __future__ import annotations

import json
from typing import Any

from rentalot_mcp.catalogue import Catalogue, Tool
from rentalot_mcp.server import mcp_tool

BYTES_PER_TOKEN = 4
LEGEND = "R read-only   W writes   D destructive (deletes or cancels)"


def tool_definition(tool: Tool) -> dict[str, Any]:
    return mcp_tool(tool).model_dump(by_alias=True, exclude_none=True, mode="json")


def definition_tokens(tool: Tool) -> int:
    size = len(json.dumps(tool_definition(tool), separators=(",", ":")).encode())
    return -(-size // BYTES_PER_TOKEN)


def mark(tool: Tool) -> str:
    operation = tool.operation
    return "R" if operation.read_only else "D" if operation.destructive else "W"


def catalogue_json(catalogue: Catalogue) -> str:
    return json.dumps([tool_definition(tool) for tool in catalogue], indent=2)


def catalogue_table(catalogue: Catalogue) -> str:
    tools = list(catalogue)
    if not tools:
        return "No tools match this selection."
    tokens = {tool.name: definition_tokens(tool) for tool in tools}
    name_width = max(len(tool.name) for tool in tools)
    path_width = max(len(tool.operation.path) for tool in tools)
    lines: list[str] = []
    for toolset in catalogue.toolsets():
        members = [tool for tool in tools if tool.operation.toolset == toolset]
        cost = sum(tokens[tool.name] for tool in members)
        lines.append(f"{toolset}  ({_count(len(members), 'tool')}, ~{cost:,} tokens)")
        for tool in members:
            operation = tool.operation
            lines.append(
                f"  {mark(tool)}  {tool.name:<{name_width}}  {operation.method:<6}  "
                f"{operation.path:<{path_width}}  {tokens[tool.name]:>5,} tokens"
            )
        lines.append("")
    total = sum(tokens.values())
    lines.append(
        f"{_count(len(tools), 'tool')} in {_count(len(catalogue.toolsets()), 'toolset')}, "
        f"~{total:,} tokens of tool definitions."
    )
    lines.append(LEGEND)
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
