"""docs/api.md, Paging: a walk through board order and through due order while tasks move, change
due times, come and go, and the board is renumbered between its pages; on PostgreSQL, through the
gateway. No task is given twice, every task whose key did not change is given exactly once, in
its order, and an unchanged page of a walk is still a 304. (The same rule on SQLite, in-process
and over random interleavings: tests/properties/test_walks.py.)"""

from __future__ import annotations

import random

import pytest

from tests.contract.helpers import make_room, make_task, ok, sign_up

GAP_BITS = 20  # tasks.positions: a gap of 2**20 takes 20 halvings, then the board is renumbered
DUES = [None, "2026-12-03T09:00:00Z", "2026-12-04T09:00:00Z", "2026-12-09T17:30:00Z", "2027-01-15T08:00:00Z"]
STATUSES = ("pending", "in progress", "completed")


@pytest.fixture
def on_postgres(stack):
    """The interleaving runs on PostgreSQL here (postgres_only); on SQLite in tests/properties/test_walks.py."""
    assert stack.backend == "postgres"


def _board(owner, room_id: int) -> list[dict]:
    return ok(owner.get(f"/api/v1/rooms/{room_id}/tasks", params={"sort": "position", "limit": 200}))["items"]


def _move(owner, task: dict, after_id: int | None, status: str | None = None) -> dict:
    body = {"after_id": after_id, **({"status": status} if status else {})}
    return ok(owner.post(f"/api/v1/rooms/{task['room_id']}/tasks/{task['id']}/move", json=body))


def _renumber(owner, room_id: int, changed: set[int]) -> None:
    """Use up one gap of the board: two tasks moved in turn right after a third, until the room is
    renumbered (the positions of tasks no move touched change)."""
    board = _board(owner, room_id)
    column = [task for task in board if task["status"] == "pending"]
    anchor, movers = column[0], column[-2:]
    unmoved = {task["id"]: task["position"] for task in board if task not in movers}
    for n in range(GAP_BITS + 2):
        changed.add(_move(owner, movers[n % 2], anchor["id"])["id"])
    assert any(task["position"] != unmoved[task["id"]] for task in _board(owner, room_id) if task["id"] in unmoved)


def _check(given: list[int], before: list[int], changed: set[int], created: set[int]) -> None:
    assert len(given) == len(set(given)), f"given twice: {given}"
    assert set(given) <= set(before) | created
    unchanged = [task_id for task_id in before if task_id not in changed]
    assert [task_id for task_id in given if task_id in unchanged] == unchanged  # each once, in order


@pytest.mark.postgres_only
def test_a_board_walk_while_tasks_move_and_the_board_is_renumbered(on_postgres, owner):
    rng = random.Random(20261201)
    room = make_room(owner)
    for n in range(18):
        make_task(owner, room["id"], status=STATUSES[n % 3])
    before = [task["id"] for task in _board(owner, room["id"])]
    url, changed, created, given = f"/api/v1/rooms/{room['id']}/tasks", set(), set(), []
    params: dict = {"sort": "position", "limit": 3}
    for page_number in range(40):
        answer = owner.get(url, params=params)
        page = ok(answer)
        again = owner.get(url, params=params, headers={"If-None-Match": answer.headers["ETag"]})
        assert again.status_code == 304  # a page of a walk is cached as any page is
        given += [task["id"] for task in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
        board = {task["id"]: task for task in _board(owner, room["id"])}
        if page_number == 1:
            _renumber(owner, room["id"], changed)
            continue
        # One given already goes to the very end of the board (after its last task, in that
        # task's column): past the cursor.
        end = list(board.values())[-1]
        moved = board[rng.choice([task_id for task_id in given if task_id in board and task_id != end["id"]])]
        changed.add(_move(owner, moved, end["id"], end["status"])["id"])
        waiting = [task_id for task_id in board if task_id not in given]
        if waiting:  # one not given yet moves to the top of another column
            task = board[rng.choice(waiting)]
            changed.add(_move(owner, task, None, rng.choice([s for s in STATUSES if s != task["status"]]))["id"])
        if rng.random() < 0.5:
            created.add(make_task(owner, room["id"], status=rng.choice(STATUSES))["id"])
        if rng.random() < 0.3 and waiting:
            gone = rng.choice(waiting)
            ok(owner.delete(f"{url}/{gone}"), 204)
            changed.add(gone)
    else:
        raise AssertionError("the walk never ended")
    _check(given, before, changed, created)


@pytest.mark.postgres_only
def test_a_due_walk_while_due_times_change(on_postgres, stack):
    owner = sign_up(stack.url)  # whose tasks are this test's alone
    rng = random.Random(7)
    rooms = [make_room(owner)["id"] for _ in range(2)]
    for n in range(14):
        make_task(owner, rooms[n % 2], due_at=DUES[n % len(DUES)])
    mine = ok(owner.get("/api/v1/users/me/tasks", params={"limit": 200}))["items"]
    before, by_id = [task["id"] for task in mine], {task["id"]: task for task in mine}
    changed, created, given = set(), set(), []
    params: dict = {"limit": 3}
    for _ in range(40):
        answer = owner.get("/api/v1/users/me/tasks", params=params)
        page = ok(answer)
        again = owner.get("/api/v1/users/me/tasks", params=params, headers={"If-None-Match": answer.headers["ETag"]})
        assert again.status_code == 304
        given += [task["id"] for task in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
        pushed = by_id[given[-1]]  # given already: its due time goes to the end
        ok(
            owner.patch(
                f"/api/v1/rooms/{pushed['room_id']}/tasks/{pushed['id']}", json={"due_at": "2027-06-01T00:00:00Z"}
            )
        )
        changed.add(pushed["id"])
        waiting = [task_id for task_id in by_id if task_id not in given and task_id not in changed]
        if waiting:  # one not given yet is brought forward, before the cursor
            early = by_id[rng.choice(waiting)]
            ok(
                owner.patch(
                    f"/api/v1/rooms/{early['room_id']}/tasks/{early['id']}", json={"due_at": "2026-12-01T00:00:00Z"}
                )
            )
            changed.add(early["id"])
        if rng.random() < 0.5:
            created.add(make_task(owner, rng.choice(rooms), due_at=rng.choice(DUES))["id"])
    else:
        raise AssertionError("the walk never ended")
    _check(given, before, changed, created)
