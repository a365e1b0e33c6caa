"""An in-process cache for answers a provider says are stable (reference data), each with its own lifetime.

Entries are keyed by provider, tool, the exact request and a digest of the API key, so two
accounts never share an answer and the key itself is never held as a cache key.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from rentalot_mcp.openapi.operations import HttpRequest

V = TypeVar("V")
MAX_ENTRIES = 1024


def request_key(provider: str, tool: str, request: HttpRequest, api_key: str | None) -> str:
    """One string per (provider, tool, request, key); argument order does not matter."""
    digest = hashlib.sha256((api_key or "").encode()).hexdigest()
    shape = [provider, tool, request.method, request.path, request.query, request.headers, request.json, digest]
    return json.dumps(shape, sort_keys=True, separators=(",", ":"), default=str)


class TtlCache(Generic[V]):
    """Values that expire `ttl` seconds after they were put; the least recently used go first when full."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_entries: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: V, ttl: float) -> None:
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
