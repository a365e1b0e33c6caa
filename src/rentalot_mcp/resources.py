"""Resources: for each provider in the catalogue, a guide to its API in our words and the spec in use.

Guides are Markdown files under `rentalot_mcp/guides/` named after the provider; the spec is the
OpenAPI document the tools were generated from, served as JSON as it was written (refs kept).
"""

from __future__ import annotations

from importlib.resources import files

import mcp_types as types
from mcp.shared.exceptions import MCPError

from rentalot_mcp.config import Settings
from rentalot_mcp.openapi.spec import SpecError, dump_json, read_document
from rentalot_mcp.runtime import Runtime

SCHEME = "rentalot-mcp"
MARKDOWN, JSON = "text/markdown", "application/json"


def guide_uri(provider: str) -> str:
    return f"{SCHEME}://guide/{provider}"


def spec_uri(provider: str) -> str:
    return f"{SCHEME}://spec/{provider}"


class Resources:
    """The guides and specs of the providers a runtime serves; specs are read once, when first asked for."""

    def __init__(self, runtime: Runtime) -> None:
        self._settings: Settings = runtime.settings
        self._spec_sources: dict[str, str] = {}
        for tool in runtime.catalogue:
            if tool.spec_source:
                self._spec_sources.setdefault(tool.provider, tool.spec_source)
        providers = list(dict.fromkeys(tool.provider for tool in runtime.catalogue))
        self._guides = {
            name: guide for name in providers if (guide := files("rentalot_mcp") / "guides" / f"{name}.md").is_file()
        }
        self._specs: dict[str, str] = {}

    def guide_uris(self) -> list[str]:
        return [guide_uri(name) for name in self._guides]

    def list(self) -> list[types.Resource]:
        resources = [
            types.Resource(
                uri=guide_uri(name),
                name=f"{name}-guide",
                title=f"{self._display_name(name)} API guide",
                description="Keys and plans, limits, pagination, errors, idempotency, webhooks, and how the tools fit.",
                mime_type=MARKDOWN,
            )
            for name in self._guides
        ]
        resources.extend(
            types.Resource(
                uri=spec_uri(name),
                name=f"{name}-spec",
                title=f"{self._display_name(name)} OpenAPI document",
                description="The OpenAPI document the tools are generated from.",
                mime_type=JSON,
            )
            for name in self._spec_sources
        )
        return resources

    def read(self, uri: str) -> types.ReadResourceResult:
        """The resource's text; an unknown URI is an invalid-params error naming the known ones."""
        for name, guide in self._guides.items():
            if uri == guide_uri(name):
                return _result(uri, MARKDOWN, guide.read_text(encoding="utf-8"))
        for name, source in self._spec_sources.items():
            if uri == spec_uri(name):
                if name not in self._specs:
                    try:
                        self._specs[name] = dump_json(read_document(source))
                    except SpecError as exc:
                        raise MCPError(types.INTERNAL_ERROR, str(exc)) from None
                return _result(uri, JSON, self._specs[name])
        known = ", ".join(str(resource.uri) for resource in self.list())
        raise MCPError(types.INVALID_PARAMS, f"Unknown resource {uri}. Known: {known}.")

    def _display_name(self, provider: str) -> str:
        return next(
            (p.provider.display_name for p in self._settings.providers if p.provider.name == provider), provider
        )


def _result(uri: str, mime_type: str, text: str) -> types.ReadResourceResult:
    return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type=mime_type, text=text)])
