"""Showings, the wider calendar of events, and open slots for new showings.

The agent is one person: any non-cancelled event blocks its time plus the `showingBufferMinutes`
travel buffer on either side, whichever property it is for. Booking a showing that overlaps that
window, or one more than `maxShowingsPerDay` on a (local) day, is a 409 CONFLICT. Availability offers
the slots of `defaultShowingDuration` minutes laid out from the start of the working hours (in the
account's time zone) that such a booking would accept, and never slots in the past.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply, new_id, no_content, ok, paginate, public
from rentalot_mcp.sandbox.errors import FieldError, conflict, invalid, not_found, validation_failed
from rentalot_mcp.sandbox.rentalot.kinds import CONTACT, EVENT, PROPERTY
from rentalot_mcp.sandbox.rentalot.settings import DEFAULT_WORKING_HOURS, settings_of, zone
from rentalot_mcp.sandbox.rentalot.subscriptions import emit
from rentalot_mcp.sandbox.store import Record
from rentalot_mcp.sandbox.times import iso, parse_date, parse_datetime, parse_moment

ops = HandlerTable()

EDITABLE = (
    "propertyId",
    "contactId",
    "title",
    "description",
    "startTime",
    "endTime",
    "timeZone",
    "location",
    "status",
    "notes",
)
DEFAULT_RANGE_DAYS = 7
MAX_RANGE_DAYS = 31


@dataclass(frozen=True, slots=True)
class Rules:
    """The scheduling settings that decide what can be booked."""

    tz: ZoneInfo
    start: time
    end: time
    days: frozenset[int]
    duration: timedelta
    buffer: timedelta
    max_per_day: int

    @classmethod
    def of(cls, settings: Record) -> Rules:
        hours = settings.get("workingHours") or DEFAULT_WORKING_HOURS
        return cls(
            tz=zone(settings),
            start=time.fromisoformat(hours["start"]),
            end=time.fromisoformat(hours["end"]),
            days=frozenset(int(d) for d in hours["days"]),
            duration=timedelta(minutes=int(settings["defaultShowingDuration"])),
            buffer=timedelta(minutes=int(settings["showingBufferMinutes"])),
            max_per_day=int(settings["maxShowingsPerDay"]),
        )


@dataclass(frozen=True, slots=True)
class Busy:
    title: str
    start: datetime
    end: datetime
    is_showing: bool


def busy_times(events: Iterable[Record], exclude: str | None = None) -> list[Busy]:
    out = []
    for event in events:
        start, end = parse_datetime(event["startTime"]), parse_datetime(event["endTime"])
        if event["status"] != "cancelled" and event["id"] != exclude and start and end:
            out.append(Busy(event["title"], start, end, event["type"] == "showing"))
    return out


def clash(busy: list[Busy], start: datetime, end: datetime, buffer: timedelta) -> Busy | None:
    """The first event within `buffer` of [start, end), if any."""
    return next((b for b in busy if b.start < end + buffer and start < b.end + buffer), None)


def showings_per_day(busy: list[Busy], tz: ZoneInfo) -> Counter[date]:
    return Counter(b.start.astimezone(tz).date() for b in busy if b.is_showing)


def free_slots(rules: Rules, busy: list[Busy], first: date, last: date, now: datetime) -> list[dict[str, str]]:
    per_day = showings_per_day(busy, rules.tz)
    slots = []
    day = first
    while day <= last:
        if day.isoweekday() in rules.days and per_day[day] < rules.max_per_day:
            cursor = datetime.combine(day, rules.start, rules.tz)
            close = datetime.combine(day, rules.end, rules.tz)
            while cursor + rules.duration <= close:
                start, end = cursor.astimezone(UTC), (cursor + rules.duration).astimezone(UTC)
                if start > now and clash(busy, start, end, rules.buffer) is None:
                    slots.append({"date": day.isoformat(), "start": iso(start), "end": iso(end)})
                cursor += rules.duration
        day += timedelta(days=1)
    return slots


def _ensure_bookable(ctx: Ctx, start: datetime, end: datetime, exclude: str | None = None) -> None:
    rules = Rules.of(settings_of(ctx.tx, ctx.owner))
    busy = busy_times(ctx.tx.list(EVENT, ctx.owner), exclude)
    hit = clash(busy, start, end, rules.buffer)
    if hit is not None:
        raise conflict(
            f"The time overlaps '{hit.title}' ({iso(hit.start)} to {iso(hit.end)}), including the "
            f"{int(rules.buffer.total_seconds() // 60)}-minute buffer between showings; check availability first."
        )
    day = start.astimezone(rules.tz).date()
    if showings_per_day(busy, rules.tz)[day] >= rules.max_per_day:
        raise conflict(f"{day.isoformat()} already has the maximum of {rules.max_per_day} showings.")


def _times(values: dict[str, str]) -> tuple[datetime, datetime]:
    start, end = parse_datetime(values["startTime"]), parse_datetime(values["endTime"])
    assert start is not None and end is not None  # the schema's date-time format guarantees both
    if end <= start:
        raise invalid("endTime", "must be later than startTime")
    if end - start > timedelta(hours=12):
        raise invalid("endTime", "a showing cannot last more than 12 hours")
    return start, end


def _check_zone(name: str | None) -> None:
    if name is None:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("timeZone", "must be an IANA time zone such as America/Chicago") from None


def _filtered(ctx: Ctx, rows: list[Record]) -> list[Record]:
    bounds = {}
    problems = []
    for name in ("startAfter", "startBefore"):
        if name in ctx.query:
            bounds[name] = parse_moment(ctx.query[name])
            if bounds[name] is None:
                problems.append(FieldError(name, "must be an ISO 8601 date-time or date"))
    if problems:
        raise validation_failed(problems)
    after, before = bounds.get("startAfter"), bounds.get("startBefore")
    kept = []
    for row in rows:
        start = parse_datetime(row["startTime"])
        if start is None or (after and start < after) or (before and start >= before):
            continue
        kept.append(public(row))
    kept.sort(key=lambda r: r["startTime"])
    return kept


@ops("listShowings")
def list_showings(ctx: Ctx) -> Reply:
    filters = {name: ctx.query[name] for name in ("propertyId", "contactId", "status") if name in ctx.query}
    return paginate(ctx, _filtered(ctx, ctx.tx.list(EVENT, ctx.owner, type="showing", **filters)))


@ops("listEvents")
def list_events(ctx: Ctx) -> Reply:
    filters = {"type": ctx.query["type"]} if "type" in ctx.query else {}
    return paginate(ctx, _filtered(ctx, ctx.tx.list(EVENT, ctx.owner, **filters)))


def _showing(ctx: Ctx) -> Record:
    event = ctx.load(EVENT, ctx.path["showingId"], "Showing")
    if event["type"] != "showing":
        raise not_found("Showing")
    return event


@ops("getShowing")
def get_showing(ctx: Ctx) -> Reply:
    return ok(public(_showing(ctx)))


@ops("createShowing")
def create_showing(ctx: Ctx) -> Reply:
    prop = ctx.ref(PROPERTY, ctx.arg("propertyId"), "Property", "propertyId")
    contact = ctx.ref(CONTACT, ctx.arg("contactId"), "Contact", "contactId")
    start, end = _times(ctx.body)
    _check_zone(ctx.arg("timeZone"))
    _ensure_bookable(ctx, start, end)
    settings = settings_of(ctx.tx, ctx.owner)
    location = ", ".join(p for p in (prop["address"], prop.get("city"), prop.get("state")) if p)
    showing = {
        "id": new_id(),
        "propertyId": prop["id"],
        "contactId": contact["id"],
        "title": ctx.arg("title"),
        "description": ctx.arg("description"),
        "startTime": iso(start),
        "endTime": iso(end),
        "timeZone": ctx.arg("timeZone") or settings["timezone"],
        "location": ctx.arg("location") or location,
        "status": "pending",
        "notes": ctx.arg("notes"),
        "source": "api",
        "type": "showing",
        "createdAt": ctx.stamp,
        "updatedAt": ctx.stamp,
    }
    ctx.tx.insert(EVENT, ctx.owner, showing)
    if contact["status"] == "prospect":
        contact.update(status="scheduled", updatedAt=ctx.stamp)
        ctx.tx.save(CONTACT, ctx.owner, contact)
    emit(ctx, "showing.booked", showing)
    return ok(showing, 201)


@ops("updateShowing")
def update_showing(ctx: Ctx) -> Reply:
    showing = _showing(ctx)
    changes = {k: v for k, v in ctx.body.items() if k in EDITABLE}
    if "propertyId" in changes:
        ctx.ref(PROPERTY, changes["propertyId"], "Property", "propertyId")
    if "contactId" in changes:
        ctx.ref(CONTACT, changes["contactId"], "Contact", "contactId")
    merged = {**showing, **changes}
    start, end = _times(merged)
    _check_zone(changes.get("timeZone"))
    was_cancelled = showing["status"] == "cancelled"
    reschedules = {"startTime", "endTime"} & changes.keys() or (was_cancelled and merged["status"] != "cancelled")
    if merged["status"] != "cancelled" and reschedules:
        _ensure_bookable(ctx, start, end, exclude=showing["id"])
    merged.update(startTime=iso(start), endTime=iso(end), updatedAt=ctx.stamp)
    ctx.tx.save(EVENT, ctx.owner, merged)
    if merged["status"] == "cancelled" and not was_cancelled:
        emit(ctx, "showing.cancelled", public(merged))
    return ok(public(merged))


@ops("cancelShowing")
def cancel_showing(ctx: Ctx) -> Reply:
    showing = _showing(ctx)
    if showing["status"] != "cancelled":
        showing.update(status="cancelled", updatedAt=ctx.stamp)
        ctx.tx.save(EVENT, ctx.owner, showing)
        emit(ctx, "showing.cancelled", public(showing))
    return no_content()


def _range(ctx: Ctx, today: date) -> tuple[date, date]:
    dates = {}
    for name in ("preferredDate", "dateFrom", "dateTo"):
        if name in ctx.query:
            text = ctx.query[name]
            parsed = parse_date(text[:10]) if parse_datetime(text) or len(text) == 10 else None
            if parsed is None:
                raise invalid(name, "must be a date (YYYY-MM-DD)")
            dates[name] = parsed
    if "preferredDate" in dates:
        return dates["preferredDate"], dates["preferredDate"]
    first = dates.get("dateFrom", today)
    last = dates.get("dateTo", first + timedelta(days=DEFAULT_RANGE_DAYS - 1))
    if last < first:
        raise invalid("dateTo", "must not be before dateFrom")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise invalid("dateTo", f"the range can span at most {MAX_RANGE_DAYS} days")
    return first, last


@ops("checkShowingAvailability")
def check_availability(ctx: Ctx) -> Reply:
    if "propertyId" in ctx.query:
        ctx.ref(PROPERTY, ctx.query["propertyId"], "Property", "propertyId")
    rules = Rules.of(settings_of(ctx.tx, ctx.owner))
    first, last = _range(ctx, ctx.now.astimezone(rules.tz).date())
    busy = busy_times(ctx.tx.list(EVENT, ctx.owner))
    window_start = datetime.combine(first, time.min, rules.tz)
    window_end = datetime.combine(last + timedelta(days=1), time.min, rules.tz)
    in_range = [b for b in busy if b.start < window_end and b.end > window_start]
    return ok(
        {
            "dateRange": {"from": first.isoformat(), "to": last.isoformat()},
            "availableSlots": free_slots(rules, busy, first, last, ctx.now),
            "existingEventCount": len(in_range),
        }
    )
