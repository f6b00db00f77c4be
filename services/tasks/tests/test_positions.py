"""Board order through the tasks service's routes: moves, the end of a column, renumbering, and
a property over random sequences of creates, moves, status changes and deletes against a model."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasksync_tasks.tasks import positions
from tasksync_tasks.tasks.models import STATUSES

ROOM = 7
TASKS = f"/api/v1/rooms/{ROOM}/tasks"
SAFE = 2**53 - 1  # every position must be exact as a JSON reader's double
_rooms = itertools.count(1000)


@pytest.fixture
def alice(people):
    return people(1, {ROOM: "owner"})


def add(client, who, tasks=TASKS, **fields):
    response = client.post(tasks, json={"title": "A task", **fields}, headers=who)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def move(client, who, task_id, tasks=TASKS, headers=None, **body):
    return client.post(f"{tasks}/{task_id}/move", json=body, headers={**who, **(headers or {})})


def board(client, who, tasks=TASKS) -> list[dict]:
    """Every task of the room in board order (position, then id), following the cursors."""
    items, cursor = [], None
    while True:
        query = "sort=position&limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"{tasks}?{query}", headers=who)
        assert page.status_code == 200, page.get_json()
        items += page.get_json()["items"]
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            return items


def columns(client, who, tasks=TASKS) -> dict[str, list[int]]:
    """Each status column's task ids in order, checking that no two tasks share a place."""
    items = board(client, who, tasks)
    assert len({t["id"] for t in items}) == len(items), "a task listed twice"
    result: dict[str, list[int]] = {status: [] for status in STATUSES}
    for status in STATUSES:
        places = [t["position"] for t in items if t["status"] == status]
        assert len(set(places)) == len(places), f"tied positions in {status}: {places}"
        assert all(abs(p) <= SAFE for p in places)
        result[status] = [t["id"] for t in items if t["status"] == status]
    return result


def test_new_tasks_and_status_changes_go_to_the_end_of_their_column(client, alice):
    first, second = add(client, alice), add(client, alice)
    done = add(client, alice, status="completed")
    assert first["position"] < second["position"]
    changed = client.patch(f"{TASKS}/{first['id']}", json={"status": "completed"}, headers=alice).get_json()
    assert changed["version"] == 2 and changed["position"] > done["position"]
    assert columns(client, alice) == {
        "pending": [second["id"]],
        "in progress": [],
        "completed": [done["id"], first["id"]],
    }
    retitled = client.patch(f"{TASKS}/{done['id']}", json={"title": "same place"}, headers=alice).get_json()
    assert retitled["position"] == done["position"]


def test_moves_within_and_across_columns(client, alice):
    a, b, c = (add(client, alice)["id"] for _ in range(3))
    response = move(client, alice, c, after_id=None)
    assert response.status_code == 200 and response.get_json()["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert columns(client, alice)["pending"] == [c, a, b]
    assert move(client, alice, c, after_id=a).status_code == 200
    assert columns(client, alice)["pending"] == [a, c, b]
    across = move(client, alice, a, status="in progress", after_id=None).get_json()
    assert (across["status"], across["version"]) == ("in progress", 2)
    assert move(client, alice, b, status="in progress", after_id=a).get_json()["status"] == "in progress"
    assert columns(client, alice) == {"pending": [c], "in progress": [a, b], "completed": []}


def test_a_move_to_where_the_task_is_changes_nothing(client, alice):
    a, b = add(client, alice)["id"], add(client, alice)["id"]
    etag = client.get(TASKS, headers=alice).headers["ETag"]
    for task_id, after_id, status in ((a, None, None), (b, a, None), (b, a, "pending")):
        body = {"after_id": after_id, **({"status": status} if status else {})}
        same = move(client, alice, task_id, **body)
        assert same.status_code == 200 and same.get_json()["version"] == 1
    assert client.get(TASKS, headers={**alice, "If-None-Match": etag}).status_code == 304
    assert move(client, alice, a, after_id=b).status_code == 200
    assert client.get(TASKS, headers={**alice, "If-None-Match": etag}).status_code == 200  # a new revision


def test_move_honours_if_match(client, alice):
    a, b = add(client, alice)["id"], add(client, alice)["id"]
    assert move(client, alice, a, headers={"If-Match": '"2"'}, after_id=b).status_code == 412
    assert columns(client, alice)["pending"] == [a, b]
    assert move(client, alice, a, headers={"If-Match": '"1"'}, after_id=b).get_json()["version"] == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "after_id"),
        ({"after_id": "1"}, "after_id"),
        ({"after_id": 0}, "after_id"),
        ({"after_id": None, "status": "done"}, "status"),
        ({"after_id": None, "position": 3}, "position"),
        ({"after_id": None, "extra": 1}, "extra"),
    ],
)
def test_bad_move_bodies_are_named(client, alice, body, field):
    task = add(client, alice)
    response = move(client, alice, task["id"], **body)
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_after_id_must_be_another_task_of_the_target_column(client, alice, people):
    a, b = add(client, alice)["id"], add(client, alice, status="completed")["id"]
    people.set_role(8, 1, "owner")
    elsewhere = add(client, alice, tasks="/api/v1/rooms/8/tasks")["id"]
    for after_id, status in ((a, None), (b, None), (a, "completed"), (elsewhere, None), (2_000_000_000, None)):
        response = move(client, alice, a, after_id=after_id, **({"status": status} if status else {}))
        assert response.status_code == 422, (after_id, status)
        assert [e["field"] for e in response.get_json()["errors"]] == ["after_id"]
    assert columns(client, alice) == {"pending": [a], "in progress": [], "completed": [b]}
    assert move(client, alice, 2_000_000_000, after_id=None).status_code == 404


@pytest.mark.parametrize("field, value", [("position", 5), ("id", 3), ("version", 9)])
def test_position_is_read_only(client, alice, field, value):
    task = add(client, alice)
    assert client.post(TASKS, json={"title": "x", field: value}, headers=alice).status_code == 422
    patched = client.patch(f"{TASKS}/{task['id']}", json={field: value}, headers=alice)
    assert patched.status_code == 422 and patched.get_json()["errors"][0]["field"] == field


def test_repeated_moves_to_the_top_never_run_out(client, alice):
    ids = [add(client, alice)["id"] for _ in range(5)]
    for _ in range(300):
        last = ids.pop()
        assert move(client, alice, last, after_id=None).status_code == 200
        ids.insert(0, last)
    assert columns(client, alice)["pending"] == ids


def test_repeated_moves_into_one_gap_renumber_and_keep_the_order(client, alice):
    """Each move halves a gap near the top; past GAP_BITS halvings the column is renumbered, and
    the order stays exact (checked after every move)."""
    ids = [add(client, alice)["id"] for _ in range(7)]
    for n in range(3 * positions.GAP_BITS):
        task_id = ids.pop(len(ids) - 1 - n % 3)  # one of the last three, in turn
        assert move(client, alice, task_id, after_id=ids[0]).status_code == 200
        ids.insert(1, task_id)
        assert columns(client, alice)["pending"] == ids
    versions = {t["id"]: t["version"] for t in board(client, alice)}
    assert sum(versions.values()) == 7 + 3 * positions.GAP_BITS  # renumbering changed no version


# --- the property: any sequence of writes leaves the columns exactly as a list model says ---------

statuses = st.sampled_from(STATUSES)
moves = st.tuples(st.just("move"), st.integers(0, 50), st.none() | statuses, st.none() | st.integers(0, 3))
operations = st.lists(
    st.one_of(
        moves,  # moves most of all, often near the top, where gaps are used up
        moves,
        moves,
        st.tuples(st.just("create"), statuses),
        st.tuples(st.just("status"), st.integers(0, 50), statuses),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=5,
    max_size=30,
)


def _apply(client, who, tasks, model: dict[str, list[int]], versions: dict[int, int], operation) -> None:
    """Do ``operation`` through the API and to the model."""
    kind, *args = operation
    everyone = [task_id for status in STATUSES for task_id in model[status]]
    if kind == "create":
        task = add(client, who, tasks, status=args[0])
        model[args[0]].append(task["id"])
        versions[task["id"]] = 1
        return
    if not everyone:
        return
    task_id = everyone[args[0] % len(everyone)]
    own = next(status for status in STATUSES if task_id in model[status])
    if kind == "delete":
        assert client.delete(f"{tasks}/{task_id}", headers=who).status_code == 204
        model[own].remove(task_id)
        return
    if kind == "status":
        response = client.patch(f"{tasks}/{task_id}", json={"status": args[1]}, headers=who)
        if args[1] != own:
            model[own].remove(task_id)
            model[args[1]].append(task_id)
            versions[task_id] += 1
    else:
        target = args[1] or own
        others = [other for other in model[target] if other != task_id]
        after = None if args[2] is None or not others else others[args[2] % len(others)]
        body = {"after_id": after, **({"status": args[1]} if args[1] else {})}
        response = move(client, who, task_id, tasks, **body)
        before = [list(model[status]) for status in STATUSES]
        model[own].remove(task_id)
        model[target].insert(0 if after is None else model[target].index(after) + 1, task_id)
        versions[task_id] += before != [model[status] for status in STATUSES]
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == versions[task_id]


@pytest.mark.parametrize("gap, limit", [(positions.GAP, positions.LIMIT), (2, 24)], ids=["real", "cramped"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(statuses, min_size=2, max_size=8), operations=operations)
def test_any_sequence_of_writes_keeps_one_exact_order(client, people, monkeypatch, gap, limit, first, operations):
    # Cramped: a gap of 2 in a range of +-24 is used up after one move into it, and at either
    # end of a column after a few: renumbering comes often.
    monkeypatch.setattr(positions, "GAP", gap)
    monkeypatch.setattr(positions, "LIMIT", limit)
    room = next(_rooms)
    who = people(1, {room: "owner"})
    tasks = f"/api/v1/rooms/{room}/tasks"
    model: dict[str, list[int]] = {status: [] for status in STATUSES}
    versions: dict[int, int] = {}
    for operation in [("create", status) for status in first] + operations:
        if operation[0] == "create" and sum(map(len, model.values())) >= 10:  # cramped holds 12 a column
            continue
        _apply(client, who, tasks, model, versions, operation)
        assert columns(client, who, tasks) == model, operation
    assert {t["id"]: t["version"] for t in board(client, who, tasks)} == {
        task_id: versions[task_id] for status in STATUSES for task_id in model[status]
    }
