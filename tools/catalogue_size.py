"""Print what the tool catalogue costs, per provider and mode, in characters of compact JSON.

model-visible: what clients hand the model for each tool (name, description, inputSchema);
tools/list: the whole tools/list result (titles, output schemas and annotations too).
Usage: python tools/catalogue_size.py [--official path/to/official-mcp-tools.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import anyio

from rentalot_mcp.catalogue import Catalogue, Selection
from rentalot_mcp.config import sandbox_settings
from rentalot_mcp.runtime import Runtime, load_tools
from rentalot_mcp.server import listing_chars, model_visible_chars, tool_definitions

OFFICIAL = Path(__file__).resolve().parents[2] / "shared" / "reference" / "official-mcp-tools.json"
SAMPLE_TOOLSET = "showings"


def rows() -> list[tuple[str, int, int, int]]:
    """(label, tools, model-visible, tools/list) for each provider in each mode."""
    settings = sandbox_settings("http://127.0.0.1:9")  # every provider on; nothing is called
    available = load_tools(settings)
    found: list[tuple[str, int, int, int]] = []
    for provider in dict.fromkeys(tool.provider for tool in available):
        names = frozenset(tool.name for tool in available if tool.provider == provider)
        toolsets = {tool.operation.toolset for tool in available if tool.name in names}
        modes = [
            ("full", Selection(tools=names), False),
            ("read-only", Selection(tools=names, read_only=True), False),
            ("dynamic", Selection(tools=names), True),
        ]
        if SAMPLE_TOOLSET in toolsets:
            modes.append((f"toolset {SAMPLE_TOOLSET}", Selection(toolsets=frozenset({SAMPLE_TOOLSET})), False))
        for mode, selection, dynamic in modes:
            runtime = Runtime(settings, Catalogue.select(available, selection))
            tools = tool_definitions(runtime, dynamic=dynamic)
            found.append((f"{provider} {mode}", len(tools), model_visible_chars(tools), listing_chars(tools)))
            anyio.run(runtime.aclose)
    return found


def official_row(path: Path) -> tuple[str, int, int, int] | None:
    if not path.is_file():
        return None
    tools = json.loads(path.read_text(encoding="utf-8"))
    visible = [
        {"name": t["name"], "description": t.get("description", ""), "inputSchema": t["inputSchema"]} for t in tools
    ]
    compact = {"separators": (",", ":")}
    return (
        "official server",
        len(tools),
        len(json.dumps(visible, **compact)),
        len(json.dumps({"tools": tools}, **compact)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", type=Path, default=OFFICIAL, help="the official server's tools/list tools")
    args = parser.parse_args()
    table = rows()
    reference = official_row(args.official)
    if reference:
        table.append(reference)
    print(f"{'mode':<32}{'tools':>6}{'model-visible':>15}{'tools/list':>12}")
    for label, count, visible, listing in table:
        print(f"{label:<32}{count:>6}{visible:>15,}{listing:>12,}")


if __name__ == "__main__":
    main()
