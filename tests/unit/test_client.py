"""Retries without duplicates, rate-limit awareness and answer parsing of the one HTTP client (respx)."""

from __future__ import annotations

import time

import httpx
import pytest
import respx

from rentalot_mcp.client import ApiClient, CallFailed, RetryPolicy
from rentalot_mcp.openapi.operations import HttpRequest
from tests.conftest import FAKE_BASE_URLS, fake_settings

BASE = FAKE_BASE_URLS["rentalot"]
FAST = RetryPolicy(base_delay=0.001, max_delay=0.01, budget_seconds=5.0)
pytestmark = pytest.mark.anyio


@pytest.fixture
async def client():
    built = ApiClient(fake_settings().for_provider("rentalot"), retry=FAST)
    yield built
    await built.aclose()


def _post(body: dict | None = None, headers: dict | None = None) -> HttpRequest:
    return HttpRequest("POST", "/api/v1/contacts", {}, headers or {}, body or {"name": "Ann"}, True)


async def test_a_post_is_retried_with_one_idempotency_key_through_every_failure(client) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/api/v1/contacts").mock(
            side_effect=[
                httpx.Response(500),
                httpx.ConnectError("reset"),
                httpx.Response(502),
                httpx.Response(201, json={"data": {"id": "c1"}}, headers={"X-Idempotent-Replayed": "true"}),
            ]
        )
        response = await client.send(_post())
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert route.call_count == 4 and len(keys) == 1
    assert response.status == 201 and response.body == {"data": {"id": "c1"}}
    assert response.replayed and response.meta["attempts"] == 4
    assert response.meta["idempotencyKey"] == keys.pop()


async def test_each_call_gets_a_fresh_key_unless_the_caller_gives_one(client) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/api/v1/contacts").respond(201, json={"data": {}})
        await client.send(_post())
        await client.send(_post())
        await client.send(_post(headers={"Idempotency-Key": "mine-1"}))
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert keys[0] != keys[1] and keys[2] == "mine-1"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_are_not_retried(client, status: int) -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/api/v1/properties").respond(status, json={"error": {"code": "X"}})
        response = await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}))
    assert route.call_count == 1 and response.status == status


async def test_retries_stop_at_the_attempt_limit(client) -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/api/v1/properties").respond(503)
        response = await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}))
    assert route.call_count == FAST.max_attempts and response.status == 503


async def test_network_failures_that_persist_become_a_clean_error(client) -> None:
    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties").mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(CallFailed, match=r"did not answer in time after 6 attempts"):
            await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}))


async def test_a_retry_after_beyond_the_budget_returns_the_429_at_once() -> None:
    client = ApiClient(fake_settings().for_provider("rentalot"), retry=RetryPolicy(budget_seconds=2.0))
    try:
        with respx.mock:
            route = respx.get(f"{BASE}/api/v1/properties").respond(429, headers={"Retry-After": "30"})
            started = time.monotonic()
            response = await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}))
    finally:
        await client.aclose()
    assert response.status == 429 and route.call_count == 1
    assert time.monotonic() - started < 1.0


async def test_rate_limit_headers_are_reported_and_a_spent_budget_is_waited_out(client) -> None:
    reset = int(time.time()) + 2
    limits = {
        "X-RateLimit-Limit": "120",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset),
        "X-RateLimit-Resource": "properties",
    }
    progress: list[tuple[float, float | None, str | None]] = []

    async def record(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    with respx.mock:
        respx.get(f"{BASE}/api/v1/properties").respond(200, json={"data": []}, headers=limits)
        first = await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}))
        await client.send(HttpRequest("GET", "/api/v1/properties", {}, {}), progress=record)
    assert first.meta["rateLimit"] == {"limit": 120, "remaining": 0, "reset": float(reset), "resource": "properties"}
    assert time.time() >= reset - 0.05
    assert progress and "rate-limit budget spent" in (progress[0][2] or "")


async def test_odd_answers_parse_into_something_renderable(client) -> None:
    with respx.mock:
        respx.get(f"{BASE}/html").respond(200, text="<html>maintenance</html>")
        respx.get(f"{BASE}/empty").respond(200, content=b"")
        respx.get(f"{BASE}/huge").respond(200, content=b"[" + b"1," * 600_000 + b"1]")
        html = await client.send(HttpRequest("GET", "/html", {}, {}))
        empty = await client.send(HttpRequest("GET", "/empty", {}, {}))
        huge = await client.send(HttpRequest("GET", "/huge", {}, {}))
    assert html.body is None and html.text == "<html>maintenance</html>"
    assert empty.body is None and empty.text == ""
    assert huge.body is None and huge.text.endswith("ask for less with limit, fields or filters]")
    assert len(huge.text) < 1_100_000


async def test_a_spent_budget_only_holds_back_its_own_resource_and_key(client) -> None:
    spent = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3)}
    with respx.mock:
        respx.post(f"{BASE}/api/v1/messages").respond(
            201, json={"data": {}}, headers={**spent, "X-RateLimit-Resource": "messages"}
        )
        contacts = respx.get(f"{BASE}/api/v1/contacts").respond(
            200, json={"data": []}, headers={"X-RateLimit-Remaining": "50", "X-RateLimit-Resource": "contacts"}
        )
        await client.send(HttpRequest("POST", "/api/v1/messages", {}, {}, {}, True, "POST /api/v1/messages"))
        started = time.monotonic()
        other_resource = await client.send(HttpRequest("GET", "/api/v1/contacts", {}, {}, route="GET /api/v1/contacts"))
        other_key = await client.send(
            HttpRequest("POST", "/api/v1/messages", {}, {}, {}, True, "POST /api/v1/messages"), api_key="ra_other_0001"
        )
        assert time.monotonic() - started < 1.0
    assert contacts.called and other_resource.meta["rateLimit"]["remaining"] == 50
    assert other_key.meta["rateLimit"]["resource"] == "messages"


async def test_a_reset_beyond_the_budget_is_not_waited_for() -> None:
    client = ApiClient(fake_settings().for_provider("rentalot"), retry=RetryPolicy(budget_seconds=2.0))
    hourly = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)}
    try:
        with respx.mock:
            route = respx.get(f"{BASE}/api/v1/properties").respond(200, json={"data": []}, headers=hourly)
            request = HttpRequest("GET", "/api/v1/properties", {}, {}, route="GET /api/v1/properties")
            await client.send(request)
            started = time.monotonic()
            await client.send(request)
    finally:
        await client.aclose()
    assert route.call_count == 2 and time.monotonic() - started < 1.0


async def test_writes_that_declare_the_idempotency_header_get_a_key_too(client) -> None:
    with respx.mock:
        route = respx.put(f"{BASE}/api/v1/things/1").respond(200, json={})
        plain = respx.patch(f"{BASE}/api/v1/things/2").respond(200, json={})
        await client.send(HttpRequest("PUT", "/api/v1/things/1", {}, {}, {}, True, takes_idempotency_key=True))
        await client.send(HttpRequest("PATCH", "/api/v1/things/2", {}, {}, {}, True))
    assert len(route.calls.last.request.headers["Idempotency-Key"]) == 36
    assert "Idempotency-Key" not in plain.calls.last.request.headers
