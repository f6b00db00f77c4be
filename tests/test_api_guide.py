"""docs/api.md and the served OpenAPI document name the same routes.

The guide's route tables (rows whose first cell is `METHOD /path`) must list every operation of
the document the gateway serves at /api/v1/openapi.json, and nothing the document does not have,
apart from the few pages the gateway serves outside it. The document comes from
tools.openapi_document, the one builder of it (tests/openapi/test_document.py shows that what a
running gateway serves is the same)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from tasksync_common import config
from tasksync_gateway import create_app as create_gateway
from tasksync_rooms import create_app as create_rooms
from tasksync_tasks import create_app as create_tasks
from tools import openapi_document
from tools.service_testing import service_app, serving

GUIDE = Path(__file__).resolve().parent.parent / "docs/api.md"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# A table row that names a route: | `POST /api/v1/rooms` | ...
ROUTE_ROW = re.compile(r"^\|\s*`([A-Z]+) (/[^`\s]*)`\s*\|")
# Served by the gateway, without an operation in the document: the document itself, its page, the web client.
OUTSIDE_THE_DOCUMENT = {("GET", "/api/v1/openapi.json"), ("GET", "/api/docs"), ("GET", "/")}


def guide_routes(text: str) -> list[tuple[str, str]]:
    """Every (METHOD, path) named in the first cell of a table row, in the guide's order."""
    routes = []
    for line in text.splitlines():
        match = ROUTE_ROW.match(line.strip())
        if match:
            routes.append((match.group(1), match.group(2)))
    return routes


def document_routes(document: dict) -> set[tuple[str, str]]:
    """Every (METHOD, path) with an operation in an OpenAPI document."""
    return {
        (method.upper(), path)
        for path, item in document.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    }


def drift(guide: list[tuple[str, str]], document: set[tuple[str, str]]) -> tuple[list, list]:
    """(operations the guide lacks, guide routes the document lacks and the gateway does not serve outside it)."""
    listed = set(guide)
    missing = sorted(document - listed)
    unknown = sorted(route for route in listed - document if route not in OUTSIDE_THE_DOCUMENT)
    return missing, unknown


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    """The gateway's test client, in front of the real rooms and tasks apps serving in threads."""
    folder = tmp_path_factory.mktemp("guide")
    with contextlib.ExitStack() as running:
        urls = {}
        for name, create in (("rooms", create_rooms), ("tasks", create_tasks)):
            app = running.enter_context(service_app(create, "sqlite", folder, name))
            urls[f"{name.upper()}_URL"] = running.enter_context(serving(app))
        settings = config.load({"TASKSYNC_DATA_DIR": str(folder), **urls})
        yield create_gateway({"TESTING": True}, settings=settings).test_client()


@pytest.fixture(scope="module")
def served() -> set[tuple[str, str]]:
    routes = document_routes(openapi_document.build())
    assert routes, "the served document has no operations"
    return routes


@pytest.fixture(scope="module")
def guide() -> list[tuple[str, str]]:
    routes = guide_routes(GUIDE.read_text(encoding="utf-8"))
    assert routes, f"no route tables found in {GUIDE}"
    return routes


def test_every_operation_of_the_document_is_in_the_guide(guide, served):
    missing, _ = drift(guide, served)
    assert not missing, f"in /api/v1/openapi.json but in no route table of docs/api.md: {missing}"


def test_every_route_of_the_guide_is_in_the_document(guide, served):
    _, unknown = drift(guide, served)
    assert not unknown, f"in docs/api.md's route tables but not in /api/v1/openapi.json: {unknown}"


def test_each_route_has_one_row(guide):
    repeated = sorted({route for route in guide if guide.count(route) > 1})
    assert not repeated, f"routes listed more than once in docs/api.md: {repeated}"


@pytest.mark.parametrize("method, path", sorted(OUTSIDE_THE_DOCUMENT))
def test_the_pages_outside_the_document_are_served_and_listed(gateway, guide, method, path):
    assert (method, path) in guide, f"{method} {path} is served but not in docs/api.md"
    response = gateway.open(path, method=method)
    response.close()  # static pages are streamed from files
    assert response.status_code == 200, (method, path, response.status_code)


def test_a_removed_row_or_an_invented_one_is_caught(served):
    """The comparison itself notices drift either way, on the real guide text."""
    text = GUIDE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "`DELETE /api/v1/rooms/{room_id}/members/{user_id}`" in line)
    missing, unknown = drift(guide_routes(text.replace(row + "\n", "")), served)
    assert missing == [("DELETE", "/api/v1/rooms/{room_id}/members/{user_id}")] and not unknown
    invented = text + "\n| `POST /api/v1/rooms/{room_id}/archive` | owner | | `200` |\n"
    missing, unknown = drift(guide_routes(invented), served)
    assert unknown == [("POST", "/api/v1/rooms/{room_id}/archive")] and not missing
