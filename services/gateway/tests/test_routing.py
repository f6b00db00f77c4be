"""Which service answers which path, and which paths are refused outright."""

import pytest

from tasksync_gateway import routing
from tasksync_gateway.openapi import merge


@pytest.mark.parametrize(
    "path, owner",
    [
        ("/api/v1/rooms/5/tasks", "tasks"),
        ("/api/v1/rooms/5/tasks/9", "tasks"),
        ("/api/v1/rooms/5/tasks/summary", "tasks"),
        ("/api/v1/rooms/5", "rooms"),
        ("/api/v1/rooms/5/tasksx", "rooms"),
        ("/api/v1/rooms/join", "rooms"),
        ("/api/v1/auth/login", "rooms"),
    ],
)
def test_owner_of(path, owner):
    assert routing.owner_of(path) == owner


@pytest.mark.parametrize("path", ["/api/v1/rooms/../../internal/v1/jwks", "/api/v1/./rooms", "/api/v1/rooms/.."])
def test_dot_segments_are_unsafe(path):
    assert not routing.is_safe(path)


def test_merge_unions_paths_and_schemas():
    rooms = {"openapi": "3.0.3", "paths": {"/a": {}}, "components": {"schemas": {"A": {}}}, "tags": [{"name": "Rooms"}]}
    tasks = {
        "paths": {"/b": {}},
        "components": {"schemas": {"B": {}}, "securitySchemes": {"BearerAuth": {}}},
        "tags": [{"name": "Rooms"}, {"name": "Tasks"}],
    }
    merged = merge([rooms, tasks])
    assert {"/a", "/b", "/healthz", "/readyz"} <= set(merged["paths"])
    assert set(merged["components"]["schemas"]) == {"A", "B"}
    assert [t["name"] for t in merged["tags"]] == ["Rooms", "Tasks"]
