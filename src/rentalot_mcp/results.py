"""Turn an API answer into what the model reads: compact JSON on success, one clear paragraph on error."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import mcp_types as types

from rentalot_mcp.client import ApiResponse
from rentalot_mcp.config import ProviderSettings
from rentalot_mcp.openapi.operations import Operation
from rentalot_mcp.shaping import compact_json, shape


def tool_error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def render(
    operation: Operation, response: ApiResponse, settings: ProviderSettings, *, fields: Sequence[str] | None = None
) -> types.CallToolResult:
    if not response.ok:
        return tool_error(describe_error(operation, response, settings))
    meta = response.meta or None
    notes = [types.TextContent(type="text", text=note) for note in provider_notes(operation, response, settings)]
    if response.body is None:
        text = response.text or f"{operation.title}: done (HTTP {response.status})."
        structured = {} if operation.output_schema is not None else None
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text), *notes], structured_content=structured, _meta=meta
        )
    shaped = shape(operation, response.body, fields=fields)
    structured = shaped.body if isinstance(shaped.body, dict) else None
    if structured is None and operation.output_schema is not None:
        structured = {"data": shaped.body}
    content = [types.TextContent(type="text", text=text) for text in (shaped.text, *shaped.notes)]
    if response.replayed:
        content.append(types.TextContent(type="text", text=REPLAYED_NOTE))
    content.extend(notes)
    return types.CallToolResult(content=content, structured_content=structured, _meta=meta)


def provider_notes(operation: Operation, response: ApiResponse, settings: ProviderSettings) -> list[str]:
    """What the provider declared worth saying: flags set in the answer, and what is left of a tight quota."""
    provider = settings.provider
    body = response.body if isinstance(response.body, dict) else {}
    notes = [note for flag, note in provider.result_notes.items() if body.get(flag) is True]
    budget = response.meta.get("rateLimit", {})
    if operation.operation_id in provider.budget_reported and {"limit", "remaining"} <= budget.keys():
        resets = (
            f"; the window resets at {datetime.fromtimestamp(budget['reset'], UTC):%Y-%m-%d %H:%M:%S} UTC"
            if "reset" in budget
            else ""
        )
        notes.append(f"Quota: {budget['remaining']} of {budget['limit']} calls left{resets}.")
    return notes


REPLAYED_NOTE = (
    "Replayed: the platform had already done this request (same idempotency key); "
    "this is its original answer and nothing was done twice."
)


def describe_error(operation: Operation, response: ApiResponse, settings: ProviderSettings) -> str:
    """`HTTP 404 NOT_FOUND: Property not found` plus field details and what to do about it."""
    code, message, details = _error_parts(response)
    head = f"{operation.name} failed: HTTP {response.status}" + (f" {code}" if code else "")
    lines = [f"{head}: {message}" if message else head]
    lines.extend(f"- {detail}" for detail in details)
    hint = _hint(operation, response, settings)
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def _error_parts(response: ApiResponse) -> tuple[str, str, list[str]]:
    body = response.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # Rentalot: {error: {code, message, details}}
            return str(error.get("code") or ""), str(error.get("message") or ""), _details(error.get("details"))
        if isinstance(error, str):  # BookMyColiving: {error: "message"}
            return "", error, _details(body.get("details"))
        if "title" in body or "detail" in body:  # RFC 9457 problem+json
            title, detail = str(body.get("title") or ""), str(body.get("detail") or "")
            message = f"{title}: {detail}" if title and detail else title or detail
            return "", message, _details(body.get("errors") or body.get("invalid_params"))
        return "", compact_json(body)[:500], []
    return "", (response.text or "(empty body)")[:500], []


def _details(details: Any) -> list[str]:
    if isinstance(details, list):
        out = []
        for item in details[:50]:
            if isinstance(item, dict):
                where = item.get("field") or item.get("path") or item.get("name") or item.get("pointer")
                if isinstance(where, list):
                    where = ".".join(map(str, where))
                what = item.get("message") or item.get("reason") or item.get("detail") or compact_json(item)
                out.append(f"{where}: {what}" if where else str(what))
            else:
                out.append(str(item))
        return out
    if isinstance(details, dict):
        return [f"{key}: {value}" for key, value in list(details.items())[:50]]
    return []


def _hint(operation: Operation, response: ApiResponse, settings: ProviderSettings) -> str:
    status = response.status
    if status == 401:
        return (
            f"The {settings.provider.display_name} API key ({settings.api_key.source}) is missing, wrong or revoked. "
            + settings.provider.missing_key_help().split(". ", 1)[1]
        )
    if status == 403:
        return settings.provider.forbidden_hint or (
            "Your plan or key does not allow this operation (Starter plans are read-only; writes need Pro)."
        )
    if status == 404:
        ids = [argument.name for argument in operation.arguments if argument.location == "path"]
        return (
            f"Nothing was found for the {' / '.join(ids)} given: it does not exist, was deleted, or belongs to "
            "another account. Use the matching list_* or search tool to find a valid id."
            if ids
            else "The platform does not know this endpoint; check the base URL."
        )
    if status == 429:
        retry_after = response.headers.get("Retry-After")
        return f"Rate limited: retry after {retry_after} s." if retry_after else "Rate limited: retry shortly."
    return ""
