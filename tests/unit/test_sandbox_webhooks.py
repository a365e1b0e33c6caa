"""Webhook delivery end to end: a sandbox on a real port posts signed payloads to a loopback receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from rentalot_mcp.sandbox import start_background
from rentalot_mcp.sandbox.rentalot.seed import ELM_STREET_PROPERTY_ID, demo_id
from rentalot_mcp.sandbox.webhooks import verify

PRO = {"Authorization": "Bearer ra_demo_pro"}


@dataclass
class Received:
    path: str
    signature: str
    event: str
    body: bytes


@dataclass
class Receiver:
    url: str
    inbox: queue.Queue[Received]

    def next(self) -> Received:
        return self.inbox.get(timeout=10)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    inbox: queue.Queue[Received] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            inbox.put(Received(self.path, self.headers["X-Webhook-Signature"], self.headers["X-Webhook-Event"], body))
            self.send_response(500 if self.path == "/broken" else 204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", inbox)
    server.shutdown()
    server.server_close()


@pytest.fixture
def api() -> Iterator[httpx.Client]:
    with (
        start_background(":memory:", rpm=100_000) as sandbox,
        httpx.Client(base_url=sandbox.base_url, headers=PRO) as client,
    ):
        yield client


def expected_signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_background_sandbox_serves_on_an_ephemeral_port():
    with start_background(":memory:") as sandbox:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert sandbox.db_path == ":memory:"
        assert "ra_demo_starter" in sandbox.banner()
        assert httpx.get(f"{sandbox.base_url}/healthz").status_code == 200
        spec = httpx.get(f"{sandbox.base_url}/api/v1/openapi.json").json()
        assert spec["servers"][0]["url"] == sandbox.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.base_url}/healthz")


def test_test_ping_is_signed_with_the_current_secret(api, receiver):
    hook = api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/hook", "events": ["showing.booked"]}).json()[
        "data"
    ]
    result = api.post(f"/api/v1/webhooks/{hook['id']}/test").json()["data"]
    assert result == {"status": "delivered", "statusCode": 204}
    ping = receiver.next()
    payload = json.loads(ping.body)
    assert (ping.path, ping.event, payload["type"]) == ("/hook", "test", "test")
    assert ping.signature == expected_signature(hook["secret"], ping.body)
    assert verify(hook["secret"], ping.body, ping.signature)
    assert api.get(f"/api/v1/webhooks/{hook['id']}").json()["data"]["lastDeliveredAt"]

    rotated = api.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret").json()["data"]["secret"]
    api.post(f"/api/v1/webhooks/{hook['id']}/test")
    after = receiver.next()
    assert after.signature == expected_signature(rotated, after.body)
    assert not verify(hook["secret"], after.body, after.signature)


def test_failed_pings_are_reported_and_recorded(api, receiver):
    hook = api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/broken", "events": ["message.sent"]}).json()[
        "data"
    ]
    result = api.post(f"/api/v1/webhooks/{hook['id']}/test").json()["data"]
    assert result == {"status": "failed", "statusCode": 500}
    receiver.next()
    stored = api.get(f"/api/v1/webhooks/{hook['id']}").json()["data"]
    assert stored["lastFailedAt"] and stored["lastDeliveredAt"] is None


def test_events_reach_only_matching_active_subscriptions(api, receiver):
    api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/bookings", "events": ["showing.booked"]})
    paused = api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/paused", "events": ["showing.booked"]}).json()
    api.patch(f"/api/v1/webhooks/{paused['data']['id']}", json={"active": False})
    messages = api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/messages", "events": ["message.sent"]}).json()
    showing = {
        "propertyId": ELM_STREET_PROPERTY_ID,
        "contactId": demo_id("pro", "contact", "hannah"),
        "title": "Late viewing",
        "startTime": "2031-01-07T23:00:00Z",
        "endTime": "2031-01-07T23:30:00Z",
    }
    booked = api.post("/api/v1/showings", json=showing).json()["data"]
    delivery = receiver.next()
    assert delivery.path == "/bookings"
    payload = json.loads(delivery.body)
    assert (payload["type"], payload["data"]["id"]) == ("showing.booked", booked["id"])

    api.post("/api/v1/messages", json={"contactId": demo_id("pro", "contact", "maya"), "body": "See you soon"})
    sent = receiver.next()
    assert (sent.path, json.loads(sent.body)["data"]["content"]) == ("/messages", "See you soon")
    assert sent.signature == expected_signature(messages["data"]["secret"], sent.body)
    assert receiver.inbox.empty(), "the paused subscription received nothing"


def test_a_simulated_reply_is_announced_as_message_received(api, receiver):
    api.post("/api/v1/webhooks", json={"url": f"{receiver.url}/inbox", "events": ["message.received"]})
    maya = demo_id("pro", "contact", "maya")
    api.post("/sandbox/inbound-messages", json={"contactId": maya, "body": "Running 5 minutes late!"})
    received = receiver.next()
    payload = json.loads(received.body)
    assert (received.event, payload["data"]["direction"], payload["data"]["contactId"]) == (
        "message.received",
        "inbound",
        maya,
    )
