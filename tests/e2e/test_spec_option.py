"""`--spec PATH|URL`: tools generated from another OpenAPI document, still drop-in, still working."""

from __future__ import annotations

import json
import subprocess

import pytest
from mcp import Client

from rentalot_mcp.sandbox import start_background
from rentalot_mcp.sandbox.rentalot.seed import ELM_STREET_PROPERTY_ID
from tests.conftest import reference_file
from tests.e2e.conftest import command, isolated_env, stdio_params

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("source", ["sandbox-url", "published-file"])
async def test_a_spec_from_the_sandbox_url_or_the_published_file_gives_the_same_working_tools(tmp_path, source) -> None:
    with start_background(":memory:") as sandbox:
        spec = (
            f"{sandbox.base_url}/api/v1/openapi.json"
            if source == "sandbox-url"
            else str(reference_file("rentalot-openapi.json"))
        )
        env = {"RENTALOT_BASE_URL": sandbox.base_url, "RENTALOT_API_KEY": "ra_demo_pro"}
        async with Client(stdio_params(tmp_path, "--spec", spec, **env)) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            result = await client.call_tool("get_property", {"propertyId": ELM_STREET_PROPERTY_ID})
            runs = await client.call_tool("list_workflow_runs", {"limit": 1})
    assert len(tools) == 65
    assert tools["get_property"].input_schema["required"] == ["propertyId"]
    assert not result.is_error, result.content[0].text
    assert json.loads(result.content[0].text)["data"]["address"].startswith("1420 Elm St")
    assert not runs.is_error


async def test_an_unusable_spec_is_a_clear_startup_error(tmp_path) -> None:
    (tmp_path / "not-a-spec.yaml").write_text("hello: world\n")
    done = subprocess.run(
        [*command(), "tools", "--spec", str(tmp_path / "not-a-spec.yaml")],
        capture_output=True,
        text=True,
        env=isolated_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "not an OpenAPI 3 document" in done.stderr and "Traceback" not in done.stderr
