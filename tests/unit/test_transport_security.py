"""The HTTP front door in-process: Host/Origin (DNS rebinding), bearer token, per-request key headers."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from rentalot_mcp.config import Setting
from rentalot_mcp.http_security import (
    HEALTH_PATH,
    AccessMiddleware,
    AccessPolicy,
    host_name,
    key_header,
    request_keys,
    without_keys,
)
from rentalot_mcp.providers import RENTALOT
from tests.conftest import fake_settings

pytestmark = pytest.mark.anyio


async def _ok(request: Request) -> PlainTextResponse:
    return PlainTextResponse("reached")


def _client(policy: AccessPolicy) -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/mcp", _ok, methods=["GET", "POST"]), Route(HEALTH_PATH, _ok)])
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=AccessMiddleware(app, policy)), base_url="http://127.0.0.1:8000"
    )


@pytest.mark.parametrize(
    ("value", "name"),
    [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost", "localhost"), ("[::1]:8000", "::1"), ("::1", "::1")],
)
def test_host_name_drops_the_port_and_case(value: str, name: str) -> None:
    assert host_name(value) == name


async def test_loopback_origins_and_no_origin_pass_a_foreign_origin_gets_403() -> None:
    async with _client(AccessPolicy.build("127.0.0.1")) as client:
        plain = await client.post("/mcp")
        local = await client.post("/mcp", headers={"Origin": "http://localhost:6274"})
        foreign = await client.post("/mcp", headers={"Origin": "https://evil.example"})
        null = await client.post("/mcp", headers={"Origin": "null"})
    assert (plain.status_code, local.status_code) == (200, 200)
    assert foreign.status_code == 403 and "--allowed-origins" in foreign.json()["error"]
    assert null.status_code == 403


async def test_a_rebound_host_name_is_refused_unless_allowed() -> None:
    async with _client(AccessPolicy.build("127.0.0.1")) as client:
        rebound = await client.post("/mcp", headers={"Host": "attacker.example:8000"})
    async with _client(AccessPolicy.build("0.0.0.0", allowed_hosts=["mcp.example.com"])) as client:
        named = await client.post("/mcp", headers={"Host": "mcp.example.com"})
        other = await client.post("/mcp", headers={"Host": "attacker.example"})
    async with _client(AccessPolicy.build("0.0.0.0", allowed_hosts=["*"])) as client:
        anything = await client.post("/mcp", headers={"Host": "whatever.example"})
    assert rebound.status_code == 421 and "--allowed-hosts" in rebound.json()["error"]
    assert (named.status_code, other.status_code, anything.status_code) == (200, 421, 200)


async def test_an_explicit_bind_address_is_an_allowed_host() -> None:
    async with _client(AccessPolicy.build("192.168.1.5")) as client:
        response = await client.post("/mcp", headers={"Host": "192.168.1.5:8000"})
    assert response.status_code == 200


async def test_allowed_origins_are_exact() -> None:
    policy = AccessPolicy.build("127.0.0.1", allowed_origins=["https://app.example.com/"])
    async with _client(policy) as client:
        exact = await client.post("/mcp", headers={"Origin": "https://app.example.com"})
        other_scheme = await client.post("/mcp", headers={"Origin": "http://app.example.com"})
    assert (exact.status_code, other_scheme.status_code) == (200, 403)


async def test_the_auth_token_is_required_on_every_request_but_the_health_check() -> None:
    async with _client(AccessPolicy.build("127.0.0.1", auth_token="s3cret-token")) as client:
        missing = await client.post("/mcp")
        wrong = await client.post("/mcp", headers={"Authorization": "Bearer s3cret-tokeN"})
        wrong_scheme = await client.post("/mcp", headers={"Authorization": "Basic s3cret-token"})
        right = await client.get("/mcp", headers={"Authorization": "bearer s3cret-token"})
        health = await client.get(HEALTH_PATH)
    for refused in (missing, wrong, wrong_scheme):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "s3cret" not in refused.text
    assert right.status_code == 200 and right.text == "reached"
    assert health.status_code == 200


async def test_origin_is_checked_before_the_token() -> None:
    async with _client(AccessPolicy.build("127.0.0.1", auth_token="t")) as client:
        response = await client.post("/mcp", headers={"Origin": "https://evil.example", "Authorization": "Bearer t"})
    assert response.status_code == 403


async def test_per_request_keys_need_a_key_header() -> None:
    header = key_header(RENTALOT)
    async with _client(AccessPolicy.build("127.0.0.1", per_request_keys=True)) as client:
        missing = await client.post("/mcp")
        blank = await client.post("/mcp", headers={header: "  "})
        sent = await client.post("/mcp", headers={header: "ra_demo_pro"})
    assert missing.status_code == 401 and header in missing.json()["error"]
    assert blank.status_code == 401
    assert sent.status_code == 200


def test_key_headers_are_named_after_the_key_variables() -> None:
    assert key_header(RENTALOT) == "X-Rentalot-Api-Key"


def test_request_keys_reads_each_providers_header_and_nothing_else() -> None:
    request = SimpleNamespace(headers=httpx.Headers({"x-rentalot-api-key": " ra_mine ", "authorization": "Bearer t"}))
    assert request_keys(SimpleNamespace(request=request)) == {"rentalot": "ra_mine"}
    assert request_keys(SimpleNamespace(request=SimpleNamespace(headers=httpx.Headers()))) == {}
    assert request_keys(SimpleNamespace(request=None)) == {}


def test_without_keys_drops_every_configured_key_and_keeps_the_rest() -> None:
    settings = fake_settings()
    stripped = without_keys(settings)
    for before, after in zip(settings.providers, stripped.providers, strict=True):
        assert after.api_key == Setting(None, f"the {key_header(before.provider)} header of each request")
        assert after.base_url == before.base_url
        assert after.enabled, "every provider stays on: its callers bring their own keys"
