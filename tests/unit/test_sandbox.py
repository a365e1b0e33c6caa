"""The sandbox's request pipeline: auth, plans, isolation, rate limits, pagination, validation,
idempotency, persistence, and that every spec operation is served with spec-shaped responses."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.sandbox import DEMO_KEYS, create_app, start_background
from rentalot_mcp.sandbox.faults import FaultPlan
from rentalot_mcp.sandbox.rentalot import RENTALOT
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT
from rentalot_mcp.sandbox.rentalot.seed import (
    ELM_STREET_PROPERTY_ID,
    PRO_ACCOUNT_ID,
    STARTER_ACCOUNT_ID,
    demo_id,
)

PRO = {"Authorization": "Bearer ra_demo_pro"}
STARTER = {"Authorization": "Bearer ra_demo_starter"}
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SPEC = load_spec(RENTALOT.spec_path)
OPERATIONS = {
    op["operationId"]: (method.upper(), path, op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in ("get", "post", "patch", "put", "delete")
}


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def client():
    with TestClient(create_app(":memory:", rpm=100_000, clock=Clock())) as test_client:
        yield test_client


def conforms(operation_id: str, response: httpx.Response) -> None:
    """The response's status is declared for the operation and its body matches the declared schema."""
    _, _, operation = OPERATIONS[operation_id]
    declared = operation["responses"].get(str(response.status_code))
    assert declared is not None, f"{operation_id} answered undeclared {response.status_code}: {response.text}"
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        assert response.content == b""
        return
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
    assert not errors, f"{operation_id}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_every_operation_in_the_spec_has_a_handler_and_nothing_else_does():
    sandbox_only = {op["operationId"] for item in RENTALOT.extra_paths.values() for op in item.values()}
    assert sandbox_only == {"simulateInboundMessage"}
    assert set(RENTALOT.handlers) == set(OPERATIONS) | sandbox_only
    assert len(OPERATIONS) == 65


def test_health_and_spec_need_no_key(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["servers"][0]["url"] == "http://testserver"
    assert len([m for item in spec["paths"].values() for m in item if m in ("get", "post", "patch", "delete")]) == 65


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer ra_nope"}, {"Authorization": "Basic ra_demo_pro"}, {"Authorization": "Bearer"}],
)
def test_missing_or_wrong_keys_get_401(client, headers):
    response = client.get("/api/v1/properties", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_demo_keys_are_documented():
    assert DEMO_KEYS == {"ra_demo_pro": "Pro: read and write", "ra_demo_starter": "Starter: read-only"}


def test_starter_reads_but_every_write_is_forbidden_and_changes_nothing(client):
    before = client.get("/api/v1/contacts", headers=STARTER).json()["pagination"]["total"]
    own_property = demo_id("starter", "property", "beacon")
    writes = [
        ("POST", "/api/v1/contacts", {"name": "Zed", "email": "zed@example.com"}),
        ("PATCH", f"/api/v1/properties/{own_property}", {"monthlyRent": 1}),
        ("DELETE", f"/api/v1/properties/{own_property}", None),
        ("PATCH", "/api/v1/settings", {"agentName": "X"}),
    ]
    for method, path, body in writes:
        response = client.request(method, path, json=body, headers=STARTER)
        assert response.status_code == 403
        assert response.json() == {
            "error": {
                "code": "FORBIDDEN",
                "message": "Your plan (Starter) has read-only API access; upgrade to Pro to write.",
            }
        }
        assert response.headers["X-RateLimit-Limit"]
    assert client.get("/api/v1/contacts", headers=STARTER).json()["pagination"]["total"] == before
    assert client.get(f"/api/v1/properties/{own_property}", headers=STARTER).json()["data"]["monthlyRent"] == 3100


def test_each_account_sees_only_its_own_data(client):
    pro = client.get("/api/v1/properties", params={"limit": 100}, headers=PRO).json()
    starter = client.get("/api/v1/properties", headers=STARTER).json()
    assert pro["pagination"]["total"] >= 20
    assert starter["pagination"]["total"] == 4
    assert {p["userId"] for p in pro["data"]} == {PRO_ACCOUNT_ID}
    assert {p["userId"] for p in starter["data"]} == {STARTER_ACCOUNT_ID}
    response = client.get(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=STARTER)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "NOT_FOUND", "message": "Property not found"}}
    starter_contact = demo_id("starter", "contact", "emma")
    assert client.patch(f"/api/v1/contacts/{starter_contact}", json={"name": "Hijack"}, headers=PRO).status_code == 404


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/properties/not-a-uuid", "Property not found"),
        ("/api/v1/properties/00000000-0000-4000-8000-000000000000", "Property not found"),
        ("/api/v1/workflows/runs/00000000-0000-4000-8000-000000000000", "Workflow run not found"),
        ("/api/v1/followups/nope", "Follow-up not found"),
    ],
)
def test_unknown_and_malformed_ids_are_404(client, path, message):
    response = client.get(path, headers=PRO)
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "NOT_FOUND", "message": message}


def test_rate_limit_headers_then_429_then_a_new_window():
    clock = Clock()
    with TestClient(create_app(":memory:", rpm=3, clock=clock)) as test_client:
        remaining = []
        for _ in range(3):
            response = test_client.get("/api/v1/contacts", headers=PRO)
            assert response.status_code == 200
            assert response.headers["X-RateLimit-Resource"] == "contacts"
            assert response.headers["X-RateLimit-Limit"] == "3"
            remaining.append(response.headers["X-RateLimit-Remaining"])
        assert remaining == ["2", "1", "0"]
        limited = test_client.get("/api/v1/settings", headers=PRO)
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "RATE_LIMITED"
        assert limited.headers["X-RateLimit-Resource"] == "settings"
        reset = int(limited.headers["X-RateLimit-Reset"])
        assert int(limited.headers["Retry-After"]) == reset - int(NOW.timestamp())
        assert test_client.get("/api/v1/settings", headers=STARTER).status_code == 200, "budgets are per key"
        clock.now += timedelta(seconds=60)
        assert test_client.get("/api/v1/settings", headers=PRO).status_code == 200


def test_plan_budgets_apply_without_an_override(monkeypatch):
    monkeypatch.delenv("RENTALOT_SANDBOX_RPM", raising=False)
    with TestClient(create_app(":memory:")) as test_client:
        assert test_client.get("/api/v1/settings", headers=PRO).headers["X-RateLimit-Limit"] == "120"
        assert test_client.get("/api/v1/settings", headers=STARTER).headers["X-RateLimit-Limit"] == "30"
    monkeypatch.setenv("RENTALOT_SANDBOX_RPM", "7")
    with TestClient(create_app(":memory:")) as test_client:
        assert test_client.get("/api/v1/settings", headers=PRO).headers["X-RateLimit-Limit"] == "7"


def test_pagination_pages_do_not_overlap_and_limit_is_capped_by_plan(client):
    first = client.get("/api/v1/properties", params={"limit": 5}, headers=PRO).json()
    second = client.get("/api/v1/properties", params={"limit": 5, "page": 2}, headers=PRO).json()
    assert second["pagination"] == {"page": 2, "limit": 5, "total": 22, "totalPages": 5}
    assert not {p["id"] for p in first["data"]} & {p["id"] for p in second["data"]}
    default = client.get("/api/v1/properties", headers=PRO).json()["pagination"]
    assert default == {"page": 1, "limit": 20, "total": 22, "totalPages": 2}
    beyond = client.get("/api/v1/properties", params={"page": 9}, headers=PRO).json()
    assert beyond["data"] == []
    capped = client.get("/api/v1/contacts", params={"limit": 80}, headers=STARTER).json()["pagination"]
    assert capped["limit"] == 50
    assert client.get("/api/v1/contacts", params={"limit": 101}, headers=PRO).status_code == 422


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"city": "austin"}, lambda p: p["city"] == "Austin"),
        ({"minBedrooms": 3, "maxRent": 3000}, lambda p: p["bedrooms"] >= 3 and p["monthlyRent"] <= 3000),
        ({"minRent": 2500}, lambda p: p["monthlyRent"] >= 2500),
        ({"minBathrooms": 2}, lambda p: p["bathrooms"] >= 2),
        ({"petFriendly": "true"}, lambda p: p["petPolicy"] in ("allowed", "negotiable")),
        ({"hasParking": "false"}, lambda p: p["parking"] == "none"),
        (
            {"availableBefore": "2026-03-10"},
            lambda p: p["availabilityDate"] is None or p["availabilityDate"] <= "2026-03-10",
        ),
    ],
)
def test_property_filters(client, params, check):
    body = client.get("/api/v1/properties", params={**params, "limit": 100}, headers=PRO).json()
    assert body["data"], "the seed has matches for every filter"
    assert body["pagination"]["total"] < 22, "the filter excluded something"
    assert all(check(p) for p in body["data"])


def test_other_list_filters(client):
    def listed(path, **params):
        return client.get(path, params={**params, "limit": 100}, headers=PRO).json()["data"]

    assert [c["name"] for c in listed("/api/v1/contacts", search="THOMPSON")] == ["Maya Thompson"]
    assert {c["role"] for c in listed("/api/v1/contacts", role="landlord")} == {"landlord"}
    assert {c["channelPreference"] for c in listed("/api/v1/contacts", channel="sms")} == {"sms"}
    assert {s["status"] for s in listed("/api/v1/showings", status="cancelled")} == {"cancelled"}
    assert {e["type"] for e in listed("/api/v1/events", type="call")} == {"call"}
    elm = listed("/api/v1/showings", propertyId=ELM_STREET_PROPERTY_ID)
    assert elm and {s["propertyId"] for s in elm} == {ELM_STREET_PROPERTY_ID}
    starts = [s["startTime"] for s in listed("/api/v1/showings", startAfter="2026-03-03T00:00:00Z")]
    assert starts == sorted(starts) and all(t >= "2026-03-03" for t in starts)
    assert {w["isActive"] for w in listed("/api/v1/workflows", isActive="false")} == {False}
    assert {d["channel"] for d in listed("/api/v1/drafts", channel="sms")} == {"sms"}
    assert {s["reviewStatus"] for s in listed("/api/v1/sessions", reviewStatus="pending_review")} == {"pending_review"}


def test_validation_errors_name_each_field(client):
    response = client.post(
        "/api/v1/properties", json={"address": "", "monthlyRent": 0, "bathrooms": "two"}, headers=PRO
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {d["field"]: d["message"] for d in error["details"]} == {
        "address": "must be at least 1 character long",
        "bathrooms": "must be a number",
        "bedrooms": "is required",
        "monthlyRent": "must be greater than 0",
    }
    query = client.get("/api/v1/properties", params={"limit": "abc", "petFriendly": "maybe"}, headers=PRO).json()
    assert {d["field"] for d in query["error"]["details"]} == {"limit", "petFriendly"}
    nested = client.post(
        f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}/images/presign-batch",
        json={"images": [{"fileName": "a.png", "contentType": "image/gif", "sizeBytes": 5}]},
        headers=PRO,
    ).json()
    assert nested["error"]["details"][0]["field"] == "images[0].contentType"
    when = client.post("/api/v1/showings", json={"startTime": "tomorrow"}, headers=PRO).json()["error"]["details"]
    assert {
        "field": "startTime",
        "message": "must be an ISO 8601 date-time with a timezone, e.g. 2026-03-15T14:00:00Z",
    } in when


def test_unreadable_missing_or_empty_bodies(client):
    garbage = client.post("/api/v1/contacts", content=b"{nope", headers={**PRO, "Content-Type": "application/json"})
    assert garbage.json()["error"]["details"] == [{"field": "body", "message": "must be valid JSON"}]
    missing = client.post("/api/v1/contacts", headers=PRO)
    assert missing.json()["error"]["details"] == [{"field": "body", "message": "is required"}]
    empty_patch = client.patch(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", json={}, headers=PRO)
    assert empty_patch.status_code == 422


def test_idempotent_post_replays_the_first_response(client):
    headers = {**PRO, "Idempotency-Key": "create-zoe-1"}
    body = {"name": "Zoe Park", "email": "zoe.park@example.com"}
    first = client.post("/api/v1/contacts", json=body, headers=headers)
    again = client.post("/api/v1/contacts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["X-Idempotent-Replayed"] == "true"
    assert "X-Idempotent-Replayed" not in first.headers
    assert len(client.get("/api/v1/contacts", params={"search": "zoe.park"}, headers=PRO).json()["data"]) == 1
    other = client.post("/api/v1/contacts", json={**body, "name": "Zoe P."}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_MISMATCH"
    fresh = client.post("/api/v1/contacts", json=body, headers={**PRO, "Idempotency-Key": "create-zoe-2"})
    assert fresh.json()["data"]["id"] != first.json()["data"]["id"]


def test_failed_requests_are_not_replayed(client):
    headers = {**PRO, "Idempotency-Key": "retry-after-fix"}
    assert client.post("/api/v1/contacts", json={"name": "No Address"}, headers=headers).status_code == 422
    fixed = client.post("/api/v1/contacts", json={"name": "No Address", "phone": "+15550001111"}, headers=headers)
    assert fixed.status_code == 201


def test_idempotency_keys_expire_after_a_day():
    clock = Clock()
    with TestClient(create_app(":memory:", rpm=1000, clock=clock)) as test_client:
        headers = {**PRO, "Idempotency-Key": "daily"}
        first = test_client.post("/api/v1/contacts", json={"name": "Day One", "phone": "+15550002222"}, headers=headers)
        clock.now += timedelta(hours=25)
        later = test_client.post("/api/v1/contacts", json={"name": "Day One", "phone": "+15550002222"}, headers=headers)
        assert "X-Idempotent-Replayed" not in later.headers
        assert later.json()["data"]["id"] != first.json()["data"]["id"]


def test_writes_and_idempotency_survive_a_restart(tmp_path: Path):
    db = tmp_path / "sandbox.sqlite3"
    headers = {**PRO, "Idempotency-Key": "persisted"}
    body = {"address": "9 Restart Rd", "monthlyRent": 1000, "bedrooms": 1, "bathrooms": 1}
    with TestClient(create_app(db, rpm=1000)) as first_run:
        created = first_run.post("/api/v1/properties", json=body, headers=headers)
        assert created.status_code == 201
        first_run.delete(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=PRO)
    with TestClient(create_app(db, rpm=1000)) as second_run:
        replay = second_run.post("/api/v1/properties", json=body, headers=headers)
        assert replay.headers["X-Idempotent-Replayed"] == "true"
        assert replay.json() == created.json()
        prop_id = created.json()["data"]["id"]
        assert second_run.get(f"/api/v1/properties/{prop_id}", headers=PRO).json()["data"]["address"] == "9 Restart Rd"
        assert second_run.get(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=PRO).status_code == 404
    with TestClient(create_app(db, rpm=1000, reset=True)) as reset_run:
        assert reset_run.get(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=PRO).status_code == 200
        assert reset_run.get(f"/api/v1/properties/{prop_id}", headers=PRO).status_code == 404


def test_deletes_are_idempotent_and_contacts_are_soft_deleted(client):
    contact = demo_id("pro", "contact", "grace")
    assert client.delete(f"/api/v1/contacts/{contact}", headers=PRO).status_code == 204
    assert client.delete(f"/api/v1/contacts/{contact}", headers=PRO).status_code == 204
    assert client.get(f"/api/v1/contacts/{contact}", headers=PRO).status_code == 404
    names = [c["name"] for c in client.get("/api/v1/contacts", params={"limit": 100}, headers=PRO).json()["data"]]
    assert "Grace O'Neil" not in names
    with client.app.state.service.store.transaction() as tx:
        kept = tx.find(CONTACT, PRO_ACCOUNT_ID, contact)
    assert kept is not None and kept.data["name"] == "Grace O'Neil" and kept.data["deletedAt"]
    never = client.delete("/api/v1/contacts/00000000-0000-4000-8000-000000000000", headers=PRO)
    assert never.status_code == 404
    assert client.delete(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=PRO).status_code == 204
    assert client.delete(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}", headers=PRO).status_code == 204


def test_unknown_routes_and_methods_answer_in_the_error_envelope(client):
    assert client.get("/api/v1/nothing", headers=PRO).json()["error"]["code"] == "NOT_FOUND"
    wrong = client.put("/api/v1/settings", json={}, headers=PRO)
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def _seeded_path_values() -> dict[str, str]:
    return {
        "propertyId": ELM_STREET_PROPERTY_ID,
        "contactId": demo_id("pro", "contact", "maya"),
        "showingId": demo_id("pro", "event", "maya-elm"),
        "conversationId": demo_id("pro", "conversation", "maya"),
        "draftId": demo_id("pro", "draft", "daniel-movein"),
        "followupId": demo_id("pro", "followup", "daniel"),
        "workflowId": demo_id("pro", "workflow", "pre-screening"),
        "runId": demo_id("pro", "run", "noah-lead"),
        "sessionId": demo_id("pro", "session", "priya"),
    }


@pytest.mark.parametrize(
    "operation_id", sorted(o for o, (m, p, _) in OPERATIONS.items() if m == "GET" and "jobId" not in p)
)
def test_every_read_returns_a_spec_shaped_body(client, operation_id):
    _, path, operation = OPERATIONS[operation_id]
    values = _seeded_path_values()
    if "{webhookId}" in path:
        hook = {"url": "https://hooks.example.com/rentalot", "events": ["showing.booked"]}
        values["webhookId"] = client.post("/api/v1/webhooks", json=hook, headers=PRO).json()["data"]["id"]
    required = {p["name"]: "pets" for p in operation.get("parameters", []) if p.get("required") and p["in"] == "query"}
    response = client.get(path.format(**values), params=required, headers=PRO)
    assert response.status_code == 200, response.text
    conforms(operation_id, response)


def test_concurrent_writes_over_real_http_all_land(tmp_path: Path):
    with start_background(tmp_path / "concurrent.sqlite3", rpm=100_000) as sandbox:
        failures: list[int] = []

        def create_many(worker: int) -> None:
            with httpx.Client(base_url=sandbox.base_url, headers=PRO) as http:
                for n in range(10):
                    response = http.post(
                        "/api/v1/contacts", json={"name": f"W{worker}-{n}", "phone": f"+1555{worker}{n:04}"}
                    )
                    if response.status_code != 201:
                        failures.append(response.status_code)

        with httpx.Client(base_url=sandbox.base_url, headers=PRO) as http:
            before = http.get("/api/v1/contacts").json()["pagination"]["total"]
        threads = [threading.Thread(target=create_many, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with httpx.Client(base_url=sandbox.base_url, headers=PRO) as http:
            after = http.get("/api/v1/contacts").json()["pagination"]["total"]
    assert failures == []
    assert after == before + 40


def test_every_write_answers_with_its_declared_status_and_shape(client):
    """One successful call per write operation (and per job poll), each checked against the spec."""
    called: set[str] = set()

    def call(operation_id: str, body=None, **path: str) -> dict:
        method, template, _ = OPERATIONS[operation_id]
        response = client.request(method, template.format(**path), json=body, headers=PRO)
        assert 200 <= response.status_code < 300, f"{operation_id}: {response.text}"
        conforms(operation_id, response)
        called.add(operation_id)
        return response.json() if response.content else {}

    prop = call("createProperty", {"address": "5 Spec St", "monthlyRent": 1800, "bedrooms": 2, "bathrooms": 1})["data"]
    pid = prop["id"]
    call("updateProperty", {"monthlyRent": 1750, "petPolicy": "allowed"}, propertyId=pid)
    bulk = call(
        "bulkCreateProperties",
        {"properties": [{"address": "6 Spec St", "monthlyRent": 900, "bedrooms": 0, "bathrooms": 1}]},
    )
    call("getBulkImportJob", jobId=bulk["data"]["jobId"])
    ticket = call(
        "presignImageUpload", {"fileName": "a.png", "contentType": "image/png", "sizeBytes": 3}, propertyId=pid
    )
    client.put(ticket["uploadUrl"], content=b"png")
    first = call(
        "confirmImageUpload", {"r2Key": ticket["r2Key"], "contentType": "image/png", "sizeBytes": 3}, propertyId=pid
    )
    tickets = call(
        "presignImageBatch",
        {"images": [{"fileName": "b.png", "contentType": "image/png", "sizeBytes": 2}]},
        propertyId=pid,
    )
    client.put(tickets["data"][0]["uploadUrl"], content=b"pn")
    batch = [{"r2Key": tickets["data"][0]["r2Key"], "contentType": "image/png", "sizeBytes": 2}]
    second = call("confirmImageBatch", {"images": batch}, propertyId=pid)["data"][0]
    call("reorderPropertyImages", {"imageIds": [second["id"], first["data"]["id"]]}, propertyId=pid)
    job = call("importPropertyImages", {"urls": ["https://cdn.example.com/c.jpg"]}, propertyId=pid)
    call("getImageImportJob", propertyId=pid, jobId=job["data"]["jobId"])
    call("deletePropertyImages", {"imageIds": [second["id"]]}, propertyId=pid)

    person = call("createContact", {"name": "Spec Person", "email": "spec@example.com", "phone": "+15550009999"})[
        "data"
    ]
    cid = person["id"]
    call("updateContact", {"status": "applicant", "notes": "Keen"}, contactId=cid)
    showing = call(
        "createShowing",
        {
            "propertyId": pid,
            "contactId": cid,
            "title": "Viewing",
            "startTime": "2026-03-10T14:00:00Z",
            "endTime": "2026-03-10T14:30:00Z",
        },
    )["data"]
    call("updateShowing", {"status": "confirmed"}, showingId=showing["id"])
    call("cancelShowing", showingId=showing["id"])
    call("sendMessage", {"contactId": cid, "body": "Hello!", "channel": "sms"})
    draft = call("createDraft", {"contactId": cid, "channel": "email", "body": "Draft", "subject": "Hi"})["data"]
    call("updateDraft", {"body": "Draft v2"}, draftId=draft["id"])
    call("sendDraft", {"subject": "Hello"}, draftId=draft["id"])
    spare = call("createDraft", {"contactId": cid, "channel": "sms", "body": "Spare"})["data"]
    call("deleteDraft", draftId=spare["id"])
    conversation = client.get("/api/v1/conversations", params={"contactId": cid}, headers=PRO).json()["data"][0]
    followup = call(
        "createFollowup",
        {"contactId": cid, "conversationId": conversation["id"], "scheduledAt": "2026-03-05T15:00:00Z"},
    )
    call("cancelFollowup", followupId=followup["data"]["id"])

    workflow = call(
        "createWorkflow", {"name": "Spec flow", "steps": [{"message": "Hi {firstName}"}], "triggerType": "manual"}
    )
    wid = workflow["data"]["id"]
    call("updateWorkflow", {"description": "Checked"}, workflowId=wid)
    run = call("triggerWorkflow", {"workflowId": wid, "contactId": cid, "propertyId": pid})["data"]
    for _ in range(3):
        client.get(f"/api/v1/workflows/runs/{run['id']}", headers=PRO)
    call("deleteWorkflow", workflowId=wid)

    hook = call("createWebhook", {"url": "http://127.0.0.1:9/closed", "events": ["message.sent"], "description": "x"})
    hid = hook["data"]["id"]
    call("updateWebhook", {"description": "renamed"}, webhookId=hid)
    assert call("testWebhook", webhookId=hid)["data"]["status"] == "failed"
    call("rotateWebhookSecret", webhookId=hid)
    call("deleteWebhook", webhookId=hid)

    call(
        "reviewSession",
        {"reviewStatus": "denied", "reviewNotes": "Budget"},
        sessionId=demo_id("pro", "session", "hannah"),
    )
    call("updateSettings", {"showingBufferMinutes": 30, "maxShowingsPerDay": 4})
    call("updateFollowupSettings", {"maxSteps": 2})
    call("deleteContact", contactId=cid)
    call("deleteProperty", propertyId=pid)

    writes = {o for o, (method, path, _) in OPERATIONS.items() if method != "GET" or "{jobId}" in path}
    assert writes - called == set()


def test_fault_plans_wrap_the_api_but_spare_control_routes():
    app = create_app(":memory:", rpm=1000, faults=FaultPlan.parse("503:1.0", seed=1))
    with TestClient(app) as faulty:
        assert faulty.get("/api/v1/settings", headers=PRO).status_code == 503
        assert faulty.get("/healthz").status_code == 200
        assert faulty.get("/api/v1/openapi.json").status_code == 200
