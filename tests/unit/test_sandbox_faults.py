"""Fault injection: parsed strictly, reproducible for a seed, and some faults strike after the write."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from rentalot_mcp.sandbox.faults import FaultInjector, FaultPlan, InjectedReset

pytestmark = pytest.mark.anyio


def _counting_app() -> tuple[Starlette, list[str]]:
    handled: list[str] = []

    async def create(request: Request) -> JSONResponse:
        handled.append(request.url.path)
        return JSONResponse({"data": {"n": len(handled)}}, status_code=201)

    return Starlette(
        routes=[Route("/api/v1/things", create, methods=["POST"]), Route("/healthz", create, methods=["POST"])]
    ), handled


def test_plans_are_parsed_strictly() -> None:
    plan = FaultPlan.parse("429:0.2, 500:0.1,reset:0.05", seed=3)
    assert plan.rates == (("429", 0.2), ("500", 0.1), ("reset", 0.05)) and plan.seed == 3
    for bad, message in [
        ("418:0.1", "unknown fault"),
        ("500:x", "needs a probability"),
        ("500:1.5", "between 0 and 1"),
        ("500:0.6,429:0.6", "more than 1"),
    ]:
        with pytest.raises(ValueError, match=message):
            FaultPlan.parse(bad)


async def _outcomes(plan: FaultPlan, count: int) -> tuple[list[str], list[str]]:
    app, handled = _counting_app()
    outcomes: list[str] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=FaultInjector(app, plan)), base_url="http://sandbox"
    ) as client:
        for _ in range(count):
            try:
                outcomes.append(str((await client.post("/api/v1/things")).status_code))
            except InjectedReset:
                outcomes.append("reset")
    return outcomes, handled


async def test_a_seed_makes_the_faults_reproducible() -> None:
    plan = FaultPlan.parse("429:0.2,500:0.1,reset:0.1", seed=42)
    first, _ = await _outcomes(plan, 200)
    second, _ = await _outcomes(plan, 200)
    assert first == second
    assert {"201", "429", "500", "reset"} <= set(first)
    assert 20 <= first.count("429") <= 60


async def test_some_failures_happen_after_the_write_was_committed() -> None:
    outcomes, handled = await _outcomes(FaultPlan.parse("500:0.5,reset:0.5", seed=1), 100)
    assert "201" not in outcomes
    assert 25 <= len(handled) <= 75  # about half were handled, then their answer was lost


async def test_control_endpoints_are_never_faulted() -> None:
    app, handled = _counting_app()
    transport = httpx.ASGITransport(app=FaultInjector(app, FaultPlan.parse("500:1", seed=1)))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        statuses = {(await client.post("/healthz")).status_code for _ in range(20)}
    assert statuses == {201} and len(handled) == 20
