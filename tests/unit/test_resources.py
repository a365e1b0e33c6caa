"""Resources (the guide in our words, the spec in use) and prompts, through the SDK's client."""

from __future__ import annotations

import json
import re

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from rentalot_mcp.catalogue import Selection
from rentalot_mcp.openapi.spec import read_document
from rentalot_mcp.providers import RENTALOT
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.conftest import fake_settings, reference_file

GUIDE = "rentalot-mcp://guide/rentalot"
SPEC = "rentalot-mcp://spec/rentalot"
pytestmark = pytest.mark.anyio


async def _read(runtime: Runtime, uri: str) -> str:
    async with Client(build_server(runtime)) as client:
        return (await client.read_resource(uri)).contents[0].text


async def test_the_guide_and_the_spec_are_listed(runtime) -> None:
    async with Client(build_server(runtime)) as client:
        listed = {str(resource.uri): resource for resource in (await client.list_resources()).resources}
    assert listed[GUIDE].mime_type == "text/markdown"
    assert listed[SPEC].mime_type == "application/json"


async def test_the_guide_covers_what_an_agent_must_know(runtime) -> None:
    guide = await _read(runtime, GUIDE)
    for topic in (
        "## Keys and plans",
        "## Limits",
        "## Lists and pages",
        "## Errors",
        "Idempotency-Key",
        "## Webhooks",
    ):
        assert topic in guide
    for fact in ("Starter", "Pro", "Scale", "totalPages", "429", "Retry-After", "24 hours", "X-Webhook-Signature"):
        assert fact in guide


async def test_the_guide_is_written_in_our_own_words(runtime) -> None:
    squash = lambda text: re.sub(r"\s+", " ", text).strip().lower()  # noqa: E731
    theirs = squash(reference_file("rentalot-api-overview.txt").read_text(encoding="utf-8"))
    ours = squash(await _read(runtime, GUIDE))
    run = 40
    shared = [ours[i : i + run] for i in range(len(ours) - run) if ours[i : i + run] in theirs]
    assert shared == []


async def test_the_spec_resource_is_the_document_in_use(runtime) -> None:
    served = json.loads(await _read(runtime, SPEC))
    assert served == json.loads(json.dumps(read_document(str(RENTALOT.spec_path))))
    assert len([op for item in served["paths"].values() for op in item]) >= 65


async def test_an_unknown_resource_names_the_known_ones(runtime) -> None:
    async with Client(build_server(runtime)) as client:
        with pytest.raises(MCPError, match=f"Unknown resource .*{GUIDE}"):
            await client.read_resource("rentalot-mcp://guide/nope")


async def test_prompts_take_arguments_and_name_real_tools(runtime) -> None:
    async with Client(build_server(runtime)) as client:
        prompts = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}
        schedule = await client.get_prompt("schedule_showing", {"contact": "Sam Lee", "date": "2026-06-02"})
        weekly = await client.get_prompt("weekly_portfolio_summary", {"week_start": "2026-06-01"})
        triage = await client.get_prompt("triage_new_inquiries", {})
        with pytest.raises(MCPError, match="needs: contact"):
            await client.get_prompt("schedule_showing", {})
    assert set(prompts) == {"triage_new_inquiries", "schedule_showing", "weekly_portfolio_summary"}
    assert [a.name for a in prompts["schedule_showing"].arguments if a.required] == ["contact"]
    texts = {
        "schedule": schedule.messages[0].content.text,
        "weekly": weekly.messages[0].content.text,
        "triage": triage.messages[0].content.text,
    }
    assert "Sam Lee" in texts["schedule"] and "preferredDate=2026-06-02" in texts["schedule"]
    assert "2026-06-01" in texts["weekly"] and "the last 24 hours" in texts["triage"]
    for text in texts.values():
        for name in re.findall(r"\b(?:list|get|create|update|check|search)_[a-z_]+", text):
            assert runtime.catalogue.get(name) is not None, name


async def test_a_read_only_server_offers_no_booking_prompt_and_no_drafts() -> None:
    runtime = Runtime.create(fake_settings(), Selection(read_only=True))
    try:
        async with Client(build_server(runtime)) as client:
            names = {prompt.name for prompt in (await client.list_prompts()).prompts}
            triage = await client.get_prompt("triage_new_inquiries", {"since": "2026-05-01"})
    finally:
        await runtime.aclose()
    assert names == {"triage_new_inquiries", "weekly_portfolio_summary"}
    text = triage.messages[0].content.text
    assert "create_draft" not in text and "in your answer" in text and "since 2026-05-01" in text
