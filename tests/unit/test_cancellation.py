"""A cancelled tool call aborts its in-flight HTTP request, and does not retry it."""

from __future__ import annotations

import threading

import anyio
import pytest
from mcp import Client
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from rentalot_mcp.config import ProviderSettings, Setting, Settings
from rentalot_mcp.providers import PROVIDERS
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import build_server
from tests.support.loopback import LoopbackServer

pytestmark = pytest.mark.anyio


class SlowApi(LoopbackServer):
    """A loopback API whose list endpoint never answers; it records arrivals and disconnects."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.disconnected = threading.Event()
        self.requests = 0

        async def never_answers(request: Request) -> JSONResponse:
            self.requests += 1
            self.arrived.set()
            while not await request.is_disconnected():
                await anyio.sleep(0.02)
            self.disconnected.set()
            return JSONResponse({})

        super().__init__(Starlette(routes=[Route("/api/v1/properties", never_answers)]))

    def settings(self) -> Settings:
        return Settings(
            tuple(
                ProviderSettings(
                    provider=p,
                    api_key=Setting("ra_test_fake_key_0000", "test"),
                    base_url=Setting(self.base_url, "test"),
                )
                for p in PROVIDERS
            )
        )


async def _wait(event: threading.Event) -> bool:
    return await anyio.to_thread.run_sync(event.wait, 15)


async def test_cancelling_a_call_aborts_its_request_without_retrying() -> None:
    with SlowApi() as api:
        runtime = Runtime.create(api.settings())
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(runtime.call, "list_properties", {})
                assert await _wait(api.arrived)
                group.cancel_scope.cancel()
            assert await _wait(api.disconnected)
        finally:
            await runtime.aclose()
        assert api.requests == 1


async def test_a_client_that_gives_up_cancels_the_call_on_the_server() -> None:
    with SlowApi() as api:
        runtime = Runtime.create(api.settings())
        try:
            async with Client(build_server(runtime)) as client:
                with pytest.raises(Exception):  # noqa: B017 - the client's own timeout error type
                    await client.call_tool("list_properties", {}, read_timeout_seconds=1.0)
                assert await _wait(api.disconnected)
        finally:
            await runtime.aclose()
        assert api.requests == 1
