"""Turn a normalised OpenAPI document into `Operation`s: one future MCP tool each.

An `Operation` knows everything a tool needs and nothing about MCP or any provider: its name,
texts, flat input schema (path + query + header + body fields in one object), annotations and
how each argument is routed onto the wire. Provider specifics (name prefix, renames, toolset
names) come in as a `Naming`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from rentalot_mcp.openapi.spec import JsonObject

Location = Literal["path", "query", "header", "body"]
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
NAME_EXTENSION = "x-mcp-name"
"""A parameter or body field may carry this extension to be exposed under another argument name."""
LISTED_EXTENSION = "x-mcp-listed"
"""A parameter the client would otherwise fill in itself (and leave out of the listing) is listed."""


@dataclass(frozen=True, slots=True)
class Naming:
    """How a provider names its tools: a prefix, explicit renames, and tag -> toolset names."""

    prefix: str = ""
    renames: Mapping[str, str] = field(default_factory=dict)
    toolsets: Mapping[str, str] = field(default_factory=dict)

    def tool_name(self, operation_id: str) -> str:
        return self.prefix + self.renames.get(operation_id, snake_case(operation_id))

    def toolset(self, tag: str) -> str:
        return self.toolsets.get(tag, re.sub(r"[^a-z0-9]+", "", tag.lower()) or "default")


@dataclass(frozen=True, slots=True)
class Argument:
    """One tool argument and where it goes on the wire."""

    name: str
    wire_name: str
    location: Location
    always_listed: bool = False


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A fully routed request, relative to a provider's base URL."""

    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, str]
    json: Any = None
    has_body: bool = False
    route: str = ""
    """`METHOD /path/{template}`: which endpoint this is, whatever the ids (rate limits are per endpoint)."""
    takes_idempotency_key: bool = False
    """The operation declares an `Idempotency-Key` header: the client sends one on every call."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One API operation, ready to be offered as a tool."""

    name: str
    title: str
    description: str
    method: str
    path: str
    toolset: str
    operation_id: str
    arguments: tuple[Argument, ...]
    input_schema: JsonObject
    output_schema: JsonObject | None
    success_status: int
    body_argument: str | None = None
    """Set when the request body is not an object: this one argument carries the whole body."""

    @property
    def path_argument_names(self) -> tuple[str, ...]:
        return tuple(argument.name for argument in self.arguments if argument.location == "path")

    @property
    def read_only(self) -> bool:
        return self.method == "GET"

    @property
    def destructive(self) -> bool:
        return self.method == "DELETE"

    @property
    def idempotent(self) -> bool:
        return self.method in ("GET", "PUT", "PATCH", "DELETE")

    def build_request(self, arguments: Mapping[str, Any]) -> HttpRequest:
        """Route validated arguments to path, query, headers and JSON body."""
        path = self.path
        query: dict[str, Any] = {}
        headers: dict[str, str] = {}
        body: dict[str, Any] = {}
        whole_body: Any = None
        for argument in self.arguments:
            if argument.name not in arguments:
                continue
            value = arguments[argument.name]
            if argument.location == "path":
                path = path.replace("{" + argument.wire_name + "}", path_segment(value))
            elif argument.location == "query":
                query[argument.wire_name] = _query_value(value)
            elif argument.location == "header":
                headers[argument.wire_name] = str(value)
            elif argument.name == self.body_argument:
                whole_body = value
            else:
                body[argument.wire_name] = value
        route = f"{self.method} {self.path}"
        keyed = any(a.location == "header" and a.wire_name.lower() == "idempotency-key" for a in self.arguments)
        if self.body_argument is not None:
            has_body = self.body_argument in arguments
            return HttpRequest(self.method, path, query, headers, whole_body, has_body, route, keyed)
        return HttpRequest(self.method, path, query, headers, body, bool(body), route, keyed)


def path_segment(value: Any) -> str:
    """Encode a value as exactly one path segment: "/", "?", "#" and the dot segments "." and ".."
    (which URL normalisation would resolve) are escaped, so no argument can change the endpoint."""
    segment = quote(str(value), safe="")
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def snake_case(identifier: str) -> str:
    """`listWorkflowRuns` -> `list_workflow_runs`; already-snake names pass through."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", identifier)
    return re.sub(r"[^a-zA-Z0-9]+", "_", spaced).strip("_").lower()


def camel_case(identifier: str) -> str:
    """`Idempotency-Key` -> `idempotencyKey`."""
    words = [word for word in re.split(r"[^a-zA-Z0-9]+", identifier) if word]
    if not words:
        return identifier
    return words[0].lower() + "".join(word[:1].upper() + word[1:].lower() for word in words[1:])


def singular(word: str) -> str:
    """Good enough for REST collection names: properties -> property, runs -> run."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def path_argument_name(path: str, wire_name: str) -> str:
    """Give a bare `{id}` a meaningful name from the collection before it: `/properties/{id}` -> propertyId."""
    if wire_name != "id":
        return wire_name
    segments = path.split("/")
    index = segments.index("{id}")
    collection = next((s for s in reversed(segments[:index]) if s and not s.startswith("{")), "")
    return camel_case(singular(collection)) + "Id" if collection else "id"


def build_operations(document: JsonObject, naming: Naming) -> list[Operation]:
    """Every operation of the document, in document order."""
    operations: list[Operation] = []
    for path, item in document.get("paths", {}).items():
        shared_parameters = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method in item:
                operations.append(_build_operation(path, method, item[method], shared_parameters, naming))
    names = [operation.name for operation in operations]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"the spec yields duplicate tool names: {', '.join(duplicates)}")
    return operations


def _build_operation(
    path: str, method: str, spec: JsonObject, shared_parameters: list[JsonObject], naming: Naming
) -> Operation:
    operation_id = spec.get("operationId") or snake_case(f"{method}_{path}")
    properties: dict[str, JsonObject] = {}
    required: list[str] = []
    arguments: list[Argument] = []

    def add(
        name: str, wire_name: str, location: Location, schema: JsonObject, is_required: bool, listed: bool = False
    ) -> None:
        properties[name] = schema
        arguments.append(Argument(name, wire_name, location, listed))
        if is_required:
            required.append(name)

    by_key = {(p["in"], p["name"]): p for p in [*shared_parameters, *spec.get("parameters", [])]}
    for (location, wire_name), parameter in by_key.items():
        if location not in ("path", "query", "header"):
            continue
        name = parameter.get(NAME_EXTENSION) or (
            path_argument_name(path, wire_name)
            if location == "path"
            else camel_case(wire_name)
            if location == "header"
            else wire_name
        )
        is_required = location == "path" or parameter.get("required", False)
        add(name, wire_name, location, _described(parameter), is_required, parameter.get(LISTED_EXTENSION, False))

    body_argument = None
    body_schema = _json_body_schema(spec)
    if body_schema is not None:
        body_required = spec.get("requestBody", {}).get("required", False)
        body_fields = body_schema.get("properties")
        if isinstance(body_fields, dict) and body_fields:
            field_required = set(body_schema.get("required", [])) if body_required else set()
            for wire_name, schema in body_fields.items():
                name = schema.get(NAME_EXTENSION, wire_name)
                if name in properties:  # a body field shadowing a path/query name: keep both, distinctly
                    name = f"body{name[:1].upper()}{name[1:]}"
                clean = {k: v for k, v in schema.items() if k != NAME_EXTENSION}
                add(name, wire_name, "body", clean, wire_name in field_required)
        else:
            body_argument = "body"
            add("body", "body", "body", body_schema, body_required)

    input_schema: JsonObject = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        input_schema["required"] = required
    status, output_schema = _success_response(spec)
    return Operation(
        name=naming.tool_name(operation_id),
        title=spec.get("summary") or operation_id,
        description=(spec.get("description") or spec.get("summary") or "").strip(),
        method=method.upper(),
        path=path,
        toolset=naming.toolset((spec.get("tags") or ["default"])[0]),
        operation_id=operation_id,
        arguments=tuple(arguments),
        input_schema=input_schema,
        output_schema=output_schema,
        success_status=status,
        body_argument=body_argument,
    )


def _described(parameter: JsonObject) -> JsonObject:
    schema = dict(parameter.get("schema") or {"type": "string"})
    schema.pop(NAME_EXTENSION, None)
    if parameter.get("description") and "description" not in schema:
        schema["description"] = parameter["description"]
    return schema


def _json_body_schema(spec: JsonObject) -> JsonObject | None:
    content = spec.get("requestBody", {}).get("content", {})
    for media_type, body in content.items():
        if "json" in media_type:
            return body.get("schema") or {"type": "object"}
    return None


def _success_response(spec: JsonObject) -> tuple[int, JsonObject | None]:
    """The first 2xx status and an output schema describing its JSON envelope, if it is an object."""
    for status, response in sorted(spec.get("responses", {}).items()):
        if not str(status).startswith("2"):
            continue
        schema = next(
            (body.get("schema") for media, body in response.get("content", {}).items() if "json" in media), None
        )
        return int(status), _envelope_schema(schema) if schema else None
    return 200, None


def _envelope_schema(schema: JsonObject) -> JsonObject | None:
    """A compact, tolerant output schema: the top-level fields and their JSON types only.

    Clients validate `structuredContent` against it, so it must never reject a real answer:
    nested shapes, nullability and enums are left out on purpose.
    """
    if _json_type(schema) != "object":
        return None
    fields = {
        name: {"type": kind}
        for name, sub in (schema.get("properties") or {}).items()
        if (kind := _json_type(sub)) and not _nullable(sub)
    }
    return {"type": "object", "properties": fields} if fields else {"type": "object"}


def _nullable(schema: JsonObject) -> bool:
    """A field that may be null gets no type in the envelope: a single type would reject its nulls."""
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def _json_type(schema: JsonObject) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_query_value(item) for item in value]
    return value
