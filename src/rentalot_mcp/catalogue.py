"""The one place tools are selected: which operations become tools, and lookup by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rentalot_mcp.openapi.operations import Operation
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


@dataclass(slots=True)
class Tool:
    """An operation offered as a tool, bound to the provider that serves it."""

    operation: Operation
    provider: str
    _validator: ArgumentsValidator | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.operation.name

    @property
    def validator(self) -> ArgumentsValidator:
        """Compiled on first use: start-up stays fast, and each schema is compiled once."""
        if self._validator is None:
            self._validator = ArgumentsValidator(self.operation.input_schema)
        return self._validator


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
