"""server.json, the MCP registry manifest: valid, in step with pyproject, and honest about secrets.

The network is closed in CI, so the registry's schema (2025-09-29) is written down here: the parts
that constrain a PyPI package with a stdio transport, with the registry's names and rules.
"""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rentalot_mcp.providers import PROVIDERS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json"

_INPUT_PROPERTIES: dict[str, Any] = {
    "description": {"type": "string"},
    "isRequired": {"type": "boolean"},
    "format": {"type": "string", "enum": ["string", "number", "boolean", "filepath"]},
    "value": {"type": "string"},
    "isSecret": {"type": "boolean"},
    "default": {"type": "string"},
    "placeholder": {"type": "string"},
    "choices": {"type": "array", "items": {"type": "string"}},
}
_KEY_VALUE_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, **_INPUT_PROPERTIES},
}
_REMOTE = {
    "type": "object",
    "required": ["type", "url"],
    "properties": {"url": {"type": "string"}, "headers": {"type": "array", "items": _KEY_VALUE_INPUT}},
}
SERVER_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name", "description", "version"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "name": {"type": "string", "pattern": r"^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$", "minLength": 3, "maxLength": 200},
        "description": {"type": "string", "minLength": 1, "maxLength": 100},
        "version": {"type": "string", "maxLength": 255, "not": {"pattern": r"^[\^~<>=]|\.[x*](\.|$)"}},
        "websiteUrl": {"type": "string", "format": "uri"},
        "repository": {
            "type": "object",
            "required": ["url", "source"],
            "properties": {
                "url": {"type": "string", "format": "uri"},
                "source": {"type": "string"},
                "id": {"type": "string"},
                "subfolder": {"type": "string"},
            },
        },
        "packages": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["registryType", "identifier", "version", "transport"],
                "properties": {
                    "registryType": {"type": "string"},
                    "registryBaseUrl": {"type": "string", "format": "uri"},
                    "identifier": {"type": "string"},
                    "version": {"type": "string", "minLength": 1, "not": {"const": "latest"}},
                    "fileSha256": {"type": "string", "pattern": "^[a-f0-9]{64}$"},
                    "runtimeHint": {"type": "string"},
                    "transport": {
                        "anyOf": [
                            {
                                "type": "object",
                                "required": ["type"],
                                "properties": {"type": {"type": "string", "enum": ["stdio"]}},
                            },
                            {**_REMOTE, "properties": {**_REMOTE["properties"], "type": {"enum": ["streamable-http"]}}},
                            {**_REMOTE, "properties": {**_REMOTE["properties"], "type": {"enum": ["sse"]}}},
                        ]
                    },
                    "runtimeArguments": {"type": "array"},
                    "packageArguments": {"type": "array"},
                    "environmentVariables": {"type": "array", "items": _KEY_VALUE_INPUT},
                },
            },
        },
        "remotes": {"type": "array"},
        "_meta": {"type": "object"},
    },
}


def _manifest() -> dict[str, Any]:
    return json.loads((ROOT / "server.json").read_text(encoding="utf-8"))


def _project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _validate(document: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(SERVER_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


def test_server_json_is_valid_against_the_registry_schema() -> None:
    manifest = _manifest()
    _validate(manifest)
    assert manifest["$schema"] == SCHEMA_URL


def test_the_schema_as_written_here_rejects_what_the_registry_rejects() -> None:
    for change in (
        lambda m: m.pop("version"),
        lambda m: m.update(description="x" * 101),
        lambda m: m.update(name="no-namespace"),
        lambda m: m["packages"][0].update(version="latest"),
        lambda m: m["packages"][0].pop("transport"),
        lambda m: m["packages"][0].update(surprise=True),
        lambda m: m["packages"][0]["environmentVariables"][0].update(isSecret="yes"),
    ):
        manifest = copy.deepcopy(_manifest())
        change(manifest)
        with pytest.raises(jsonschema.ValidationError):
            _validate(manifest)


def test_versions_and_package_match_pyproject() -> None:
    manifest, project = _manifest(), _project()
    (package,) = manifest["packages"]
    assert manifest["version"] == project["version"] == package["version"]
    assert (package["registryType"], package["identifier"]) == ("pypi", project["name"])
    assert package["transport"] == {"type": "stdio"}
    assert package["runtimeHint"] == "uvx"


def test_every_providers_variables_are_described_and_keys_are_secret() -> None:
    (package,) = _manifest()["packages"]
    variables = {variable["name"]: variable for variable in package["environmentVariables"]}
    for provider in PROVIDERS:
        key, base_url = variables[provider.key_variable], variables[provider.base_url_variable]
        assert key["isSecret"] is True and key["description"]
        assert base_url["isSecret"] is False and base_url["default"] == provider.default_base_url
    for name, variable in variables.items():
        assert variable["isSecret"] is name.endswith("_API_KEY"), name
        assert variable["description"].strip(), name


def test_readme_carries_the_pypi_ownership_marker() -> None:
    """The registry verifies a PyPI package by finding `mcp-name: <name>` in its README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"mcp-name: {_manifest()['name']}" in readme
