"""Agent settings and follow-up settings: one stored document per account, read by other resources.

Follow-up settings are a view of the same document (`enabled` is `followupEnabled`, ...), so the two
endpoints can never disagree. Working hours, showing duration, buffer and the daily cap drive showing
availability and booking conflicts.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, ok, public
from rentalot_mcp.sandbox.errors import FieldError, validation_failed
from rentalot_mcp.sandbox.rentalot.kinds import SETTINGS
from rentalot_mcp.sandbox.store import Record, Tx

ops = HandlerTable()

URL_FIELDS = ("bookingUrl", "externalLinkUrl")
FOLLOWUP_FIELDS = {"enabled": "followupEnabled", "idleHours": "followupIdleHours", "maxSteps": "followupMaxSteps"}
DEFAULT_WORKING_HOURS = {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]}


def defaults() -> Record:
    return {
        "agentName": None,
        "customInstructions": None,
        "timezone": "America/Chicago",
        "workingHours": dict(DEFAULT_WORKING_HOURS),
        "defaultShowingDuration": 60,
        "showingBufferMinutes": 15,
        "maxShowingsPerDay": 8,
        "showingCalendarId": None,
        "emailSignOff": None,
        "publicChatIntro": None,
        "publicChatSuggestions": [],
        "prescreeningEnabled": False,
        "publicChatEnabled": False,
        "profilePublic": False,
        "licenseNumber": None,
        "publicPhone": None,
        "followupEnabled": True,
        "followupIdleHours": 24,
        "followupMaxSteps": 3,
        "voiceEnabled": False,
        "voicePromptAddition": None,
        "voiceFirstMessage": None,
        "allowInternationalPhone": False,
        "bookingUrl": None,
        "externalLinkUrl": None,
        "externalLinkLabel": None,
        "showExternalLinkOnProfile": False,
        "showExternalLinkOnCompletion": False,
        "callHumanEnabled": False,
        "followupTemplates": [],
        "emailPreferences": {
            "marketing": False,
            "applicationNotifications": True,
            "notifyProspectOnReview": True,
            "emailProspectMatches": False,
            "schedulingEmailEnabled": True,
        },
    }


def settings_of(tx: Tx, owner: str) -> Record:
    """The account's settings with defaults for anything never set."""
    stored = tx.get(SETTINGS, owner, owner) or {}
    return {**defaults(), **stored}


def save_settings(tx: Tx, owner: str, values: Record) -> Record:
    record = {**values, "id": owner}
    if tx.get(SETTINGS, owner, owner) is None:
        tx.insert(SETTINGS, owner, record)
    else:
        tx.save(SETTINGS, owner, record)
    return record


def zone(settings: Record) -> ZoneInfo:
    return ZoneInfo(settings.get("timezone") or "UTC")


def _view(settings: Record) -> Record:
    return {key: value for key, value in public(settings).items() if key != "id"}


def _check(changes: dict[str, Any]) -> None:
    """Rules the schema cannot state: a real time zone, sane working hours, a usable showing length."""
    problems: list[FieldError] = []
    if "timezone" in changes:
        try:
            ZoneInfo(changes["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(FieldError("timezone", "must be an IANA time zone such as America/New_York"))
    hours = changes.get("workingHours")
    if hours is not None:
        times = [hours["start"], hours["end"]]
        if not all(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t) for t in times):
            problems.append(FieldError("workingHours", "start and end must be HH:mm (24-hour)"))
        elif times[0] >= times[1]:
            problems.append(FieldError("workingHours.end", "must be later than start"))
        if not hours["days"] or not all(d in range(1, 8) and d == int(d) for d in hours["days"]):
            problems.append(FieldError("workingHours.days", "must list ISO weekdays 1 (Monday) to 7 (Sunday)"))
    duration = changes.get("defaultShowingDuration")
    if duration is not None and not (duration == int(duration) and 15 <= duration <= 240):
        problems.append(FieldError("defaultShowingDuration", "must be a whole number of minutes from 15 to 240"))
    if problems:
        raise validation_failed(problems)


@ops("getSettings")
def get_settings(ctx: Ctx) -> Reply:
    return ok(_view(settings_of(ctx.tx, ctx.owner)))


@ops("updateSettings")
def update_settings(ctx: Ctx) -> Reply:
    known = defaults()
    changes = {k: v for k, v in ctx.body.items() if k in known}
    _check(changes)
    current = settings_of(ctx.tx, ctx.owner)
    for name in URL_FIELDS:
        if changes.get(name) == "":
            changes[name] = None
    if "workingHours" in changes and changes["workingHours"] is not None:
        hours = changes["workingHours"]
        changes["workingHours"] = {**hours, "days": sorted({int(d) for d in hours["days"]})}
    if "emailPreferences" in changes:
        changes["emailPreferences"] = {**current["emailPreferences"], **changes["emailPreferences"]}
    return ok(_view(save_settings(ctx.tx, ctx.owner, {**current, **changes})))


@ops("getFollowupSettings")
def get_followup_settings(ctx: Ctx) -> Reply:
    current = settings_of(ctx.tx, ctx.owner)
    return ok({name: current[field] for name, field in FOLLOWUP_FIELDS.items()})


@ops("updateFollowupSettings")
def update_followup_settings(ctx: Ctx) -> Reply:
    current = settings_of(ctx.tx, ctx.owner)
    for name, field in FOLLOWUP_FIELDS.items():
        if name in ctx.body:
            current[field] = ctx.body[name]
    saved = save_settings(ctx.tx, ctx.owner, current)
    return ok({name: saved[field] for name, field in FOLLOWUP_FIELDS.items()})
