"""The sources of live events, through a real stack: what the tasks and rooms services publish
after their commits (heard as a gateway process hears it: Redis in production, the data folder's
datagram sockets embedded), and the replays the gateway reads from the tasks service.

A room's events chain (each names the one before as ``prev``) in commit order and carry the
room's revision, the actor, the task and the writer's X-Request-ID; a write that fails or
changes nothing announces nothing. A person's notifications are announced the same way, as the
notifications list shows them. Leaving, removal, deletion, logout and a password change tell the
people concerned to recheck, once the state they will recheck is published.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tasksync_common import config, live
from tests.contract.helpers import join, make_room, make_task, ok, problem


@pytest.fixture(scope="module")
def heard(stack):
    """Every notice the stack publishes while this module runs."""
    from tools.live_listener import listening

    with listening(config.load(stack.env)) as listener:
        yield listener


def request_id() -> str:
    return f"live-{uuid.uuid4().hex[:12]}"


def revision(client, room_id: int) -> int:
    """The room's revision, as the task list's ETag says it."""
    tag = client.get(f"/api/v1/rooms/{room_id}/tasks").headers["ETag"]
    return int(re.match(r'^"r(\d+)-', tag).group(1))


def replay(stack, client, path: str, **params) -> requests.Response:
    """A replay read as the gateway reads it: from the tasks service, with the caller's token."""
    headers = {"Authorization": f"Bearer {client.token}"} if client.token else {}
    return requests.get(f"{stack.service_urls['tasks']}{path}", params=params, headers=headers, timeout=10)


def without_prev(notice: dict) -> dict:
    return {key: value for key, value in notice.items() if key != "prev"}


@pytest.fixture
def room(owner, member, heard):
    """A fresh room of ``owner`` that ``member`` has joined, its member.joined event heard."""
    created = make_room(owner)
    join(member, created)
    joined = heard.next(live.room_topic(created["id"]))
    assert joined["event"] == "member.joined" and joined["prev"] == 0, joined
    return created | {"last": joined["id"]}


def test_task_writes_are_announced_after_commit_in_order(stack, heard, owner, member, room):
    room_id, topic = room["id"], live.room_topic(room["id"])
    path = f"/api/v1/rooms/{room_id}/tasks"
    seen = []

    def write(client, method, url, status, **kwargs) -> dict | None:
        rid = request_id()
        body = ok(client.request(method, url, headers={"X-Request-ID": rid}, **kwargs), status)
        notice = heard.next(topic)
        assert notice["prev"] == (seen[-1]["id"] if seen else room["last"]), (notice, seen)
        assert notice["id"] > notice["prev"]
        assert notice["data"]["request_id"] == rid
        assert notice["data"]["revision"] == revision(owner, room_id)
        seen.append(notice)
        return body

    task = write(owner, "POST", path, 201, json={"title": "Live", "user_id": owner.user["id"]})
    write(member, "PATCH", f"{path}/{task['id']}", 200, json={"title": "Live, renamed"})
    # A failed or empty write announces nothing: the next notice is the next successful write's.
    assert owner.patch(f"{path}/{task['id']}", json={"title": "x"}, headers={"If-Match": '"1"'}).status_code == 412
    problem(owner.patch(f"{path}/{task['id']}", json={"title": ""}), 422, "title")
    ok(owner.patch(f"{path}/{task['id']}", json={"title": "Live, renamed"}))  # the same title: no change
    write(owner, "POST", f"{path}/{task['id']}/move", 200, json={"status": "in progress", "after_id": None})
    comment = write(member, "POST", f"{path}/{task['id']}/comments", 201, json={"body": "On it"})
    write(owner, "DELETE", f"{path}/{task['id']}", 204)
    assert [notice["event"] for notice in seen] == [
        "task.created",
        "task.updated",
        "task.moved",
        "comment.created",
        "task.deleted",
    ]
    actors = [owner.user["id"], member.user["id"], owner.user["id"], member.user["id"], owner.user["id"]]
    assert [notice["data"]["actor_id"] for notice in seen] == actors
    assert {notice["data"]["task_id"] for notice in seen} == {task["id"]}
    assert all(notice["data"]["room_id"] == room_id for notice in seen)
    assert set(seen[0]["data"]) == {"room_id", "revision", "actor_id", "task_id", "request_id"}
    assert comment is not None and comment["body"] == "On it"

    # The replay the gateway reads gives the same events, oldest first.
    events = ok(replay(stack, member, f"/internal/v1/rooms/{room_id}/events", after=room["last"]))
    assert events == {"head": seen[-1]["id"], "events": [without_prev(n) for n in seen], "reset": False}
    label = {"name": "Live", "color": "#D93F0B"}
    ok(owner.post(f"/api/v1/rooms/{room_id}/labels", json=label, headers={"X-Request-ID": "no-task"}), 201)
    created = heard.next(topic)
    assert created["event"] == "label.created" and created["data"]["task_id"] is None
    assert created["prev"] == seen[-1]["id"]


def test_replays_answer_members_only_and_reset_when_lost(stack, heard, owner, member, outsider, room):
    room_id = room["id"]
    events = f"/internal/v1/rooms/{room_id}/events"
    make_task(owner, room_id)
    head = heard.next(live.room_topic(room_id))["id"]
    assert ok(replay(stack, owner, events)) == {"head": head, "events": [], "reset": False}  # no after: the head
    assert ok(replay(stack, owner, events, after=head)) == {"head": head, "events": [], "reset": False}
    assert [e["event"] for e in ok(replay(stack, owner, events, after=0))["events"]] == [
        "member.joined",
        "task.created",
    ]
    # An id beyond the room's newest is no id of this room's: the stream must reload.
    assert ok(replay(stack, owner, events, after=head + 1)) == {"head": head, "events": [], "reset": True}
    for bad in ("-1", "x", "1.5", ""):
        problem(replay(stack, owner, events, after=bad), 422, "after")
    problem(replay(stack, outsider, events, after=0), 404)
    problem(replay(stack, owner, "/internal/v1/rooms/2147483000/events", after=0), 404)
    anonymous = type(owner)(stack.url)
    assert replay(stack, anonymous, events, after=0).status_code == 401
    assert replay(stack, anonymous, "/internal/v1/users/me/events").status_code == 401
    problem(replay(stack, owner, "/internal/v1/users/me/events", after="-5"), 422, "after")


def test_notifications_are_announced_as_the_list_shows_them(stack, heard, owner, member, room):
    room_id, topic = room["id"], live.user_topic(member.user["id"])
    heard.pending(topic)  # what earlier tests caused
    before = ok(replay(stack, member, "/internal/v1/users/me/events"))["head"]
    task = make_task(owner, room_id, user_id=member.user["id"])  # assigned to the member: they are told
    notice = heard.next(topic)
    listed = ok(member.get("/api/v1/notifications"))["items"][0]
    assert notice == {"id": listed["id"], "prev": before, "event": "notification", "data": listed}
    assert listed["kind"] == "assigned" and listed["task_id"] == task["id"]
    mine = "/internal/v1/users/me/events"
    assert ok(replay(stack, member, mine, after=before)) == {
        "head": notice["id"],
        "events": [without_prev(notice)],
        "reset": False,
    }
    assert ok(replay(stack, member, mine, after=notice["id"] + 1))["reset"] is True
    # Once they have left the room, its notifications are not replayed (as they are not listed).
    rid = request_id()
    leave = member.delete(f"/api/v1/rooms/{room_id}/members/{member.user['id']}", headers={"X-Request-ID": rid})
    ok(leave, 204)
    assert heard.next(topic) == {"recheck": True}
    assert ok(replay(stack, member, mine, after=before)) == {"head": notice["id"], "events": [], "reset": False}
    left = heard.take(live.room_topic(room_id), 2)  # the task's creation, then the leave (relayed)
    assert [n["event"] for n in left] == ["task.created", "member.left"]
    assert left[1]["data"] == {
        "room_id": room_id,
        "revision": left[0]["data"]["revision"],  # membership is no part of the task list
        "actor_id": member.user["id"],
        "task_id": None,
        "request_id": rid,  # the rooms service's request, carried through its outbox
    }


def test_membership_changes_tell_their_people_to_recheck(stack, heard, new_client):
    owner, member = new_client(), new_client()
    created = make_room(owner)
    room_topic = live.room_topic(created["id"])
    owners, members = live.user_topic(owner.user["id"]), live.user_topic(member.user["id"])
    path = f"/api/v1/rooms/{created['id']}/members/{member.user['id']}"
    for remover, kind in ((member, "member.left"), (owner, "member.removed")):
        join(member, created)
        assert heard.next(room_topic)["event"] == "member.joined"
        ok(remover.delete(path), 204)
        assert heard.next(members) == {"recheck": True}
        assert heard.next(room_topic)["event"] == kind
    join(member, created)
    assert heard.next(room_topic)["event"] == "member.joined"
    ok(owner.delete(f"/api/v1/rooms/{created['id']}"), 204)
    assert heard.next(room_topic) == {"event": "room.deleted", "data": {"room_id": created["id"]}}
    assert heard.next(owners) == {"recheck": True}
    assert heard.next(members) == {"recheck": True}
    problem(member.get(f"/api/v1/rooms/{created['id']}/tasks"), 404)
    assert heard.pending(owners) == heard.pending(members) == heard.pending(room_topic) == []


def test_logout_and_password_change_tell_their_person_to_recheck(stack, heard, new_client):
    person = new_client()
    topic = live.user_topic(person.user["id"])
    first = person.token
    person.log_in(person.user["username"], "correct horse battery")
    ok(person.post("/api/v1/auth/logout"), 204)
    assert heard.next(topic) == {"recheck": True}
    assert person.get("/api/v1/users/me").status_code == 401
    person.token = first
    body = {"current_password": "correct horse battery", "new_password": "another horse battery"}
    ok(person.put("/api/v1/users/me/password", json=body), 204)
    assert heard.next(topic) == {"recheck": True}
    assert person.get("/api/v1/users/me").status_code == 401
    assert heard.pending(topic) == []
