"""The shared rules of every service's OpenAPI description, on a small app of their own."""

from __future__ import annotations

import pytest
from apiflask import APIFlask, EmptySchema, Schema
from apiflask.fields import String

from tasksync_common import api_document


class Thing(Schema):
    kind = String(required=True, metadata={"enum": ["a", "b"], api_document.NAMED_SCHEMA: "Kind"})


class Found(Schema):
    kind = String(metadata={"enum": ["a", "b"], api_document.NAMED_SCHEMA: "Kind"})


def _app() -> APIFlask:
    app = APIFlask(__name__, spec_path="/openapi.json", docs_path=None)
    api_document.init_app(app)

    @app.post("/rooms/<int:room_id>/things")
    @app.input(Thing, arg_name="body")
    @app.output(EmptySchema, status_code=204)
    @app.doc(summary="Make a thing", operation_id="makeThing", responses=[404])
    def make(room_id, body):
        """Make a thing in the room.

        It is kept for ``ever``."""

    @app.get("/things")
    @app.output(Found)
    @app.doc(summary="Find a thing", operation_id="findThing", responses=[304, 418])
    def find():
        """Find one thing."""

    return app


@pytest.fixture
def spec():
    return _app().spec


def test_descriptions_are_whole_docstrings(spec):
    operation = spec["paths"]["/rooms/{room_id}/things"]["post"]
    assert (operation["summary"], operation["operationId"]) == ("Make a thing", "makeThing")
    assert operation["description"] == "Make a thing in the room.\n\nIt is kept for `ever`."


def test_a_write_gets_its_body_statuses_a_required_body_and_public_security(spec):
    operation = spec["paths"]["/rooms/{room_id}/things"]["post"]
    assert list(operation["responses"]) == ["204", "400", "404", "413", "415", "422", "503", "504"]
    assert operation["responses"]["413"] == {"$ref": "#/components/responses/ContentTooLarge"}
    assert "content" not in operation["responses"]["204"]
    assert operation["requestBody"]["required"] is True
    assert operation["security"] == []
    assert operation["parameters"][0]["description"] == "The room's id."


def test_a_304_has_no_body_and_an_etag(spec):
    not_modified = spec["paths"]["/things"]["get"]["responses"]["304"]
    assert "content" not in not_modified
    assert not_modified["headers"] == {"ETag": {"$ref": "#/components/headers/ETag"}}


def test_a_status_without_a_shared_response_is_still_a_problem_document(spec):
    teapot = spec["paths"]["/things"]["get"]["responses"]["418"]
    assert teapot["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_marked_schemas_become_one_named_component_and_unused_ones_go(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Kind"] == {"type": "string", "enum": ["a", "b"]}
    assert schemas["Thing"]["properties"]["kind"] == {"$ref": "#/components/schemas/Kind"}
    assert schemas["Found"]["properties"]["kind"] == {"$ref": "#/components/schemas/Kind"}
    assert "HTTPError" not in schemas and "ValidationError" not in schemas
    used = {"BadRequest", "ContentTooLarge", "UnsupportedMediaType", "NotFound", "ValidationFailed"}
    assert set(spec["components"]["responses"]) == used | {"ServiceUnavailable", "GatewayTimeout"}
    assert set(spec["components"]["headers"]) == {"ETag", "Retry-After"}  # 401 is never answered here


def test_two_different_schemas_under_one_name_are_refused():
    with pytest.raises(ValueError, match="two different schemas are named Kind"):
        api_document.describe(
            _app(),
            {
                "paths": {
                    "/x": {
                        "a": {"x-tasksync-schema": "Kind", "type": "string"},
                        "b": {"x-tasksync-schema": "Kind", "type": "integer"},
                    }
                }
            },
        )


def test_unused_components_are_dropped_through_references():
    spec = {
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}},
        "components": {
            "responses": {"R": {"content": {"x": {"schema": {"$ref": "#/components/schemas/S"}}}}, "Q": {}},
            "schemas": {"S": {"items": {"$ref": "#/components/schemas/T"}}, "T": {}, "U": {}},
        },
    }
    components = api_document.drop_unused_components(spec)["components"]
    assert (set(components["responses"]), set(components["schemas"])) == ({"R"}, {"S", "T"})
