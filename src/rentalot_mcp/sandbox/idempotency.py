"""Idempotency-Key on POST: the first successful response is replayed for 24 hours.

Keys are scoped to the account. A request is identified by a fingerprint of its method, path and
canonical JSON body, so reusing a key for a different request is refused (422 IDEMPOTENCY_MISMATCH)
instead of silently replaying an unrelated answer. Only 2xx responses are kept: after a 4xx the
client can fix the request and retry with the same key. The caller saves the response in the same
transaction as the write it describes, so a crash can never keep one without the other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from rentalot_mcp.sandbox.errors import ApiError
from rentalot_mcp.sandbox.store import Tx

TTL_SECONDS = 24 * 60 * 60
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Stored:
    status: int
    body: bytes


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(tx: Tx, account_id: str, key: str, request_print: str, now: float) -> Stored | None:
    """The stored response for this key, None if there is none (or it expired); raise on a mismatch."""
    tx.execute("DELETE FROM idempotency WHERE created_at < ?", (now - TTL_SECONDS,))
    row = tx.execute(
        "SELECT fingerprint, status, body FROM idempotency WHERE account_id = ? AND key = ?", (account_id, key)
    ).fetchone()
    if row is None:
        return None
    if row[0] != request_print:
        raise ApiError(
            422,
            "IDEMPOTENCY_MISMATCH",
            "This Idempotency-Key was already used with a different request; use a new key for a new request.",
        )
    return Stored(row[1], row[2])


def remember(tx: Tx, account_id: str, key: str, request_print: str, status: int, body: bytes, now: float) -> None:
    tx.execute(
        "INSERT OR REPLACE INTO idempotency (account_id, key, fingerprint, status, body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (account_id, key, request_print, status, body, now),
    )
