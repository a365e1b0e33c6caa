"""Request validation compiled from the spec: query strings and JSON bodies, with per-field errors.

Validators are built once per operation when the app starts. Query strings are coerced to the types
their parameters declare before validation, so `limit=abc` reports "must be an integer" on `limit`.
Formats are checked by our own checker because jsonschema leaves `date-time` and `uri` unchecked
unless optional packages happen to be installed, and the sandbox must not behave differently when they are.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from rentalot_mcp.sandbox.errors import FieldError
from rentalot_mcp.sandbox.times import parse_date, parse_datetime

JsonObject = dict[str, Any]

FORMATS = FormatChecker(formats=())


@FORMATS.checks("uuid")
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or is_uuid(value)


@FORMATS.checks("date")
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


@FORMATS.checks("date-time")
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or parse_datetime(value) is not None


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"mailto", "urn", "tel"})


_FORMAT_HINTS = {
    "uuid": "a UUID",
    "date": "a date (YYYY-MM-DD)",
    "date-time": "an ISO 8601 date-time with a timezone, e.g. 2026-03-15T14:00:00Z",
    "email": "an email address",
    "uri": "an absolute URL",
}


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class RequestValidator:
    """Everything needed to check one operation's query string and body."""

    query: Draft202012Validator | None
    query_types: Mapping[str, str]
    body: Draft202012Validator | None
    body_required: bool

    def check_query(self, raw: Mapping[str, str]) -> tuple[JsonObject, list[FieldError]]:
        """The declared parameters, coerced to their types (undeclared ones are ignored)."""
        values = {name: coerce(raw[name], kind) for name, kind in self.query_types.items() if name in raw}
        if self.query is None:
            return values, []
        return values, describe(self.query.iter_errors(values), root="query")

    def check_body(self, body: Any) -> list[FieldError]:
        if self.body is None:
            return []
        return describe(self.body.iter_errors(body), root="body")


def compile_operation(operation: JsonObject) -> RequestValidator:
    query_props: JsonObject = {}
    query_types: dict[str, str] = {}
    required: list[str] = []
    for param in operation.get("parameters", []):
        if param.get("in") != "query":
            continue
        schema = param.get("schema", {})
        query_props[param["name"]] = schema
        query_types[param["name"]] = primary_type(schema)
        if param.get("required"):
            required.append(param["name"])
    query = None
    if query_props:
        query = _validator({"type": "object", "properties": query_props, "required": required})
    body_schema = None
    body_required = False
    request_body = operation.get("requestBody")
    if request_body:
        body_schema = request_body.get("content", {}).get("application/json", {}).get("schema")
        body_required = bool(request_body.get("required"))
    return RequestValidator(
        query=query,
        query_types=query_types,
        body=_validator(body_schema) if body_schema is not None else None,
        body_required=body_required,
    )


def _validator(schema: JsonObject) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMATS)


def schema_validator(schema: JsonObject) -> Draft202012Validator:
    """A validator with the sandbox's format checks, for schemas checked outside a request."""
    return _validator(schema)


def primary_type(schema: JsonObject) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def coerce(text: str, kind: str) -> Any:
    """A query string as the declared type; left as text when it does not parse (validation then names it)."""
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    if kind == "number":
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
    if kind == "boolean" and text.lower() in {"true", "false", "1", "0"}:
        return text.lower() in {"true", "1"}
    return text


def describe(errors: Iterable[ValidationError], *, root: str) -> list[FieldError]:
    """One `{field, message}` per problem, fields as dotted paths (`images[0].sizeBytes`)."""
    seen: dict[tuple[str, str], None] = {}
    for error in errors:
        for field, message in _explain(error, root):
            seen.setdefault((field, message), None)
    return [FieldError(field, message) for field, message in sorted(seen, key=lambda fm: fm[0])]


def _explain(error: ValidationError, root: str) -> list[tuple[str, str]]:
    path = _path(error.absolute_path)
    field = path if path else root
    keyword = error.validator
    value = error.validator_value
    if keyword == "required" and isinstance(error.instance, dict):
        missing = [name for name in value if name not in error.instance]
        return [(_join(path, name), "is required") for name in missing]
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        names = " or ".join(_TYPE_NAMES.get(k, k) for k in kinds if k != "null")
        return [(field, f"must be {names}" if names else "must be null")]
    if keyword == "enum":
        return [(field, "must be one of: " + ", ".join(str(v) for v in value if v is not None))]
    if keyword == "format":
        return [(field, f"must be {_FORMAT_HINTS.get(value, value)}")]
    messages = {
        "minLength": f"must be at least {value} character{'s' * (value != 1)} long",
        "maxLength": f"must be at most {value} characters long",
        "minimum": f"must be greater than or equal to {value}",
        "maximum": f"must be less than or equal to {value}",
        "exclusiveMinimum": f"must be greater than {value}",
        "exclusiveMaximum": f"must be less than {value}",
        "minItems": f"must contain at least {value} item{'s' * (value != 1)}",
        "maxItems": f"must contain at most {value} items",
        "additionalProperties": "contains unknown fields",
    }
    return [(field, messages.get(str(keyword), error.message))]


_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
}


def _path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out = f"{out}[{part}]" if isinstance(part, int) else _join(out, part)
    return out


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
