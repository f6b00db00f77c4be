"""docs/api.md, Labels: a room's labels (names unique without regard to case, colours, at most 50),
the tasks that carry them (`label_ids`, at most 10, of the same room), and the `label_id` filter."""

from __future__ import annotations

import pytest

from tests.contract.helpers import (
    assert_label,
    etag,
    list_all_tasks,
    make_label,
    make_room,
    make_task,
    ok,
    problem,
)


def labels_url(room_id, label_id=None):
    return f"/api/v1/rooms/{room_id}/labels" + (f"/{label_id}" if label_id is not None else "")


def task_url(room_id, task_id):
    return f"/api/v1/rooms/{room_id}/tasks/{task_id}"


def board_etag(client, room_id):
    response = client.get(f"/api/v1/rooms/{room_id}/tasks")
    ok(response)
    return response.headers["ETag"]


# --- the labels themselves ---------------------------------------------------------------------


def test_create_list_update_delete(team, owner, member):
    room_id = team["id"]
    label = ok(member.post(labels_url(room_id), json={"name": "  Bug  ", "color": "#d93f0b"}), 201)
    assert_label(label)
    assert (label["name"], label["color"], label["room_id"]) == ("Bug", "#d93f0b", room_id)
    second = make_label(owner, room_id, name="Feature", color="#0E8A16")
    assert ok(owner.get(labels_url(room_id)))["items"] == [label, second]
    renamed = ok(owner.patch(labels_url(room_id, label["id"]), json={"name": "Defect"}))
    assert renamed == {**label, "name": "Defect"}
    recoloured = ok(member.patch(labels_url(room_id, label["id"]), json={"color": "#000000"}))
    assert recoloured == {**renamed, "color": "#000000"}
    ok(member.delete(labels_url(room_id, label["id"])), 204)
    assert ok(owner.get(labels_url(room_id)))["items"] == [second]
    problem(owner.patch(labels_url(room_id, label["id"]), json={"name": "x"}), 404)
    problem(owner.delete(labels_url(room_id, label["id"])), 404)


@pytest.mark.parametrize(
    "first, second",
    [("bug", "BUG"), ("Срочно", "СРОЧНО"), ("straße", "STRASSE"), ("Ωmega", "ωMEGA"), ("x", "  X ")],
)
def test_names_are_unique_in_a_room_without_regard_to_case(owner, first, second):
    room = make_room(owner)
    make_label(owner, room["id"], name=first)
    problem(owner.post(labels_url(room["id"]), json={"name": second, "color": "#FFFFFF"}), 409)
    other = make_label(owner, room["id"], name="other")
    problem(owner.patch(labels_url(room["id"], other["id"]), json={"name": second}), 409)
    # another room may use the name
    make_label(owner, make_room(owner)["id"], name=second.strip())


def test_a_label_may_change_the_case_of_its_own_name(owner):
    room = make_room(owner)
    label = make_label(owner, room["id"], name="urgent")
    assert ok(owner.patch(labels_url(room["id"], label["id"]), json={"name": "URGENT"}))["name"] == "URGENT"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"color": "#FFFFFF"}, "name"),
        ({"name": "   ", "color": "#FFFFFF"}, "name"),
        ({"name": "n" * 41, "color": "#FFFFFF"}, "name"),
        ({"name": 5, "color": "#FFFFFF"}, "name"),
        ({"name": "a\u0000b", "color": "#FFFFFF"}, "name"),
        ({"name": "ok"}, "color"),
        ({"name": "ok", "color": "red"}, "color"),
        ({"name": "ok", "color": "#FFF"}, "color"),
        ({"name": "ok", "color": "#GGGGGG"}, "color"),
        ({"name": "ok", "color": "#FFFFFF\n"}, "color"),
        ({"name": "ok", "color": None}, "color"),
        ({"name": "ok", "color": "#FFFFFF", "id": 3}, "id"),
        ({"name": "ok", "color": "#FFFFFF", "room_id": 3}, "room_id"),
    ],
)
def test_bad_label_fields_are_422(team, owner, body, field):
    problem(owner.post(labels_url(team["id"]), json=body), 422, field)
    label = make_label(owner, team["id"])
    patch = {k: v for k, v in body.items() if k == field}
    if patch:
        problem(owner.patch(labels_url(team["id"], label["id"]), json=patch), 422, field)


def test_name_of_40_characters_is_kept_trimmed(owner):
    room = make_room(owner)
    assert make_label(owner, room["id"], name=" " + "ж" * 40 + " ")["name"] == "ж" * 40


def test_at_most_50_labels_per_room(owner):
    room = make_room(owner)
    for number in range(50):
        make_label(owner, room["id"], name=f"label {number}")
    problem(owner.post(labels_url(room["id"]), json={"name": "one more", "color": "#FFFFFF"}), 422, "labels")
    assert len(ok(owner.get(labels_url(room["id"])))["items"]) == 50


def test_a_label_of_another_room_is_404(owner):
    room, other = make_room(owner), make_room(owner)
    label = make_label(owner, other["id"])
    problem(owner.patch(labels_url(room["id"], label["id"]), json={"name": "stolen"}), 404)
    problem(owner.delete(labels_url(room["id"], label["id"])), 404)
    assert ok(owner.get(labels_url(other["id"])))["items"] == [label]


def test_label_changes_change_the_boards_etag(owner):
    room = make_room(owner)
    room_id = room["id"]
    seen = [board_etag(owner, room_id)]
    label = make_label(owner, room_id)
    seen.append(board_etag(owner, room_id))
    ok(owner.patch(labels_url(room_id, label["id"]), json={"color": "#123456"}))
    seen.append(board_etag(owner, room_id))
    ok(owner.delete(labels_url(room_id, label["id"])), 204)
    seen.append(board_etag(owner, room_id))
    assert len(set(seen)) == len(seen), seen


def test_a_patch_that_changes_nothing_keeps_the_etag(owner):
    room = make_room(owner)
    label = make_label(owner, room["id"], name="same", color="#ABCDEF")
    before = board_etag(owner, room["id"])
    assert ok(owner.patch(labels_url(room["id"], label["id"]), json={"name": " same ", "color": "#ABCDEF"})) == label
    assert board_etag(owner, room["id"]) == before


# --- tasks carrying labels ---------------------------------------------------------------------


def test_tasks_carry_labels_and_patch_replaces_the_set(team, owner, member):
    room_id = team["id"]
    a, b, c = (make_label(owner, room_id) for _ in range(3))
    task = make_task(member, room_id, label_ids=[c["id"], a["id"]])
    assert task["label_ids"] == sorted([a["id"], c["id"]])
    assert task["version"] == 1
    changed = ok(owner.patch(task_url(room_id, task["id"]), json={"label_ids": [b["id"]]}))
    assert (changed["label_ids"], changed["version"]) == ([b["id"]], 2)
    same = ok(owner.patch(task_url(room_id, task["id"]), json={"label_ids": [b["id"]]}))
    assert same == changed  # the same set: nothing changed, the version stays
    titled = ok(owner.patch(task_url(room_id, task["id"]), json={"title": "kept labels"}))
    assert titled["label_ids"] == [b["id"]]
    cleared = ok(member.patch(task_url(room_id, task["id"]), json={"label_ids": []}))
    assert (cleared["label_ids"], cleared["version"]) == ([], 4)
    assert ok(owner.get(task_url(room_id, task["id"]))) == cleared
    assert make_task(owner, room_id)["label_ids"] == []


def test_label_ids_honour_if_match(team, owner):
    label = make_label(owner, team["id"])
    task = make_task(owner, team["id"])
    url = task_url(team["id"], task["id"])
    problem(owner.patch(url, json={"label_ids": [label["id"]]}, headers={"If-Match": etag(2)}), 412)
    assert ok(owner.get(url))["label_ids"] == []
    ok(owner.patch(url, json={"label_ids": [label["id"]]}, headers={"If-Match": etag(1)}))


def test_at_most_10_labels_per_task_none_twice(owner):
    room = make_room(owner)
    labels = [make_label(owner, room["id"])["id"] for _ in range(11)]
    assert make_task(owner, room["id"], label_ids=labels[:10])["label_ids"] == sorted(labels[:10])
    problem(owner.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "t", "label_ids": labels}), 422, "label_ids")
    task = make_task(owner, room["id"])
    problem(owner.patch(task_url(room["id"], task["id"]), json={"label_ids": labels}), 422, "label_ids")
    twice = [labels[0], labels[0]]
    problem(owner.patch(task_url(room["id"], task["id"]), json={"label_ids": twice}), 422, "label_ids")


@pytest.mark.parametrize("bad", ["other room", "missing", "deleted"])
def test_a_label_not_of_the_room_is_422_on_label_ids(owner, bad):
    room = make_room(owner)
    mine = make_label(owner, room["id"])
    if bad == "other room":
        foreign = make_label(owner, make_room(owner)["id"])["id"]
    elif bad == "missing":
        foreign = 2_147_483_000
    else:
        foreign = make_label(owner, room["id"])["id"]
        ok(owner.delete(labels_url(room["id"], foreign)), 204)
    body = {"title": "t", "label_ids": [mine["id"], foreign]}
    problem(owner.post(f"/api/v1/rooms/{room['id']}/tasks", json=body), 422, "label_ids")
    task = make_task(owner, room["id"], label_ids=[mine["id"]])
    problem(owner.patch(task_url(room["id"], task["id"]), json={"label_ids": [foreign]}), 422, "label_ids")
    assert ok(owner.get(task_url(room["id"], task["id"]))) == task


@pytest.mark.parametrize("value", [None, "1", [0], ["1"], [1.5], [True], [2**31], {"id": 1}])
def test_label_ids_of_the_wrong_shape_are_422(team, owner, value):
    response = owner.post(f"/api/v1/rooms/{team['id']}/tasks", json={"title": "t", "label_ids": value})
    body = problem(response, 422)
    assert all(error["field"].startswith("label_ids") for error in body["errors"]), body


def test_deleting_a_label_takes_it_off_every_task_and_counts_a_change(team, owner, member):
    room_id = team["id"]
    gone, kept = make_label(owner, room_id), make_label(owner, room_id)
    carrier = make_task(owner, room_id, label_ids=[gone["id"], kept["id"]])
    other = make_task(owner, room_id, label_ids=[kept["id"]])
    before = board_etag(owner, room_id)
    ok(member.delete(labels_url(room_id, gone["id"])), 204)
    now = ok(owner.get(task_url(room_id, carrier["id"])))
    assert (now["label_ids"], now["version"]) == ([kept["id"]], carrier["version"] + 1)
    assert ok(owner.get(task_url(room_id, other["id"]))) == other  # it did not carry the label
    assert board_etag(owner, room_id) != before
    problem(owner.patch(task_url(room_id, carrier["id"]), json={"title": "x"}, headers={"If-Match": etag(1)}), 412)


def test_renaming_a_label_changes_no_task(team, owner):
    label = make_label(owner, team["id"])
    task = make_task(owner, team["id"], label_ids=[label["id"]])
    ok(owner.patch(labels_url(team["id"], label["id"]), json={"name": "renamed"}))
    assert ok(owner.get(task_url(team["id"], task["id"]))) == task


def test_the_list_filters_by_label(owner):
    room = make_room(owner)
    room_id = room["id"]
    red, blue = make_label(owner, room_id), make_label(owner, room_id)
    both = make_task(owner, room_id, label_ids=[red["id"], blue["id"]])
    only_red = make_task(owner, room_id, label_ids=[red["id"]])
    make_task(owner, room_id)
    assert [t["id"] for t in list_all_tasks(owner, room_id, label_id=red["id"])] == [both["id"], only_red["id"]]
    assert [t["id"] for t in list_all_tasks(owner, room_id, label_id=blue["id"], limit=1)] == [both["id"]]
    assert list_all_tasks(owner, room_id, label_id=2_147_483_000) == []
    listed = {t["id"]: t for t in list_all_tasks(owner, room_id)}
    assert listed[both["id"]] == both and listed[only_red["id"]] == only_red
    for bad in ("0", "x", "-1", str(2**31)):
        problem(owner.get(f"/api/v1/rooms/{room_id}/tasks", params={"label_id": bad}), 422, "label_id")


def test_checklist_is_read_only_on_tasks(team, owner):
    body = {"title": "t", "checklist": [{"text": "sneaked in", "done": False}]}
    problem(owner.post(f"/api/v1/rooms/{team['id']}/tasks", json=body), 422, "checklist")
    task = make_task(owner, team["id"])
    problem(owner.patch(task_url(team["id"], task["id"]), json={"checklist": []}), 422, "checklist")


def test_deleting_the_room_deletes_its_labels(owner):
    room = make_room(owner)
    make_label(owner, room["id"])
    ok(owner.delete(f"/api/v1/rooms/{room['id']}"), 204)
    problem(owner.get(labels_url(room["id"])), 404)
