"""Fit a successful answer to a context window: only the fields asked for, where it stands in the
pagination, and a size cap that says how to narrow the request instead of flooding the context.

Shaping never changes the JSON types of an answer's top-level fields (a `data` array stays an
array, an object stays an object), so the result still matches the tool's output schema.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rentalot_mcp.openapi.operations import Operation

MAX_RESULT_CHARS_VARIABLE = "RENTALOT_MCP_MAX_RESULT_CHARS"
DEFAULT_MAX_RESULT_CHARS = 50_000
_SHORTENING_WIDTHS = (2_000, 500, 100, 20)
"""Successive limits on text length when cutting whole items is not enough."""
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Shaped:
    """The answer as the model will read it, and what to tell the model about it."""

    body: Any
    text: str
    notes: tuple[str, ...] = ()


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def max_result_chars(environ: Mapping[str, str] | None = None) -> int:
    """The cap from the environment (a positive integer), else the default."""
    raw = (os.environ if environ is None else environ).get(MAX_RESULT_CHARS_VARIABLE, "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else DEFAULT_MAX_RESULT_CHARS


def shape(
    operation: Operation, body: Any, *, fields: Sequence[str] | None = None, max_chars: int | None = None
) -> Shaped:
    """Project `fields`, cap the size, and say which page this is."""
    notes: list[str] = []
    if fields:
        body, unknown = project(body, fields)
        if unknown:
            missing = ", ".join(unknown)
            notes.append(f"No item has the field(s) {missing}; check the names with one call without fields.")
    text = compact_json(body)
    limit = max_chars or max_result_chars()
    if len(text) > limit:
        body, text, note = cut(body, limit)
        notes.append(note)
    hint = pagination_hint(operation, body)
    return Shaped(body, text, tuple([hint, *notes] if hint else notes))


def project(body: Any, fields: Sequence[str]) -> tuple[Any, list[str]]:
    """Keep only `fields` of each item; also return the names no item had."""
    wanted = list(dict.fromkeys(fields))
    found: set[str] = set()
    seen_items = False

    def keep(item: Any) -> Any:
        nonlocal seen_items
        if not isinstance(item, dict):
            return item
        seen_items = True
        kept = {name: item[name] for name in wanted if name in item}
        found.update(kept)
        return kept

    projected = _map_items(body, lambda items: [keep(item) for item in items], keep)
    unknown = [name for name in wanted if name not in found] if seen_items else []
    return projected, unknown


def pagination_hint(operation: Operation, body: Any) -> str | None:
    """`Page 1 of 8 (142 items) — call again with page=2 for more.` when the answer is paginated."""
    pagination = body.get("pagination") if isinstance(body, dict) else None
    if not isinstance(pagination, dict):
        return None
    page, pages = pagination.get("page"), pagination.get("totalPages")
    if not isinstance(page, int | float) or not isinstance(pages, int | float):
        return None
    page, pages = int(page), int(pages)
    total = pagination.get("total")
    where = f"Page {page} of {pages}" + (f" ({int(total)} items)" if isinstance(total, int | float) else "")
    if page < pages:
        pageable = "page" in operation.input_schema.get("properties", {})
        return f"{where} — call again with page={page + 1} for more." if pageable else f"{where}."
    return f"{where} — the last page." if pages else f"{where} — nothing matches."


def cut(body: Any, limit: int) -> tuple[Any, str, str]:
    """Make the answer fit `limit` characters: drop trailing items first, then shorten long values."""
    items = _items(body)
    if items:
        count = _most_items_that_fit(body, items, limit)
        if count:
            trimmed = _with_items(body, items[:count])
            return (
                trimmed,
                compact_json(trimmed),
                f"Cut to fit {limit:,} characters: the first {count} of {len(items)} items are shown. "
                "Narrow the request: a smaller limit, fields=[...] with only the fields you need, or filters.",
            )
        body = _with_items(body, items[:1])
    for width in _SHORTENING_WIDTHS:
        shortened = _shorten(body, width)
        text = compact_json(shortened)
        if len(text) <= limit:
            break
    else:
        text = text[:limit] + ELLIPSIS
    shown = "only the first item is shown and " if items and len(items) > 1 else ""
    return (
        shortened,
        text,
        f"Cut to fit {limit:,} characters: {shown}long values were shortened (marked {ELLIPSIS}). "
        "Ask for less: fields=[...] with only the fields you need, a smaller limit, or filters.",
    )


def _items(body: Any) -> list[Any] | None:
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return body["data"]
    return None


def _with_items(body: Any, items: list[Any]) -> Any:
    return items if isinstance(body, list) else {**body, "data": items}


def _map_items(body: Any, on_list: Callable[[list[Any]], Any], on_item: Callable[[Any], Any]) -> Any:
    """Apply to the items of a list answer, or to the one item of a get answer (`data` or the body)."""
    if isinstance(body, list):
        return on_list(body)
    if isinstance(body, dict) and "data" in body:
        data = body["data"]
        return {**body, "data": on_list(data) if isinstance(data, list) else on_item(data)}
    return on_item(body)


def _most_items_that_fit(body: Any, items: list[Any], limit: int) -> int:
    low, high = 0, len(items)
    while low < high:
        middle = (low + high + 1) // 2
        if len(compact_json(_with_items(body, items[:middle]))) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _shorten(value: Any, width: int) -> Any:
    """Strings longer than `width` and nested lists longer than `width // 10` are cut."""
    if isinstance(value, str):
        return value if len(value) <= width else value[:width] + ELLIPSIS
    if isinstance(value, list):
        return [_shorten(item, width) for item in value[: max(1, width // 10)]]
    if isinstance(value, dict):
        return {key: _shorten(item, width) for key, item in value.items()}
    return value
