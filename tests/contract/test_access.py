"""docs/api.md, who may do what on room-scoped routes: 401 without a token, 404 for non-members (indistinguishable
from a room that does not exist), 403 for members on owner-only actions."""

from __future__ import annotations

import pytest

from tests.contract.helpers import join, make_label, make_room, make_task, ok, problem, sign_up

# (method, path, body); {room}, {task}, {label}, {item}, {comment} and {user} are filled in per test.
ROOM_ROUTES = [
    ("GET", "/api/v1/rooms/{room}", None),
    ("PATCH", "/api/v1/rooms/{room}", {"name": "taken over"}),
    ("DELETE", "/api/v1/rooms/{room}", None),
    ("POST", "/api/v1/rooms/{room}/code", None),
    ("GET", "/api/v1/rooms/{room}/members", None),
    ("DELETE", "/api/v1/rooms/{room}/members/{member}", None),
    ("DELETE", "/api/v1/rooms/{room}/members/{owner}", None),
    ("DELETE", "/api/v1/rooms/{room}/members/{caller}", None),
    ("POST", "/api/v1/rooms/{room}/tasks", {"title": "intruder"}),
    ("GET", "/api/v1/rooms/{room}/tasks", None),
    ("GET", "/api/v1/rooms/{room}/tasks/{task}", None),
    ("PATCH", "/api/v1/rooms/{room}/tasks/{task}", {"title": "defaced"}),
    ("DELETE", "/api/v1/rooms/{room}/tasks/{task}", None),
    ("POST", "/api/v1/rooms/{room}/tasks/{task}/move", {"after_id": None, "status": "completed"}),
    ("GET", "/api/v1/rooms/{room}/labels", None),
    ("POST", "/api/v1/rooms/{room}/labels", {"name": "intruder", "color": "#000000"}),
    ("PATCH", "/api/v1/rooms/{room}/labels/{label}", {"name": "defaced"}),
    ("DELETE", "/api/v1/rooms/{room}/labels/{label}", None),
    ("POST", "/api/v1/rooms/{room}/tasks/{task}/checklist", {"text": "intruder"}),
    ("PATCH", "/api/v1/rooms/{room}/tasks/{task}/checklist/{item}", {"done": True}),
    ("DELETE", "/api/v1/rooms/{room}/tasks/{task}/checklist/{item}", None),
    ("GET", "/api/v1/rooms/{room}/activity", None),
    ("GET", "/api/v1/rooms/{room}/tasks/{task}/activity", None),
    ("GET", "/api/v1/rooms/{room}/tasks/{task}/comments", None),
    ("POST", "/api/v1/rooms/{room}/tasks/{task}/comments", {"body": "intruder"}),
    ("PATCH", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", {"body": "defaced"}),
    ("DELETE", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", None),
]
ROUTE_IDS = [f"{method} {path.removeprefix('/api/v1/rooms/{room}') or '/'}" for method, path, _ in ROOM_ROUTES]
OWNER_ONLY = [
    ("PATCH", "/api/v1/rooms/{room}", {"name": "taken over"}),
    ("DELETE", "/api/v1/rooms/{room}", None),
    ("POST", "/api/v1/rooms/{room}/code", None),
    ("DELETE", "/api/v1/rooms/{room}/members/{other}", None),
    ("DELETE", "/api/v1/rooms/{room}/members/{owner}", None),
    # the scene's comment is the owner's: a member may neither edit nor delete it
    ("PATCH", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", {"body": "defaced"}),
    ("DELETE", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", None),
]


@pytest.fixture(scope="module")
def people(stack):
    owner, member, other, outsider = (sign_up(stack.url) for _ in range(4))
    gone = make_room(owner)
    gone_task = with_label_and_item(owner, gone["id"])
    ok(owner.delete(f"/api/v1/rooms/{gone['id']}"), 204)
    return {
        "owner": owner,
        "member": member,
        "other": other,
        "outsider": outsider,
        "gone": gone,
        "gone_task": gone_task,
    }


def with_label_and_item(owner, room_id: int) -> dict:
    """A task of the room that carries a label, has a checklist item and a comment of the owner's
    (the paths' {label}, {item}, {comment}: ``comment`` beside the task's own fields)."""
    label = make_label(owner, room_id)
    task = make_task(owner, room_id, description="original", label_ids=[label["id"]])
    added = owner.post(f"/api/v1/rooms/{room_id}/tasks/{task['id']}/checklist", json={"text": "original"})
    said = owner.post(f"/api/v1/rooms/{room_id}/tasks/{task['id']}/comments", json={"body": "original"})
    return {**ok(added, 201), "comment": ok(said, 201)}


NEVER = {
    "id": 2_147_483_000,
    "label_ids": [2_147_483_000],
    "checklist": [{"id": 2_147_483_000}],
    "comment": {"id": 2_147_483_000},
}


@pytest.fixture
def scene(people):
    """A fresh room with owner, member and other member, and one task."""
    owner = people["owner"]
    room = make_room(owner)
    join(people["member"], room)
    join(people["other"], room)
    task = with_label_and_item(owner, room["id"])
    return room, task


def fill(path: str, people, caller, room_id: int, task: dict) -> str:
    return path.format(
        room=room_id,
        task=task["id"],
        label=task["label_ids"][0],
        item=task["checklist"][0]["id"],
        comment=task["comment"]["id"],
        member=people["member"].user["id"],
        owner=people["owner"].user["id"],
        other=people["other"].user["id"],
        caller=caller.user["id"],
    )


def assert_intact(people, room, task):
    """The room, its members and its task are exactly as the scene made them."""
    owner = people["owner"]
    current = ok(owner.get(f"/api/v1/rooms/{room['id']}"))
    assert (current["name"], current["code"], current["member_count"]) == (room["name"], room["code"], 3)
    shown = {name: value for name, value in task.items() if name != "comment"}
    assert ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}")) == shown
    comments = ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments"))["items"]
    assert comments == [task["comment"]]
    assert len(ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks"))["items"]) == 1
    assert [label["id"] for label in ok(owner.get(f"/api/v1/rooms/{room['id']}/labels"))["items"]] == task["label_ids"]


def send(client, method, path, body):
    return client.request(method, path, **({"json": body} if body is not None else {}))


@pytest.mark.parametrize("method, path, body", ROOM_ROUTES, ids=ROUTE_IDS)
def test_anonymous_gets_401(people, scene, anonymous, method, path, body):
    room, task = scene
    for room_id, shown in ((room["id"], task), (people["gone"]["id"], people["gone_task"])):
        problem(send(anonymous, method, fill(path, people, people["outsider"], room_id, shown), body), 401)
    assert_intact(people, room, task)


@pytest.mark.parametrize("method, path, body", ROOM_ROUTES, ids=ROUTE_IDS)
def test_non_member_gets_the_same_404_as_for_a_missing_room(people, scene, method, path, body):
    room, task = scene
    outsider = people["outsider"]
    existing = send(outsider, method, fill(path, people, outsider, room["id"], task), body)
    gone_path = fill(path, people, outsider, people["gone"]["id"], people["gone_task"])
    deleted = send(outsider, method, gone_path, body)
    never = send(outsider, method, fill(path, people, outsider, 2_147_483_000, NEVER), body)
    first = problem(existing, 404)
    assert problem(deleted, 404) == first
    assert problem(never, 404) == first
    assert existing.headers.get("Content-Type") == deleted.headers.get("Content-Type")
    assert_intact(people, room, task)


@pytest.mark.parametrize("method, path, body", OWNER_ONLY, ids=[f"{m} {p[20:] or '/'}" for m, p, _ in OWNER_ONLY])
def test_member_gets_403_on_owner_only_actions(people, scene, method, path, body):
    room, task = scene
    member = people["member"]
    problem(send(member, method, fill(path, people, member, room["id"], task), body), 403)
    assert_intact(people, room, task)


@pytest.mark.parametrize(
    "role, method, path, body, status",
    [
        ("member", "GET", "/api/v1/rooms/{room}", None, 200),
        ("member", "GET", "/api/v1/rooms/{room}/members", None, 200),
        ("member", "POST", "/api/v1/rooms/{room}/tasks", {"title": "by a member"}, 201),
        ("member", "GET", "/api/v1/rooms/{room}/tasks", None, 200),
        ("member", "GET", "/api/v1/rooms/{room}/tasks/{task}", None, 200),
        ("member", "PATCH", "/api/v1/rooms/{room}/tasks/{task}", {"status": "completed"}, 200),
        ("member", "POST", "/api/v1/rooms/{room}/tasks/{task}/move", {"after_id": None, "status": "completed"}, 200),
        ("member", "DELETE", "/api/v1/rooms/{room}/tasks/{task}", None, 204),
        ("member", "DELETE", "/api/v1/rooms/{room}/members/{caller}", None, 204),
        ("member", "GET", "/api/v1/rooms/{room}/labels", None, 200),
        ("member", "POST", "/api/v1/rooms/{room}/labels", {"name": "by a member", "color": "#00FF00"}, 201),
        ("member", "PATCH", "/api/v1/rooms/{room}/labels/{label}", {"color": "#00FF00"}, 200),
        ("member", "DELETE", "/api/v1/rooms/{room}/labels/{label}", None, 204),
        ("member", "POST", "/api/v1/rooms/{room}/tasks/{task}/checklist", {"text": "by a member"}, 201),
        ("member", "PATCH", "/api/v1/rooms/{room}/tasks/{task}/checklist/{item}", {"done": True}, 200),
        ("member", "DELETE", "/api/v1/rooms/{room}/tasks/{task}/checklist/{item}", None, 200),
        ("member", "GET", "/api/v1/rooms/{room}/activity", None, 200),
        ("member", "GET", "/api/v1/rooms/{room}/tasks/{task}/activity", None, 200),
        ("member", "GET", "/api/v1/rooms/{room}/tasks/{task}/comments", None, 200),
        ("member", "POST", "/api/v1/rooms/{room}/tasks/{task}/comments", {"body": "by a member"}, 201),
        ("owner", "PATCH", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", {"body": "edited"}, 200),
        ("owner", "DELETE", "/api/v1/rooms/{room}/tasks/{task}/comments/{comment}", None, 204),
        ("owner", "PATCH", "/api/v1/rooms/{room}", {"name": "renamed"}, 200),
        ("owner", "POST", "/api/v1/rooms/{room}/code", None, 200),
        ("owner", "DELETE", "/api/v1/rooms/{room}/members/{member}", None, 204),
        ("owner", "DELETE", "/api/v1/rooms/{room}", None, 204),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_role_may_use_its_routes(people, scene, role, method, path, body, status):
    room, task = scene
    caller = people[role]
    ok(send(caller, method, fill(path, people, caller, room["id"], task), body), status)


def test_a_non_member_cannot_see_a_room_in_their_list(people, scene):
    room, _ = scene
    assert room["id"] not in [r["id"] for r in ok(people["outsider"].get("/api/v1/rooms"))["items"]]
