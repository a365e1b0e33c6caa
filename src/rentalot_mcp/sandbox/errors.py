"""The one error type handlers raise; the dispatcher turns it into the platform's error envelope.

Raising (rather than returning) an error rolls the request's transaction back, so a failed write
never leaves half a change behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


@dataclass(slots=True)
class ApiError(Exception):
    status: int
    code: str
    message: str
    details: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = [{"field": d.field, "message": d.message} for d in self.details]
        return {"error": error}


def not_found(what: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", f"{what} not found")


def conflict(message: str) -> ApiError:
    return ApiError(409, "CONFLICT", message)


def invalid(field_name: str, message: str) -> ApiError:
    """A 422 about one field, for rules a JSON Schema cannot express (cross-field, state-dependent)."""
    return ApiError(422, "VALIDATION_ERROR", "Request validation failed", [FieldError(field_name, message)])


def validation_failed(details: list[FieldError]) -> ApiError:
    return ApiError(422, "VALIDATION_ERROR", "Request validation failed", details)
