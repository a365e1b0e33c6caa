"""The one place tools are selected: which operations become tools, and lookup by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rentalot_mcp.client import IDEMPOTENCY_HEADER
from rentalot_mcp.openapi.operations import Operation
from rentalot_mcp.openapi.spec import JsonObject
from rentalot_mcp.openapi.validation import ArgumentsValidator


@dataclass(frozen=True, slots=True)
class Selection:
    """What the user asked for on the command line; empty means everything."""

    toolsets: frozenset[str] = frozenset()
    tools: frozenset[str] = frozenset()
    exclude_tools: frozenset[str] = frozenset()
    read_only: bool = False

    def admits(self, operation: Operation) -> bool:
        if operation.name in self.exclude_tools:
            return False
        if self.read_only and not operation.read_only:
            return False
        if not self.toolsets and not self.tools:
            return True
        return operation.toolset in self.toolsets or operation.name in self.tools


class UnknownSelection(ValueError):
    """A toolset or tool name on the command line that matches nothing."""


FIELDS = "fields"
"""The argument list and get tools gain: keep only these fields of each item (never sent to the API)."""
FIELDS_SCHEMA: JsonObject = {"type": "array", "items": {"type": "string"}}
MANAGED_HEADERS = frozenset({IDEMPOTENCY_HEADER.lower()})
"""Headers the client fills in itself (one idempotency key per call, kept across its retries)."""


@dataclass(slots=True)
class Tool:
    """An operation offered as a tool, bound to the provider that serves it."""

    operation: Operation
    provider: str
    spec_source: str = ""
    """The OpenAPI document the operation came from (a path or URL), served as a resource."""
    _input_schema: JsonObject | None = field(default=None, repr=False)
    _validator: ArgumentsValidator | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.operation.name

    @property
    def projects_fields(self) -> bool:
        """List and get tools: reads that answer JSON, unless the API itself has a `fields` argument."""
        operation = self.operation
        return (
            operation.read_only
            and operation.output_schema is not None
            and FIELDS not in operation.input_schema.get("properties", {})
        )

    @property
    def input_schema(self) -> JsonObject:
        """Everything a call may pass, validated on every call: the operation's arguments and `fields`."""
        if self._input_schema is None:
            schema = self.operation.input_schema
            if self.projects_fields:
                schema = {**schema, "properties": {**schema["properties"], FIELDS: FIELDS_SCHEMA}}
            self._input_schema = schema
        return self._input_schema

    @property
    def hidden_arguments(self) -> frozenset[str]:
        """Accepted but not listed, to keep the catalogue small: optional headers the client sets itself,
        and `fields` on reads of one item (lists, where it saves the most, do list it)."""
        required = set(self.operation.input_schema.get("required", []))
        hidden = {
            argument.name
            for argument in self.operation.arguments
            if argument.location == "header"
            and argument.wire_name.lower() in MANAGED_HEADERS
            and not argument.always_listed
        } - required
        if self.projects_fields and not self.answers_collection:
            hidden.add(FIELDS)
        return frozenset(hidden)

    @property
    def answers_collection(self) -> bool:
        """Whether a success answer carries its items as a `data` array (a list, not one item)."""
        data = ((self.operation.output_schema or {}).get("properties") or {}).get("data") or {}
        return data.get("type") == "array"

    @property
    def listed_schema(self) -> JsonObject:
        """The input schema as tools/list shows it (before `schemas.input_schema` makes it portable)."""
        hidden = self.hidden_arguments
        schema = self.input_schema
        if not hidden:
            return schema
        return {**schema, "properties": {k: v for k, v in schema["properties"].items() if k not in hidden}}

    @property
    def validator(self) -> ArgumentsValidator:
        """Compiled on first use: start-up stays fast, and each schema is compiled once."""
        if self._validator is None:
            self._validator = ArgumentsValidator(self.input_schema, non_empty=self.operation.path_argument_names)
        return self._validator

    def split_arguments(self, arguments: Mapping[str, Any]) -> tuple[dict[str, Any], list[str] | None]:
        """The arguments for the API, and the `fields` to keep of the answer (None: everything)."""
        api_arguments = dict(arguments)
        fields = api_arguments.pop(FIELDS, None) if self.projects_fields else None
        return api_arguments, fields


class Catalogue:
    """The selected tools, in a stable order, with O(1) lookup."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        self._tools = {tool.name: tool for tool in tools}

    @classmethod
    def select(cls, available: Sequence[Tool], selection: Selection) -> Catalogue:
        known_toolsets = {tool.operation.toolset for tool in available}
        known_tools = {tool.name for tool in available}
        unknown = sorted(selection.toolsets - known_toolsets) + sorted(
            (selection.tools | selection.exclude_tools) - known_tools
        )
        if unknown:
            raise UnknownSelection(
                f"unknown toolset or tool: {', '.join(unknown)}. "
                f"Toolsets: {', '.join(sorted(known_toolsets))}. Run `rentalot-mcp tools` to list tool names."
            )
        return cls(tool for tool in available if selection.admits(tool.operation))

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def toolsets(self) -> list[str]:
        return sorted({tool.operation.toolset for tool in self})
