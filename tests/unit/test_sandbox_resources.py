"""The sandbox's business behaviour: scheduling, messaging, drafts, follow-ups, workflow runs, images,
background jobs, session review, settings and webhook subscriptions. The clock is frozen on Monday
2026-03-02 at 09:00 in Chicago (the Pro demo account's time zone), so seeded times are known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from rentalot_mcp.sandbox import create_app
from rentalot_mcp.sandbox.rentalot.seed import ELM_STREET_PROPERTY_ID, demo_id

PRO = {"Authorization": "Bearer ra_demo_pro"}
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TUESDAY = "2026-03-03"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def api(clock):
    with TestClient(create_app(":memory:", rpm=100_000, clock=clock), headers=PRO) as client:
        yield client


def contact(name: str) -> str:
    return demo_id("pro", "contact", name)


def data(response):
    assert response.status_code < 300, response.text
    return response.json()["data"]


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    return response.json()["error"]


def slots(api, day: str) -> list[str]:
    found = data(api.get("/api/v1/showings/availability", params={"preferredDate": day}))
    assert found["dateRange"] == {"from": day, "to": day}
    return [slot["start"] for slot in found["availableSlots"]]


def book(api, start: str, end: str, who: str = "hannah", prop: str = ELM_STREET_PROPERTY_ID):
    body = {"propertyId": prop, "contactId": contact(who), "title": "Viewing", "startTime": start, "endTime": end}
    return api.post("/api/v1/showings", json=body)


def test_availability_subtracts_showings_events_and_buffers(api):
    # Tuesday (CST, UTC-6): showing 10-11, team sync 12-12:30, showing 16-17; 15-minute buffer; 60-minute slots.
    assert slots(api, TUESDAY) == ["2026-03-03T19:00:00.000Z", "2026-03-03T20:00:00.000Z"]
    found = data(api.get("/api/v1/showings/availability", params={"preferredDate": TUESDAY}))
    assert found["existingEventCount"] == 3
    assert found["availableSlots"][0] == {
        "date": TUESDAY,
        "start": "2026-03-03T19:00:00.000Z",
        "end": "2026-03-03T20:00:00.000Z",
    }
    week = data(api.get("/api/v1/showings/availability"))
    assert week["dateRange"] == {"from": "2026-03-02", "to": "2026-03-08"}
    assert {s["date"] for s in week["availableSlots"]} <= {f"2026-03-0{d}" for d in range(2, 7)}, "no weekend slots"
    assert all(s["start"] > "2026-03-02T15:00" for s in week["availableSlots"]), "no slots in the past"


def test_booking_takes_the_slot_and_overlaps_are_conflicts(api):
    created = book(api, "2026-03-03T19:00:00Z", "2026-03-03T20:00:00Z")
    assert created.status_code == 201
    showing = created.json()["data"]
    assert showing["status"] == "pending"
    assert showing["location"] == "1420 Elm St, Unit 2, Austin, TX"
    assert slots(api, TUESDAY) == [], "the 14:00 slot is within the buffer of the new 13:00 showing"
    clash = error(book(api, "2026-03-03T20:10:00Z", "2026-03-03T20:40:00Z", who="olivia"), 409)
    assert clash["code"] == "CONFLICT"
    assert "buffer" in clash["message"]
    assert error(book(api, "2026-03-03T20:00:00Z", "2026-03-03T19:30:00Z"), 422)["details"][0]["field"] == "endTime"
    assert data(api.get(f"/api/v1/contacts/{contact('hannah')}"))["status"] == "scheduled"


def test_cancelling_frees_the_time_and_stays_visible(api):
    maya_showing = demo_id("pro", "event", "maya-elm")
    assert api.delete(f"/api/v1/showings/{maya_showing}").status_code == 204
    assert api.delete(f"/api/v1/showings/{maya_showing}").status_code == 204
    assert data(api.get(f"/api/v1/showings/{maya_showing}"))["status"] == "cancelled"
    assert "2026-03-03T16:00:00.000Z" in slots(api, TUESDAY)
    events = data(api.get("/api/v1/events", params={"startAfter": TUESDAY, "startBefore": "2026-03-04", "limit": 50}))
    assert {e["type"] for e in events} == {"showing", "meeting"}
    assert maya_showing in {e["id"] for e in events}


def test_rescheduling_checks_conflicts_but_not_against_itself(api):
    showing = demo_id("pro", "event", "maya-elm")
    moved = api.patch(
        f"/api/v1/showings/{showing}", json={"startTime": "2026-03-03T16:30:00Z", "endTime": "2026-03-03T17:30:00Z"}
    )
    assert data(moved)["startTime"] == "2026-03-03T16:30:00.000Z"
    onto_sync = {"startTime": "2026-03-03T18:00:00Z", "endTime": "2026-03-03T19:00:00Z"}
    assert error(api.patch(f"/api/v1/showings/{showing}", json=onto_sync), 409)["code"] == "CONFLICT"
    confirmed = api.patch(f"/api/v1/showings/{showing}", json={"status": "confirmed", "notes": "Bring keys"})
    assert data(confirmed)["notes"] == "Bring keys"


def test_daily_showing_cap(api):
    assert api.patch("/api/v1/settings", json={"maxShowingsPerDay": 2}).status_code == 200
    assert slots(api, TUESDAY) == [], "Tuesday already has two showings"
    refused = error(book(api, "2026-03-03T19:00:00Z", "2026-03-03T20:00:00Z"), 409)
    assert refused["message"] == "2026-03-03 already has the maximum of 2 showings."


def test_availability_follows_working_hours_and_duration(api):
    hours = {"workingHours": {"start": "13:00", "end": "15:00", "days": [2]}, "defaultShowingDuration": 30}
    assert api.patch("/api/v1/settings", json=hours).status_code == 200
    assert slots(api, TUESDAY) == [
        "2026-03-03T19:00:00.000Z",
        "2026-03-03T19:30:00.000Z",
        "2026-03-03T20:00:00.000Z",
        "2026-03-03T20:30:00.000Z",
    ]
    assert slots(api, "2026-03-04") == [], "Wednesday is no longer a working day"
    bad = api.get("/api/v1/showings/availability", params={"dateFrom": "2026-03-05", "dateTo": "2026-03-01"})
    assert error(bad, 422)["details"][0]["field"] == "dateTo"


def test_sending_a_message_opens_a_conversation_when_needed(api):
    before = data(api.get("/api/v1/conversations", params={"contactId": contact("hannah")}))
    assert before == []
    sent = api.post("/api/v1/messages", json={"contactId": contact("hannah"), "body": "Hi Hannah, Tuesday works!"})
    assert sent.status_code == 201
    assert data(sent)["channel"] == "email"
    conversations = data(api.get("/api/v1/conversations", params={"contactId": contact("hannah")}))
    assert [c["messageCount"] for c in conversations] == [1]
    messages = data(api.get(f"/api/v1/conversations/{conversations[0]['id']}/messages"))
    assert [(m["direction"], m["content"]) for m in messages] == [("outbound", "Hi Hannah, Tuesday works!")]
    unreachable = api.post("/api/v1/messages", json={"contactId": contact("hannah"), "body": "Hi", "channel": "sms"})
    assert error(unreachable, 422)["details"][0]["field"] == "channel"


def test_conversation_search(api):
    found = api.get("/api/v1/conversations/search", params={"query": "PARKING"}).json()
    assert found["total"] >= 2
    assert all("parking" in hit["content"].lower() for hit in found["data"])
    assert {"Maya Thompson", "Daniel Kim"} <= {hit["contactName"] for hit in found["data"]}
    assert error(api.get("/api/v1/conversations/search"), 422)["details"][0]["field"] == "query"


def test_sending_a_draft_posts_it_once(api):
    draft_id = demo_id("pro", "draft", "daniel-movein")
    conversation = demo_id("pro", "conversation", "daniel")
    count = data(api.get(f"/api/v1/conversations/{conversation}"))["messageCount"]
    sent = data(api.post(f"/api/v1/drafts/{draft_id}/send", json={"body": "Hi Daniel, Tejon St is yours to see!"}))
    assert sent["draft"]["status"] == "sent"
    assert sent["draft"]["content"] == "Hi Daniel, Tejon St is yours to see!"
    assert sent["deepLinks"]["sms"].startswith("sms:+17205550177?body=Hi%20Daniel")
    assert sent["deepLinks"]["whatsapp"].startswith("https://wa.me/17205550177?text=")
    assert data(api.get(f"/api/v1/conversations/{conversation}"))["messageCount"] == count + 1
    latest = data(api.get(f"/api/v1/conversations/{conversation}/messages", params={"limit": 1}))
    assert latest[0]["content"] == "Hi Daniel, Tejon St is yours to see!"
    assert error(api.post(f"/api/v1/drafts/{draft_id}/send"), 409)["code"] == "CONFLICT"
    assert api.patch(f"/api/v1/drafts/{draft_id}", json={"body": "edit"}).status_code == 409
    assert data(api.get(f"/api/v1/conversations/{conversation}"))["messageCount"] == count + 1


def test_drafts_expire_after_a_day_and_pending_ones_can_be_edited_or_deleted(api, clock):
    created = data(
        api.post("/api/v1/drafts", json={"contactId": contact("liam"), "channel": "whatsapp", "body": "Hello"})
    )
    assert created["expiresAt"] == "2026-03-03T15:00:00.000Z"
    assert data(api.patch(f"/api/v1/drafts/{created['id']}", json={"body": "Hello Liam"}))["content"] == "Hello Liam"
    clock.now += timedelta(hours=25)
    assert data(api.get(f"/api/v1/drafts/{created['id']}"))["status"] == "expired"
    assert api.post(f"/api/v1/drafts/{created['id']}/send").status_code == 409
    fresh = data(api.post("/api/v1/drafts", json={"contactId": contact("liam"), "channel": "sms", "body": "Hi"}))
    assert api.delete(f"/api/v1/drafts/{fresh['id']}").status_code == 204
    assert api.delete(f"/api/v1/drafts/{fresh['id']}").status_code == 204
    assert api.get(f"/api/v1/drafts/{fresh['id']}").status_code == 404


def test_followups_fire_when_due_and_only_pending_ones_cancel(api, clock):
    conversation = demo_id("pro", "conversation", "maya")
    body = {"contactId": contact("maya"), "conversationId": conversation, "scheduledAt": "2026-03-02T18:00:00Z"}
    followup = data(api.post("/api/v1/followups", json=body))
    assert followup["status"] == "pending"
    assert followup["message"] == "Hi Maya, still interested in a viewing? I have slots this week."
    past = api.post("/api/v1/followups", json={**body, "scheduledAt": "2026-03-01T18:00:00Z"})
    assert error(past, 422)["details"][0]["field"] == "scheduledAt"
    wrong = api.post("/api/v1/followups", json={**body, "contactId": contact("daniel")})
    assert error(wrong, 422)["details"][0]["field"] == "conversationId"
    count = data(api.get(f"/api/v1/conversations/{conversation}"))["messageCount"]
    clock.now += timedelta(hours=4)
    assert data(api.get(f"/api/v1/followups/{followup['id']}"))["status"] == "sent"
    assert data(api.get(f"/api/v1/conversations/{conversation}"))["messageCount"] == count + 1
    assert error(api.delete(f"/api/v1/followups/{followup['id']}"), 409)["code"] == "CONFLICT"
    pending = demo_id("pro", "followup", "sofia")
    assert api.delete(f"/api/v1/followups/{pending}").status_code == 204
    assert api.delete(f"/api/v1/followups/{pending}").status_code == 204
    assert data(api.get(f"/api/v1/followups/{pending}"))["status"] == "cancelled"


def test_a_simulated_reply_lands_in_the_conversation_and_cancels_pending_followups(api):
    daniel = contact("daniel")
    pending = demo_id("pro", "followup", "daniel")
    reply = api.post("/sandbox/inbound-messages", json={"contactId": daniel, "body": "Is Friday ok?"})
    assert reply.status_code == 201
    assert (data(reply)["direction"], data(reply)["channel"]) == ("inbound", "sms")
    latest = data(
        api.get(f"/api/v1/conversations/{demo_id('pro', 'conversation', 'daniel')}/messages", params={"limit": 1})
    )
    assert latest[0]["content"] == "Is Friday ok?"
    assert data(api.get(f"/api/v1/followups/{pending}"))["status"] == "cancelled"
    starter = api.post(
        "/sandbox/inbound-messages",
        json={"contactId": daniel, "body": "x"},
        headers={"Authorization": "Bearer ra_demo_starter"},
    )
    assert starter.status_code == 403


def test_workflow_runs_advance_one_step_per_poll_and_send_messages(api):
    workflow = demo_id("pro", "workflow", "new-lead-follow-up")
    run = data(api.post("/api/v1/workflows/runs", json={"workflowId": workflow, "contactId": contact("hannah")}))
    assert (run["status"], run["currentStepIndex"], run["messagesSent"]) == ("pending", 0, 0)
    seen = [
        (r["status"], r["currentStepIndex"], r["messagesSent"])
        for r in (data(api.get(f"/api/v1/workflows/runs/{run['id']}")) for _ in range(5))
    ]
    assert seen == [
        ("running", 0, 0),
        ("running", 1, 1),
        ("running", 2, 1),
        ("completed", 2, 2),
        ("completed", 2, 2),
    ]
    final = data(api.get(f"/api/v1/workflows/runs/{run['id']}"))
    assert final["exitReason"] == "all_steps_completed" and final["completedAt"]
    conversation = data(api.get("/api/v1/conversations", params={"contactId": contact("hannah")}))[0]
    texts = [m["content"] for m in data(api.get(f"/api/v1/conversations/{conversation['id']}/messages"))]
    assert texts == [
        "Hi Hannah, just checking in: slots are filling up this week.",
        "Hi Hannah, thanks for reaching out! Want to book a viewing?",
    ]
    runs = data(api.get("/api/v1/workflows/runs", params={"templateId": workflow, "status": "completed"}))
    assert run["id"] in {r["id"] for r in runs}


def test_workflow_templates_version_and_guard_deletion(api):
    created = data(
        api.post(
            "/api/v1/workflows", json={"name": "Pre-screening", "steps": [{"message": "Hi"}], "triggerType": "manual"}
        )
    )
    assert created["slug"] == "pre-screening-2"
    assert created["currentVersion"] == 1
    renamed = data(api.patch(f"/api/v1/workflows/{created['id']}", json={"isPublic": True}))
    assert renamed["currentVersion"] == 1
    stepped = data(api.patch(f"/api/v1/workflows/{created['id']}", json={"steps": [{"message": "Hello"}]}))
    assert stepped["currentVersion"] == 2
    busy = demo_id("pro", "workflow", "new-lead-follow-up")
    assert error(api.delete(f"/api/v1/workflows/{busy}"), 409)["code"] == "CONFLICT"
    assert api.delete(f"/api/v1/workflows/{created['id']}").status_code == 204
    assert api.get(f"/api/v1/workflows/{created['id']}").status_code == 404
    inactive = demo_id("pro", "workflow", "holiday-special")
    refused = api.post("/api/v1/workflows/runs", json={"workflowId": inactive, "contactId": contact("maya")})
    assert error(refused, 409)["code"] == "CONFLICT"


def test_image_upload_confirm_reorder_delete(api):
    base = f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}/images"
    assert data(api.get(base)) == []
    uploaded = []
    for name, payload in (("front.png", b"\x89PNG front"), ("kitchen.png", b"\x89PNG kitchen!")):
        ticket = api.post(
            f"{base}/presign", json={"fileName": name, "contentType": "image/png", "sizeBytes": len(payload)}
        )
        assert ticket.status_code == 200
        ticket = ticket.json()
        assert ticket["maxImages"] == 25
        early = api.post(
            f"{base}/confirm", json={"r2Key": ticket["r2Key"], "contentType": "image/png", "sizeBytes": len(payload)}
        )
        assert error(early, 409)["code"] == "CONFLICT"
        put = api.put(ticket["uploadUrl"], content=payload, headers={"Content-Type": "image/png"})
        assert put.status_code == 200
        wrong = api.post(f"{base}/confirm", json={"r2Key": ticket["r2Key"], "contentType": "image/png", "sizeBytes": 1})
        assert error(wrong, 422)["details"][0]["field"] == "sizeBytes"
        image = data(
            api.post(
                f"{base}/confirm",
                json={"r2Key": ticket["r2Key"], "contentType": "image/png", "sizeBytes": len(payload), "altText": name},
            )
        )
        assert api.get(image["url"]).content == payload
        uploaded.append(image)
    assert [i["order"] for i in uploaded] == [0, 1]
    unknown = api.post(
        f"{base}/confirm", json={"r2Key": "properties/x/y.png", "contentType": "image/png", "sizeBytes": 3}
    )
    assert error(unknown, 422)["details"][0]["field"] == "r2Key"
    assert api.patch(f"{base}/reorder", json={"imageIds": [uploaded[1]["id"]]}).json() == {"ok": True}
    assert [i["altText"] for i in data(api.get(base))] == ["kitchen.png", "front.png"]
    stranger = api.patch(f"{base}/reorder", json={"imageIds": ["00000000-0000-4000-8000-000000000000"]})
    assert error(stranger, 422)["details"][0]["field"] == "imageIds[0]"
    deleted = api.request("DELETE", base, json={"imageIds": [uploaded[1]["id"]]})
    assert deleted.json() == {"deleted": 1}
    remaining = data(api.get(base))
    assert [(i["altText"], i["order"]) for i in remaining] == [("front.png", 0)]
    assert api.get(uploaded[1]["url"]).status_code == 404
    assert data(api.get(f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}"))["imageUrls"] == [remaining[0]["url"]]


def test_image_batches_are_all_or_nothing(api):
    base = f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}/images"
    files = [{"fileName": f"room-{n}.jpg", "contentType": "image/jpeg", "sizeBytes": 4} for n in range(3)]
    tickets = data(api.post(f"{base}/presign-batch", json={"images": files}))
    assert [t["fileName"] for t in tickets] == ["room-0.jpg", "room-1.jpg", "room-2.jpg"]
    for ticket in tickets[:2]:
        assert api.put(ticket["uploadUrl"], content=b"jpeg").status_code == 200
    confirm = [{"r2Key": t["r2Key"], "contentType": "image/jpeg", "sizeBytes": 4} for t in tickets]
    assert api.post(f"{base}/confirm-batch", json={"images": confirm}).status_code == 409
    assert data(api.get(base)) == [], "nothing was attached"
    created = api.post(f"{base}/confirm-batch", json={"images": confirm[:2]})
    assert created.status_code == 201
    assert [i["order"] for i in created.json()["data"]] == [0, 1]


def test_image_import_job_advances_when_polled(api):
    base = f"/api/v1/properties/{ELM_STREET_PROPERTY_ID}/images"
    urls = ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.webp", "https://cdn.example.com/floorplan.pdf"]
    accepted = api.post(f"{base}/import", json={"urls": urls})
    assert accepted.status_code == 202
    job = accepted.json()["data"]
    assert job["status"] == "pending" and job["totalUrls"] == 3
    first = data(api.get(f"{base}/import/{job['jobId']}"))
    assert (first["status"], first["imported"], first["failed"]) == ("processing", 2, 0)
    second = data(api.get(f"{base}/import/{job['jobId']}"))
    assert (second["status"], second["imported"], second["failed"]) == ("completed", 2, 1)
    assert second["errors"][0]["url"] == "https://cdn.example.com/floorplan.pdf"
    assert second["completedAt"]
    assert [i["url"] for i in data(api.get(base))] == urls[:2]
    other_property = demo_id("pro", "property", "tejon")
    assert api.get(f"/api/v1/properties/{other_property}/images/import/{job['jobId']}").status_code == 404


def test_bulk_property_import_creates_valid_rows(api):
    rows = [
        {"address": "1 Bulk Way", "monthlyRent": 1500, "bedrooms": 1, "bathrooms": 1, "city": "Austin"},
        {"address": "2 Bulk Way", "monthlyRent": -5, "bedrooms": 1, "bathrooms": 1},
        {"address": "3 Bulk Way", "monthlyRent": 1700, "bedrooms": 2, "bathrooms": 1.5},
    ]
    accepted = api.post("/api/v1/properties/bulk", json={"properties": rows})
    assert accepted.status_code == 202
    job_id = accepted.json()["data"]["jobId"]
    polls = [data(api.get(f"/api/v1/properties/bulk/{job_id}")) for _ in range(2)]
    assert [p["status"] for p in polls] == ["processing", "completed"]
    done = polls[-1]
    assert (done["total"], done["created"], done["failed"]) == (3, 2, 1)
    assert done["errors"] == [{"index": 1, "message": "monthlyRent: must be greater than 0"}]
    addresses = [data(api.get(f"/api/v1/properties/{pid}"))["address"] for pid in done["createdPropertyIds"]]
    assert addresses == ["1 Bulk Way", "3 Bulk Way"]


def test_sessions_are_reviewed_once(api):
    session = demo_id("pro", "session", "priya")
    reviewed = data(
        api.patch(f"/api/v1/sessions/{session}/review", json={"reviewStatus": "approved", "reviewNotes": "Solid"})
    )
    assert (reviewed["reviewStatus"], reviewed["reviewNotes"], reviewed["reviewedAt"]) == (
        "approved",
        "Solid",
        "2026-03-02T15:00:00.000Z",
    )
    again = api.patch(f"/api/v1/sessions/{session}/review", json={"reviewStatus": "denied"})
    assert error(again, 409)["code"] == "CONFLICT"
    assert data(api.get(f"/api/v1/sessions/{session}"))["reviewStatus"] == "approved"
    in_progress = demo_id("pro", "session", "olivia")
    assert api.patch(f"/api/v1/sessions/{in_progress}/review", json={"reviewStatus": "denied"}).status_code == 409
    assert data(api.get(f"/api/v1/sessions/{demo_id('pro', 'session', 'noah')}"))["status"] == "expired"
    assert error(api.patch(f"/api/v1/sessions/{session}/review", json={"reviewStatus": "maybe"}), 422)


def test_settings_persist_and_followup_settings_are_the_same_data(api):
    changed = data(api.patch("/api/v1/settings", json={"agentName": "Avery", "bookingUrl": ""}))
    assert changed["agentName"] == "Avery" and changed["bookingUrl"] is None
    assert data(api.get("/api/v1/settings"))["agentName"] == "Avery"
    assert data(api.patch("/api/v1/settings/followups", json={"enabled": False, "idleHours": 48})) == {
        "enabled": False,
        "idleHours": 48,
        "maxSteps": 3,
    }
    settings = data(api.get("/api/v1/settings"))
    assert (settings["followupEnabled"], settings["followupIdleHours"]) == (False, 48)
    prefs = data(
        api.patch(
            "/api/v1/settings",
            json={
                "emailPreferences": {
                    "marketing": True,
                    "applicationNotifications": True,
                    "notifyProspectOnReview": False,
                    "emailProspectMatches": False,
                    "schedulingEmailEnabled": True,
                }
            },
        )
    )
    assert prefs["emailPreferences"]["notifyProspectOnReview"] is False
    bad = api.patch(
        "/api/v1/settings",
        json={"timezone": "Mars/Olympus", "workingHours": {"start": "18:00", "end": "09:00", "days": [1]}},
    )
    assert {d["field"] for d in error(bad, 422)["details"]} == {"timezone", "workingHours.end"}


def test_webhook_subscriptions_show_the_secret_only_once(api):
    created = api.post("/api/v1/webhooks", json={"url": "https://hooks.example.com/x", "events": ["showing.booked"]})
    assert created.status_code == 201
    hook = created.json()["data"]
    assert hook["secret"].startswith("whsec_") and hook["active"] is True
    fetched = data(api.get(f"/api/v1/webhooks/{hook['id']}"))
    assert "secret" not in fetched
    assert all("secret" not in h for h in data(api.get("/api/v1/webhooks")))
    paused = data(api.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False, "events": ["message.sent"]}))
    assert (paused["active"], paused["events"]) == (False, ["message.sent"])
    rotated = data(api.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret"))
    assert rotated["id"] == hook["id"] and rotated["secret"] != hook["secret"]
    insecure = api.post("/api/v1/webhooks", json={"url": "http://hooks.example.com/x", "events": ["showing.booked"]})
    assert error(insecure, 422)["details"][0]["field"] == "url"
    assert api.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert api.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert api.get(f"/api/v1/webhooks/{hook['id']}").status_code == 404
