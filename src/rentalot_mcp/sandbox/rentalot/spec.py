"""Where the Rentalot spec lives, and request schemas handlers need outside the request pipeline."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from rentalot_mcp.openapi.spec import load_spec
from rentalot_mcp.sandbox.validation import schema_validator

SPEC_PATH = Path(str(files("rentalot_mcp.specs") / "rentalot.yaml"))


@cache
def body_validator(operation_id: str) -> Draft202012Validator:
    """The request-body validator of an operation (bulk import checks each row as a createProperty body)."""
    for item in load_spec(SPEC_PATH)["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                schema: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
                return schema_validator(schema)
    raise KeyError(operation_id)
