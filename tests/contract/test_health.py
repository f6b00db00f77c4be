"""docs/api.md, Health and documentation; and 503 (with Retry-After) when a service behind the gateway is down."""

from __future__ import annotations

import pytest

from tests.conftest import Client, running_stack
from tests.contract.helpers import join, make_room, make_task, media_type, ok, problem, sign_up

# The base contract's operations (docs/api.md), as OpenAPI writes them.
API_OPERATIONS = [
    ("/api/v1/auth/register", "post"),
    ("/api/v1/auth/login", "post"),
    ("/api/v1/auth/logout", "post"),
    ("/api/v1/users/me", "get"),
    ("/api/v1/users/me/password", "put"),
    ("/api/v1/rooms", "post"),
    ("/api/v1/rooms", "get"),
    ("/api/v1/rooms/{room_id}", "get"),
    ("/api/v1/rooms/{room_id}", "patch"),
    ("/api/v1/rooms/{room_id}", "delete"),
    ("/api/v1/rooms/join", "post"),
    ("/api/v1/rooms/{room_id}/code", "post"),
    ("/api/v1/rooms/{room_id}/members", "get"),
    ("/api/v1/rooms/{room_id}/members/{user_id}", "delete"),
    ("/api/v1/rooms/{room_id}/tasks", "post"),
    ("/api/v1/rooms/{room_id}/tasks", "get"),
    ("/api/v1/rooms/{room_id}/tasks/{task_id}", "get"),
    ("/api/v1/rooms/{room_id}/tasks/{task_id}", "patch"),
    ("/api/v1/rooms/{room_id}/tasks/{task_id}", "delete"),
]


def test_healthz(anonymous):
    assert ok(anonymous.get("/healthz"))["status"] == "ok"


def test_readyz(anonymous):
    ok(anonymous.get("/readyz"))


@pytest.fixture(scope="module")
def openapi(stack):
    response = Client(stack.url).get("/api/v1/openapi.json")
    return ok(response)


def test_openapi_is_version_3(openapi):
    assert isinstance(openapi.get("openapi"), str) and openapi["openapi"].startswith("3."), openapi.get("openapi")
    assert isinstance(openapi.get("info"), dict) and openapi["info"].get("title")
    assert isinstance(openapi.get("paths"), dict)


@pytest.mark.parametrize("path, method", API_OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in API_OPERATIONS])
def test_openapi_lists_every_operation_of_api_md(openapi, path, method):
    assert path in openapi["paths"], sorted(openapi["paths"])
    assert method in openapi["paths"][path], sorted(openapi["paths"][path])


def test_openapi_needs_no_token(anonymous):
    ok(anonymous.get("/api/v1/openapi.json"))


@pytest.mark.parametrize("path", ["/api/docs", "/"])
def test_html_pages(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 200, response.status_code
    assert media_type(response) == "text/html", response.headers.get("Content-Type")
    assert "<html" in response.text.lower()


# --- 503: a separate stack whose services are stopped one by one ------------------------------------


@pytest.fixture(scope="module")
def degraded(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite") as started:
        owner, member = sign_up(started.url), sign_up(started.url)
        room = make_room(owner)
        join(member, room)
        task = make_task(owner, room["id"])
        yield started, owner, room, task


def test_tasks_service_down(degraded):
    stack, owner, room, task = degraded
    stack.stop_service("tasks")
    ready = Client(stack.url).get("/readyz")
    assert ready.status_code == 503, ready.text
    assert "tasks" in ready.text
    assert ok(Client(stack.url).get("/healthz"))["status"] == "ok"
    base = f"/api/v1/rooms/{room['id']}/tasks"
    one = f"{base}/{task['id']}"
    for method, path, body in [
        ("GET", base, None),
        ("POST", base, {"title": "x"}),
        ("GET", one, None),
        ("PATCH", one, {"title": "y"}),
        ("DELETE", one, None),
    ]:
        problem(owner.request(method, path, **({"json": body} if body else {})), 503)
    # what does not need the tasks service still works
    assert ok(owner.get(f"/api/v1/rooms/{room['id']}"))["id"] == room["id"]


def test_rooms_service_down(degraded):
    stack, owner, room, _ = degraded
    stack.stop_service("rooms")
    ready = Client(stack.url).get("/readyz")
    assert ready.status_code == 503, ready.text
    assert "rooms" in ready.text
    assert ok(Client(stack.url).get("/healthz"))["status"] == "ok"
    problem(
        Client(stack.url).post(
            "/api/v1/auth/login", json={"username": owner.user["username"], "password": "correct horse battery"}
        ),
        503,
    )
    problem(owner.get("/api/v1/users/me"), 503)
    problem(owner.get("/api/v1/rooms"), 503)
    problem(owner.get(f"/api/v1/rooms/{room['id']}/members"), 503)
