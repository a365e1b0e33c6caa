"""Every generated tool of every provider sends the request its spec describes: method, URL, query,
body, headers and auth (respx). The expectation is read from the raw spec, not from the generator.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import pytest
import respx

from rentalot_mcp import __version__
from rentalot_mcp.openapi.operations import build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import BOOKMYCOLIVING, RENTALOT, Provider
from rentalot_mcp.runtime import Runtime
from tests.conftest import FAKE_BASE_URLS, FAKE_KEYS, RENTALOT_TOOLSETS, fake_settings
from tests.support.samples import sample_arguments

SPECS = {provider.name: load_spec(str(provider.spec_path)) for provider in (RENTALOT, BOOKMYCOLIVING)}
OPERATIONS = build_operations(SPECS["rentalot"], RENTALOT.naming)
BMC_OPERATIONS = build_operations(SPECS["bookmycoliving"], BOOKMYCOLIVING.naming)
CASES = [(RENTALOT, op) for op in OPERATIONS] + [(BOOKMYCOLIVING, op) for op in BMC_OPERATIONS]
CACHED = {"bmc_list_cities", "bmc_list_coliving_types", "bmc_list_amenities"}
PAYLOADS: dict[str, Any] = {
    "rentalot": {"data": {"id": "x"}},
    "bookmycoliving": {"id": "x", "name": "n", "status": "DRAFT"},
}
AUTH = {
    "rentalot": ("authorization", f"Bearer {FAKE_KEYS['rentalot']}"),
    "bookmycoliving": ("x-api-key", FAKE_KEYS["bookmycoliving"]),
}


@pytest.fixture
def runtime():
    """A fresh runtime per test, so cached reference data never hides a request."""
    built = Runtime.create(fake_settings())
    yield built
    anyio.run(built.aclose)


def _expected(provider: Provider, operation, arguments: dict) -> tuple[str, dict, dict, dict]:
    """The request derived from the raw spec (path template, parameter locations, x-mcp-name)."""
    item = SPECS[provider.name]["paths"][operation.path]
    spec = item[operation.method.lower()]
    wire_of = {"idempotencyKey": "Idempotency-Key"}
    locations = {}
    for parameter in [*item.get("parameters", []), *spec.get("parameters", [])]:
        locations[parameter["name"]] = parameter["in"]
        if "x-mcp-name" in parameter:
            wire_of[parameter["x-mcp-name"]] = parameter["name"]
    content = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
    body_fields = content.get("schema", {}).get("properties") or {}
    url, query, headers, body = operation.path, {}, {}, {}
    for name, value in arguments.items():
        wire = wire_of.get(name, name)
        where = locations.get(wire)
        if where == "path":
            url = url.replace("{" + wire + "}", quote(str(value), safe=""))
        elif where == "query":
            query[wire] = str(value).lower() if isinstance(value, bool) else str(value)
        elif where == "header":
            headers[wire.lower()] = str(value)
        else:
            assert name in body_fields, f"{name} is neither a parameter nor a body field"
            body[name] = value
    return FAKE_BASE_URLS[provider.name] + url, query, headers, body


@pytest.mark.anyio
@pytest.mark.parametrize("everything", [False, True], ids=["required", "all-arguments"])
@pytest.mark.parametrize(("provider", "operation"), CASES, ids=lambda case: getattr(case, "name", None))
async def test_tool_sends_the_request_the_spec_describes(runtime, provider, operation, everything: bool) -> None:
    arguments = sample_arguments(operation.input_schema, everything=everything)
    url, query, headers, body = _expected(provider, operation, arguments)
    status = operation.success_status
    payload = PAYLOADS[provider.name] if status != 204 else None
    with respx.mock(assert_all_called=True) as router:
        route = router.request(operation.method, url=url).mock(
            return_value=httpx.Response(status, json=payload) if payload else httpx.Response(204)
        )
        result = await runtime.call(operation.name, arguments)
    assert not result.is_error, result.content[0].text
    sent = route.calls.last.request
    assert sent.method == operation.method
    assert str(sent.url).split("?")[0] == url
    assert dict(sent.url.params) == query
    auth_header, auth_value = AUTH[provider.name]
    assert sent.headers[auth_header] == auth_value
    other_auth = ({"authorization", "x-api-key"} - {auth_header}).pop()
    assert other_auth not in sent.headers, "only the provider's own auth header is sent"
    assert sent.headers["user-agent"] == f"rentalot-mcp/{__version__}"
    for name, value in headers.items():
        assert sent.headers[name] == value
    if operation.method == "POST" and "idempotency-key" not in headers:
        assert uuid.UUID(sent.headers["idempotency-key"])
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
    assert {op.toolset for op in BMC_OPERATIONS} == {"bmc"}
    assert all(op.path.startswith("/api/v1/") for op in BMC_OPERATIONS)
    assert {op.name for op in BMC_OPERATIONS if op.operation_id in BOOKMYCOLIVING.cache_ttls} == CACHED


def test_every_write_takes_an_idempotency_key() -> None:
    for operation in BMC_OPERATIONS:
        has_key = "idempotencyKey" in operation.input_schema["properties"]
        assert has_key == (not operation.read_only), operation.name
