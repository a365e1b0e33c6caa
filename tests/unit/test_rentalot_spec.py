"""Our own Rentalot OpenAPI document (`specs/rentalot.yaml`) against the platform's published spec.

The published spec (OpenAPI 3.0, kept outside the repository) is the source of facts: every
operation, parameter, request-body field and validation limit must be in our document with the
same meaning. Our document may add what the official MCP server's tools accept beyond it, and it
must word every description itself. The structural checks run without the reference files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RENTALOT_TOOLSETS

HERE = Path(__file__).resolve()
SPEC_PATH = HERE.parents[2] / "src/rentalot_mcp/specs/rentalot.yaml"
REFERENCE_DIR = HERE.parents[3] / "shared/reference"
REFERENCE_SPEC = REFERENCE_DIR / "rentalot-openapi.json"
OFFICIAL_TOOLS = REFERENCE_DIR / "official-mcp-tools.json"
OFFICIAL_TOOL_OPERATIONS = REFERENCE_DIR / "official-tool-operations.json"

METHODS = ("get", "post", "put", "patch", "delete")
WRITE_METHODS = {"post", "put", "patch", "delete"}
TOOLSETS = RENTALOT_TOOLSETS
FACTS = (
    "type",
    "enum",
    "format",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
)
MIN_SHARED_RUN = 40
"""A description of ours may not share this many consecutive characters with a reference text."""


# ---------------------------------------------------------------- loading and normalising
def _resolve(node: Any, root: dict, seen: tuple[str, ...] = ()) -> Any:
    """Inline local $refs and merge allOf (properties and required lists are unioned)."""
    if isinstance(node, list):
        return [_resolve(item, root, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"non-local $ref {ref}"
        if ref in seen:
            return {"type": "object"}
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        merged = dict(_resolve(target, root, (*seen, ref)))
        merged.update({k: _resolve(v, root, seen) for k, v in node.items() if k != "$ref"})
        return merged
    out = {k: _resolve(v, root, seen) for k, v in node.items() if k != "allOf"}
    for part in node.get("allOf", []):
        part = _resolve(part, root, seen)
        for key, value in part.items():
            if key == "properties":
                out.setdefault("properties", {}).update(value)
            elif key == "required":
                out["required"] = [*out.get("required", []), *[r for r in value if r not in out.get("required", [])]]
            else:
                out.setdefault(key, value)
    return out


def _to_31(node: Any, in_properties: bool = False) -> Any:
    """Rewrite OpenAPI 3.0 schema idioms (nullable, boolean exclusive bounds) in their 3.1 form."""
    if isinstance(node, list):
        return [_to_31(item) for item in node]
    if not isinstance(node, dict):
        return node
    if in_properties:  # keys are field names, not keywords
        return {name: _to_31(schema) for name, schema in node.items()}
    out = {key: _to_31(value, in_properties=(key == "properties")) for key, value in node.items()}
    if out.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            out["type"] = [*kind, "null"]
    out.pop("nullable", None)
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool) and out.pop(bound) and limit in out:
            out[bound] = out.pop(limit)
    return out


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) if path.suffix in (".yaml", ".yml") else json.load(handle)


def _operations(document: dict) -> dict[tuple[str, str], tuple[str, dict]]:
    """(METHOD, path with `{}` for each parameter) -> (original path, operation)."""
    found = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                found[(method.upper(), re.sub(r"\{[^}]+\}", "{}", path))] = (path, item[method])
    return found


def _fact(schema: dict, key: str) -> Any:
    value = schema.get(key)
    if key == "type" and value is not None:
        return tuple(sorted(value)) if isinstance(value, list) else (value,)
    if key == "enum" and value is not None:
        return sorted(json.dumps(v) for v in value)
    return value


@pytest.fixture(scope="module")
def raw_ours() -> dict:
    return _load(SPEC_PATH)


@pytest.fixture(scope="module")
def ours(raw_ours: dict) -> dict:
    return _to_31(_resolve(raw_ours, raw_ours))


@pytest.fixture(scope="module")
def reference() -> dict:
    if not REFERENCE_SPEC.is_file():
        pytest.skip(f"reference spec not available at {REFERENCE_SPEC}")
    raw = _load(REFERENCE_SPEC)
    return _to_31(_resolve(raw, raw))


@pytest.fixture(scope="module")
def raw_reference() -> dict:
    if not REFERENCE_SPEC.is_file():
        pytest.skip(f"reference spec not available at {REFERENCE_SPEC}")
    return _load(REFERENCE_SPEC)


@pytest.fixture(scope="module")
def official_tools() -> tuple[list[dict], dict[str, dict]]:
    if not (OFFICIAL_TOOLS.is_file() and OFFICIAL_TOOL_OPERATIONS.is_file()):
        pytest.skip("official MCP tool references not available")
    return _load(OFFICIAL_TOOLS), _load(OFFICIAL_TOOL_OPERATIONS)


# ---------------------------------------------------------------- comparing schemas
def _compare_schema(ref: dict, mine: dict, where: str, errors: list[str]) -> None:
    """Every fact of the reference schema, recursively, must be the same in ours."""
    for key in FACTS:
        if _fact(ref, key) != _fact(mine, key):
            errors.append(f"{where}: {key} is {mine.get(key)!r}, reference has {ref.get(key)!r}")
    ref_required, my_required = set(ref.get("required", [])), set(mine.get("required", []))
    if ref_required - my_required:
        errors.append(f"{where}: required entries missing: {sorted(ref_required - my_required)}")
    if my_required - ref_required:
        errors.append(f"{where}: required only in ours: {sorted(my_required - ref_required)}")
    my_fields = mine.get("properties", {})
    for name, sub in ref.get("properties", {}).items():
        if name not in my_fields:
            errors.append(f"{where}: field {name!r} is missing")
        else:
            _compare_schema(sub, my_fields[name], f"{where}.{name}", errors)
    if isinstance(ref.get("items"), dict):
        if not isinstance(mine.get("items"), dict):
            errors.append(f"{where}: array items schema is missing")
        else:
            _compare_schema(ref["items"], mine["items"], f"{where}[]", errors)


def _path_params(path: str, operation: dict) -> list[dict]:
    by_name = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
    return [by_name.get(name, {"name": name, "in": "path"}) for name in re.findall(r"\{([^}]+)\}", path)]


def _compare_operation(key: tuple[str, str], ref_entry: tuple, my_entry: tuple, errors: list[str]) -> None:
    ref_path, ref_op = ref_entry
    my_path, my_op = my_entry
    name = ref_op.get("operationId", f"{key[0]} {ref_path}")
    if my_op.get("operationId") != ref_op.get("operationId"):
        errors.append(f"{name}: operationId is {my_op.get('operationId')!r}")

    # path parameters, by position
    for index, (ref_param, my_param) in enumerate(
        zip(_path_params(ref_path, ref_op), _path_params(my_path, my_op), strict=True)
    ):
        where = f"{name}: path parameter #{index + 1} ({my_param['name']})"
        if "schema" not in my_param:
            errors.append(f"{where}: not declared in parameters")
            continue
        if my_param.get("required") is not True:
            errors.append(f"{where}: must be required")
        _compare_schema(ref_param.get("schema", {}), my_param["schema"], where, errors)

    # query / header parameters, by name and location
    my_params = {p["name"]: p for p in my_op.get("parameters", []) if p["in"] != "path"}
    for ref_param in ref_op.get("parameters", []):
        if ref_param["in"] == "path":
            continue
        where = f"{name}: {ref_param['in']} parameter {ref_param['name']!r}"
        mine = my_params.get(ref_param["name"])
        if mine is None:
            errors.append(f"{where}: missing")
            continue
        if mine["in"] != ref_param["in"]:
            errors.append(f"{where}: declared in {mine['in']!r}")
        if bool(mine.get("required")) != bool(ref_param.get("required")):
            errors.append(f"{where}: required is {mine.get('required')!r}")
        _compare_schema(ref_param.get("schema", {}), mine.get("schema", {}), where, errors)

    # request body
    ref_body = ref_op.get("requestBody")
    if ref_body:
        my_body = my_op.get("requestBody")
        if not my_body:
            errors.append(f"{name}: request body is missing")
        else:
            if bool(my_body.get("required")) != bool(ref_body.get("required")):
                errors.append(f"{name}: requestBody.required is {my_body.get('required')!r}")
            ref_schema = ref_body["content"]["application/json"]["schema"]
            my_schema = my_body.get("content", {}).get("application/json", {}).get("schema")
            if my_schema is None:
                errors.append(f"{name}: request body has no application/json schema")
            else:
                _compare_schema(ref_schema, my_schema, f"{name}: body", errors)

    # success status
    ref_codes = sorted(c for c in ref_op["responses"] if str(c).startswith("2"))
    my_codes = sorted(str(c) for c in my_op.get("responses", {}) if str(c).startswith("2"))
    if my_codes != ref_codes:
        errors.append(f"{name}: success status {my_codes}, reference has {ref_codes}")


def _report(errors: list[str]) -> None:
    assert not errors, f"{len(errors)} problem(s):\n" + "\n".join(errors)


# ---------------------------------------------------------------- tests against the reference
def test_every_reference_operation_is_present_with_the_same_facts(reference: dict, ours: dict) -> None:
    ref_ops, my_ops = _operations(reference), _operations(ours)
    errors: list[str] = []
    for key, ref_entry in ref_ops.items():
        if key not in my_ops:
            errors.append(f"{ref_entry[1].get('operationId')}: {key[0]} {ref_entry[0]} is missing")
            continue
        _compare_operation(key, ref_entry, my_ops[key], errors)
    for key, (path, op) in my_ops.items():
        if key not in ref_ops:
            errors.append(f"{op.get('operationId')}: {key[0]} {path} is not in the reference")
    _report(errors)


def _strings(node: Any, key: str, in_properties: bool = False) -> list[str]:
    """All string values under `key` (skipping field names inside `properties` maps)."""
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if not in_properties and k == key and isinstance(v, str):
                found.append(v)
            else:
                found.extend(_strings(v, key, in_properties=(k == "properties" and not in_properties)))
    elif isinstance(node, list):
        for item in node:
            found.extend(_strings(item, key))
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def test_descriptions_are_our_own_words(raw_reference: dict, raw_ours: dict) -> None:
    theirs = {_squash(t) for t in _strings(raw_reference, "description") + _strings(raw_reference, "summary")}
    if OFFICIAL_TOOLS.is_file():
        theirs |= {_squash(t) for t in _strings(_load(OFFICIAL_TOOLS), "description")}
    runs = {t[i : i + MIN_SHARED_RUN] for t in theirs for i in range(len(t) - MIN_SHARED_RUN + 1)}
    errors = []
    for text in _strings(raw_ours, "description"):
        mine = _squash(text)
        if mine in theirs:
            errors.append(f"copied description: {text!r}")
            continue
        shared = next(
            (
                mine[i : i + MIN_SHARED_RUN]
                for i in range(len(mine) - MIN_SHARED_RUN + 1)
                if mine[i : i + MIN_SHARED_RUN] in runs
            ),
            None,
        )
        if shared:
            errors.append(f"description shares {shared!r} with the reference: {text!r}")
    _report(errors)


def _argument_names(path: str, operation: dict) -> set[str]:
    names = set()
    for param in operation.get("parameters", []):
        names.add(param["name"])
        if param.get("x-mcp-name"):
            names.add(param["x-mcp-name"])
        if param["in"] == "header" and param["name"] == "Idempotency-Key":
            names.add("idempotencyKey")
    names.update(re.findall(r"\{([^}]+)\}", path))
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    names.update(body.get("properties", {}))
    return names


def _our_operations_by_id(ours: dict) -> dict[str, tuple[str, dict]]:
    return {op["operationId"]: (path, op) for (_, _), (path, op) in _operations(ours).items()}


def test_every_official_tool_argument_exists(official_tools: tuple, ours: dict) -> None:
    tools, tool_operations = official_tools
    by_id = _our_operations_by_id(ours)
    errors = []
    for tool in tools:
        target = tool_operations.get(tool["name"])
        if target is None:
            errors.append(f"{tool['name']}: not in official-tool-operations.json")
            continue
        if target["operationId"] not in by_id:
            errors.append(f"{tool['name']}: operation {target['operationId']} is missing")
            continue
        path, op = by_id[target["operationId"]]
        missing = set(tool["inputSchema"].get("properties", {})) - _argument_names(path, op)
        if missing:
            errors.append(f"{tool['name']} ({target['operationId']}): arguments missing: {sorted(missing)}")
    assert len(tool_operations) == len(by_id) == 65
    _report(errors)


def _our_argument_schemas(path: str, operation: dict) -> dict[str, dict]:
    schemas = {}
    for param in operation.get("parameters", []):
        schemas[param.get("x-mcp-name") or param["name"]] = param.get("schema", {})
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    schemas.update(body.get("properties", {}))
    return schemas


def _reference_argument_names(reference: dict, operation_id: str) -> set[str]:
    for _path, op in _operations(reference).values():
        if op.get("operationId") == operation_id:
            names = {p["name"] for p in op.get("parameters", [])}
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            return names | set(body.get("properties", {}))
    return set()


def test_arguments_added_beyond_the_reference_follow_the_official_tools(
    official_tools: tuple, ours: dict, reference: dict
) -> None:
    tools, tool_operations = official_tools
    by_id = _our_operations_by_id(ours)
    errors = []
    for tool in tools:
        operation_id = tool_operations[tool["name"]]["operationId"]
        path, op = by_id[operation_id]
        mine = _our_argument_schemas(path, op)
        known = _reference_argument_names(reference, operation_id) | set(re.findall(r"\{([^}]+)\}", path))
        for name, official in tool["inputSchema"].get("properties", {}).items():
            if name in known or name == "idempotencyKey" or name not in mine:
                continue
            schema = mine[name]
            for key in ("enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"):
                if _fact(official, key) != _fact(schema, key):
                    errors.append(
                        f"{operation_id}.{name}: {key} is {schema.get(key)!r}, official {official.get(key)!r}"
                    )
            my_types, their_types = set(_fact(schema, "type") or ()), set(_fact(official, "type") or ())
            if "number" in their_types and "integer" in my_types:  # an integer is a number
                my_types = (my_types - {"integer"}) | {"number"}
            if my_types != their_types:
                errors.append(f"{operation_id}.{name}: type {sorted(my_types)}, official {sorted(their_types)}")
            if isinstance(official.get("items"), dict):
                for key in ("type", "maxLength", "enum"):
                    if _fact(official["items"], key) != _fact(schema.get("items", {}), key):
                        errors.append(f"{operation_id}.{name}[]: {key} differs from the official tool")
    _report(errors)


# ---------------------------------------------------------------- structural checks (no reference needed)
def test_document_shape(raw_ours: dict) -> None:
    assert raw_ours["openapi"] == "3.1.0"
    assert raw_ours["info"]["title"] == "Rentalot API" and raw_ours["info"]["version"] == "1.0.0"
    assert raw_ours["info"].get("description")
    assert raw_ours["servers"] == [{"url": "https://rentalot.ai"}]
    assert raw_ours["security"] == [{"BearerAuth": []}]
    scheme = raw_ours["components"]["securitySchemes"]["BearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "parameters" not in raw_ours["components"], "parameters are inlined in each operation"
    declared = [tag["name"] for tag in raw_ours["tags"]]
    assert sorted(declared) == sorted(TOOLSETS)
    assert all(tag.get("description") for tag in raw_ours["tags"])
    assert len(_operations(raw_ours)) == 65


def _walk(node: Any, path: str = "") -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}/{index}")


def test_written_in_openapi_3_1_form_without_examples(raw_ours: dict) -> None:
    errors = []
    for where, key, value in _walk(raw_ours):
        in_properties = where.endswith("/properties")
        if in_properties:
            continue
        if key == "nullable":
            errors.append(f"{where}: nullable (use a 'null' type)")
        if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            errors.append(f"{where}: boolean {key}")
        if key in ("example", "examples"):
            errors.append(f"{where}: {key}")
        if key == "$ref":
            target: Any = raw_ours
            for part in value[2:].split("/"):
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                errors.append(f"{where}: unresolvable $ref {value}")
        if key == "headers" and "/responses/" in f"{where}/":
            errors.append(f"{where}: response headers")
    _report(errors)


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def test_operations_follow_our_conventions(raw_ours: dict) -> None:
    errors = []
    operation_ids = []
    for (method, _), (path, op) in _operations(raw_ours).items():
        name = op.get("operationId", f"{method} {path}")
        operation_ids.append(name)
        if not path.startswith("/api/v1/"):
            errors.append(f"{name}: path {path} is not under /api/v1/")
        segments = path.split("/")
        for index, segment in enumerate(segments):
            if segment.startswith("{"):
                if segment == "{id}":
                    errors.append(f"{name}: bare {{id}} in {path}")
                elif segment != "{jobId}" and segment != "{" + _singular(segments[index - 1]) + "Id}":
                    errors.append(f"{name}: path parameter {segment} does not follow the naming rule")
        declared = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
        if sorted(declared) != sorted(re.findall(r"\{([^}]+)\}", path)):
            errors.append(f"{name}: path parameters declared {declared} do not match {path}")
        tags = op.get("tags", [])
        if len(tags) != 1 or tags[0] not in TOOLSETS:
            errors.append(f"{name}: tags {tags} must be exactly one of the toolsets")
        summary, description = op.get("summary", ""), op.get("description", "")
        if not 2 <= len(summary.split()) <= 5:
            errors.append(f"{name}: summary {summary!r} should be 2-5 words")
        if not description.strip():
            errors.append(f"{name}: no description")
        if (method.lower() in WRITE_METHODS) != description.rstrip().endswith("Pro plan."):
            errors.append(f"{name}: only write operations end with 'Pro plan.' ({description!r})")
        headers = [p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        if method == "POST":
            if len(headers) != 1:
                errors.append(f"{name}: POST without an Idempotency-Key header parameter")
            else:
                header = headers[0]
                if header.get("required") is not False or header.get("schema") != {"type": "string", "maxLength": 255}:
                    errors.append(f"{name}: Idempotency-Key must be optional, string, maxLength 255")
                # Listed ones (x-mcp-listed, where the official tools list idempotencyKey) go without one:
                # the name says it, and the lean catalogue has no room for four more copies.
                if not header.get("description") and not header.get("x-mcp-listed"):
                    errors.append(f"{name}: Idempotency-Key has no description")
        body = op.get("requestBody")
        if body and "application/json" not in body.get("content", {}):
            errors.append(f"{name}: request body is not application/json")
        successes = [c for c in op.get("responses", {}) if str(c).startswith("2")]
        if len(successes) != 1:
            errors.append(f"{name}: expected one success response, got {successes}")
        elif str(successes[0]) != "204":
            content = op["responses"][successes[0]].get("content", {})
            if "schema" not in content.get("application/json", {}):
                errors.append(f"{name}: success response has no application/json schema")
    duplicates = sorted({i for i in operation_ids if operation_ids.count(i) > 1})
    if duplicates:
        errors.append(f"duplicate operationIds: {duplicates}")
    _report(errors)


def test_list_workflow_runs_exposes_template_id_as_workflow_id(raw_ours: dict) -> None:
    op = raw_ours["paths"]["/api/v1/workflows/runs"]["get"]
    template = next(p for p in op["parameters"] if p["name"] == "templateId")
    assert template["in"] == "query" and template["x-mcp-name"] == "workflowId"
