"""The BookMyColiving sandbox under /bmc: moderation, ownership, dedup, leads and threads, limits, webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.sandbox import create_app, start_background
from rentalot_mcp.sandbox.bmc import BOOKMYCOLIVING, DEMO_KEYS
from rentalot_mcp.sandbox.bmc.seed import ALFAMA_PROPERTY_ID, CANGGU_PROPERTY_ID, RIVAL_PROPERTY_ID
from rentalot_mcp.webhooks import verify_bmc_signature
from tests.support.webhook_receiver import WebhookReceiver

OPERATOR = {"x-api-key": "bmc_demo_operator"}
RIVAL = {"x-api-key": "bmc_demo_rival"}
API = "/bmc/api/v1"
NOW = datetime(2026, 4, 25, 9, 30, tzinfo=UTC)
SPEC = load_spec(BOOKMYCOLIVING.spec_path)
OPERATIONS = {
    op["operationId"]: op
    for item in SPEC["paths"].values()
    for method, op in item.items()
    if method in ("get", "post", "put", "delete")
}
LISTING = {
    "name": "Sunny Coliving",
    "cityId": "city_lisbon",
    "address": "123 Main St",
    "amenities": ["wifi", "gym"],
    "colivingTypeIds": ["ct_digital_nomads"],
    "roomOptions": [{"type": "PRIVATE", "priceMonthly": 80000}],
}


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(":memory:", clock=clock)) as test_client:
        yield test_client


def conforms(operation_id: str, response: httpx.Response) -> None:
    """The status is declared for the operation and the body matches its schema."""
    declared = OPERATIONS[operation_id]["responses"].get(str(response.status_code))
    assert declared is not None, f"{operation_id} answered undeclared {response.status_code}: {response.text}"
    schema = declared["content"]["application/json"]["schema"]
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
    assert not errors, f"{operation_id}: {errors[0].message} at {list(errors[0].absolute_path)}"


def create(client: TestClient, **changes: object) -> dict:
    response = client.post(f"{API}/properties", headers=OPERATOR, json={**LISTING, **changes})
    assert response.status_code == 201, response.text
    conforms("createProperty", response)
    return response.json()


def move(client: TestClient, property_id: str, action: str, **body: str) -> httpx.Response:
    if action in ("approve", "reject"):
        return client.post(f"/bmc/sandbox/admin/properties/{property_id}/{action}", headers=OPERATOR, json=body or None)
    return client.post(f"{API}/properties/{property_id}/{action}", headers=OPERATOR)


def test_every_spec_operation_has_a_handler_and_the_rest_are_sandbox_only() -> None:
    sandbox_only = {op["operationId"] for item in BOOKMYCOLIVING.extra_paths.values() for op in item.values()}
    assert set(BOOKMYCOLIVING.handlers) == set(OPERATIONS) | sandbox_only
    assert all(name.startswith("sandbox") for name in sandbox_only)
    assert len(OPERATIONS) == 17


def test_both_platforms_are_served_side_by_side(client: TestClient) -> None:
    assert client.get(f"{API}/properties", headers=OPERATOR).status_code == 200
    assert client.get("/api/v1/properties", headers={"Authorization": "Bearer ra_demo_pro"}).status_code == 200
    assert client.get(f"{API}/properties", headers={"x-api-key": "ra_demo_pro"}).status_code == 401
    spec = client.get(f"{API}/openapi.json").json()
    assert spec["servers"][0]["url"] == "http://testserver/bmc"


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "Missing API key: send it in the x-api-key header."), ({"x-api-key": "bmc_nope"}, "Invalid API key")],
)
def test_errors_are_a_single_string(client: TestClient, headers: dict, message: str) -> None:
    response = client.get(f"{API}/leads", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": message}


def test_unknown_routes_answer_in_each_platforms_own_error_shape(client: TestClient) -> None:
    assert client.get(f"{API}/nowhere", headers=OPERATOR).json() == {"error": "Route not found"}
    assert client.get("/api/v1/nowhere").json() == {"error": {"code": "NOT_FOUND", "message": "Route not found"}}


def test_a_body_that_breaks_the_schema_is_a_400_as_documented(client: TestClient) -> None:
    before = client.get(f"{API}/properties", headers=OPERATOR).json()["pagination"]["total"]
    response = client.post(f"{API}/properties", headers=OPERATOR, json={**LISTING, "roomOptions": "many"})
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and "roomOptions" in response.json()["error"]
    assert client.get(f"{API}/properties", headers=OPERATOR).json()["pagination"]["total"] == before


def test_a_new_listing_lands_in_review_and_prices_stay_in_cents(client: TestClient) -> None:
    created = create(client)
    assert created["status"] == "PENDING_REVIEW" and created["needsReview"] is False
    assert created["roomOptions"] == [{"type": "PRIVATE", "priceMonthly": 80000}]
    assert created["slug"] == "sunny-coliving"
    sneaky = create(client, status="APPROVED", adminNotes="self-approved", photos=[{"url": "https://x.example/a.jpg"}])
    assert (sneaky["slug"], sneaky["status"], sneaky["adminNotes"], sneaky["photos"]) == (
        "sunny-coliving-2",
        "PENDING_REVIEW",
        None,
        [],
    )


@pytest.mark.parametrize("key", sorted(DEMO_KEYS))
def test_every_demo_key_opens_its_own_account(client: TestClient, key: str) -> None:
    listed = client.get(f"{API}/properties", headers={"x-api-key": key}).json()["data"]
    ids = {listing["id"] for listing in listed}
    assert (RIVAL_PROPERTY_ID in ids) == (key == "bmc_demo_rival") and ids


# (from status, action) -> the status after it, or None when the platform refuses (409)
TRANSITIONS = {
    ("PENDING_REVIEW", "submit"): None,
    ("PENDING_REVIEW", "unpublish"): None,
    ("PENDING_REVIEW", "approve"): "APPROVED",
    ("PENDING_REVIEW", "reject"): "REJECTED",
    ("APPROVED", "submit"): None,
    ("APPROVED", "unpublish"): "DRAFT",
    ("APPROVED", "approve"): None,
    ("APPROVED", "reject"): None,
    ("DRAFT", "submit"): "PENDING_REVIEW",
    ("DRAFT", "unpublish"): None,
    ("DRAFT", "approve"): None,
    ("DRAFT", "reject"): None,
    ("REJECTED", "submit"): "PENDING_REVIEW",
    ("REJECTED", "unpublish"): None,
    ("REJECTED", "approve"): None,
    ("REJECTED", "reject"): None,
}
REACH = {
    "PENDING_REVIEW": [],
    "APPROVED": [("approve", {})],
    "DRAFT": [("approve", {}), ("unpublish", {})],
    "REJECTED": [("reject", {"adminNotes": "Blurry photos"})],
}


@pytest.mark.parametrize(("start", "action"), sorted(TRANSITIONS))
def test_moderation_moves_only_along_the_documented_transitions(client: TestClient, start: str, action: str) -> None:
    listing = create(client)
    for step, body in REACH[start]:
        assert move(client, listing["id"], step, **body).status_code == 200
    response = move(client, listing["id"], action, **({"adminNotes": "Needs photos"} if action == "reject" else {}))
    expected = TRANSITIONS[(start, action)]
    current = client.get(f"{API}/properties/{listing['id']}", headers=OPERATOR).json()
    if expected is None:
        assert response.status_code == 409
        assert response.json()["error"].startswith(f"Cannot {action} a {start} property")
        assert current["status"] == start
    else:
        assert response.status_code == 200 and response.json()["status"] == expected == current["status"]
        if action in ("submit", "unpublish"):
            conforms("submitPropertyForReview" if action == "submit" else "unpublishProperty", response)


def test_replacing_a_live_listing_keeps_it_live_but_flags_it_for_review(client: TestClient) -> None:
    listing = create(client, externalId="pms-77", description="Old text")
    move(client, listing["id"], "approve")
    response = client.put(
        f"{API}/properties/{listing['id']}", headers=OPERATOR, json={"name": "Sunny Coliving", "cityId": "city_berlin"}
    )
    conforms("replaceProperty", response)
    replaced = response.json()
    assert (replaced["status"], replaced["needsReview"]) == ("APPROVED", True)
    assert replaced["cityId"] == "city_berlin"
    assert replaced["description"] is None and replaced["externalId"] is None and replaced["amenities"] == []
    approved = move(client, listing["id"], "approve").json()
    assert (approved["status"], approved["needsReview"]) == ("APPROVED", False)
    assert move(client, listing["id"], "approve").status_code == 409


def test_a_rejection_carries_the_admins_notes_until_approval(client: TestClient) -> None:
    listing = create(client)
    rejected = move(client, listing["id"], "reject", adminNotes="Add room photos").json()
    assert rejected["adminNotes"] == "Add room photos"
    move(client, listing["id"], "submit")
    assert move(client, listing["id"], "approve").json()["adminNotes"] is None


def test_an_external_id_is_never_listed_twice(client: TestClient) -> None:
    first = create(client, externalId="pms-9")
    again = client.post(f"{API}/properties", headers=OPERATOR, json={**LISTING, "name": "Other", "externalId": "pms-9"})
    assert again.status_code == 200
    conforms("createProperty", again)
    assert again.json() == {**first, "reused": True}
    found = client.get(f"{API}/properties", headers=OPERATOR, params={"externalId": "pms-9"}).json()
    assert [p["id"] for p in found["data"]] == [first["id"]]
    rival = client.post(f"{API}/properties", headers=RIVAL, json={**LISTING, "externalId": "pms-9"})
    assert rival.status_code == 201 and rival.json()["id"] != first["id"]
    other = create(client, externalId="pms-10")
    clash = client.put(f"{API}/properties/{other['id']}", headers=OPERATOR, json={**LISTING, "externalId": "pms-9"})
    assert clash.status_code == 409 and "pms-9" in clash.json()["error"]


def test_ids_must_come_from_the_reference_data(client: TestClient) -> None:
    cities = client.get(f"{API}/cities", headers=OPERATOR)
    conforms("listCities", cities)
    assert "city_lisbon" in {city["id"] for city in cities.json()["data"]}
    for operation_id, path in (("listColivingTypes", "coliving-types"), ("listAmenities", "amenities")):
        conforms(operation_id, client.get(f"{API}/{path}", headers=OPERATOR))
    response = client.post(
        f"{API}/properties",
        headers=OPERATOR,
        json={**LISTING, "cityId": "city_atlantis", "colivingTypeIds": ["ct_pirates"], "amenities": ["wifi", "moat"]},
    )
    assert response.status_code == 400
    message = response.json()["error"]
    assert "cityId: unknown city" in message and "colivingTypeIds[0]" in message and "amenities[1]" in message


def test_other_operators_resources_are_forbidden_and_unknown_ones_not_found(client: TestClient) -> None:
    for path in (f"properties/{RIVAL_PROPERTY_ID}", f"properties/{RIVAL_PROPERTY_ID}/submit"):
        method = client.get if path.count("/") == 1 else client.post
        response = method(f"{API}/{path}", headers=OPERATOR)
        assert (response.status_code, response.json()) == (403, {"error": "API key doesn't own this resource"})
    thread = client.get(f"{API}/leads", headers=OPERATOR).json()["data"][0]["threadId"]
    assert client.get(f"{API}/messages/{thread}", headers=RIVAL).status_code == 403
    missing = client.get(f"{API}/properties/prop_nope", headers=OPERATOR)
    assert (missing.status_code, missing.json()) == (404, {"error": "Property not found"})


def test_deleting_a_listing_takes_its_leads_and_threads(client: TestClient) -> None:
    leads = client.get(f"{API}/leads", headers=OPERATOR, params={"propertyId": ALFAMA_PROPERTY_ID}).json()["data"]
    assert leads
    response = client.delete(f"{API}/properties/{ALFAMA_PROPERTY_ID}", headers=OPERATOR)
    conforms("deleteProperty", response)
    assert response.json() == {"id": ALFAMA_PROPERTY_ID, "deleted": True}
    assert client.get(f"{API}/properties/{ALFAMA_PROPERTY_ID}", headers=OPERATOR).status_code == 404
    assert client.get(f"{API}/leads/{leads[0]['id']}", headers=OPERATOR).status_code == 404
    assert client.get(f"{API}/messages/{leads[0]['threadId']}", headers=OPERATOR).status_code == 404


def test_photos_are_appended(client: TestClient) -> None:
    body = {"photos": [{"url": "https://img.example.com/a.jpg"}, {"url": "https://img.example.com/b.jpg"}]}
    response = client.post(f"{API}/properties/{ALFAMA_PROPERTY_ID}/photos", headers=OPERATOR, json=body)
    conforms("addPropertyPhotos", response)
    urls = [photo["url"] for photo in response.json()["photos"]]
    assert urls[-2:] == ["https://img.example.com/a.jpg", "https://img.example.com/b.jpg"] and len(urls) == 3


def test_leads_filter_by_listing_and_time_newest_first(client: TestClient, clock: Clock) -> None:
    clock.now = NOW + timedelta(days=1)
    made = client.post(
        "/bmc/sandbox/leads",
        headers=OPERATOR,
        json={"propertyId": CANGGU_PROPERTY_ID, "guestName": "Jane Smith", "guestEmail": "jane@example.com"},
    )
    assert made.status_code == 201
    lead = made.json()
    everything = client.get(f"{API}/leads", headers=OPERATOR)
    conforms("listLeads", everything)
    assert everything.json()["data"][0]["id"] == lead["id"]
    assert everything.json()["pagination"]["total"] == 4
    recent = client.get(f"{API}/leads", headers=OPERATOR, params={"since": "2026-04-25T12:00:00Z"}).json()
    assert [item["id"] for item in recent["data"]] == [lead["id"]]
    paged = client.get(f"{API}/leads", headers=OPERATOR, params={"limit": 1, "page": 2}).json()
    assert paged["pagination"] == {"page": 2, "limit": 1, "total": 4, "totalPages": 4}
    per_property = client.get(f"{API}/leads", headers=OPERATOR, params={"propertyId": CANGGU_PROPERTY_ID}).json()
    assert {item["propertyId"] for item in per_property["data"]} == {CANGGU_PROPERTY_ID}
    conforms("getLead", client.get(f"{API}/leads/{lead['id']}", headers=OPERATOR))
    bad = client.get(f"{API}/leads", headers=OPERATOR, params={"since": "last week"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("since must be an ISO 8601")


def test_a_reply_joins_the_thread_and_conversations_sort_by_activity(client: TestClient, clock: Clock) -> None:
    lead = client.get(f"{API}/leads", headers=OPERATOR, params={"propertyId": ALFAMA_PROPERTY_ID}).json()["data"][-1]
    clock.now = NOW + timedelta(hours=1)
    reply = client.post(
        f"{API}/messages/{lead['threadId']}",
        headers=OPERATOR,
        json={"content": "Yes, from the 1st.", "propertyId": ALFAMA_PROPERTY_ID},
    )
    conforms("replyToThread", reply)
    assert reply.status_code == 201 and reply.json()["sender"] == "OPERATOR"
    thread = client.get(f"{API}/messages/{lead['threadId']}", headers=OPERATOR)
    conforms("getThread", thread)
    assert thread.json()["messages"][-1]["content"] == "Yes, from the 1st."
    listed = client.get(f"{API}/messages", headers=OPERATOR)
    conforms("listConversations", listed)
    first = listed.json()["data"][0]
    assert (first["threadId"], first["lastMessage"]) == (lead["threadId"], "Yes, from the 1st.")
    window = {"dateFrom": "2026-04-25T10:00:00Z", "propertyId": ALFAMA_PROPERTY_ID}
    assert [c["threadId"] for c in client.get(f"{API}/messages", headers=OPERATOR, params=window).json()["data"]] == [
        lead["threadId"]
    ]
    unknown = client.post(
        f"{API}/messages/{lead['threadId']}", headers=OPERATOR, json={"content": "Hi", "propertyId": "prop_nope"}
    )
    assert unknown.status_code == 400 and "propertyId: unknown property" in unknown.json()["error"]


def test_replies_have_their_own_hourly_budget_of_60(client: TestClient, clock: Clock) -> None:
    thread = client.get(f"{API}/leads", headers=OPERATOR).json()["data"][0]
    body = {"content": "Hello", "propertyId": thread["propertyId"]}
    url = f"{API}/messages/{thread['threadId']}"
    for sent in range(1, 61):
        response = client.post(url, headers=OPERATOR, json=body)
        assert response.status_code == 201
        assert response.headers["X-RateLimit-Limit"] == "60"
        assert response.headers["X-RateLimit-Remaining"] == str(60 - sent)
    refused = client.post(url, headers=OPERATOR, json=body)
    assert refused.status_code == 429 and "60 requests per 3600 seconds" in refused.json()["error"]
    assert int(refused.headers["Retry-After"]) == 30 * 60
    other = client.get(f"{API}/leads", headers=OPERATOR)
    assert other.status_code == 200 and other.headers["X-RateLimit-Limit"] == "1000"
    assert client.get(f"{API}/cities", headers=OPERATOR).headers["X-RateLimit-Limit"] == "5000"
    clock.now = NOW + timedelta(minutes=30)
    assert client.post(url, headers=OPERATOR, json=body).status_code == 201


def test_a_retried_write_is_replayed_not_repeated(client: TestClient) -> None:
    headers = {**OPERATOR, "Idempotency-Key": "create-sunny-1"}
    first = client.post(f"{API}/properties", headers=headers, json=LISTING)
    again = client.post(f"{API}/properties", headers=headers, json=LISTING)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    names = [p["name"] for p in client.get(f"{API}/properties", headers=OPERATOR).json()["data"]]
    assert names.count("Sunny Coliving") == 1


def test_the_test_event_needs_a_configured_url(client: TestClient) -> None:
    response = client.post(f"{API}/webhooks/test", headers=OPERATOR, json={})
    assert response.status_code == 400 and "No webhook URL is configured" in response.json()["error"]
    refused = client.put("/bmc/sandbox/webhook", headers=OPERATOR, json={"url": "http://example.com/hook"})
    assert refused.status_code == 400 and "HTTPS" in refused.json()["error"]


def hmac_hex(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def test_events_are_delivered_signed_with_their_timestamp() -> None:
    secret = "whsec_unit_test_0123456789"
    with (
        WebhookReceiver() as hooks,
        start_background(":memory:") as sandbox,
        httpx.Client(base_url=sandbox.base_url + "/bmc", headers=OPERATOR) as api,
    ):
        configured = api.put("/sandbox/webhook", json={"url": hooks.url, "secret": secret})
        assert configured.json() == {"url": hooks.url, "secret": secret}
        created = api.post("/api/v1/properties", json=LISTING).json()
        delivery = hooks.next()
        api.post(f"/sandbox/admin/properties/{created['id']}/approve")
        approved = hooks.next()
        lead = api.post(
            "/sandbox/leads",
            json={"propertyId": created["id"], "guestName": "Jane Smith", "guestEmail": "jane@example.com"},
        ).json()
        both = {received.headers["x-bmc-event"]: received for received in (hooks.next(), hooks.next())}
        lead_created, message_received = both["lead.created"], both["message.received"]
        rival = httpx.post(f"{sandbox.base_url}/bmc/api/v1/properties", headers=RIVAL, json=LISTING)
        assert rival.status_code == 201
        test = api.post("/api/v1/webhooks/test", json={"event": "message.received"})
        pinged = hooks.next()
    assert hooks.pending() == 0
    assert pinged.headers["x-bmc-event"] == "message.received", "another operator's event reached this URL"
    assert delivery.headers["x-bmc-event"] == "property.created"
    assert approved.headers["x-bmc-event"] == "property.approved"
    for received in (delivery, approved, lead_created, message_received, pinged):
        headers = received.headers
        assert headers["user-agent"] == "BookMyColiving-Webhook/1.0"
        assert headers["content-type"] == "application/json"
        assert headers["x-bmc-signature"] == hmac_hex(secret, headers["x-bmc-timestamp"], received.body)
        assert verify_bmc_signature(received.body, headers["x-bmc-timestamp"], headers["x-bmc-signature"], secret)
        payload = json.loads(received.body)
        assert payload["event"] == headers["x-bmc-event"] and payload["timestamp"] == headers["x-bmc-timestamp"]
    assert json.loads(delivery.body)["data"]["id"] == created["id"]
    assert json.loads(approved.body)["data"]["status"] == "APPROVED"
    assert json.loads(lead_created.body)["data"] == lead
    assert json.loads(message_received.body)["data"]["threadId"] == lead["threadId"]
    assert test.json() == {"event": "message.received", "delivered": True, "status": 204}
    assert json.loads(pinged.body)["data"]["test"] is True
