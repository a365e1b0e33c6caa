"""`rentalot-mcp doctor`: which settings were found and where, whether the platform answers, whether the
key works and what its plan allows, with the exact fix for each problem. Exit code 0 only when all is well.

The probes come from each provider's own spec: a one-item `list_*` read, and (only when the plan cannot
be told from the rate-limit header) a PATCH of an id that cannot exist, which changes nothing: a
read-only plan refuses it with 403, a plan that may write answers 404.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from rentalot_mcp import __version__
from rentalot_mcp.client import USER_AGENT
from rentalot_mcp.config import ProviderSettings, Settings, config_file_path, mask
from rentalot_mcp.http_security import AUTH_TOKEN_VARIABLE
from rentalot_mcp.openapi.operations import HttpRequest, Operation, build_operations
from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.providers import Provider

IMPOSSIBLE_ID = "00000000-0000-0000-0000-000000000000"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass(slots=True)
class Report:
    """Counts the problems; prints as it goes, so a slow probe shows where it is."""

    problems: int = 0

    def say(self, text: str = "") -> None:
        print(text, flush=True)

    def ok(self, text: str) -> None:
        self.say(f"  ok    {text}")

    def fail(self, text: str, fix: str) -> None:
        self.problems += 1
        self.say(f"  FAIL  {text}")
        self.say(f"        fix: {fix}")


async def run_doctor(
    settings: Settings,
    *,
    show_files: bool = True,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Print the report; 0 when every enabled provider answers and accepts its key, else 1."""
    environ = os.environ if environ is None else environ
    report = Report()
    report.say(f"rentalot-mcp {__version__} doctor")
    if show_files:
        _files(report, environ, cwd or Path.cwd())
    async with httpx.AsyncClient(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, transport=transport) as http:
        for provider_settings in settings.providers:
            report.say()
            await _check_provider(report, http, provider_settings)
    report.say()
    token = environ.get(AUTH_TOKEN_VARIABLE)
    report.say("HTTP transports (serve --transport sse|http)")
    shown = mask(token) if token else "not set (set it, or pass --auth-token, before serving to others)"
    report.say(f"  {AUTH_TOKEN_VARIABLE}: {shown}")
    report.say()
    if report.problems:
        report.say(f"{report.problems} problem{'s' if report.problems > 1 else ''} found; apply the fixes above.")
        return 1
    report.say("All good.")
    return 0


def _files(report: Report, environ: Mapping[str, str], cwd: Path) -> None:
    report.say()
    report.say("Settings are read from (the first that has a value wins):")
    report.say("  1. environment variables")
    dotenv = cwd / ".env"
    report.say(f"  2. {dotenv} ({'found' if dotenv.is_file() else 'not present'})")
    config = config_file_path(environ)
    report.say(f"  3. {config} ({'found' if config.is_file() else 'not present'})")
    if config.is_file() and config.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        report.fail(f"{config} can be read by other users", f"chmod 600 {config}")


async def _check_provider(report: Report, http: httpx.AsyncClient, settings: ProviderSettings) -> None:
    provider = settings.provider
    if not settings.enabled:
        report.say(f"{provider.display_name}: off ({provider.key_variable} is not set)")
        return
    base_url = (settings.base_url.value or provider.default_base_url).rstrip("/")
    key = settings.api_key.value
    report.say(f"{provider.display_name}")
    report.say(f"  base URL  {base_url}  ({settings.base_url.source})")
    report.say(f"  API key   {mask(key)}" + (f"  ({settings.api_key.source})" if key else ""))
    if not key:
        report.fail(
            f"no {provider.display_name} API key",
            f"create one in your {provider.display_name} dashboard, then `export {provider.key_variable}=<key>` "
            f"or add the line {provider.key_variable}=<key> to .env (or try the demo API: rentalot-mcp --sandbox)",
        )
    read_probe, write_probe = _probes(provider)
    headers = provider.auth_headers(key) if key else {}
    started = time.perf_counter()
    try:
        response = await http.request(
            read_probe.method, base_url + read_probe.path, params=read_probe.query, headers=headers
        )
    except httpx.HTTPError as exc:
        report.fail(
            f"{base_url} does not answer ({exc.__class__.__name__})",
            f"check {provider.base_url_variable} (now from {settings.base_url.source}) and your network, "
            "or try the demo API: rentalot-mcp --sandbox",
        )
        return
    elapsed = round((time.perf_counter() - started) * 1000)
    if not _answered_by_api(report, response, settings, elapsed):
        return
    if not key:
        return
    if _key_refused(report, response, settings):
        return
    report.ok(f"key accepted ({read_probe.method} {read_probe.path} -> HTTP {response.status_code})")
    await _check_plan(report, http, settings, response, base_url, write_probe, headers)


def _answered_by_api(report: Report, response: httpx.Response, settings: ProviderSettings, elapsed_ms: int) -> bool:
    """Whether what answered is the platform's API (and not a web page or a wrong path)."""
    provider = settings.provider
    wrong_url = (
        f"set {provider.base_url_variable} to the site root, e.g. {provider.default_base_url} "
        f"(without /api/...); it is now {settings.base_url.value} from {settings.base_url.source}"
    )
    if response.status_code == 404:
        report.fail(f"{response.request.url} was not found (HTTP 404): not the API's base URL", wrong_url)
        return False
    if response.status_code >= 500:
        report.fail(
            f"the platform answered HTTP {response.status_code} (a server-side problem)",
            "try again in a few minutes; if it persists, check the platform's status page",
        )
        return False
    if "json" not in response.headers.get("content-type", ""):
        report.fail("the base URL answered, but not with the API's JSON", wrong_url)
        return False
    report.ok(f"the API answers ({elapsed_ms} ms)")
    return True


def _key_refused(report: Report, response: httpx.Response, settings: ProviderSettings) -> bool:
    provider = settings.provider
    if response.status_code in (401, 403):
        report.fail(
            f"the key was refused (HTTP {response.status_code})",
            f"create a new key in your {provider.display_name} dashboard and `export {provider.key_variable}=<key>`; "
            f"the refused one came from {settings.api_key.source}",
        )
        return True
    if response.status_code == 429:
        wait = response.headers.get("retry-after", "60")
        report.fail("the key works but is rate-limited right now (HTTP 429)", f"wait {wait} s and run doctor again")
        return True
    if not response.is_success:
        report.fail(
            f"unexpected answer HTTP {response.status_code}: {_error_message(response)}",
            "run with --log-level debug, and report it if it persists",
        )
        return True
    return False


async def _check_plan(
    report: Report,
    http: httpx.AsyncClient,
    settings: ProviderSettings,
    response: httpx.Response,
    base_url: str,
    write_probe: HttpRequest | None,
    headers: dict[str, str],
) -> None:
    provider = settings.provider
    limit = response.headers.get("x-ratelimit-limit", "")
    plan = provider.plans_by_rate_limit.get(int(limit)) if limit.isdigit() else None
    per_minute = f", {limit} requests/{provider.rate_limit_window}" if limit else ""
    if plan is not None:
        report.ok(f"plan: {plan.name}{per_minute}, {'read and write' if plan.writes else 'read-only'}")
        if not plan.writes:
            _read_only_advice(report, provider)
        return
    if write_probe is None:
        report.say(f"  plan: unknown{per_minute} (no harmless write to probe with)")
        return
    try:
        probe = await http.request(write_probe.method, base_url + write_probe.path, json={}, headers=headers)
    except httpx.HTTPError as exc:
        report.say(f"  plan: unknown{per_minute} (the write probe failed: {exc.__class__.__name__})")
        return
    if probe.status_code == 403:
        report.ok(f"plan: read-only{per_minute} ({_error_message(probe)})")
        _read_only_advice(report, provider)
    elif probe.status_code in (400, 404, 409, 422):
        report.ok(f"plan: read and write{per_minute} (a harmless write probe was not refused)")
    else:
        report.say(f"  plan: unknown{per_minute} (the write probe answered HTTP {probe.status_code})")


def _read_only_advice(report: Report, provider: Provider) -> None:
    report.say(
        f"        writes will be refused: upgrade the plan for write access, or serve with --read-only "
        f"to offer only the tools this {provider.display_name} key can use"
    )


def _probes(provider: Provider) -> tuple[HttpRequest, HttpRequest | None]:
    """The cheapest read that needs a key, and a write that cannot change anything."""
    operations = build_operations(load_spec(str(provider.spec_path)), provider.naming)
    read = next(
        (
            op
            for op in operations
            if op.read_only and op.name.removeprefix(provider.naming.prefix).startswith("list_") and not _required(op)
        ),
        None,
    )
    read_request = (
        read.build_request({"limit": 1} if "limit" in read.input_schema.get("properties", {}) else {})
        if read
        else HttpRequest("GET", "/", {}, {})
    )
    write = next(
        (
            op
            for op in operations
            if op.method == "PATCH" and _required(op) == {a.name for a in op.arguments if a.location == "path"}
        ),
        None,
    )
    write_request = write.build_request({name: IMPOSSIBLE_ID for name in _required(write)}) if write else None
    return read_request, write_request


def _required(operation: Operation) -> set[str]:
    return set(operation.input_schema.get("required", []))


def _error_message(response: httpx.Response) -> str:
    """The API's own error message, if it sent one (never anything from the request)."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "no message"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("code") or "no message")
    return str(error or body.get("message") or "no message") if isinstance(body, dict) else "no message"
