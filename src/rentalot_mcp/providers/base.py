"""What makes a provider: its spec, its auth scheme, its naming. Nothing else is provider-specific."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable

from rentalot_mcp.local_tools import LocalTool
from rentalot_mcp.openapi.operations import Naming


@dataclass(frozen=True, slots=True)
class Plan:
    """A subscription tier, as far as the API tells it apart."""

    name: str
    writes: bool


@dataclass(frozen=True, slots=True)
class Provider:
    """A REST platform exposed as tools."""

    name: str
    """Short id used in settings and logs, e.g. `rentalot`."""
    display_name: str
    spec_file: str
    """File name under `rentalot_mcp/specs/`."""
    naming: Naming
    auth_headers: Callable[[str], dict[str, str]]
    """Build the auth headers from an API key."""
    key_variable: str
    base_url_variable: str
    default_base_url: str
    sandbox_path: str
    """Where the embedded sandbox serves this platform, relative to its root URL."""
    sandbox_key: str
    always_on: bool
    """On without a key (calls then explain how to set one); otherwise on only when a key is set."""
    reads_config_file: bool = False
    """Whether `api_key` / `base_url` in $XDG_CONFIG_HOME/rentalot/config.yaml apply to it."""
    cache_ttls: Mapping[str, float] = field(default_factory=dict)
    """operationId -> seconds its successful answers may be reused (stable reference data)."""
    result_notes: Mapping[str, str] = field(default_factory=dict)
    """Top-level answer field -> a note for the model, added when the field is `true`."""
    budget_reported: frozenset[str] = frozenset()
    """operationIds with a tight quota: their answers tell the model how much of it is left."""
    forbidden_hint: str | None = None
    """What an HTTP 403 means on this platform, when it differs from the generic hint."""
    local_tools: tuple[LocalTool, ...] = ()
    """Tools answered in-process, offered alongside the generated ones."""
    rate_limit_window: str = "minute"
    """The window `X-RateLimit-Limit` counts in."""
    plans_by_rate_limit: Mapping[int, Plan] = field(default_factory=dict)
    """`X-RateLimit-Limit` -> plan, where the platform publishes one limit per plan (doctor uses it)."""

    @property
    def spec_path(self) -> Traversable:
        return files("rentalot_mcp.specs") / self.spec_file

    def missing_key_help(self) -> str:
        return (
            f"No {self.display_name} API key is configured. Set it in one of three ways: "
            f"the environment variable {self.key_variable}; a line {self.key_variable}=... in a .env file "
            "in the working directory"
            + (
                "; or `api_key: ...` in $XDG_CONFIG_HOME/rentalot/config.yaml (the official CLI's file)"
                if self.reads_config_file
                else ""
            )
            + ". Or start the server with --sandbox to use the embedded demo API."
        )
