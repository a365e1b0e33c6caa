"""Timestamps in one format, and a clock that tests can replace.

Every time the sandbox stores or returns is UTC ISO 8601 with milliseconds and a `Z`, the shape the
platform uses; parsing accepts any offset and normalises to UTC so comparisons are plain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """`2026-03-15T14:00:00.000Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 date-time with an offset (or `Z`), as UTC; None when it is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if "T" not in text.upper() or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def parse_date(text: str) -> date | None:
    """A `YYYY-MM-DD` calendar date; None when it is not one."""
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_moment(text: str) -> datetime | None:
    """A filter bound: a full date-time, or a bare date meaning its UTC midnight."""
    moment = parse_datetime(text)
    if moment is not None:
        return moment
    day = parse_date(text)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
