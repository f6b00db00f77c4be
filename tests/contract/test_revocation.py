"""docs/api.md, Members: "Leaving and removal take effect at once. The very next request of that person to the room
or to its tasks gets 404." Each test first warms whatever the services cache (the member uses the routes), then
changes the membership and sends exactly one request."""

from __future__ import annotations

import pytest

from tests.contract.helpers import join, make_room, make_task, ok, problem, sign_up

NEXT_REQUESTS = [
    ("GET", "/api/v1/rooms/{room}", None),
    ("GET", "/api/v1/rooms/{room}/members", None),
    ("GET", "/api/v1/rooms/{room}/tasks", None),
    ("GET", "/api/v1/rooms/{room}/tasks/{task}", None),
    ("POST", "/api/v1/rooms/{room}/tasks", {"title": "after leaving"}),
    ("PATCH", "/api/v1/rooms/{room}/tasks/{task}", {"title": "after leaving"}),
    ("DELETE", "/api/v1/rooms/{room}/tasks/{task}", None),
]
IDS = [f"{m} {p[20:] or '/'}" for m, p, _ in NEXT_REQUESTS]


@pytest.fixture(scope="module")
def people(stack):
    return sign_up(stack.url), sign_up(stack.url)


def warm_up(client, room, task):
    """Use every route once, so that a cached "is a member" answer exists if the server caches one."""
    base = f"/api/v1/rooms/{room['id']}"
    ok(client.get(base))
    ok(client.get(f"{base}/members"))
    ok(client.get(f"{base}/tasks"))
    ok(client.get(f"{base}/tasks/{task['id']}"))
    helper = make_task(client, room["id"])
    ok(client.patch(f"{base}/tasks/{helper['id']}", json={"status": "completed"}))
    ok(client.delete(f"{base}/tasks/{helper['id']}"), 204)


@pytest.fixture
def warm_room(people):
    """A fresh room of the owner's with one task, which the member has joined and used."""
    owner, member = people
    room = make_room(owner)
    join(member, room)
    task = make_task(owner, room["id"])
    warm_up(member, room, task)
    return room, task


def send(client, method, path, room, task, body):
    url = path.format(room=room["id"], task=task["id"])
    return client.request(method, url, **({"json": body} if body is not None else {}))


def tasks_of(owner, room):
    return ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks"))["items"]


@pytest.mark.parametrize("how", ["leave", "removed"])
@pytest.mark.parametrize("method, path, body", NEXT_REQUESTS, ids=IDS)
def test_the_very_next_request_after_losing_membership_is_404(people, warm_room, how, method, path, body):
    owner, member = people
    room, task = warm_room
    remover = member if how == "leave" else owner
    ok(remover.delete(f"/api/v1/rooms/{room['id']}/members/{member.user['id']}"), 204)
    problem(send(member, method, path, room, task, body), 404)
    assert tasks_of(owner, room) == [task]  # nothing was created, changed or deleted


def test_deleting_the_room_revokes_every_member_at_once(people, warm_room):
    owner, member = people
    room, task = warm_room
    ok(owner.delete(f"/api/v1/rooms/{room['id']}"), 204)
    for method, path, body in NEXT_REQUESTS:
        problem(send(member, method, path, room, task, body), 404)
        problem(send(owner, method, path, room, task, body), 404)


def test_joining_takes_effect_at_once(people, stack):
    """A cached "not a member" answer must not outlive the join either."""
    owner, _ = people
    newcomer = sign_up(stack.url)
    room = make_room(owner)
    task = make_task(owner, room["id"])
    problem(newcomer.get(f"/api/v1/rooms/{room['id']}/tasks"), 404)
    problem(newcomer.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"), 404)
    join(newcomer, room)
    assert ok(newcomer.get(f"/api/v1/rooms/{room['id']}/tasks"))["items"] == [task]
    assert ok(newcomer.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}")) == task
    make_task(newcomer, room["id"])


def test_leave_then_rejoin_restores_access_at_once(people, warm_room):
    owner, member = people
    room, task = warm_room
    ok(member.delete(f"/api/v1/rooms/{room['id']}/members/{member.user['id']}"), 204)
    problem(member.get(f"/api/v1/rooms/{room['id']}/tasks"), 404)
    join(member, room)
    assert ok(member.get(f"/api/v1/rooms/{room['id']}/tasks"))["items"] == [task]
    ok(owner.delete(f"/api/v1/rooms/{room['id']}/members/{member.user['id']}"), 204)
    problem(member.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "x"}), 404)
