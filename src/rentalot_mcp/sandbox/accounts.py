"""API keys, the accounts and plans behind them, and per-key request budgets.

Keys are stored only as SHA-256 digests, so neither the database nor a log line ever holds one.
Plans are data a platform supplies; nothing here knows a platform's plan names.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from rentalot_mcp.sandbox.store import Tx
from rentalot_mcp.sandbox.times import Clock


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    rate_limit: int
    """Requests per key per window."""
    max_page_size: int
    can_write: bool
    max_webhooks: int = 0
    max_images_per_property: int = 0
    rate_window: int = 60
    """Window length in seconds (windows are aligned to the clock)."""


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    platform: str
    name: str
    plan: Plan
    key_hash: str


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def create_account(tx: Tx, *, account_id: str, platform: str, name: str, plan: str, api_key: str) -> None:
    tx.execute(
        "INSERT INTO accounts (id, platform, name, plan) VALUES (?, ?, ?, ?)", (account_id, platform, name, plan)
    )
    tx.execute("INSERT INTO api_keys (key_hash, account_id) VALUES (?, ?)", (hash_key(api_key), account_id))


def find_account(tx: Tx, platform: str, plans: Mapping[str, Plan], api_key: str) -> Account | None:
    """The account a key belongs to on this platform; None for unknown keys and other platforms' keys."""
    key_hash = hash_key(api_key)
    row = tx.execute(
        "SELECT a.id, a.name, a.plan FROM api_keys k JOIN accounts a ON a.id = k.account_id "
        "WHERE k.key_hash = ? AND a.platform = ?",
        (key_hash, platform),
    ).fetchone()
    if row is None or row[2] not in plans:
        return None
    return Account(id=row[0], platform=platform, name=row[1], plan=plans[row[2]], key_hash=key_hash)


@dataclass(frozen=True, slots=True)
class Budget:
    """Where a key stands in the current window (the X-RateLimit-* headers)."""

    limit: int
    remaining: int
    reset_at: int
    retry_after: int | None
    """Seconds to wait; set only when the request is refused."""

    def headers(self, resource: str) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
            "X-RateLimit-Resource": resource,
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Fixed windows aligned to the clock (one minute unless the plan says otherwise), counted per key in memory.

    `override` replaces every plan's budget (tests that make hundreds of calls, or want a tiny one).
    """

    def __init__(self, clock: Clock, override: int | None = None) -> None:
        self._clock = clock
        self._override = override
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def take(self, key_hash: str, plan: Plan) -> Budget:
        limit = self._override if self._override is not None else plan.rate_limit
        now = self._clock().timestamp()
        window = math.floor(now / plan.rate_window)
        reset_at = (window + 1) * plan.rate_window
        with self._lock:
            started, used = self._windows.get(key_hash, (window, 0))
            if started != window:
                used = 0
            if used >= limit:
                self._windows[key_hash] = (window, used)
                return Budget(limit, 0, reset_at, max(1, math.ceil(reset_at - now)))
            used += 1
            self._windows[key_hash] = (window, used)
        return Budget(limit, limit - used, reset_at, None)
