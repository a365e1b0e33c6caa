"""A property manager's week, end to end: the real `rentalot-mcp --sandbox` over stdio, driven by the
SDK's stdio client, through every one of the 65 Rentalot tools. Assertions are on the data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from mcp import Client
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from rentalot_mcp.openapi.operations import build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.sandbox import start_background
from tests.e2e.conftest import stdio_params
from tests.support.loopback import LoopbackServer

pytestmark = pytest.mark.anyio
ALL_TOOLS = {op.name for op in build_operations(load_spec(str(RENTALOT.spec_path)), RENTALOT.naming)}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


class Session:
    """The MCP client plus bookkeeping of which tools the scenario has used."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.used: set[str] = set()

    async def call(self, tool: str, **arguments: Any) -> Any:
        result = await self.client.call_tool(tool, arguments)
        self.used.add(tool)
        assert not result.is_error, f"{tool}: {result.content[0].text}"
        text = result.content[0].text
        return json.loads(text) if text.startswith(("{", "[")) else text

    async def fails(self, tool: str, **arguments: Any) -> str:
        result = await self.client.call_tool(tool, arguments)
        self.used.add(tool)
        assert result.is_error, f"{tool} should have failed: {result.content[0].text}"
        return result.content[0].text


@pytest.fixture
def receiver() -> Iterator[tuple[LoopbackServer, list[tuple[dict[str, str], bytes]]]]:
    """A webhook receiver on loopback that records what it is sent."""
    received: list[tuple[dict[str, str], bytes]] = []
    arrived = threading.Event()

    async def hook(request: Request) -> JSONResponse:
        received.append((dict(request.headers), await request.body()))
        arrived.set()
        return JSONResponse({"ok": True})

    with LoopbackServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as server:
        yield server, received


async def test_a_week_of_work_through_all_65_tools(tmp_path, receiver) -> None:
    hook_server, received = receiver
    async with Client(stdio_params(tmp_path, "--sandbox", "--db", str(tmp_path / "sandbox.sqlite3"))) as client:
        s = Session(client)
        await _settings(s)
        property_id = await _properties(s)
        await _images(s, property_id)
        contact_id = await _contacts(s)
        await _showings(s, property_id, contact_id)
        conversation_id = await _conversations(s, contact_id)
        await _drafts(s, contact_id, conversation_id)
        await _followups(s, contact_id, conversation_id)
        await _workflows(s, contact_id, property_id)
        await _webhooks(s, f"{hook_server.base_url}/hook", received)
        await _sessions(s)
        await _bulk(s)
        await _cleanup(s, property_id, contact_id)
    assert s.used >= ALL_TOOLS, f"tools the scenario did not use: {sorted(ALL_TOOLS - s.used)}"


async def _settings(s: Session) -> None:
    settings = (await s.call("get_settings"))["data"]
    assert "timezone" in settings
    updated = (await s.call("update_settings", agentName="Robin", showingBufferMinutes=15))["data"]
    assert updated["agentName"] == "Robin"
    assert (await s.call("get_settings"))["data"]["agentName"] == "Robin"
    await s.call("update_followup_settings", enabled=True, idleHours=48, maxSteps=2)
    followups = (await s.call("get_followup_settings"))["data"]
    assert (followups["enabled"], followups["idleHours"], followups["maxSteps"]) == (True, 48, 2)


async def _properties(s: Session) -> str:
    created = (
        await s.call(
            "create_property",
            address="88 Elm St, Unit 4",
            city="Springfield",
            state="IL",
            zip="62701",
            monthlyRent=1725,
            bedrooms=2,
            bathrooms=1,
            petPolicy="allowed",
        )
    )["data"]
    property_id = created["id"]
    assert created["monthlyRent"] == 1725 and created["status"] == "active"
    await s.call("update_property", propertyId=property_id, monthlyRent=1695)
    assert (await s.call("get_property", propertyId=property_id))["data"]["monthlyRent"] == 1695
    listed = await s.call("list_properties", city="Springfield", limit=5)
    assert [p["id"] for p in listed["data"]] == [property_id]
    assert listed["pagination"]["total"] == 1
    seeded = await s.call("list_properties", limit=5)
    assert seeded["pagination"]["total"] >= 20 and len(seeded["data"]) == 5
    return property_id


async def _images(s: Session, property_id: str) -> None:
    async with httpx.AsyncClient() as http:
        presigned = await s.call(
            "presign_image_upload",
            propertyId=property_id,
            fileName="front.png",
            contentType="image/png",
            sizeBytes=len(PNG),
        )
        presigned = presigned.get("data", presigned)
        assert (
            await http.put(presigned["uploadUrl"], content=PNG, headers={"Content-Type": "image/png"})
        ).status_code in (200, 201, 204)
        first = (
            await s.call(
                "confirm_image_upload",
                propertyId=property_id,
                r2Key=presigned["r2Key"],
                contentType="image/png",
                sizeBytes=len(PNG),
                altText="Front door",
            )
        )["data"]
        batch = (
            await s.call(
                "presign_image_batch",
                propertyId=property_id,
                images=[
                    {"fileName": f"room{i}.png", "contentType": "image/png", "sizeBytes": len(PNG)} for i in (1, 2)
                ],
            )
        )["data"]
        for item in batch:
            assert (await http.put(item["uploadUrl"], content=PNG)).status_code in (200, 201, 204)
        confirmed = (
            await s.call(
                "confirm_image_batch",
                propertyId=property_id,
                images=[{"r2Key": item["r2Key"], "contentType": "image/png", "sizeBytes": len(PNG)} for item in batch],
            )
        )["data"]
    images = (await s.call("list_property_images", propertyId=property_id))["data"]
    ids = [image["id"] for image in images]
    assert ids == [first["id"], *(image["id"] for image in confirmed)]
    await s.call("reorder_property_images", propertyId=property_id, imageIds=list(reversed(ids)))
    reordered = (await s.call("list_property_images", propertyId=property_id))["data"]
    assert [image["id"] for image in reordered] == list(reversed(ids))
    deleted = await s.call("delete_property_images", propertyId=property_id, imageIds=[ids[0]])
    assert deleted["deleted"] == 1
    job = (
        await s.call("import_property_images", propertyId=property_id, urls=["https://photos.example.com/kitchen.jpg"])
    )["data"]
    status = None
    for _ in range(10):
        status = (await s.call("get_image_import_job", propertyId=property_id, jobId=job["jobId"]))["data"]
        if status["status"] in ("completed", "failed"):
            break
    assert status and status["status"] == "completed"
    assert len((await s.call("list_property_images", propertyId=property_id))["data"]) == 3


async def _contacts(s: Session) -> str:
    contact = (
        await s.call(
            "create_contact", name="Dana Whitfield", email="dana@example.com", phone="+15555550123", source="zillow"
        )
    )["data"]
    contact_id = contact["id"]
    await s.call("update_contact", contactId=contact_id, status="scheduled", notes="Prefers evenings")
    assert (await s.call("get_contact", contactId=contact_id))["data"]["status"] == "scheduled"
    found = (await s.call("list_contacts", search="Whitfield"))["data"]
    assert [c["id"] for c in found] == [contact_id]
    return contact_id


async def _showings(s: Session, property_id: str, contact_id: str) -> None:
    day = _next_weekday(date.today() + timedelta(days=7)).isoformat()
    slots = (await s.call("check_showing_availability", propertyId=property_id, preferredDate=day))["data"]
    assert slots["availableSlots"], "a weekday a week out should have free slots"
    slot = slots["availableSlots"][0]
    showing = (
        await s.call(
            "create_showing",
            propertyId=property_id,
            contactId=contact_id,
            title="Tour of 88 Elm",
            startTime=slot["start"],
            endTime=slot["end"],
        )
    )["data"]
    after = (await s.call("check_showing_availability", propertyId=property_id, preferredDate=day))["data"]
    assert slot["start"] not in [free["start"] for free in after["availableSlots"]], "a booked slot is taken"
    later = after["availableSlots"][-1]
    moved = (await s.call("update_showing", showingId=showing["id"], startTime=later["start"], endTime=later["end"]))[
        "data"
    ]
    assert _instant(moved["startTime"]) == _instant(later["start"])
    assert (await s.call("get_showing", showingId=showing["id"]))["data"]["title"] == "Tour of 88 Elm"
    listed = (await s.call("list_showings", propertyId=property_id))["data"]
    assert [item["id"] for item in listed] == [showing["id"]]
    events = (await s.call("list_events", startAfter=f"{day}T00:00:00Z", limit=100))["data"]
    assert showing["id"] in [event["id"] for event in events]
    assert (await s.call("delete_showing", showingId=showing["id"])).endswith("(HTTP 204).")
    assert (await s.call("get_showing", showingId=showing["id"]))["data"]["status"] == "cancelled"


async def _conversations(s: Session, contact_id: str) -> str:
    sent = (
        await s.call(
            "send_message", contactId=contact_id, body="Hi Dana, the Elm St unit is still available.", channel="sms"
        )
    )["data"]
    conversations = (await s.call("list_conversations", contactId=contact_id))["data"]
    assert len(conversations) == 1
    conversation_id = conversations[0]["id"]
    assert sent.get("conversationId", conversation_id) == conversation_id
    assert (await s.call("get_conversation", conversationId=conversation_id))["data"]["id"] == conversation_id
    messages = (await s.call("list_conversation_messages", conversationId=conversation_id))["data"]
    assert any("still available" in (m.get("body") or m.get("content") or "") for m in messages)
    hits = (await s.call("search_conversations", query="still available"))["data"]
    assert any(hit.get("conversationId") == conversation_id for hit in hits)
    return conversation_id


async def _drafts(s: Session, contact_id: str, conversation_id: str) -> None:
    draft = (await s.call("create_draft", contactId=contact_id, channel="sms", body="Thursday at 5 works?"))["data"]
    await s.call("update_draft", draftId=draft["id"], body="Does Thursday at 5pm work for a tour?")
    assert (await s.call("get_draft", draftId=draft["id"]))["data"]["content"].startswith("Does Thursday")
    pending = (await s.call("list_drafts", contactId=contact_id, status="pending"))["data"]
    assert [d["id"] for d in pending] == [draft["id"]]
    await s.call("send_draft", draftId=draft["id"])
    assert (await s.call("get_draft", draftId=draft["id"]))["data"]["status"] == "sent"
    messages = (await s.call("list_conversation_messages", conversationId=conversation_id, limit=50))["data"]
    assert any("Thursday at 5pm" in (m.get("body") or m.get("content") or "") for m in messages)
    assert "409" in await s.fails("send_draft", draftId=draft["id"])
    spare = (await s.call("create_draft", contactId=contact_id, channel="email", body="Spare", subject="Spare"))["data"]
    await s.call("delete_draft", draftId=spare["id"])
    assert "404" in await s.fails("get_draft", draftId=spare["id"])


async def _followups(s: Session, contact_id: str, conversation_id: str) -> None:
    when = (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0).isoformat()
    followup = (
        await s.call("create_followup", contactId=contact_id, conversationId=conversation_id, scheduledAt=when)
    )["data"]
    assert (await s.call("get_followup", followupId=followup["id"]))["data"]["status"] == "pending"
    assert followup["id"] in [f["id"] for f in (await s.call("list_followups", contactId=contact_id))["data"]]
    await s.call("delete_followup", followupId=followup["id"])
    assert (await s.call("get_followup", followupId=followup["id"]))["data"]["status"] == "cancelled"


async def _workflows(s: Session, contact_id: str, property_id: str) -> None:
    workflow = (
        await s.call(
            "create_workflow",
            name="Tour follow-up",
            triggerType="manual",
            steps=[{"type": "message", "body": "Thanks for touring!"}],
        )
    )["data"]
    await s.call("update_workflow", workflowId=workflow["id"], description="After every tour")
    assert (await s.call("get_workflow", workflowId=workflow["id"]))["data"]["description"] == "After every tour"
    assert workflow["id"] in [w["id"] for w in (await s.call("list_workflows", triggerType="manual"))["data"]]
    run = (
        await s.call("trigger_workflow_run", workflowId=workflow["id"], contactId=contact_id, propertyId=property_id)
    )["data"]
    statuses = [run["status"]]
    for _ in range(6):
        statuses.append((await s.call("get_workflow_run", runId=run["id"]))["data"]["status"])
    assert statuses[0] in ("pending", "running") and statuses[-1] == "completed"
    runs = (await s.call("list_workflow_runs", workflowId=workflow["id"]))["data"]
    assert [r["id"] for r in runs] == [run["id"]]
    await s.call("delete_workflow", workflowId=workflow["id"])
    assert "404" in await s.fails("get_workflow", workflowId=workflow["id"])


async def _webhooks(s: Session, url: str, received: list[tuple[dict[str, str], bytes]]) -> None:
    created = (
        await s.call("create_webhook", url=url, events=["showing.booked", "message.received"], description="CRM sync")
    )["data"]
    secret = created["secret"]
    assert "secret" not in (await s.call("get_webhook", webhookId=created["id"]))["data"]
    await s.call("update_webhook", webhookId=created["id"], description="CRM sync (prod)")
    assert created["id"] in [w["id"] for w in (await s.call("list_webhooks"))["data"]]
    await s.call("test_webhook", webhookId=created["id"])
    headers, body = received[-1]
    assert hmac.compare_digest(
        headers["x-webhook-signature"], hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    )
    rotated = (await s.call("rotate_webhook_secret", webhookId=created["id"]))["data"]["secret"]
    assert rotated != secret
    await s.call("test_webhook", webhookId=created["id"])
    headers, body = received[-1]
    assert headers["x-webhook-signature"] == hmac.new(rotated.encode(), body, hashlib.sha256).hexdigest()
    await s.call("delete_webhook", webhookId=created["id"])


async def _sessions(s: Session) -> None:
    pending = (await s.call("list_sessions", reviewStatus="pending_review", status="completed"))["data"]
    assert pending, "the demo data has sessions waiting for review"
    session_id = pending[0]["id"]
    assert (await s.call("get_session", sessionId=session_id))["data"]["id"] == session_id
    reviewed = (
        await s.call("review_session", sessionId=session_id, reviewStatus="approved", reviewNotes="Income verified")
    )["data"]
    assert reviewed["reviewStatus"] == "approved"
    assert "409" in await s.fails("review_session", sessionId=session_id, reviewStatus="denied")


async def _bulk(s: Session) -> None:
    job = (
        await s.call(
            "bulk_create_properties",
            properties=[
                {
                    "address": f"{n} Birch Ave",
                    "city": "Lakeside",
                    "monthlyRent": 1400 + n,
                    "bedrooms": 1,
                    "bathrooms": 1,
                }
                for n in (1, 2, 3)
            ],
        )
    )["data"]
    status = None
    for _ in range(10):
        status = (await s.call("get_bulk_import_job", jobId=job["jobId"]))["data"]
        if status["status"] in ("completed", "failed"):
            break
    assert status and status["status"] == "completed"
    assert (await s.call("list_properties", city="Lakeside"))["pagination"]["total"] == 3


async def _cleanup(s: Session, property_id: str, contact_id: str) -> None:
    await s.call("delete_contact", contactId=contact_id)
    assert "404" in await s.fails("get_contact", contactId=contact_id)
    await s.call("delete_property", propertyId=property_id)
    assert "404" in await s.fails("get_property", propertyId=property_id)
    await s.call("delete_property", propertyId=property_id)  # deleting twice is harmless


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_a_starter_key_cannot_write_and_bad_input_changes_nothing(tmp_path) -> None:
    with start_background(":memory:") as sandbox:
        pro = {"RENTALOT_BASE_URL": sandbox.base_url, "RENTALOT_API_KEY": "ra_demo_pro"}
        async with Client(stdio_params(tmp_path, **pro)) as client:
            s = Session(client)
            before = (await s.call("list_properties"))["pagination"]["total"]
            text = await s.fails("create_property", address="1 Main", monthlyRent=-5, bedrooms="two", bathrooms=1)
            assert "bedrooms" in text and "nothing was sent" in text
            text = await s.fails(
                "create_property", address="1 Main", monthlyRent=900, bedrooms=1, bathrooms=1, status="sold"
            )
            assert "status" in text
            assert (await s.call("list_properties"))["pagination"]["total"] == before
        starter = {"RENTALOT_BASE_URL": sandbox.base_url, "RENTALOT_API_KEY": "ra_demo_starter"}
        async with Client(stdio_params(tmp_path, **starter)) as client:
            s = Session(client)
            assert (await s.call("list_properties"))["data"], "a Starter key can read"
            text = await s.fails("create_contact", name="Nope")
            assert "403" in text and "read-only" in text
