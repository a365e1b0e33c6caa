"""Serving an MCP server: stdio, SSE (`/sse`) or streamable HTTP (`/mcp`), all with the SDK's transports.

The HTTP transports share one front door (`http_security.AccessMiddleware`) and a `/healthz` route
for load balancers. Logs go to stderr through the root logger; stdout is never written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Literal

import uvicorn
from mcp.server.lowlevel import Server
from mcp.server.sse import SseServerTransport
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from rentalot_mcp.http_security import HEALTH_PATH, LOOPBACK_HOSTS, AccessMiddleware, AccessPolicy

MCP_PATH = "/mcp"
SSE_PATH = "/sse"
MESSAGES_PATH = "/messages/"
HttpTransport = Literal["sse", "http"]
CHECKS_DONE_BY_US = TransportSecuritySettings(enable_dns_rebinding_protection=False)
"""The SDK's own Host/Origin check is off: `AccessMiddleware` does it once, for every route."""


async def run_stdio(server: Server[Any]) -> None:
    """Serve one client on stdin/stdout until it disconnects; stdout carries protocol messages only."""
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """Everything `serve_http` needs besides the MCP server."""

    transport: HttpTransport
    policy: AccessPolicy
    host: str = "127.0.0.1"
    port: int = 8000
    stateless: bool = False
    log_level: str = "info"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{MCP_PATH if self.transport == 'http' else SSE_PATH}"


def http_app(server: Server[Any], config: HttpConfig) -> ASGIApp:
    """The ASGI app for one MCP server: the transport's routes behind the access checks."""
    health = Route(HEALTH_PATH, _health, methods=["GET"])
    if config.transport == "http":
        app: ASGIApp = server.streamable_http_app(
            streamable_http_path=MCP_PATH,
            stateless_http=config.stateless,
            transport_security=CHECKS_DONE_BY_US,
            host=config.host,
            custom_starlette_routes=[health],
        )
    else:
        sse = SseServerTransport(MESSAGES_PATH, security_settings=CHECKS_DONE_BY_US)
        app = Starlette(
            routes=[
                Route(SSE_PATH, _SseEndpoint(server, sse), methods=["GET"]),
                Mount(MESSAGES_PATH, app=sse.handle_post_message),
                health,
            ]
        )
    return AccessMiddleware(app, config.policy)


async def serve_http(server: Server[Any], config: HttpConfig) -> None:
    """Serve until interrupted (SIGINT/SIGTERM shut down gracefully)."""
    kind = "streamable HTTP" if config.transport == "http" else "SSE"
    print(f"rentalot-mcp: MCP over {kind} at {config.url}", file=sys.stderr)
    if config.host not in LOOPBACK_HOSTS and config.policy.auth_token is None:
        print(
            f"rentalot-mcp: WARNING: listening on {config.host} without --auth-token; "
            "anyone who can reach this port can use the server",
            file=sys.stderr,
        )
    uvicorn_config = uvicorn.Config(
        http_app(server, config),
        host=config.host,
        port=config.port,
        log_config=None,
        log_level=config.log_level,
        access_log=config.log_level == "debug",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    await uvicorn.Server(uvicorn_config).serve()


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


class _SseEndpoint:
    """GET /sse: one MCP session per open event stream; its messages arrive on POST /messages/."""

    def __init__(self, server: Server[Any], sse: SseServerTransport) -> None:
        self.server = server
        self.sse = sse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with self.sse.connect_sse(scope, receive, send) as (read_stream, write_stream):
            await self.server.run(read_stream, write_stream, self.server.create_initialization_options())
