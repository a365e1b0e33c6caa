"""Fault injection: make the sandbox fail the way real networks and platforms do, reproducibly.

`--faults 429:0.2,500:0.1,reset:0.05 --seed 7` makes about 20 % of API requests answer 429,
10 % answer 500 and 5 % lose their connection. Half of the 5xx and reset faults strike *after*
the request was handled and committed, so the answer is lost but the write happened: only an
idempotency key makes the client's retry safe. Control endpoints (spec, health, uploads) are
never faulted.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAULT_KINDS = ("429", "500", "502", "503", "504", "reset")
SPARED_PATHS = ("/api/v1/openapi.json", "/healthz", "/sandbox/")


class InjectedReset(Exception):
    """Raised after the response has started, so the server drops the connection mid-answer."""


class _QuietInjectedResets(logging.Filter):
    """The server logs a traceback for every dropped connection; ours are on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedReset))


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Which faults, how often: kind -> probability per request."""

    rates: tuple[tuple[str, float], ...]
    seed: int | None = None

    @classmethod
    def parse(cls, text: str, seed: int | None = None) -> FaultPlan:
        """`"429:0.2,500:0.1,reset:0.05"` -> a plan; raises ValueError with a usable message."""
        rates: list[tuple[str, float]] = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            kind, _, rate = part.partition(":")
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault {kind!r}; use one of {', '.join(FAULT_KINDS)}")
            try:
                probability = float(rate)
            except ValueError:
                raise ValueError(f"fault {kind!r} needs a probability, e.g. {kind}:0.1") from None
            if not 0 <= probability <= 1:
                raise ValueError(f"fault {kind!r}: probability must be between 0 and 1")
            rates.append((kind, probability))
        if sum(p for _, p in rates) > 1:
            raise ValueError("fault probabilities add up to more than 1")
        return cls(tuple(rates), seed)


class FaultInjector:
    """ASGI middleware that applies a `FaultPlan` to API requests."""

    def __init__(self, app: ASGIApp, plan: FaultPlan) -> None:
        self.app = app
        self.plan = plan
        self._random = random.Random(plan.seed)
        self._lock = threading.Lock()
        for name in ("uvicorn.error", "uvicorn"):
            logging.getLogger(name).addFilter(_QuietInjectedResets())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or any(spared in scope["path"] for spared in SPARED_PATHS):
            await self.app(scope, receive, send)
            return
        fault, after = self._draw()
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault == "429":
            await _send_json(send, 429, "RATE_LIMITED", "Injected fault: too many requests", {"Retry-After": "1"})
            return
        if after:
            await self.app(scope, receive, _discard)
        if fault == "reset":
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
            raise InjectedReset
        await _send_json(send, int(fault), "INTERNAL_ERROR", f"Injected fault: HTTP {fault}", {})

    def _draw(self) -> tuple[str | None, bool]:
        with self._lock:
            roll, after = self._random.random(), self._random.random() < 0.5
        for kind, probability in self.plan.rates:
            if roll < probability:
                return kind, after
            roll -= probability
        return None, False


async def _discard(message: Message) -> None:
    """The handled response is lost on the way back, as when a connection drops."""


async def _send_json(send: Send, status: int, code: str, message: str, headers: dict[str, str]) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
