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
        ("/api/v1/rooms/5/labels", "tasks"),
        ("/api/v1/rooms/5/labels/3", "tasks"),
        ("/api/v1/rooms/5/labelsx", "rooms"),
        ("/api/v1/rooms/5/tasks/9/checklist/2", "tasks"),
        ("/api/v1/users/me/tasks", "tasks"),
        ("/api/v1/rooms/5/activity", "tasks"),
        ("/api/v1/rooms/5/tasks/9/activity", "tasks"),
        ("/api/v1/rooms/5/activityx", "rooms"),
        ("/api/v1/users/me/tasksx", "rooms"),
        ("/api/v1/users/me", "rooms"),
        ("/api/v1/users/5/tasks", "rooms"),
        ("/api/v1/rooms/5/tasks/9/comments", "tasks"),
        ("/api/v1/rooms/5/tasks/9/comments/3", "tasks"),
        ("/api/v1/notifications", "tasks"),
        ("/api/v1/notifications/read", "tasks"),
        ("/api/v1/notificationsx", "rooms"),
    ],
)
def test_owner_of(path, owner):
    assert routing.owner_of(path) == owner


@pytest.mark.parametrize("path", ["/api/v1/rooms/../../internal/v1/jwks", "/api/v1/./rooms", "/api/v1/rooms/.."])
def test_dot_segments_are_unsafe(path):
    assert not routing.is_safe(path)


def _answering(schema: str) -> dict:
    return {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": schema}}}}}}}


def test_merge_unions_paths_and_components_and_drops_unused_ones():
    rooms = {
        "openapi": "3.0.3",
        "paths": {"/a": _answering("#/components/schemas/A")},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/C"}, "C": {}, "Unused": {}}},
        "tags": [{"name": "Rooms"}],
    }
    tasks = {
        "paths": {"/b": _answering("#/components/schemas/B")},
        "components": {"schemas": {"B": {}, "C": {}}, "securitySchemes": {"BearerAuth": {}, "ApiKey": {}}},
        "tags": [{"name": "Rooms"}, {"name": "Extra"}],
    }
    merged = merge([rooms, tasks])
    assert {"/a", "/b", "/healthz", "/readyz"} <= set(merged["paths"])
    assert set(merged["components"]["schemas"]) == {"A", "B", "C", "Health", "Readiness"}
    # The gateway's own event streams need BearerAuth; no operation needs ApiKey.
    assert merged["components"]["securitySchemes"] == {"BearerAuth": {}}
    assert [t["name"] for t in merged["tags"]] == [
        "Users",
        "Rooms",
        "Tasks",
        "Labels",
        "Comments",
        "Notifications",
        "Activity",
        "Live events",
        "Health",
        "Extra",
    ]


def test_merge_refuses_a_component_two_services_define_differently():
    rooms = {"paths": {}, "components": {"schemas": {"A": {"type": "string"}}}}
    tasks = {"paths": {}, "components": {"schemas": {"A": {"type": "integer"}}}}
    with pytest.raises(ValueError, match=r"components\.schemas\.A"):
        merge([rooms, tasks])
