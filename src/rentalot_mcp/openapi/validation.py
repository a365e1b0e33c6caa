"""Check tool arguments against an input schema before any I/O, and say what is wrong per field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rentalot_mcp.openapi.spec import JsonObject

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


class ArgumentsValidator:
    """A compiled validator for one tool; build once, call per request."""

    def __init__(self, schema: JsonObject, *, non_empty: Iterable[str] = ()) -> None:
        """`non_empty` names string arguments that may not be "" (path ids: an empty one would
        address the collection instead of an item)."""
        properties = {
            name: {**sub, "minLength": max(1, sub.get("minLength", 0))} if name in set(non_empty) else sub
            for name, sub in schema.get("properties", {}).items()
        }
        schema = {**schema, "properties": properties}
        # Imported here, by the first call that needs a validator: jsonschema takes ~45 ms to import,
        # which would otherwise come before the server's first tools/list.
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(schema)
        self._validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def problems(self, arguments: Mapping[str, Any]) -> list[str]:
        """Each problem as `field: message`, sorted by field; empty when the arguments are valid."""
        found = {_describe(error) for error in self._validator.iter_errors(dict(arguments))}
        return sorted(found)


def _describe(error: ValidationError) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f"{_field(error, missing)}: is required"
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{_field(error, ', '.join(unknown))}: unknown argument (check the tool's input schema)"
    return f"{_field(error)}: {_message(error)}"


def _field(error: ValidationError, leaf: str | None = None) -> str:
    text = ""
    for part in [*error.absolute_path, *([leaf] if leaf else [])]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(arguments)"


def _message(error: ValidationError) -> str:
    value = error.instance
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    schema = error.schema if isinstance(error.schema, dict) else {}
    match error.validator:
        case "type":
            return f"must be of type {error.validator_value}, got {shown}"
        case "enum":
            return f"must be one of {', '.join(map(repr, error.validator_value))}, got {shown}"
        case "maxLength" | "minLength" | "maxItems" | "minItems" | "minimum" | "maximum":
            return f"{error.validator} is {error.validator_value}, got {shown}"
        case "exclusiveMinimum":
            return f"must be greater than {error.validator_value}, got {shown}"
        case "exclusiveMaximum":
            return f"must be less than {error.validator_value}, got {shown}"
        case "format":
            return f"must be a valid {schema.get('format', error.validator_value)}, got {shown}"
        case _:
            return error.message if len(error.message) <= 200 else error.message[:197] + "..."
