"""docs/api.md under parallel clients: one If-Match wins, versions never get lost, parallel creates lose nothing."""

from __future__ import annotations

from functools import partial

import pytest

from tests.contract.helpers import (
    PASSWORD,
    etag,
    in_parallel,
    join,
    list_all_tasks,
    make_room,
    make_task,
    ok,
    problem,
    sign_up,
    unique,
)


@pytest.fixture(scope="module")
def people(stack):
    return sign_up(stack.url), sign_up(stack.url)


def _patch(url, body, headers, client):
    return client.patch(url, json=body, headers=headers)


def _post(url, body, client):
    return client.post(url, json=body)


def test_parallel_patches_with_one_if_match_one_wins(stack, people):
    owner, member = people
    room = make_room(owner)
    join(member, room)
    task = make_task(owner, room["id"])
    url = f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"
    calls = [partial(_patch, url, {"title": f"writer {n}"}, {"If-Match": etag(1)}) for n in range(8)]
    responses = in_parallel(stack, member.token, calls)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * 7, statuses
    winner = next(r for r in responses if r.status_code == 200)
    for response in responses:
        if response.status_code == 412:
            problem(response, 412)
    final = ok(owner.get(url))
    assert final["version"] == 2
    assert final["title"] == winner.json()["title"]
    assert winner.json()["version"] == 2 and winner.headers["ETag"] == etag(2)


def test_parallel_patches_without_if_match_lose_no_version(stack, people):
    owner, _member = people
    room = make_room(owner)
    task = make_task(owner, room["id"])
    url = f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"
    calls = [partial(_patch, url, {"description": f"edit {n}"}, {}) for n in range(8)]
    responses = in_parallel(stack, owner.token, calls)
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    for response in responses:  # each answer is a real state of the task, no older than the first change
        assert 2 <= response.json()["version"] <= 9 and response.headers["ETag"] == etag(response.json()["version"])
    final = ok(owner.get(url))
    assert final["version"] == 9  # eight changes, eight increments: none was lost
    assert final["description"] in {f"edit {n}" for n in range(8)}


def test_parallel_creates_lose_nothing(stack, people):
    owner, member = people
    room = make_room(owner)
    join(member, room)
    titles = [f"parallel {n}" for n in range(30)]
    calls = [partial(_post, f"/api/v1/rooms/{room['id']}/tasks", {"title": title}) for title in titles]
    responses = in_parallel(stack, member.token, calls)
    assert [r.status_code for r in responses] == [201] * 30, [r.text for r in responses if r.status_code != 201]
    created = {r.json()["id"]: r.json()["title"] for r in responses}
    assert len(created) == 30
    assert sorted(created.values()) == sorted(titles)
    listed = list_all_tasks(owner, room["id"], limit=7)
    assert sorted(t["id"] for t in listed) == sorted(created)  # each exactly once


def test_parallel_joins_of_one_user_make_one_membership(stack, people):
    owner, member = people
    room = make_room(owner)
    call = lambda c: c.post("/api/v1/rooms/join", json={"code": room["code"]})  # noqa: E731
    responses = in_parallel(stack, member.token, [call] * 8)
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    assert ok(owner.get(f"/api/v1/rooms/{room['id']}"))["member_count"] == 2
    members = ok(owner.get(f"/api/v1/rooms/{room['id']}/members"))["items"]
    assert sorted(m["user_id"] for m in members) == sorted([owner.user["id"], member.user["id"]])


def test_parallel_registrations_of_one_name_in_different_cases(stack):
    name = unique("Race")
    variants = [name, name.lower(), name.upper(), name.swapcase(), name, name.lower()]
    calls = [partial(_post, "/api/v1/auth/register", {"username": v, "password": PASSWORD}) for v in variants]
    responses = in_parallel(stack, None, calls)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 5, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            problem(response, 409)


def _move(url, body, client):
    return client.post(url, json=body)


def test_parallel_moves_into_one_gap_leave_one_total_order(stack, people):
    """Twelve tasks moved at once to right after the first, from both columns: each move takes
    effect once, the column holds every task once, in one order with no two at one place."""
    owner, member = people
    room = make_room(owner)
    join(member, room)
    tasks = f"/api/v1/rooms/{room['id']}/tasks"
    movers = [make_task(owner, room["id"], status="completed" if n % 2 else "pending")["id"] for n in range(12)]
    # made last, so that no mover already stands right after it (a move there would change nothing)
    first = make_task(owner, room["id"])["id"]
    etag_before = owner.get(tasks).headers["ETag"]
    body = {"status": "pending", "after_id": first}
    responses = in_parallel(stack, member.token, [partial(_move, f"{tasks}/{m}/move", body) for m in movers])
    assert [r.status_code for r in responses] == [200] * 12, [r.text for r in responses if r.status_code != 200]
    assert all(r.json()["version"] == 2 for r in responses)
    column = list_all_tasks(owner, room["id"], limit=5, sort="position", status="pending")
    assert column[0]["id"] == first
    assert sorted(t["id"] for t in column) == sorted([first, *movers])  # each exactly once
    places = [t["position"] for t in column]
    assert len(set(places)) == len(places) and places == sorted(places)
    assert owner.get(tasks).headers["ETag"] != etag_before
    # the moves happened one after another: the last one to commit is right after `first`
    assert column[1]["id"] in movers


# --- labels and checklists ---------------------------------------------------------------------


def _post(url, body, client):
    return client.post(url, json=body)


def _delete(url, client):
    return client.delete(url)


def test_parallel_label_creations_never_pass_the_limit(stack, people):
    owner, _ = people
    room = make_room(owner)
    url = f"/api/v1/rooms/{room['id']}/labels"
    for number in range(45):
        ok(owner.post(url, json={"name": f"before {number}", "color": "#000000"}), 201)
    calls = [partial(_post, url, {"name": f"raced {number}", "color": "#FFFFFF"}) for number in range(12)]
    responses = in_parallel(stack, owner.token, calls)
    assert sorted(r.status_code for r in responses) == [201] * 5 + [422] * 7, [r.text for r in responses]
    assert len(ok(owner.get(url))["items"]) == 50


def test_parallel_labels_of_one_name_make_one_label(stack, people):
    owner, _ = people
    room = make_room(owner)
    url = f"/api/v1/rooms/{room['id']}/labels"
    calls = [partial(_post, url, {"name": name, "color": "#FFFFFF"}) for name in ("Дім", "ДІМ", "дім", "ДіМ") * 2]
    responses = in_parallel(stack, owner.token, calls)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7, [r.text for r in responses]


def test_parallel_checklist_additions_never_pass_the_limit(stack, people):
    owner, _ = people
    room = make_room(owner)
    task = make_task(owner, room["id"])
    url = f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/checklist"
    for number in range(95):
        ok(owner.post(url, json={"text": f"step {number}"}), 201)
    responses = in_parallel(stack, owner.token, [partial(_post, url, {"text": f"raced {n}"}) for n in range(10)])
    assert sorted(r.status_code for r in responses) == [201] * 5 + [422] * 5, [r.text for r in responses]
    final = ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"))
    assert len(final["checklist"]) == 100
    assert final["version"] == 1 + 100  # each addition counted once


def test_a_label_deleted_while_tasks_are_given_it(stack, people):
    """Tasks given a label while it is deleted either got it before (and lose it, one version
    more) or are refused with 422: no task keeps a deleted label, nothing answers 5xx."""
    owner, _ = people
    room = make_room(owner)
    room_id = room["id"]
    label = ok(owner.post(f"/api/v1/rooms/{room_id}/labels", json={"name": "doomed", "color": "#000000"}), 201)
    tasks = [make_task(owner, room_id) for _ in range(6)]
    calls = [
        partial(_patch, f"/api/v1/rooms/{room_id}/tasks/{task['id']}", {"label_ids": [label["id"]]}, {})
        for task in tasks
    ]
    calls.insert(3, partial(_delete, f"/api/v1/rooms/{room_id}/labels/{label['id']}"))
    responses = in_parallel(stack, owner.token, calls)
    assert responses[3].status_code == 204, responses[3].text
    patches = responses[:3] + responses[4:]
    assert all(r.status_code in (200, 422) for r in patches), [r.text for r in patches]
    for task, response in zip(tasks, patches, strict=True):
        now = ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{task['id']}"))
        assert now["label_ids"] == []
        assert now["version"] == (3 if response.status_code == 200 else 1)
