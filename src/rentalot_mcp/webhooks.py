"""Check that a BookMyColiving webhook delivery is authentic and fresh.

A delivery carries `X-BMC-Timestamp` (ISO 8601) and `X-BMC-Signature`: the hex HMAC-SHA256 of
`{timestamp}.{raw body}` under the webhook secret. Signing the timestamp with the body lets a
receiver refuse replays: a captured delivery stops verifying once it is older than the window.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

EVENT_HEADER = "X-BMC-Event"
TIMESTAMP_HEADER = "X-BMC-Timestamp"
SIGNATURE_HEADER = "X-BMC-Signature"
USER_AGENT = "BookMyColiving-Webhook/1.0"
TOLERANCE_SECONDS = 300.0
"""How far a delivery's timestamp may be from now, either way (clock skew, transit time)."""
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome and, for a refusal, the reason; truthy only when the delivery is valid."""

    valid: bool
    reason: str

    def __bool__(self) -> bool:
        return self.valid

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "reason": self.reason}


def sign_bmc(raw_body: bytes, timestamp: str, secret: str) -> str:
    """The signature a delivery of `raw_body` sent at `timestamp` carries."""
    message = timestamp.encode() + b"." + raw_body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def bmc_timestamp(moment: datetime) -> str:
    """`2026-04-25T10:00:00.000Z`: the timestamp form deliveries use."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def verify_bmc_signature(
    raw_body: bytes,
    timestamp: str,
    signature: str,
    secret: str,
    *,
    now: datetime | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> Verdict:
    """Whether `signature` is the delivery's HMAC under `secret` and `timestamp` is within `tolerance`.

    `raw_body` must be the bytes as received: re-serialised JSON signs differently. The secret never
    appears in a reason.
    """
    if not secret:
        return Verdict(False, "no webhook secret given")
    candidate = signature.strip()
    if not _HEX_SHA256.fullmatch(candidate):
        return Verdict(False, "malformed signature: expected 64 hex characters (HMAC-SHA256)")
    sent_at = _parse_timestamp(timestamp)
    if sent_at is None:
        return Verdict(False, f"malformed timestamp {timestamp[:40]!r}: expected ISO 8601")
    expected = sign_bmc(raw_body, timestamp, secret)
    if not hmac.compare_digest(expected.encode(), candidate.lower().encode()):
        return Verdict(False, "signature mismatch: wrong secret, or the body or timestamp was altered")
    age = ((now or datetime.now(UTC)) - sent_at).total_seconds()
    if age > tolerance:
        return Verdict(False, f"stale: sent {age:.0f} s ago, more than {tolerance:.0f} s (possible replay)")
    if age < -tolerance:
        return Verdict(False, f"timestamp {-age:.0f} s in the future, more than {tolerance:.0f} s ahead")
    return Verdict(True, "signature matches and the timestamp is fresh")


def _parse_timestamp(value: str) -> datetime | None:
    """ISO 8601; without an offset the time is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
