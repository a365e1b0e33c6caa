"""Every BookMyColiving tool sends the request its spec describes, with `x-api-key` auth (respx)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

import anyio
import httpx
import pytest
import respx

from rentalot_mcp import __version__
from rentalot_mcp.openapi.operations import build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import BOOKMYCOLIVING
from rentalot_mcp.runtime import Runtime
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, fake_settings
from tests.support.samples import sample_arguments

SPEC = load_spec(str(BOOKMYCOLIVING.spec_path))
OPERATIONS = build_operations(SPEC, BOOKMYCOLIVING.naming)
BASE = FAKE_BASE_URLS["bookmycoliving"]
CACHED = {"bmc_list_cities", "bmc_list_coliving_types", "bmc_list_amenities"}


@pytest.fixture
def runtime():
    """A fresh runtime per test, so cached reference data never hides a request."""
    built = Runtime.create(fake_settings())
    yield built
    anyio.run(built.aclose)


def _expected(operation, arguments: dict) -> tuple[str, dict, dict, dict]:
    """The request derived from the raw spec (path template, parameter locations), not from build_request."""
    item = SPEC["paths"][operation.path]
    spec = item[operation.method.lower()]
    locations = {p["name"]: p["in"] for p in [*item.get("parameters", []), *spec.get("parameters", [])]}
    body_fields = (
        spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("properties")
        or {}
    )
    url, query, headers, body = operation.path, {}, {}, {}
    for name, value in arguments.items():
        wire = "Idempotency-Key" if name == "idempotencyKey" else name
        where = locations.get(wire)
        if where == "path":
            url = url.replace("{" + wire + "}", quote(str(value), safe=""))
        elif where == "query":
            query[wire] = str(value)
        elif where == "header":
            headers[wire.lower()] = str(value)
        else:
            assert name in body_fields, f"{name} is neither a parameter nor a body field"
            body[name] = value
    return BASE + url, query, headers, body


@pytest.mark.anyio
@pytest.mark.parametrize("everything", [False, True], ids=["required", "all-arguments"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
async def test_tool_sends_the_request_the_spec_describes(runtime, operation, everything: bool) -> None:
    arguments = sample_arguments(operation.input_schema, everything=everything)
    url, query, headers, body = _expected(operation, arguments)
    payload = {"id": "x", "name": "n", "status": "DRAFT"}
    with respx.mock(assert_all_called=True) as router:
        route = router.request(operation.method, url=url).mock(return_value=httpx.Response(200, json=payload))
        result = await runtime.call(operation.name, arguments)
    assert not result.is_error, result.content[0].text
    sent = route.calls.last.request
    assert sent.method == operation.method
    assert str(sent.url).split("?")[0] == url
    assert dict(sent.url.params) == query
    assert sent.headers["x-api-key"] == FAKE_KEYS["bookmycoliving"]
    assert "authorization" not in sent.headers
    assert sent.headers["user-agent"] == f"rentalot-mcp/{__version__}"
    for name, value in headers.items():
        assert sent.headers[name] == value
    if operation.method == "POST" and "idempotency-key" not in headers:
        assert uuid.UUID(sent.headers["idempotency-key"])
    if body:
        assert json.loads(sent.content) == body
    else:
        assert sent.content == b""
    assert json.loads(result.content[0].text) == payload


def test_the_catalogue_is_the_partner_api_plus_the_local_check() -> None:
    settings = fake_settings()
    runtime = Runtime.create(settings)
    names = sorted(tool.name for tool in runtime.catalogue if tool.provider == "bookmycoliving")
    anyio.run(runtime.aclose)
    assert names == sorted(
        [
            "bmc_list_properties",
            "bmc_create_property",
            "bmc_get_property",
            "bmc_replace_property",
            "bmc_delete_property",
            "bmc_submit_property_for_review",
            "bmc_unpublish_property",
            "bmc_add_property_photos",
            "bmc_list_leads",
            "bmc_get_lead",
            "bmc_list_conversations",
            "bmc_get_thread",
            "bmc_reply_to_thread",
            "bmc_list_cities",
            "bmc_list_coliving_types",
            "bmc_list_amenities",
            "bmc_send_test_webhook",
            "bmc_verify_webhook_signature",
        ]
    )
    assert {op.toolset for op in OPERATIONS} == {"bmc"}
    assert all(op.path.startswith("/api/v1/") for op in OPERATIONS)
    assert {op.name for op in OPERATIONS if op.operation_id in BOOKMYCOLIVING.cache_ttls} == CACHED


def test_every_write_takes_an_idempotency_key() -> None:
    for operation in OPERATIONS:
        has_key = "idempotencyKey" in operation.input_schema["properties"]
        assert has_key == (not operation.read_only), operation.name
