"""The OpenAPI document as a client contract: what ``make lint`` checks is what the gateway serves,
and the document declares what the API does (names, headers, statuses, bodies, shared schemas)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Client
from tools.openapi_document import build

WRITES = ("post", "put", "patch")
STATUSES = ["pending", "in progress", "completed"]
ROLES = ["owner", "member"]


@pytest.fixture(scope="module")
def document():
    return json.loads(json.dumps(build()))  # as JSON carries it


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def by_id(document) -> dict:
    return {operation["operationId"]: operation for _, _, operation in operations(document)}


def test_the_served_document_is_the_one_lint_checks(stack, document):
    response = Client(stack.url).get("/api/v1/openapi.json")
    assert response.status_code == 200, response.text
    assert response.json() == document


def test_every_operation_has_a_unique_operation_id_a_summary_and_a_description(document):
    ids = [operation.get("operationId") for _, _, operation in operations(document)]
    assert all(ids) and len(set(ids)) == len(ids), ids
    for path, method, operation in operations(document):
        assert operation.get("summary") and operation.get("description"), (method, path)


def test_descriptions_keep_the_docstring_whole(document):
    """APIFlask alone drops a docstring's first line when the summary is given."""
    operation = by_id(document)["createTask"]
    assert operation["summary"] == "Add a task"
    assert operation["description"].startswith("Add a task to the room; it is assigned to the creator")


def test_bodies_are_required_and_answers_without_a_body_declare_none(document):
    for path, method, operation in operations(document):
        if "requestBody" in operation:
            assert operation["requestBody"]["required"] is True, (method, path)
        for status in ("204", "304"):
            if status in operation["responses"]:
                assert "content" not in operation["responses"][status], (method, path, status)


def test_errors_are_shared_problem_responses_with_their_headers(document):
    responses = document["components"]["responses"]
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and path.startswith("/api/"):
                name = response["$ref"].removeprefix("#/components/responses/")
                assert list(responses[name]["content"]) == ["application/problem+json"], (method, path, status)
    assert "WWW-Authenticate" in responses["Unauthorized"]["headers"]
    for name in ("TooManyRequests", "ServiceUnavailable", "GatewayTimeout"):
        assert "Retry-After" in responses[name]["headers"], name


def test_statuses_are_declared_where_they_happen(document):
    for path, method, operation in operations(document):
        statuses = set(operation["responses"])
        if path.startswith("/api/"):
            assert {"503", "504"} <= statuses, (method, path)
        if method in WRITES:
            assert {"400", "413", "415"} <= statuses, (method, path)
        if operation["security"]:
            assert "401" in statuses, (method, path)
        else:
            assert operation["security"] == [], (method, path)
    operations_by_id = by_id(document)
    for name in ("login", "registerUser", "joinRoom"):
        assert "429" in operations_by_id[name]["responses"], name
    for name in ("updateTask", "deleteTask"):
        assert "412" in operations_by_id[name]["responses"], name


def _headers(operation, status) -> set[str]:
    return set(operation["responses"][status].get("headers", {}))


def test_etag_and_location_are_declared_and_if_match_is_a_parameter(document):
    operations_by_id = by_id(document)
    assert _headers(operations_by_id["createTask"], "201") == {"ETag", "Location"}
    for name in ("getTask", "updateTask", "listTasks"):
        assert _headers(operations_by_id[name], "200") == {"ETag"}, name
    assert _headers(operations_by_id["listTasks"], "304") == {"ETag"}
    for name, header in [("updateTask", "If-Match"), ("deleteTask", "If-Match"), ("listTasks", "If-None-Match")]:
        parameters = {(p["in"], p["name"]) for p in operations_by_id[name]["parameters"]}
        assert ("header", header) in parameters, name


def _inline_enums(node, where=""):
    if isinstance(node, dict):
        if "enum" in node:
            yield where, node["enum"]
        for key, value in node.items():
            yield from _inline_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _inline_enums(value, f"{where}/{index}")


def test_the_status_and_role_enums_are_named_schemas(document):
    schemas = document["components"]["schemas"]
    assert schemas["TaskStatus"]["enum"] == STATUSES
    assert schemas["Role"]["enum"] == ROLES
    inline = [(where, enum) for where, enum in _inline_enums(document) if enum in (STATUSES, ROLES)]
    assert sorted(where for where, _ in inline) == ["/components/schemas/Role", "/components/schemas/TaskStatus"]
    assert schemas["TaskOut"]["properties"]["status"] == {"$ref": "#/components/schemas/TaskStatus"}
    assert schemas["MemberOut"]["properties"]["role"] == {"$ref": "#/components/schemas/Role"}


def test_no_component_is_unused(document):
    text = json.dumps(document["paths"]) + json.dumps(document["components"])
    for section in ("schemas", "responses", "headers"):
        for name in document["components"][section]:
            assert f'"#/components/{section}/{name}"' in text, (section, name)
