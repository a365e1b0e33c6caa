"""`--dynamic` is wired through the real command: a subprocess over stdio lists only the meta-tools."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.e2e.conftest import stdio_params

pytestmark = pytest.mark.anyio


async def test_the_dynamic_flag_serves_the_meta_tools(tmp_path) -> None:
    async with Client(stdio_params(tmp_path, "--dynamic", "--toolsets", "showings")) as client:
        listed = [tool.name for tool in (await client.list_tools()).tools]
        found = await client.call_tool("search_tools", {})
    assert listed == ["search_tools", "describe_tool", "call_tool"]
    assert '"showings":[' in found.content[0].text and "list_properties" not in found.content[0].text
