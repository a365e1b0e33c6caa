"""Emit tool schemas that Claude, OpenAI function calling, Gemini function declarations and Cursor all accept.

The server keeps two schemas per tool. The internal one (JSON Schema 2020-12, straight from the
spec) validates every call. The emitted one, built here, is what clients and models see: the
subset of JSON Schema the four clients share, and compact, because every conversation pays for
it. What cannot be said in that subset moves into the description, so the model still learns it:

- Keywords: only `KEYWORDS` are kept (Gemini's OpenAPI-3.0 schema subset, which the others accept).
  `additionalProperties` goes: the server rejects unknown arguments itself and says which.
- `type` is always one string. A nullable input (`["string", "null"]`) is emitted as its non-null
  type with "null allowed" in its description: `nullable: true` is Gemini-only and type lists break
  Gemini. Inputs are still validated against the internal schema, so null is accepted where the API
  takes it. Outputs must never reject a real answer, so an output field that cannot be typed with
  one string is left out instead.
- `format`: only `FORMATS`: those OpenAI's structured outputs document, plus `uri` (Claude, Cursor and
  Gemini take any format; OpenAI ignores formats outside strict mode). Any other is named in the description.
- Exclusive bounds become inclusive ones: `exclusiveMinimum: 0` on an integer is `minimum: 1`;
  on a number the bound is kept inclusive and the description says `> 0`.
- Gemini takes only string enums: other enums are listed in the description.
- `allOf` is merged; `anyOf` / `oneOf` branches of one type are merged, otherwise the first typed
  branch is kept and the other types are named in the description.
- At most `MAX_DEPTH` levels (the root object is level 1); deeper detail collapses to a bare typed node.
- Every array states its `items` and the root always has `properties` (OpenAI rejects either missing);
  an untyped node is a string. Free-form objects (`{"type": "object"}`, e.g. workflow steps) stay
  open: Gemini's `parametersJsonSchema`, which its MCP clients use, takes them (its older
  `parameters` field wanted properties on every object).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from rentalot_mcp.openapi.spec import JsonObject

MAX_DEPTH = 5
FORMATS = frozenset({"date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uuid", "uri"})
KEYWORDS = frozenset(
    {
        "type",
        "format",
        "description",
        "enum",
        "properties",
        "required",
        "items",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
        "default",
    }
)
TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean"})
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
PROPERTY_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,63}$")
"""Gemini's rule for parameter names; the other clients accept any string."""
_COMBINATORS = ("allOf", "anyOf", "oneOf")

Direction = Literal["input", "output"]


class TooDeep(ValueError):
    """A schema nests arrays so deeply that no portable form keeps its top-level arguments."""


def input_schema(schema: JsonObject) -> JsonObject:
    """The portable form of a tool's input schema."""
    return _root(schema, "input")


def output_schema(schema: JsonObject | None) -> JsonObject | None:
    """The portable form of a tool's output schema; never stricter than the internal one."""
    return None if schema is None else _root(schema, "output")


def _root(schema: JsonObject, direction: Direction) -> JsonObject:
    root = {**_flatten(schema), "type": "object"}
    emitted = _emit(root, MAX_DEPTH, direction)
    if emitted is None or (root.get("properties") and "properties" not in emitted):
        raise TooDeep("the schema nests arrays too deeply to keep its arguments in a portable form")
    return {"type": "object", "properties": {}, **emitted}  # OpenAI refuses a root object without properties


def _emit(node: JsonObject, room: int, direction: Direction) -> JsonObject | None:
    """`room` is how many levels this node and its children may use; None when it cannot fit."""
    if room < 1:
        return None
    node = _flatten(node)
    notes: list[str] = []
    kind = _single_type(node, notes, direction)
    if kind is None:
        return None
    out: JsonObject = {"type": kind}
    for key in ("format", "pattern", "minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum"):
        if key in node:
            out[key] = node[key]
    if out.get("format") not in (None, *FORMATS):
        notes.append(str(out.pop("format")))
    _bounds(node, kind, out, notes)
    _enum(node, kind, out, notes)
    if "default" in node and node["default"] is not None:
        out["default"] = node["default"]
    if kind == "object" and node.get("properties"):
        children = _children(node, room, direction)
        if children is not None:
            out["properties"] = children
            required = [name for name in node.get("required", []) if name in children]
            if required:
                out["required"] = required
    elif kind == "array":
        items = _emit(node["items"] if isinstance(node.get("items"), dict) else {}, room - 1, direction)
        if items is None:
            return None
        out["items"] = items
    description = "; ".join(part for part in (str(node.get("description") or "").strip(), *notes) if part)
    if description:
        out["description"] = description
    return _ordered(out)


def _children(node: JsonObject, room: int, direction: Direction) -> dict[str, JsonObject] | None:
    """The emitted properties, or None when they do not fit (the object is then left open)."""
    if room < 2:
        return None
    children: dict[str, JsonObject] = {}
    for name, sub in node["properties"].items():
        emitted = _emit(sub if isinstance(sub, dict) else {}, room - 1, direction)
        if emitted is not None:
            children[name] = emitted
        elif direction == "input":
            return None
    return children


def _flatten(node: JsonObject) -> JsonObject:
    """Merge `allOf`, and `anyOf`/`oneOf` branches that share one type, into the node itself."""
    if not any(key in node for key in _COMBINATORS):
        return node
    out = {key: value for key, value in node.items() if key not in _COMBINATORS}
    for key in _COMBINATORS:
        branches = [_flatten(branch) for branch in node.get(key, []) if isinstance(branch, dict)]
        if key != "allOf" and branches:
            kinds = {kind for branch in branches for kind in _types(branch)}
            typed = [branch for branch in branches if set(_types(branch)) - {"null"}]
            if len(kinds - {"null"}) > 1:
                kept = set(_types(typed[0]))
                _note(out, "also " + " or ".join(sorted(kinds - kept - {"null"})))
                branches = typed[:1]
            if "null" in kinds:
                out["type"] = [*_types(out), "null"]
        for branch in branches:
            _merge(out, branch, union_required=key == "allOf")
    return out


def _note(node: JsonObject, note: str) -> None:
    node["description"] = "; ".join(part for part in (str(node.get("description") or ""), note) if part)


def _merge(out: JsonObject, branch: JsonObject, *, union_required: bool) -> None:
    for key, value in branch.items():
        if key == "properties":
            out["properties"] = {**out.get("properties", {}), **value}
        elif key == "required":
            if union_required or "required" not in out:
                out["required"] = [*out.get("required", []), *(r for r in value if r not in out.get("required", []))]
            else:
                out["required"] = [r for r in out["required"] if r in value]
        elif key == "type":
            out["type"] = sorted({*_types(out), *_types(branch)})
        else:
            out.setdefault(key, value)


def _types(node: JsonObject) -> list[str]:
    kind = node.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    if isinstance(kind, str):
        return [kind]
    if "const" in node:
        return [_json_type(node["const"])]
    if "properties" in node:
        return ["object"]
    if "items" in node:
        return ["array"]
    if node.get("enum"):
        return sorted({_json_type(value) for value in node["enum"]})
    return []


def _single_type(node: JsonObject, notes: list[str], direction: Direction) -> str | None:
    kinds = [kind for kind in _types(node) if kind in TYPES or kind == "null"]
    non_null = [kind for kind in kinds if kind != "null"]
    if direction == "output" and (len(non_null) != 1 or "null" in kinds):
        return None
    if "null" in kinds and "null" not in str(node.get("description", "")).lower():
        notes.append("null allowed")
    if len(non_null) > 1:
        notes.append("also " + " or ".join(non_null[1:]))
    return non_null[0] if non_null else "string"


def _bounds(node: JsonObject, kind: str, out: JsonObject, notes: list[str]) -> None:
    for exclusive, inclusive, step, sign in (
        ("exclusiveMinimum", "minimum", 1, ">"),
        ("exclusiveMaximum", "maximum", -1, "<"),
    ):
        bound = node.get(exclusive)
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            continue
        if kind == "integer" and float(bound).is_integer():
            out[inclusive] = int(bound) + step
        else:
            out[inclusive] = bound
            notes.append(f"{sign} {bound}")


def _enum(node: JsonObject, kind: str, out: JsonObject, notes: list[str]) -> None:
    values = [value for value in node.get("enum", []) if value is not None]
    if "const" in node:
        values = [node["const"]]
    if not values:
        return
    if kind == "string" and all(isinstance(value, str) for value in values):
        out["enum"] = values
    else:
        shown = [str(value).lower() if isinstance(value, bool) else str(value) for value in values]
        notes.append("one of " + ", ".join(shown))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    return {dict: "object", list: "array"}.get(type(value), "string")


_ORDER = {key: index for index, key in enumerate(("type", "format", "enum", "description"))}


def _ordered(out: JsonObject) -> JsonObject:
    """Type first, then what a reader needs first; stable output keeps listings diffable."""
    return dict(sorted(out.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER))))


def problems(schema: JsonObject) -> list[str]:
    """Every way `schema` breaks the portable rules above; empty when all four clients accept it."""
    found: list[str] = []
    if schema.get("type") != "object":
        found.append("(root): type must be object")
    if not isinstance(schema.get("properties"), dict):
        found.append("(root): no properties")
    found.extend(f"(root): {key} at the top level" for key in _COMBINATORS if key in schema)
    for where, node, depth in _nodes(schema, "(root)", 1):
        found.extend(_node_problems(where, node, depth))
    return found


def _nodes(node: JsonObject, where: str, depth: int) -> Iterator[tuple[str, JsonObject, int]]:
    yield where, node, depth
    for name, sub in (node.get("properties") or {}).items():
        if isinstance(sub, dict):
            yield from _nodes(sub, f"{where}.{name}", depth + 1)
    if isinstance(node.get("items"), dict):
        yield from _nodes(node["items"], f"{where}[]", depth + 1)


def _node_problems(where: str, node: JsonObject, depth: int) -> Iterator[str]:
    unknown = sorted(set(node) - KEYWORDS)
    if unknown:
        yield f"{where}: keywords {', '.join(unknown)}"
    kind = node.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        yield f"{where}: type {kind!r} is not one JSON type"
    if depth > MAX_DEPTH:
        yield f"{where}: nested {depth} levels deep (at most {MAX_DEPTH})"
    if "format" in node and node["format"] not in FORMATS:
        yield f"{where}: format {node['format']!r}"
    if kind == "array" and not isinstance(node.get("items"), dict):
        yield f"{where}: array without items"
    if kind != "object" and ("properties" in node or "required" in node):
        yield f"{where}: properties or required on a {kind}"
    if "enum" in node and (kind != "string" or not all(isinstance(value, str) for value in node["enum"])):
        yield f"{where}: enum of non-strings"
    for name in node.get("properties") or {}:
        if not PROPERTY_NAME.match(name):
            yield f"{where}: property name {name!r}"
    missing = set(node.get("required", [])) - set(node.get("properties") or {})
    if missing:
        yield f"{where}: required names no property: {', '.join(sorted(missing))}"
