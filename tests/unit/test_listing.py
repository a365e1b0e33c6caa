"""`rentalot-mcp tools`: the table groups by toolset, marks each tool, and its sizes add up."""

from __future__ import annotations

import json
import re

from rentalot_mcp.catalogue import Catalogue, Selection
from rentalot_mcp.listing import catalogue_json, catalogue_table, definition_tokens
from rentalot_mcp.runtime import load_tools
from tests.conftest import fake_settings


def _catalogue(selection: Selection | None = None) -> Catalogue:
    return Catalogue.select(load_tools(fake_settings()), selection or Selection())


def test_table_has_a_header_per_toolset_and_a_mark_per_tool() -> None:
    catalogue = _catalogue()
    table = catalogue_table(catalogue)
    headers = re.findall(r"^(\w+)  \((\d+) tools?, ~([\d,]+) tokens\)$", table, re.MULTILINE)
    assert [name for name, _, _ in headers] == catalogue.toolsets()
    assert sum(int(count) for _, count, _ in headers) == len(catalogue)
    rows = {name: mark for mark, name in re.findall(r"^  ([RWD])  (\w+) ", table, re.MULTILINE)}
    assert len(rows) == len(catalogue)
    assert (rows["list_properties"], rows["create_property"], rows["delete_property"]) == ("R", "W", "D")
    assert "R read-only" in table and f"{len(catalogue)} tools in {len(catalogue.toolsets())} toolsets" in table


def test_sizes_add_up_to_the_toolset_and_grand_totals() -> None:
    catalogue = _catalogue(Selection(toolsets=frozenset({"showings"})))
    table = catalogue_table(catalogue)
    per_tool = sum(definition_tokens(tool) for tool in catalogue)
    assert f"~{per_tool:,} tokens)" in table
    assert f"~{per_tool:,} tokens of tool definitions" in table
    assert all(definition_tokens(tool) > 20 for tool in catalogue)


def test_an_empty_selection_says_so() -> None:
    catalogue = _catalogue(
        Selection(tools=frozenset({"list_properties"}), exclude_tools=frozenset({"list_properties"}))
    )
    assert catalogue_table(catalogue) == "No tools match this selection."


def test_json_is_what_tools_list_returns() -> None:
    catalogue = _catalogue()
    listed = json.loads(catalogue_json(catalogue))
    by_name = {tool["name"]: tool for tool in listed}
    assert list(by_name) == [tool.name for tool in catalogue]
    assert by_name["get_property"]["inputSchema"]["required"] == ["propertyId"]
    assert by_name["delete_property"]["annotations"]["destructiveHint"] is True
