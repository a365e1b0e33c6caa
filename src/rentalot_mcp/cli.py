"""Command line: `serve` (the default), `sandbox`, `tools`, `doctor`.

Only argument parsing and process concerns live here (logging, exit codes, the sandbox thread);
the work is done by the modules each command calls.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from functools import partial

import anyio

from rentalot_mcp import __version__
from rentalot_mcp.call_log import CallLog
from rentalot_mcp.catalogue import Catalogue, Selection, UnknownSelection
from rentalot_mcp.config import Settings, load_settings, sandbox_settings
from rentalot_mcp.http_security import AUTH_TOKEN_VARIABLE, AccessPolicy, key_header, request_keys, without_keys
from rentalot_mcp.listing import catalogue_json, catalogue_table
from rentalot_mcp.openapi.spec import SpecError
from rentalot_mcp.providers import PROVIDERS
from rentalot_mcp.runtime import Runtime, load_tools
from rentalot_mcp.server import build_server
from rentalot_mcp.transports import HttpConfig, run_stdio, serve_http

logger = logging.getLogger("rentalot_mcp")
COMMANDS = ("serve", "sandbox", "tools", "doctor")
HTTP_ONLY_FLAGS = ("--stateless", "--auth-token", "--per-request-keys", "--allowed-hosts", "--allowed-origins")
"""Flags that mean nothing on stdio (RENTALOT_MCP_AUTH_TOKEN in the environment is simply unused there)."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.log_level != "debug":
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its info lines show URLs, i.e. tool arguments
    try:
        return int(args.handler(args) or 0)
    except (SpecError, UnknownSelection) as exc:
        print(f"rentalot-mcp: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _with_default_command(argv: list[str]) -> list[str]:
    """`rentalot-mcp [serve options]` means `rentalot-mcp serve [serve options]`."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["serve", *argv]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rentalot-mcp",
        description="MCP server for Rentalot (and BookMyColiving): every API operation as a tool.",
    )
    parser.add_argument("--version", action="version", version=f"rentalot-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the MCP server (default)")
    _add_common(serve)
    serve.add_argument("--sandbox", action="store_true", help="use the embedded demo API (no account needed)")
    serve.add_argument("--db", help="sandbox database file (default: in the user data directory)")
    _add_http(serve)
    serve.set_defaults(handler=_serve)

    sandbox = commands.add_parser("sandbox", help="run the embedded demo API alone")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8787)
    sandbox.add_argument("--db", help="database file or :memory: (default: in the user data directory)")
    sandbox.add_argument("--reset", action="store_true", help="wipe the database and seed fresh demo data")
    sandbox.add_argument("--faults", help="inject failures, e.g. 429:0.2,500:0.1,reset:0.05 (kind:probability)")
    sandbox.add_argument("--seed", type=int, help="random seed for --faults, to replay the same failures")
    sandbox.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    sandbox.set_defaults(handler=_sandbox)

    tools = commands.add_parser("tools", help="print the tool catalogue")
    _add_common(tools)
    tools.add_argument("--json", action="store_true", help="machine-readable output")
    tools.set_defaults(handler=_tools)

    doctor = commands.add_parser("doctor", help="check the setup: settings, reachability, key, plan")
    doctor.add_argument("--sandbox", action="store_true", help="check against the embedded demo API")
    doctor.add_argument("--db", help="sandbox database file (default: in the user data directory)")
    doctor.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"))
    doctor.set_defaults(handler=_doctor)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--toolsets", help="comma-separated toolsets to enable (default: all)")
    parser.add_argument("--tools", help="comma-separated tool names to enable")
    parser.add_argument("--exclude-tools", help="comma-separated tool names to hide")
    parser.add_argument("--read-only", action="store_true", help="only tools that change nothing")
    parser.add_argument("--dynamic", action="store_true", help="list a few meta-tools instead of every tool")
    parser.add_argument("--spec", help="OpenAPI document (path or URL) to use instead of the built-in one")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))


def _add_http(parser: argparse.ArgumentParser) -> None:
    http = parser.add_argument_group("HTTP transports (sse, http)")
    http.add_argument("--transport", choices=("stdio", "sse", "http"), default="stdio")
    http.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1, this machine only)")
    http.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    http.add_argument("--stateless", action="store_true", help="streamable HTTP without sessions, for replicas")
    http.add_argument(
        "--auth-token",
        help=f"require Authorization: Bearer <token> on every request (default: ${AUTH_TOKEN_VARIABLE})",
    )
    http.add_argument(
        "--per-request-keys",
        action="store_true",
        help="each client sends its own API key in "
        + " / ".join(key_header(p) for p in PROVIDERS)
        + "; the server's own keys are not used",
    )
    http.add_argument("--allowed-hosts", help="extra comma-separated Host names to accept (* for any)")
    http.add_argument(
        "--allowed-origins", help="comma-separated browser origins to accept, e.g. https://app.example.com"
    )


def _http_usage_problem(args: argparse.Namespace) -> str | None:
    if args.transport == "stdio":
        used = [flag for flag in HTTP_ONLY_FLAGS if getattr(args, flag[2:].replace("-", "_"))]
        return f"{', '.join(used)}: only for --transport sse or http" if used else None
    if args.stateless and args.transport != "http":
        return "--stateless needs --transport http (an SSE session lives on one server)"
    return None


def _names(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(
        toolsets=_names(args.toolsets),
        tools=_names(args.tools),
        exclude_tools=_names(args.exclude_tools),
        read_only=args.read_only,
    )


def _serve(args: argparse.Namespace) -> int:
    problem = _http_usage_problem(args)
    if problem:
        print(f"rentalot-mcp: {problem}", file=sys.stderr)
        return 2
    with ExitStack() as stack:
        settings = _sandbox_or_configured(args, stack)
        if args.per_request_keys:
            settings = without_keys(settings)
        runtime = Runtime.create(settings, _selection(args), spec_override=args.spec)
        logger.info("serving %d tools over %s", len(runtime.catalogue), args.transport)
        if args.transport == "stdio":
            anyio.run(_serve_stdio, runtime, args.dynamic)
        else:
            anyio.run(_serve_http, runtime, _http_config(args), args.dynamic)
    return 0


async def _serve_stdio(runtime: Runtime, dynamic: bool) -> None:
    try:
        server = build_server(runtime, dynamic=dynamic)
        CallLog().install(server)
        await run_stdio(server)
    finally:
        await runtime.aclose()


async def _serve_http(runtime: Runtime, config: HttpConfig, dynamic: bool) -> None:
    try:
        keys = request_keys if config.policy.key_headers else None
        server = build_server(runtime, key_resolver=keys, dynamic=dynamic)
        CallLog().install(server)
        await serve_http(server, config)
    finally:
        await runtime.aclose()


def _http_config(args: argparse.Namespace) -> HttpConfig:
    policy = AccessPolicy.build(
        args.host,
        allowed_hosts=_names(args.allowed_hosts),
        allowed_origins=_names(args.allowed_origins),
        auth_token=args.auth_token or os.environ.get(AUTH_TOKEN_VARIABLE),
        per_request_keys=args.per_request_keys,
    )
    return HttpConfig(
        transport=args.transport,
        policy=policy,
        host=args.host,
        port=args.port,
        stateless=args.stateless,
        log_level=args.log_level,
    )


def _sandbox_or_configured(args: argparse.Namespace, stack: ExitStack) -> Settings:
    if not args.sandbox:
        return load_settings()
    from rentalot_mcp.sandbox import default_db_path, start_background

    sandbox = stack.enter_context(start_background(args.db or default_db_path()))
    print(sandbox.banner(), file=sys.stderr)
    return sandbox_settings(sandbox.base_url)


def _sandbox(args: argparse.Namespace) -> int:
    from rentalot_mcp.sandbox import default_db_path, serve
    from rentalot_mcp.sandbox.faults import FaultPlan

    try:
        faults = FaultPlan.parse(args.faults, args.seed) if args.faults else None
    except ValueError as exc:
        print(f"rentalot-mcp: --faults: {exc}", file=sys.stderr)
        return 2
    serve(args.host, args.port, args.db or default_db_path(), args.reset, faults=faults)
    return 0


def _tools(args: argparse.Namespace) -> int:
    catalogue = Catalogue.select(load_tools(load_settings(), args.spec), _selection(args))
    print(catalogue_json(catalogue) if args.json else catalogue_table(catalogue))
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from rentalot_mcp.doctor import run_doctor

    with ExitStack() as stack:
        settings = _sandbox_or_configured(args, stack)
        return anyio.run(partial(run_doctor, settings, show_files=not args.sandbox))
