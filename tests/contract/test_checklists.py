"""docs/api.md, Checklists: items added, changed and removed through their routes, each change a
change of the task (its version, If-Match, the board's ETag), at most 100 items of 1 to 500
characters."""

from __future__ import annotations

import pytest

from tests.contract.helpers import assert_task, etag, list_all_tasks, make_room, make_task, ok, problem


def checklist_url(room_id, task_id, item_id=None):
    return f"/api/v1/rooms/{room_id}/tasks/{task_id}/checklist" + (f"/{item_id}" if item_id is not None else "")


def board_etag(client, room_id):
    response = client.get(f"/api/v1/rooms/{room_id}/tasks")
    ok(response)
    return response.headers["ETag"]


def add(client, room_id, task_id, text="step", **kwargs):
    response = client.post(checklist_url(room_id, task_id), json={"text": text}, **kwargs)
    task = ok(response, 201)
    assert_task(task)
    assert response.headers["ETag"] == etag(task["version"])
    return task


def test_add_change_remove(team, owner, member):
    room_id = team["id"]
    task = make_task(owner, room_id)
    first = add(member, room_id, task["id"], "  Buy flour  ")
    assert first["version"] == 2
    assert [(i["text"], i["done"]) for i in first["checklist"]] == [("Buy flour", False)]
    second = add(owner, room_id, task["id"], "Bake")
    assert [i["text"] for i in second["checklist"]] == ["Buy flour", "Bake"]
    flour, bake = (item["id"] for item in second["checklist"])
    response = owner.patch(checklist_url(room_id, task["id"], flour), json={"done": True})
    ticked = ok(response)
    assert response.headers["ETag"] == etag(4)
    assert ticked["checklist"] == [{"id": flour, "text": "Buy flour", "done": True}, second["checklist"][1]]
    renamed = ok(member.patch(checklist_url(room_id, task["id"], bake), json={"text": "Bake bread", "done": True}))
    assert renamed["checklist"][1] == {"id": bake, "text": "Bake bread", "done": True}
    assert renamed["version"] == 5
    response = owner.delete(checklist_url(room_id, task["id"], flour))
    removed = ok(response)
    assert response.headers["ETag"] == etag(6)
    assert removed["checklist"] == [renamed["checklist"][1]]
    assert ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{task['id']}")) == removed
    assert {t["id"]: t for t in list_all_tasks(owner, room_id)}[task["id"]] == removed


def test_a_change_that_changes_nothing_keeps_the_version(team, owner):
    task = make_task(owner, team["id"])
    added = add(owner, team["id"], task["id"], "same")
    item = added["checklist"][0]["id"]
    same = ok(owner.patch(checklist_url(team["id"], task["id"], item), json={"text": " same ", "done": False}))
    assert same == added
    assert ok(owner.patch(checklist_url(team["id"], task["id"], item), json={})) == added


def test_every_change_changes_the_boards_etag(team, owner):
    room_id = team["id"]
    task = make_task(owner, room_id)
    seen = [board_etag(owner, room_id)]
    item = add(owner, room_id, task["id"])["checklist"][0]["id"]
    seen.append(board_etag(owner, room_id))
    ok(owner.patch(checklist_url(room_id, task["id"], item), json={"done": True}))
    seen.append(board_etag(owner, room_id))
    ok(owner.delete(checklist_url(room_id, task["id"], item)))
    seen.append(board_etag(owner, room_id))
    assert len(set(seen)) == len(seen), seen


def test_if_match_on_every_checklist_route(team, owner):
    room_id = team["id"]
    task = make_task(owner, room_id)
    stale = {"If-Match": etag(1)}
    current = add(owner, room_id, task["id"], headers=stale)  # version 1 was current: applies
    item = current["checklist"][0]["id"]
    for method, url, body in (
        ("POST", checklist_url(room_id, task["id"]), {"text": "late"}),
        ("PATCH", checklist_url(room_id, task["id"], item), {"done": True}),
        ("DELETE", checklist_url(room_id, task["id"], item), None),
    ):
        for header in (etag(1), 'W/"2"', '"abc"'):
            sent = owner.request(method, url, headers={"If-Match": header}, **({"json": body} if body else {}))
            problem(sent, 412)
        assert ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{task['id']}")) == current
    ticked = ok(owner.patch(checklist_url(room_id, task["id"], item), json={"done": True}, headers={"If-Match": '"2"'}))
    assert ticked["version"] == 3
    gone = ok(owner.delete(checklist_url(room_id, task["id"], item), headers={"If-Match": '"1", "3"'}))
    assert (gone["checklist"], gone["version"]) == ([], 4)
    problem(owner.patch(f"/api/v1/rooms/{room_id}/tasks/{task['id']}", json={"title": "x"}, headers=stale), 412)


def test_an_item_of_another_task_is_404(team, owner):
    room_id = team["id"]
    task, other = make_task(owner, room_id), make_task(owner, room_id)
    item = add(owner, room_id, other["id"])["checklist"][0]["id"]
    problem(owner.patch(checklist_url(room_id, task["id"], item), json={"done": True}), 404)
    problem(owner.delete(checklist_url(room_id, task["id"], item)), 404)
    problem(owner.patch(checklist_url(room_id, task["id"], 2_147_483_000), json={"done": True}), 404)
    assert ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{task['id']}")) == task
    assert ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{other['id']}"))["checklist"][0]["done"] is False


def test_a_task_of_another_room_is_404(owner):
    room, other_room = make_room(owner), make_room(owner)
    task = make_task(owner, other_room["id"])
    problem(owner.post(checklist_url(room["id"], task["id"]), json={"text": "x"}), 404)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "t" * 501}, "text"),
        ({"text": 3}, "text"),
        ({"text": None}, "text"),
        ({"text": "ok", "done": True}, "done"),
        ({"text": "ok", "id": 1}, "id"),
    ],
)
def test_bad_new_items_are_422(team, owner, body, field):
    task = make_task(owner, team["id"])
    problem(owner.post(checklist_url(team["id"], task["id"]), json=body), 422, field)
    assert ok(owner.get(f"/api/v1/rooms/{team['id']}/tasks/{task['id']}")) == task


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "t" * 501}, "text"),
        ({"done": 1}, "done"),
        ({"done": "true"}, "done"),
        ({"done": None}, "done"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_item_changes_are_422(team, owner, body, field):
    task = make_task(owner, team["id"])
    added = add(owner, team["id"], task["id"])
    url = checklist_url(team["id"], task["id"], added["checklist"][0]["id"])
    problem(owner.patch(url, json=body), 422, field)
    assert ok(owner.get(f"/api/v1/rooms/{team['id']}/tasks/{task['id']}")) == added


def test_text_of_500_characters_is_kept_trimmed(team, owner):
    task = make_task(owner, team["id"])
    assert add(owner, team["id"], task["id"], "\t" + "ї" * 500 + " ")["checklist"][0]["text"] == "ї" * 500


def test_at_most_100_items(team, owner):
    task = make_task(owner, team["id"])
    for number in range(100):
        last = add(owner, team["id"], task["id"], f"step {number}")
    problem(owner.post(checklist_url(team["id"], task["id"]), json={"text": "one more"}), 422, "checklist")
    now = ok(owner.get(f"/api/v1/rooms/{team['id']}/tasks/{task['id']}"))
    assert now == last and len(now["checklist"]) == 100
    assert [i["text"] for i in now["checklist"]] == [f"step {n}" for n in range(100)]
    ok(owner.delete(checklist_url(team["id"], task["id"], now["checklist"][0]["id"])))
    assert add(owner, team["id"], task["id"], "fits again")["checklist"][-1]["text"] == "fits again"


def test_deleting_a_task_takes_its_checklist(team, owner):
    task = make_task(owner, team["id"])
    item = add(owner, team["id"], task["id"])["checklist"][0]["id"]
    ok(owner.delete(f"/api/v1/rooms/{team['id']}/tasks/{task['id']}"), 204)
    problem(owner.patch(checklist_url(team["id"], task["id"], item), json={"done": True}), 404)
