"""Every one of the 65 tools sends the right request: method, URL, query, body and headers (respx)."""

from __future__ import annotations

import json
from urllib.parse import quote

import anyio
import httpx
import pytest
import respx

from rentalot_mcp import __version__
from rentalot_mcp.openapi.operations import build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.runtime import Runtime
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, RENTALOT_TOOLSETS, fake_settings
from tests.support.samples import sample_arguments

SPEC = load_spec(str(RENTALOT.spec_path))
OPERATIONS = build_operations(SPEC, RENTALOT.naming)
BASE = FAKE_BASE_URLS["rentalot"]


@pytest.fixture(scope="module")
def runtime():
    """One runtime for the module: respx intercepts its shared client inside each test."""
    built = Runtime.create(fake_settings())
    yield built
    anyio.run(built.aclose)


def _expected(operation, arguments: dict) -> tuple[str, dict, dict, dict]:
    """What the request should look like, derived from the spec independently of build_request."""
    spec = SPEC["paths"][operation.path][operation.method.lower()]
    url = operation.path
    query, headers, body = {}, {}, {}
    names = {arg.name: arg for arg in operation.arguments}
    for name, value in arguments.items():
        arg = names[name]
        if arg.location == "path":
            url = url.replace("{" + arg.wire_name + "}", quote(str(value), safe=""))
        elif arg.location == "query":
            query[arg.wire_name] = str(value).lower() if isinstance(value, bool) else str(value)
        elif arg.location == "header":
            headers[arg.wire_name.lower()] = str(value)
        else:
            body[arg.wire_name] = value
    if "requestBody" not in spec:
        assert not body
    return BASE + url, query, headers, body


@pytest.mark.anyio
@pytest.mark.parametrize("everything", [False, True], ids=["required", "all-arguments"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
async def test_tool_sends_the_request_the_spec_describes(runtime, operation, everything: bool) -> None:
    arguments = sample_arguments(operation.input_schema, everything=everything)
    url, query, headers, body = _expected(operation, arguments)
    status = operation.success_status
    payload = {"data": {"id": "x"}} if status != 204 else None
    with respx.mock(assert_all_called=True) as router:
        route = router.request(operation.method, url__startswith=url.split("?")[0]).mock(
            return_value=httpx.Response(status, json=payload) if payload else httpx.Response(204)
        )
        result = await runtime.call(operation.name, arguments)
    assert not result.is_error, result.content[0].text
    sent = route.calls.last.request
    assert sent.method == operation.method
    assert str(sent.url).split("?")[0] == url
    assert dict(sent.url.params) == query
    assert sent.headers["authorization"] == f"Bearer {FAKE_KEYS['rentalot']}"
    assert sent.headers["user-agent"] == f"rentalot-mcp/{__version__}"
    for name, value in headers.items():
        assert sent.headers[name] == value
    if body:
        assert json.loads(sent.content) == body
        assert sent.headers["content-type"] == "application/json"
    else:
        assert sent.content == b""
    if status == 204:
        assert result.content[0].text.endswith("(HTTP 204).")
    else:
        assert json.loads(result.content[0].text) == payload
        assert result.structured_content == payload


def test_there_are_65_operations_in_14_toolsets() -> None:
    assert len(OPERATIONS) == 65
    assert {op.toolset for op in OPERATIONS} == RENTALOT_TOOLSETS
