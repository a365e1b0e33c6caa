"""Valid example arguments for any tool, built from its input schema (deterministic)."""

from __future__ import annotations

import uuid
from typing import Any

SAMPLE_UUID = uuid.UUID("0d3c1a5e-7b2f-4c1e-9a4b-2f6d8e0c1a11")


def sample_value(schema: dict[str, Any], name: str = "x") -> Any:
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "string":
        return _sample_string(schema, name)
    if kind == "integer":
        return _sample_number(schema, 1)
    if kind == "number":
        return _sample_number(schema, 2)
    if kind == "boolean":
        return True
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [sample_value(schema.get("items", {"type": "string"}), name) for _ in range(count)]
    if kind == "object":
        props = schema.get("properties", {})
        return {key: sample_value(sub, key) for key, sub in props.items() if key in schema.get("required", [])}
    return "x"


def sample_arguments(input_schema: dict[str, Any], *, everything: bool = False) -> dict[str, Any]:
    """Required arguments (or every argument) with valid values."""
    required = set(input_schema.get("required", []))
    return {
        name: sample_value(schema, name)
        for name, schema in input_schema.get("properties", {}).items()
        if everything or name in required
    }


def _sample_string(schema: dict[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if fmt == "uuid" or (name.endswith("Id") and fmt is None and schema.get("maxLength", 64) >= 36):
        return str(SAMPLE_UUID) if fmt == "uuid" else f"sample-{name}"
    value = {
        "date-time": "2026-12-01T15:00:00Z",
        "date": "2026-12-01",
        "email": "sam@example.com",
        "uri": "https://example.com/sample",
        "url": "https://example.com/sample",
        "time": "09:00",
    }.get(fmt or "", f"sample {name}")
    min_length = schema.get("minLength", 0)
    if len(value) < min_length:
        value = value + "x" * (min_length - len(value))
    return value[: schema.get("maxLength", len(value))]


def _sample_number(schema: dict[str, Any], default: int) -> int:
    low = schema.get("minimum")
    if low is None and "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + 1
    high = schema.get("maximum")
    value = default if low is None else max(default, int(low))
    return min(value, int(high)) if high is not None else value
