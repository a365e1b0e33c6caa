"""Prompts for everyday rental work, written against the Rentalot tools.

A prompt is offered only when the tools it cannot do without are in the catalogue (a `--read-only`
server offers no booking prompt), and its steps mention optional tools only when they are there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import mcp_types as types
from mcp.shared.exceptions import MCPError

from rentalot_mcp.catalogue import Catalogue

Has = Callable[[str], bool]
"""Whether a tool is in the catalogue."""


@dataclass(frozen=True, slots=True)
class PromptSpec:
    name: str
    title: str
    description: str
    arguments: tuple[types.PromptArgument, ...]
    needs: frozenset[str]
    text: Callable[[Mapping[str, str], Has], str]


def _triage(arguments: Mapping[str, str], has: Has) -> str:
    since = arguments.get("since") or "the last 24 hours"
    reply = (
        "stage a reply for each with create_draft (for review; never send anything yourself)"
        if has("create_draft")
        else "write the reply you suggest for each in your answer"
    )
    return (
        f"Triage the new rental inquiries since {since}.\n"
        "1. Find them: list_conversations (latest activity first) and list_contacts with status=prospect; "
        'use fields=["id", ...] with only what you need and stop paging once you are past the period.\n'
        "2. For each one, read the thread with list_conversation_messages, look up the contact with get_contact "
        "and the listing they ask about with get_property (or list_properties with their criteria).\n"
        "3. Sort each inquiry into: ready to view, needs more information, not a fit, or spam.\n"
        "4. For those ready to view, find free slots with check_showing_availability.\n"
        f"5. Then {reply}.\n"
        "Finish with a table: contact, listing, category, suggested next step."
    )


def _schedule(arguments: Mapping[str, str], has: Has) -> str:
    contact, listing, day = arguments.get("contact", ""), arguments.get("property"), arguments.get("date")
    where = (
        f"the listing {listing!r} (get_property for an ID, otherwise list_properties with its city or criteria)"
        if listing
        else "the listing they asked about (their thread: list_conversations with contactId, "
        "then list_conversation_messages)"
    )
    slots = f"with preferredDate={day}" if day else "for the next days"
    tell = (
        "\n5. Offer to tell the contact: create_draft with the time and address, for review."
        if has("create_draft")
        else ""
    )
    return (
        f"Schedule a property showing for {contact}.\n"
        "1. Find the contact: get_contact for an ID, otherwise list_contacts with search set to the name, email "
        "or phone. If several match, ask which one.\n"
        f"2. Find {where}.\n"
        f"3. Call check_showing_availability for that propertyId {slots} and offer up to three free slots.\n"
        "4. Once a slot is chosen, create_showing with propertyId, contactId, a title, startTime and endTime "
        "(ISO 8601 date-times, one hour apart) and the timeZone. It starts as pending; update_showing with "
        "status=confirmed once both sides agree." + tell
    )


def _weekly(arguments: Mapping[str, str], has: Has) -> str:
    week = arguments.get("week_start") or "this week's Monday"
    sections = [
        "- Listings: list_properties; count them by status and name the vacant ones.",
        "- Showings: list_showings with startAfter and startBefore bounding the week; count them by status.",
    ]
    optional = {
        "list_contacts": "- New prospects: list_contacts with status=prospect.",
        "list_sessions": "- Pre-screening waiting for review: list_sessions with reviewStatus=pending_review.",
        "list_followups": "- Follow-ups still to go out: list_followups with status=pending.",
    }
    sections.extend(line for tool, line in optional.items() if has(tool))
    return (
        f"Write a summary of the rental portfolio for the week starting {week}.\n"
        + "\n".join(sections)
        + "\nPage through each list to its last page, with fields=[...] limited to what you count or name. "
        "Report a one-line headline, the numbers per section, and the three things to act on first."
    )


PROMPTS = (
    PromptSpec(
        name="triage_new_inquiries",
        title="Triage new inquiries",
        description="Read new prospect conversations, sort them and prepare replies.",
        arguments=(
            types.PromptArgument(name="since", description="Start of the period, e.g. 2026-05-01 (default: last day)"),
        ),
        needs=frozenset({"list_conversations", "list_conversation_messages"}),
        text=_triage,
    ),
    PromptSpec(
        name="schedule_showing",
        title="Schedule a showing",
        description="Find a free slot and book a viewing for a contact.",
        arguments=(
            types.PromptArgument(name="contact", description="Contact ID, name, email or phone", required=True),
            types.PromptArgument(name="property", description="Property ID or address (default: what they asked)"),
            types.PromptArgument(name="date", description="Preferred day, YYYY-MM-DD"),
        ),
        needs=frozenset({"list_contacts", "check_showing_availability", "create_showing"}),
        text=_schedule,
    ),
    PromptSpec(
        name="weekly_portfolio_summary",
        title="Weekly portfolio summary",
        description="Listings, showings, prospects and pending work of one week.",
        arguments=(types.PromptArgument(name="week_start", description="Monday of the week, YYYY-MM-DD"),),
        needs=frozenset({"list_properties", "list_showings"}),
        text=_weekly,
    ),
)


class Prompts:
    """The prompts a catalogue can serve."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._has: Has = lambda name: catalogue.get(name) is not None
        self._prompts = {spec.name: spec for spec in PROMPTS if all(self._has(tool) for tool in spec.needs)}

    def list(self) -> list[types.Prompt]:
        return [
            types.Prompt(name=spec.name, title=spec.title, description=spec.description, arguments=list(spec.arguments))
            for spec in self._prompts.values()
        ]

    def get(self, name: str, arguments: Mapping[str, str] | None) -> types.GetPromptResult:
        spec = self._prompts.get(name)
        if spec is None:
            raise MCPError(types.INVALID_PARAMS, f"Unknown prompt {name!r}. Known: {', '.join(self._prompts)}.")
        given = {key: value.strip() for key, value in (arguments or {}).items() if value and value.strip()}
        missing = [argument.name for argument in spec.arguments if argument.required and argument.name not in given]
        if missing:
            raise MCPError(types.INVALID_PARAMS, f"Prompt {name} needs: {', '.join(missing)}.")
        message = types.PromptMessage(
            role="user", content=types.TextContent(type="text", text=spec.text(given, self._has))
        )
        return types.GetPromptResult(description=spec.description, messages=[message])
