"""The generic generator: naming, routing, schema normalisation — on small hand-made documents."""

from __future__ import annotations

import pytest

from rentalot_mcp.openapi.operations import Naming, build_operations, camel_case, path_argument_name, snake_case
from rentalot_mcp.openapi.spec import SpecError, normalise, read_document


def _doc(paths: dict) -> dict:
    return normalise(
        {
            "openapi": "3.0.3",
            "paths": paths,
            "components": {
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "maxLength": 10},
                            "tag": {"type": "string", "nullable": True},
                            "age": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
                        },
                    },
                }
            },
        }
    )


PETS = {
    "/v1/pets/{id}": {
        "patch": {
            "operationId": "updatePet",
            "summary": "Update a pet",
            "tags": ["Pet Shop"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            },
            "responses": {
                "200": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Pet"}}}
                        }
                    }
                }
            },
        },
        "delete": {"operationId": "removePet", "responses": {"204": {"description": "gone"}}},
    }
}


def test_names_and_annotations_follow_the_method() -> None:
    update, remove = build_operations(_doc(PETS), Naming(prefix="zoo_", renames={"removePet": "delete_pet"}))
    assert (update.name, remove.name) == ("zoo_update_pet", "zoo_delete_pet")
    assert update.toolset == "petshop"
    assert (update.read_only, update.destructive, update.idempotent) == (False, False, True)
    assert (remove.read_only, remove.destructive, remove.idempotent) == (False, True, True)
    assert update.title == "Update a pet"
    assert remove.success_status == 204 and remove.output_schema is None


def test_flat_input_schema_inlines_refs_and_normalises_3_0_idioms() -> None:
    update = build_operations(_doc(PETS), Naming())[0]
    props = update.input_schema["properties"]
    assert list(props) == ["petId", "dryRun", "idempotencyKey", "name", "tag", "age"]
    assert update.input_schema["required"] == ["petId", "name"]
    assert update.input_schema["additionalProperties"] is False
    assert props["tag"]["type"] == ["string", "null"]
    assert props["age"] == {"type": "integer", "exclusiveMinimum": 0}
    assert update.output_schema == {"type": "object", "properties": {"data": {"type": "object"}}}


def test_arguments_are_routed_and_path_values_encoded() -> None:
    update = build_operations(_doc(PETS), Naming())[0]
    request = update.build_request(
        {"petId": "../settings", "dryRun": True, "idempotencyKey": "k-1", "name": "Rex", "tag": None}
    )
    assert request.method == "PATCH"
    assert request.path == "/v1/pets/..%2Fsettings"
    assert request.query == {"dryRun": "true"}
    assert request.headers == {"Idempotency-Key": "k-1"}
    assert request.json == {"name": "Rex", "tag": None} and request.has_body


def test_a_body_field_shadowing_a_parameter_keeps_both() -> None:
    paths = {
        "/things/{thingId}": {
            "put": {
                "operationId": "putThing",
                "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"thingId": {"type": "string"}}}
                        }
                    }
                },
                "responses": {"200": {}},
            }
        }
    }
    op = build_operations(_doc(paths), Naming())[0]
    assert list(op.input_schema["properties"]) == ["thingId", "bodyThingId"]
    request = op.build_request({"thingId": "a", "bodyThingId": "b"})
    assert (request.path, request.json) == ("/things/a", {"thingId": "b"})


def test_x_mcp_name_renames_an_argument_but_not_the_wire_name() -> None:
    paths = {
        "/runs": {
            "get": {
                "operationId": "listRuns",
                "parameters": [
                    {"name": "templateId", "in": "query", "x-mcp-name": "workflowId", "schema": {"type": "string"}}
                ],
                "responses": {"200": {}},
            }
        }
    }
    op = build_operations(_doc(paths), Naming())[0]
    assert list(op.input_schema["properties"]) == ["workflowId"]
    assert op.build_request({"workflowId": "w"}).query == {"templateId": "w"}


def test_duplicate_tool_names_are_refused() -> None:
    paths = {
        "/a": {"get": {"operationId": "listA", "responses": {}}},
        "/b": {"get": {"operationId": "list_a", "responses": {}}},
    }
    with pytest.raises(ValueError, match="duplicate tool names: list_a"):
        build_operations(_doc(paths), Naming())


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        ("/api/v1/properties/{id}", "id", "propertyId"),
        ("/api/v1/workflows/runs/{id}", "id", "runId"),
        ("/api/v1/properties/{id}/images/import/{jobId}", "id", "propertyId"),
        ("/api/v1/followups/{id}", "id", "followupId"),
        ("/api/v1/properties/bulk/{jobId}", "jobId", "jobId"),
    ],
)
def test_bare_id_path_parameters_get_meaningful_names(path: str, name: str, expected: str) -> None:
    assert path_argument_name(path, name) == expected


def test_case_helpers() -> None:
    assert snake_case("listWorkflowRuns") == "list_workflow_runs"
    assert snake_case("getHTTPStatus") == "get_http_status"
    assert camel_case("Idempotency-Key") == "idempotencyKey"


def test_documents_that_are_not_openapi_are_refused(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("hello: world\n")
    with pytest.raises(SpecError, match="not an OpenAPI 3 document"):
        read_document(bad)
    with pytest.raises(SpecError, match="could not read"):
        read_document(tmp_path / "missing.yaml")
