"""Portable schemas: the emitter's rules on hand-made schemas, and every emitted schema of every tool,
in every mode, checked against the rules Claude, OpenAI, Gemini and Cursor impose."""

from __future__ import annotations

import anyio
import pytest

from rentalot_mcp import schemas
from rentalot_mcp.catalogue import Selection
from rentalot_mcp.dynamic import describe
from rentalot_mcp.runtime import Runtime
from rentalot_mcp.server import tool_definitions
from tests.conftest import fake_settings
from tests.support.samples import sample_arguments

MODES = {
    "full": (Selection(), False),
    "read-only": (Selection(read_only=True), False),
    "dynamic": (Selection(), True),
    "one-toolset": (Selection(toolsets=frozenset({"showings"})), False),
}


def _definitions(mode: str) -> list:
    selection, dynamic = MODES[mode]
    runtime = Runtime.create(fake_settings(), selection)
    try:
        return tool_definitions(runtime, dynamic=dynamic)
    finally:
        anyio.run(runtime.aclose)


DEFINITIONS = {mode: _definitions(mode) for mode in MODES}
RUNTIME = Runtime.create(fake_settings())


@pytest.mark.parametrize("mode", MODES)
def test_every_emitted_schema_is_portable_in_every_mode(mode: str) -> None:
    problems = []
    for tool in DEFINITIONS[mode]:
        if not schemas.TOOL_NAME.match(tool.name):
            problems.append(f"{tool.name}: name")
        for kind, schema in (("input", tool.input_schema), ("output", tool.output_schema)):
            if schema is not None:
                problems.extend(f"{tool.name} {kind}: {problem}" for problem in schemas.problems(schema))
    assert DEFINITIONS[mode] and problems == []


def test_describe_tool_schemas_are_portable_too() -> None:
    problems = []
    for tool in RUNTIME.catalogue:
        described = describe(tool)
        for kind in ("inputSchema", "outputSchema"):
            if kind in described:
                problems.extend(f"{tool.name} {kind}: {p}" for p in schemas.problems(described[kind]))
    assert problems == []


def test_every_argument_of_the_spec_stays_callable() -> None:
    """Listed arguments plus the few accepted-but-unlisted ones are exactly what the validator accepts."""
    for tool in RUNTIME.catalogue:
        listed = set(tool.listed_schema["properties"])
        accepted = set(tool.input_schema["properties"])
        assert listed | tool.hidden_arguments == accepted, tool.name
        assert not tool.hidden_arguments & set(tool.input_schema.get("required", [])), tool.name


def test_nullable_inputs_are_one_type_but_the_server_still_takes_null() -> None:
    nullable = [
        (tool, name)
        for tool in RUNTIME.catalogue
        for name, sub in tool.input_schema["properties"].items()
        if isinstance(sub.get("type"), list) and "null" in sub["type"]
    ]
    assert nullable
    for tool, name in nullable:
        emitted = schemas.input_schema(tool.listed_schema)["properties"][name]
        assert isinstance(emitted["type"], str) and "null" in emitted["description"]
        arguments = {**sample_arguments(tool.input_schema), name: None}
        assert tool.validator.problems(arguments) == [], (tool.name, name)


# ---------------------------------------------------------------- the emitter's rules, one by one
def _emit(properties: dict, **root) -> dict:
    return schemas.input_schema({"type": "object", "properties": properties, **root})["properties"]


def test_unknown_keywords_and_additional_properties_go() -> None:
    emitted = schemas.input_schema(
        {
            "type": "object",
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": False,
            "properties": {"a": {"type": "string", "propertyNames": {"maxLength": 3}, "title": "A", "examples": ["x"]}},
        }
    )
    assert emitted == {"type": "object", "properties": {"a": {"type": "string"}}}


def test_a_nullable_input_keeps_its_type_and_says_null_is_allowed() -> None:
    emitted = _emit(
        {
            "a": {"type": ["string", "null"], "maxLength": 5},
            "b": {"type": ["object", "null"], "description": "null clears"},
        }
    )
    assert emitted["a"] == {"type": "string", "description": "null allowed", "maxLength": 5}
    assert emitted["b"] == {"type": "object", "description": "null clears"}


def test_exclusive_bounds_become_inclusive_and_keep_their_meaning() -> None:
    emitted = _emit(
        {
            "n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
            "x": {"type": "number", "exclusiveMinimum": 0},
        }
    )
    assert emitted["n"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert emitted["x"] == {"type": "number", "description": "> 0", "minimum": 0}


def test_only_string_enums_stay_enums_and_const_becomes_an_enum() -> None:
    emitted = _emit(
        {
            "minutes": {"type": "number", "enum": [15, 30, 60]},
            "status": {"type": ["string", "null"], "enum": ["a", "b", None]},
            "kind": {"const": "fixed"},
        }
    )
    assert emitted["minutes"] == {"type": "number", "description": "one of 15, 30, 60"}
    assert emitted["status"]["enum"] == ["a", "b"]
    assert emitted["kind"] == {"type": "string", "enum": ["fixed"]}


def test_formats_outside_the_portable_set_move_to_the_description() -> None:
    emitted = _emit({"a": {"type": "string", "format": "uuid"}, "b": {"type": "string", "format": "iri-reference"}})
    assert emitted["a"] == {"type": "string", "format": "uuid"}
    assert emitted["b"] == {"type": "string", "description": "iri-reference"}


def test_combinators_are_merged_or_reduced_to_one_type() -> None:
    emitted = schemas.input_schema(
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer"}}, "required": ["b"]},
            ],
            "properties": {
                "either": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]},
                "mixed": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            },
        }
    )
    assert emitted["required"] == ["a", "b"]
    assert emitted["properties"]["a"] == {"type": "string"}
    assert emitted["properties"]["either"] == {"type": "string", "description": "null allowed", "maxLength": 3}
    assert emitted["properties"]["mixed"] == {"type": "integer", "description": "also string"}


def test_untyped_nodes_and_bare_arrays_get_a_type() -> None:
    emitted = _emit({"any": {}, "list": {"type": "array"}, "obj": {"properties": {"x": {"type": "boolean"}}}})
    assert emitted["any"] == {"type": "string"}
    assert emitted["list"] == {"type": "array", "items": {"type": "string"}}
    assert emitted["obj"]["type"] == "object"


def test_deep_nesting_collapses_to_a_bare_typed_node() -> None:
    deep = {"type": "string"}
    for _ in range(6):
        deep = {"type": "object", "properties": {"next": deep}}
    emitted = schemas.input_schema({"type": "object", "properties": {"top": deep}})
    assert schemas.problems(emitted) == []
    node, depth = emitted, 1
    while "properties" in node:
        node, depth = next(iter(node["properties"].values())), depth + 1
    assert depth == schemas.MAX_DEPTH and node == {"type": "object"}


def test_arrays_nested_past_the_limit_at_the_top_level_are_refused() -> None:
    deep: dict = {"type": "string"}
    for _ in range(5):
        deep = {"type": "array", "items": deep}
    with pytest.raises(schemas.TooDeep):
        schemas.input_schema({"type": "object", "properties": {"grid": deep}})


def test_output_schemas_never_get_stricter() -> None:
    emitted = schemas.output_schema(
        {
            "type": "object",
            "properties": {"data": {"type": "object"}, "note": {"type": ["string", "null"]}, "n": {"type": "integer"}},
        }
    )
    assert emitted == {"type": "object", "properties": {"data": {"type": "object"}, "n": {"type": "integer"}}}
    assert schemas.output_schema(None) is None


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "array"}, "(root): type must be object"),
        ({"type": "object"}, "(root): no properties"),
        ({"type": "object", "oneOf": []}, "oneOf at the top level"),
        ({"type": "object", "properties": {"a": {"$ref": "#/x", "type": "string"}}}, "keywords $ref"),
        ({"type": "object", "properties": {"a": {"type": ["string", "null"]}}}, "is not one JSON type"),
        ({"type": "object", "properties": {"a": {"type": "string", "format": "uri-template"}}}, "format"),
        ({"type": "object", "properties": {"a": {"type": "array"}}}, "array without items"),
        ({"type": "object", "properties": {"a": {"type": "number", "enum": [1]}}}, "enum of non-strings"),
        ({"type": "object", "properties": {"a-b": {"type": "string"}}}, "property name"),
        ({"type": "object", "properties": {}, "required": ["a"]}, "required names no property"),
        ({"type": "string", "properties": {}}, "properties or required on a string"),
    ],
)
def test_the_checker_catches_each_rule(schema: dict, expected: str) -> None:
    assert any(expected in problem for problem in schemas.problems(schema)), schemas.problems(schema)


def test_the_checker_catches_depth() -> None:
    deep: dict = {"type": "string"}
    for _ in range(schemas.MAX_DEPTH):
        deep = {"type": "object", "properties": {"x": deep}}
    assert any("levels deep" in problem for problem in schemas.problems(deep))
