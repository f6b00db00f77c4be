"""docs/api.md, Activity: each room's history over HTTP. Every kind recorded with what it needs to
read well later (old and new values, the task's title after the task is gone, the actor's
username); newest first, exact cursor paging, the kind filter; 404 for non-members, 422 for bad
parameters; nothing recorded for a write that fails; ids in commit order under parallel writers;
membership and room entries (written by the rooms service, delivered by its relay) once each, in
order, without changing the task list's revision."""

from __future__ import annotations

import re
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import wait_until
from tests.contract.helpers import (
    RFC3339_UTC,
    etag,
    in_parallel,
    join,
    make_label,
    make_room,
    make_task,
    ok,
    problem,
    sign_up,
)

ENTRY_KEYS = {"id", "room_id", "task_id", "actor_id", "actor_username", "kind", "data", "created_at"}
KINDS = (
    "task.created",
    "task.updated",
    "task.moved",
    "task.deleted",
    "checklist.updated",
    "comment.created",
    "comment.deleted",
    "label.created",
    "label.updated",
    "label.deleted",
    "member.joined",
    "member.left",
    "member.removed",
    "room.renamed",
)


def activity_url(room_id: int, task_id: int | None = None) -> str:
    return f"/api/v1/rooms/{room_id}" + (f"/tasks/{task_id}" if task_id is not None else "") + "/activity"


def assert_entry(entry: dict, room_id: int) -> None:
    assert set(entry) == ENTRY_KEYS, entry
    assert entry["room_id"] == room_id and entry["kind"] in KINDS, entry
    assert isinstance(entry["data"], dict) and RFC3339_UTC.match(entry["created_at"]), entry


def history(client, room_id: int, task_id: int | None = None, limit: int = 200, **params) -> list[dict]:
    """Every entry of a room's (or a task's) history, newest first, following next_cursor."""
    entries, cursor = [], None
    for _ in range(1000):
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get(activity_url(room_id, task_id), params=query))
        assert set(page) == {"items", "next_cursor"}, page
        for entry in page["items"]:
            assert_entry(entry, room_id)
        entries += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            ids = [entry["id"] for entry in entries]
            assert ids == sorted(set(ids), reverse=True), ids  # newest first, each once
            return entries
    raise AssertionError("next_cursor never became null")


def kinds(entries: list[dict]) -> list[str]:
    return [entry["kind"] for entry in entries]


def revision(client, room_id: int) -> int:
    """The room's revision, as the task list's ETag carries it."""
    response = client.get(f"/api/v1/rooms/{room_id}/tasks")
    ok(response)
    match = re.match(r'^"r(\d+)-', response.headers["ETag"])
    assert match, response.headers["ETag"]
    return int(match[1])


def by(person) -> dict:
    return {"actor_id": person.user["id"], "actor_username": person.user["username"]}


def actor(entry: dict) -> dict:
    return {"actor_id": entry["actor_id"], "actor_username": entry["actor_username"]}


def test_every_task_checklist_and_label_kind_records_what_changed(team, owner, member):
    room_id = team["id"]
    wait_until(lambda: kinds(history(owner, room_id)) == ["member.joined"])  # the team's join, relayed
    label = make_label(owner, room_id, name="Bug", color="#D93F0B")
    ok(owner.patch(f"/api/v1/rooms/{room_id}/labels/{label['id']}", json={"name": "Defect"}))
    task = make_task(owner, room_id, title="Draft", description="first")
    other = make_task(owner, room_id, title="Other")
    task_url = f"/api/v1/rooms/{room_id}/tasks/{task['id']}"
    change = {
        "title": "Draft 2",
        "status": "in progress",
        "priority": "high",
        "due_at": "2026-12-05T18:00:00+02:00",
        "label_ids": [label["id"]],
        "user_id": member.user["id"],
        "description": "first",  # unchanged: not among the changes
    }
    ok(member.patch(task_url, json=change))
    moved = ok(owner.post(f"{task_url}/move", json={"status": "pending", "after_id": other["id"]}))
    item = ok(member.post(f"{task_url}/checklist", json={"text": "Outline"}), 201)["checklist"][0]
    ok(member.patch(f"{task_url}/checklist/{item['id']}", json={"text": "Outline it", "done": True}))
    ok(member.delete(f"{task_url}/checklist/{item['id']}"))
    ok(owner.delete(f"/api/v1/rooms/{room_id}/labels/{label['id']}"), 204)
    ok(member.delete(task_url), 204)

    entries = history(owner, room_id)
    assert kinds(entries) == [
        "task.deleted",
        "label.deleted",
        "checklist.updated",
        "checklist.updated",
        "checklist.updated",
        "task.moved",
        "task.updated",
        "task.created",
        "task.created",
        "label.updated",
        "label.created",
        "member.joined",
    ]
    deleted, label_deleted, removed, updated, added, move, patch, made_other, made, renamed, created, joined = entries
    assert (deleted["task_id"], deleted["data"], actor(deleted)) == (task["id"], {"title": "Draft 2"}, by(member))
    assert label_deleted["task_id"] is None and actor(label_deleted) == by(owner)
    assert label_deleted["data"] == {"label_id": label["id"], "name": "Defect", "color": "#D93F0B"}
    assert removed["data"] == {
        "title": "Draft 2",
        "action": "removed",
        "item": {"id": item["id"], "text": "Outline it"},
    }
    assert updated["data"] == {
        "title": "Draft 2",
        "action": "updated",
        "item": {"id": item["id"], "text": "Outline it"},
        "changes": {"text": ["Outline", "Outline it"], "done": [False, True]},
    }
    assert added["data"] == {"title": "Draft 2", "action": "added", "item": {"id": item["id"], "text": "Outline"}}
    assert {e["task_id"] for e in (removed, updated, added, move, patch, made)} == {task["id"]}
    assert move["data"]["title"] == "Draft 2" and move["data"]["after_id"] == other["id"] and actor(move) == by(owner)
    assert move["data"]["changes"]["status"] == ["in progress", "pending"]
    assert move["data"]["changes"]["position"][1] == moved["position"]
    assert set(move["data"]["changes"]) == {"status", "position"}
    assert actor(patch) == by(member)
    assert patch["data"] == {
        "title": "Draft 2",
        "changes": {
            "title": ["Draft", "Draft 2"],
            "status": ["pending", "in progress"],
            "priority": ["none", "high"],
            "due_at": [None, "2026-12-05T16:00:00Z"],
            "user_id": [owner.user["id"], member.user["id"]],
            "label_ids": [[], [label["id"]]],
        },
    }
    assert (made["data"], made_other["data"], made_other["task_id"]) == (
        {"title": "Draft"},
        {"title": "Other"},
        other["id"],
    )
    assert renamed["data"] == {"label_id": label["id"], "name": "Defect", "changes": {"name": ["Bug", "Defect"]}}
    assert created["data"] == {"label_id": label["id"], "name": "Bug", "color": "#D93F0B"}
    assert joined["task_id"] is None and actor(joined) == by(member)
    assert joined["data"] == {"user_id": member.user["id"], "username": member.user["username"]}

    # One task's history: its own entries only; a deleted task's is 404 (its entries stay above).
    assert history(member, room_id, other["id"]) == [made_other]
    problem(owner.get(activity_url(room_id, task["id"])), 404)
    problem(owner.get(activity_url(room_id, 2_147_483_000)), 404)
    elsewhere = make_room(owner)
    problem(owner.get(activity_url(elsewhere["id"], other["id"])), 404)  # a task of another room


def test_comments_written_and_deleted_are_recorded_edits_are_not(team, owner, member):
    room_id = team["id"]
    task = make_task(owner, room_id, title="Discussed")
    comments = f"/api/v1/rooms/{room_id}/tasks/{task['id']}/comments"
    first = ok(member.post(comments, json={"body": "First thought " + "x" * 300}), 201)
    ok(member.patch(f"{comments}/{first['id']}", json={"body": "Second thought"}))  # no entry
    ok(owner.delete(f"{comments}/{first['id']}"), 204)  # the room's owner deletes a member's
    entries = history(member, room_id, task["id"])
    assert kinds(entries) == ["comment.deleted", "comment.created", "task.created"]
    deleted, written = entries[0], entries[1]
    assert actor(written) == by(member) and actor(deleted) == by(owner)
    assert written["data"]["excerpt"].startswith("First thought") and len(written["data"]["excerpt"]) == 200
    assert written["data"] | {"excerpt": None} == {
        "title": "Discussed",
        "comment_id": first["id"],
        "author_username": member.user["username"],
        "excerpt": None,
    }
    assert deleted["data"] == {
        "title": "Discussed",
        "comment_id": first["id"],
        "author_username": member.user["username"],
        "excerpt": "Second thought",
    }
    assert kinds(history(owner, room_id, kind="comment.created")) == ["comment.created"]


def test_an_unchanged_history_is_304_and_every_new_entry_renews_it(stack, owner, member):
    room = make_room(owner)
    task = make_task(owner, room["id"], title="Tagged")
    room_url, task_url = activity_url(room["id"]), activity_url(room["id"], task["id"])
    first = owner.get(room_url)
    tag = first.headers["ETag"]
    for _ in range(2):  # from the tasks service, then from the gateway's cache
        unchanged = owner.get(room_url, headers={"If-None-Match": tag})
        assert unchanged.status_code == 304 and unchanged.headers["ETag"] == tag
        assert owner.get(room_url).content == first.content
    assert owner.get(room_url, params={"limit": 1}).headers["ETag"] != tag  # each page its own
    assert owner.get(task_url).headers["ETag"] != tag  # and each history
    make_task(owner, room["id"], title="More")
    renewed = owner.get(room_url, headers={"If-None-Match": tag})
    assert renewed.status_code == 200 and kinds(renewed.json()["items"]) == ["task.created"] * 2
    tag = renewed.headers["ETag"]
    join(member, room)  # an entry the rooms service sends: the tag goes once it has arrived
    wait_until(lambda: owner.get(room_url, headers={"If-None-Match": tag}).status_code == 200)
    assert kinds(ok(owner.get(room_url))["items"])[0] == "member.joined"
    task_tag = owner.get(task_url).headers["ETag"]
    ok(owner.delete(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"), 204)
    problem(owner.get(task_url, headers={"If-None-Match": task_tag}), 404)  # never 304 for a task gone
    stranger = sign_up(stack.url)
    problem(stranger.get(room_url, headers={"If-None-Match": tag}), 404)


def test_membership_and_renames_are_relayed_once_in_order_and_leave_the_revision(stack, owner, member, outsider):
    room = make_room(owner, "Before")
    room_id = room["id"]
    before = revision(owner, room_id)
    join(member, room)
    join(member, room)  # already a member: nothing happens
    join(outsider, room)
    ok(owner.patch(f"/api/v1/rooms/{room_id}", json={"name": "After"}))
    ok(owner.patch(f"/api/v1/rooms/{room_id}", json={"name": "After"}))  # the same name: nothing changes
    ok(member.delete(f"/api/v1/rooms/{room_id}/members/{member.user['id']}"), 204)
    ok(owner.delete(f"/api/v1/rooms/{room_id}/members/{outsider.user['id']}"), 204)
    join(member, room)
    expected = ["member.joined", "member.removed", "member.left", "room.renamed", "member.joined", "member.joined"]
    wait_until(lambda: len(history(owner, room_id)) >= len(expected))
    entries = history(owner, room_id)
    assert kinds(entries) == expected
    back, removed, left, renamed, second, first = entries
    assert (actor(first), first["data"]) == (
        by(member),
        {"user_id": member.user["id"], "username": member.user["username"]},
    )
    assert (actor(second), second["data"]["user_id"]) == (by(outsider), outsider.user["id"])
    assert actor(renamed) == by(owner) and renamed["data"] == {
        "name": "After",
        "changes": {"name": ["Before", "After"]},
    }
    assert (actor(left), left["data"]["user_id"]) == (by(member), member.user["id"])
    assert actor(removed) == by(owner)
    assert removed["data"] == {"user_id": outsider.user["id"], "username": outsider.user["username"]}
    assert actor(back) == by(member)
    assert all(entry["task_id"] is None for entry in entries)
    assert revision(owner, room_id) == before  # membership is not part of the task list
    problem(outsider.get(activity_url(room_id)), 404)  # removed: no longer theirs to read


# --- paging and filtering ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def busy_room(people):
    """A room with 31 entries of five kinds, and its whole history, newest first."""
    owner = people[0]
    room = make_room(owner)
    room_id = room["id"]
    tasks = [make_task(owner, room_id) for _ in range(12)]
    for task in tasks[:8]:
        ok(owner.patch(f"/api/v1/rooms/{room_id}/tasks/{task['id']}", json={"priority": "low"}))
    labels = [make_label(owner, room_id) for _ in range(5)]
    for task in tasks[:4]:
        ok(owner.post(f"/api/v1/rooms/{room_id}/tasks/{task['id']}/checklist", json={"text": "step"}), 201)
    ok(owner.delete(f"/api/v1/rooms/{room_id}/labels/{labels[0]['id']}"), 204)
    ok(owner.delete(f"/api/v1/rooms/{room_id}/tasks/{tasks[-1]['id']}"), 204)
    entries = history(owner, room_id)
    assert len(entries) == 31
    return owner, room_id, entries


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(min_value=1, max_value=40),
    chosen=st.lists(
        st.sampled_from(["task.created", "task.updated", "label.created", "checklist.updated"]), max_size=3
    ),
)
def test_pages_newest_first_give_every_entry_once(busy_room, limit, chosen):
    owner, room_id, everything = busy_room
    wanted = [entry for entry in everything if not chosen or entry["kind"] in chosen]
    pages, cursor = [], None
    while True:
        query = {"limit": limit, "kind": chosen, **({"cursor": cursor} if cursor else {})}
        page = ok(owner.get(activity_url(room_id), params=query))
        assert len(page["items"]) <= limit
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == limit  # a page with more after it is full
    assert [entry for page in pages for entry in page] == wanted
    assert len(pages) == max(1, -(-len(wanted) // limit))


def test_kind_filter_repeated(busy_room):
    owner, room_id, everything = busy_room
    page = ok(owner.get(activity_url(room_id), params={"kind": ["label.deleted", "task.deleted", "task.deleted"]}))
    assert kinds(page["items"]) == ["task.deleted", "label.deleted"]
    assert page["items"] == [entry for entry in everything if entry["kind"] in ("label.deleted", "task.deleted")]
    assert ok(owner.get(activity_url(room_id), params={"kind": "member.left"}))["items"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "task.exploded"}, "kind"),
        ({"kind": ["task.created", "Task.Created"]}, "kind"),
        ({"kind": ""}, "kind"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "dDE6NQ"}, "cursor"),  # a task list's cursor (t1:5) is not a history's
        ({"cursor": "YTE6OTk5OTk5OTk5OQ"}, "cursor"),  # a1:9999999999, beyond any id
    ],
)
def test_bad_parameters_are_422_naming_the_field(busy_room, params, field):
    owner, room_id, everything = busy_room
    task_id = next(entry["task_id"] for entry in everything if entry["kind"] == "task.updated")
    for url in (activity_url(room_id), activity_url(room_id, task_id)):
        problem(owner.get(url, params=params), 422, field)


def test_a_task_history_pages_too(busy_room):
    owner, room_id, everything = busy_room
    task_id = next(entry["task_id"] for entry in everything if entry["kind"] == "checklist.updated")
    own = [entry for entry in everything if entry["task_id"] == task_id]
    assert kinds(own) == ["checklist.updated", "task.updated", "task.created"]
    assert history(owner, room_id, task_id, limit=1) == own
    assert history(owner, room_id, task_id, kind="task.created") == own[-1:]


# --- atomicity and order -----------------------------------------------------------------------


def test_a_write_that_fails_or_changes_nothing_records_nothing(team, owner, member, outsider):
    room_id = team["id"]
    wait_until(lambda: kinds(history(owner, room_id)) == ["member.joined"])
    label = make_label(owner, room_id, name="Only")
    task = make_task(owner, room_id, title="Kept")
    task_url = f"/api/v1/rooms/{room_id}/tasks/{task['id']}"
    before = history(owner, room_id)
    problem(owner.patch(task_url, json={"title": "stale"}, headers={"If-Match": etag(7)}), 412)
    problem(owner.patch(task_url, json={"title": "bad labels", "label_ids": [2_147_483_000]}), 422, "label_ids")
    problem(
        owner.post(f"/api/v1/rooms/{room_id}/tasks", json={"title": "x", "user_id": outsider.user["id"]}),
        422,
        "user_id",
    )
    problem(owner.post(f"{task_url}/move", json={"after_id": 2_147_483_000}), 422, "after_id")
    problem(owner.post(f"{task_url}/move", json={"after_id": None}, headers={"If-Match": etag(7)}), 412)
    problem(owner.delete(task_url, headers={"If-Match": etag(7)}), 412)
    problem(owner.post(f"/api/v1/rooms/{room_id}/labels", json={"name": "ONLY", "color": "#000000"}), 409)
    problem(owner.patch(f"{task_url}/checklist/2147483000", json={"done": True}), 404)
    problem(owner.post(f"{task_url}/checklist", json={"text": "x"}, headers={"If-Match": etag(7)}), 412)
    problem(outsider.post(f"/api/v1/rooms/{room_id}/tasks", json={"title": "intruder"}), 404)
    problem(owner.patch(f"/api/v1/rooms/{room_id}", json={"name": ""}), 422, "name")
    problem(member.patch(f"/api/v1/rooms/{room_id}", json={"name": "mine"}), 403)
    problem(owner.delete(f"/api/v1/rooms/{room_id}/members/{owner.user['id']}"), 409)
    # Changes that change nothing: 200, the version stays, and no entry.
    assert ok(owner.patch(task_url, json={"title": "  Kept "}))["version"] == 1
    assert ok(owner.post(f"{task_url}/move", json={"after_id": None}))["version"] == 1
    ok(owner.patch(f"/api/v1/rooms/{room_id}/labels/{label['id']}", json={"name": "Only"}))
    join(member, team)  # already a member
    assert history(owner, room_id) == before


def _create(url, title, client):
    return client.post(url, json={"title": title})


def _move_to_top(url, client):
    return client.post(url, json={"after_id": None})


def test_parallel_writers_get_ids_in_commit_order(stack, owner):
    room = make_room(owner)
    room_id = room["id"]
    url = f"/api/v1/rooms/{room_id}/tasks"
    start = revision(owner, room_id)
    created = in_parallel(stack, owner.token, [partial(_create, url, f"racer {n}") for n in range(12)])
    assert all(response.status_code == 201 for response in created), [r.text for r in created]
    entries = history(owner, room_id)
    # A task's id is drawn under the room's lock too: entries by id follow the tasks by id.
    assert [entry["task_id"] for entry in reversed(entries)] == sorted(r.json()["id"] for r in created)
    movers = sorted(r.json()["id"] for r in created)[1:]
    moved = in_parallel(stack, owner.token, [partial(_move_to_top, f"{url}/{task_id}/move") for task_id in movers])
    assert all(response.status_code == 200 for response in moved), [r.text for r in moved]
    column = ok(owner.get(url, params={"status": "pending", "sort": "position"}))["items"]
    moves = [entry for entry in history(owner, room_id) if entry["kind"] == "task.moved"]
    # Each move put its task first: the newest entry is the task on top, and so on down.
    assert [entry["task_id"] for entry in moves] == [task["id"] for task in column[: len(movers)]]
    assert revision(owner, room_id) - start == len(history(owner, room_id)) == 12 + len(movers)


def test_a_new_member_reads_the_whole_history(stack, people):
    owner = people[0]
    room = make_room(owner)
    make_task(owner, room["id"], title="Before they came")
    newcomer = sign_up(stack.url)
    join(newcomer, room)
    wait_until(lambda: len(history(newcomer, room["id"])) == 2)
    assert kinds(history(newcomer, room["id"])) == ["member.joined", "task.created"]


def _join(code, client):
    return client.post("/api/v1/rooms/join", json={"code": code})


def test_parallel_joins_of_one_person_are_one_entry(stack, owner, member):
    room = make_room(owner)
    responses = in_parallel(stack, member.token, [partial(_join, room["code"])] * 8)
    assert [response.status_code for response in responses] == [200] * 8, [r.text for r in responses]
    ok(owner.patch(f"/api/v1/rooms/{room['id']}", json={"name": "After the joins"}))
    wait_until(lambda: kinds(history(owner, room["id"])) == ["room.renamed", "member.joined"])
