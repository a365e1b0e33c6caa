"""A coliving operator on BookMyColiving, end to end: the real `rentalot-mcp --sandbox` over stdio, the SDK's
client, the sandbox's moderation and guests played over HTTP, signed webhooks caught on loopback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from mcp import Client
from mcp.client.stdio import stdio_client

from rentalot_mcp.webhooks import verify_bmc_signature
from tests.e2e.conftest import stdio_params
from tests.support.webhook_receiver import Received, WebhookReceiver

pytestmark = pytest.mark.anyio
OPERATOR_KEY = "bmc_demo_operator"
SECRET = "whsec_e2e_story_0123456789abcdef"
RENTALOT_TOOLS = 65
BMC_TOOLS = 18


def sandbox_url(stderr: Path) -> str:
    """The embedded sandbox's address, which `--sandbox` announces on stderr before serving."""
    found = re.search(r"sandbox listening on (http://127\.0\.0\.1:\d+)", stderr.read_text())
    assert found, stderr.read_text()
    return found.group(1)


async def call(client: Client, tool: str, **arguments: Any) -> tuple[Any, list[str]]:
    """The structured answer and the text blocks after it (notes), failing on a tool error."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, f"{tool}: {result.content[0].text}"
    return result.structured_content, [block.text for block in result.content[1:]]


async def next_event(hooks: WebhookReceiver, event: str) -> Received:
    return await anyio.to_thread.run_sync(hooks.next_event, event)


async def verified_by_the_tool(client: Client, received: Received, secret: str = SECRET) -> dict[str, Any]:
    answer, _ = await call(
        client,
        "bmc_verify_webhook_signature",
        rawBody=received.body.decode(),
        timestamp=received.headers["x-bmc-timestamp"],
        signature=received.headers["x-bmc-signature"],
        secret=secret,
    )
    return answer


async def test_list_a_coliving_home_get_it_approved_and_answer_its_first_lead(tmp_path: Path) -> None:
    stderr = tmp_path / "server.stderr"
    params = stdio_params(tmp_path, "--sandbox", "--db", str(tmp_path / "sandbox.sqlite3"))
    with stderr.open("w") as errlog, WebhookReceiver() as hooks:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            assert len(tools) == RENTALOT_TOOLS + BMC_TOOLS
            assert {"bmc_create_property", "bmc_reply_to_thread", "bmc_verify_webhook_signature"} <= tools
            async with httpx.AsyncClient(
                base_url=sandbox_url(stderr) + "/bmc", headers={"x-api-key": OPERATOR_KEY}
            ) as sandbox:
                # Dashboard Settings: where events go, and the secret they are signed with.
                configured = await sandbox.put("/sandbox/webhook", json={"url": hooks.url, "secret": SECRET})
                assert configured.status_code == 200

                # Reference data first: the ids a listing needs.
                cities, _ = await call(client, "bmc_list_cities")
                lisbon = next(city["id"] for city in cities["data"] if city["name"] == "Lisbon")
                types, _ = await call(client, "bmc_list_coliving_types")
                nomads = next(kind["id"] for kind in types["data"] if kind["slug"] == "digital-nomads")
                amenities, _ = await call(client, "bmc_list_amenities")
                assert {"wifi", "coworking"} <= {amenity["slug"] for amenity in amenities["data"]}

                listing = {
                    "name": "Graça Terrace House",
                    "description": "Nine rooms, a terrace over the city and a quiet coworking room.",
                    "cityId": lisbon,
                    "address": "Rua da Graça 12, Lisboa",
                    "amenities": ["wifi", "coworking"],
                    "contactEmail": "host@example.com",
                    "colivingTypeIds": [nomads],
                    "roomOptions": [{"type": "PRIVATE", "priceMonthly": 80000}],
                    "externalId": "pms-e2e-1",
                    "idempotencyKey": "e2e-create-graca",
                }
                created, notes = await call(client, "bmc_create_property", **listing)
                assert created["status"] == "PENDING_REVIEW" and not notes
                assert created["roomOptions"] == [{"type": "PRIVATE", "priceMonthly": 80000}]
                property_id = created["id"]
                property_created = await next_event(hooks, "property.created")
                assert json.loads(property_created.body)["data"]["id"] == property_id

                replayed, notes = await call(client, "bmc_create_property", **listing)
                assert replayed == created and any("nothing was done twice" in note for note in notes)
                reused, notes = await call(
                    client, "bmc_create_property", **{**listing, "idempotencyKey": "e2e-create-graca-again"}
                )
                assert reused["id"] == property_id and reused["reused"] is True
                assert any(note.startswith("Already exists, not created") for note in notes)

                listed, _ = await call(client, "bmc_list_properties", externalId="pms-e2e-1")
                assert [(p["id"], p["status"]) for p in listed["data"]] == [(property_id, "PENDING_REVIEW")]

                # The platform's admin approves the listing.
                approved = await sandbox.post(f"/sandbox/admin/properties/{property_id}/approve")
                assert approved.status_code == 200
                fetched, _ = await call(client, "bmc_get_property", propertyId=property_id)
                assert fetched["status"] == "APPROVED"
                property_approved = await next_event(hooks, "property.approved")

                # A guest enquires on the public site.
                enquiry = {
                    "propertyId": property_id,
                    "guestName": "Jane Smith",
                    "guestEmail": "jane@example.com",
                    "message": "Is a private room free from June?",
                }
                assert (await sandbox.post("/sandbox/leads", json=enquiry)).status_code == 201
                lead_created = await next_event(hooks, "lead.created")

            leads, _ = await call(client, "bmc_list_leads", propertyId=property_id)
            assert [lead["guestName"] for lead in leads["data"]] == ["Jane Smith"]
            lead, _ = await call(client, "bmc_get_lead", leadId=leads["data"][0]["id"])
            assert lead["message"] == "Is a private room free from June?"
            assert json.loads(lead_created.body)["data"]["id"] == lead["id"]

            thread, _ = await call(client, "bmc_get_thread", threadId=lead["threadId"])
            assert [m["sender"] for m in thread["messages"]] == ["TENANT"]
            too_long = await client.call_tool(
                "bmc_reply_to_thread", {"threadId": lead["threadId"], "propertyId": property_id, "content": "x" * 5001}
            )
            assert too_long.is_error and "nothing was sent" in too_long.content[0].text
            reply = "Hi Jane, yes: a private room is free from June 1st at $800.00 a month."
            sent, notes = await call(
                client, "bmc_reply_to_thread", threadId=lead["threadId"], propertyId=property_id, content=reply
            )
            assert sent["sender"] == "OPERATOR"
            assert any(note.startswith("Quota: 59 of 60 calls left") for note in notes)
            thread, _ = await call(client, "bmc_get_thread", threadId=lead["threadId"])
            assert [m["content"] for m in thread["messages"]][-1] == reply

            # The receiver is live: the platform's test event, verified by the tool and by the library.
            fired, _ = await call(client, "bmc_send_test_webhook", event="lead.created")
            assert fired == {"event": "lead.created", "delivered": True, "status": 204}
            test_event = await next_event(hooks, "lead.created")
            assert json.loads(test_event.body)["data"]["test"] is True

            for received in (property_created, property_approved, lead_created, test_event):
                assert received.headers["user-agent"] == "BookMyColiving-Webhook/1.0"
                assert await verified_by_the_tool(client, received) == {
                    "valid": True,
                    "reason": "signature matches and the timestamp is fresh",
                }
                assert verify_bmc_signature(
                    received.body, received.headers["x-bmc-timestamp"], received.headers["x-bmc-signature"], SECRET
                )
            tampered = Received(
                test_event.path, test_event.headers, test_event.body.replace(b"lead_test", b"lead_evil")
            )
            verdict = await verified_by_the_tool(client, tampered)
            assert verdict["valid"] is False and verdict["reason"].startswith("signature mismatch")
            wrong_secret = await verified_by_the_tool(client, test_event, secret="whsec_not_the_right_one_000")
            assert wrong_secret["valid"] is False
