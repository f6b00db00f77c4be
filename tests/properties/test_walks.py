"""Walks through pages while keys change (tasks.walks): pages of board order and of due order
read with random writes between them (moves, status and due changes, new and deleted tasks,
renumberings, edits that change no key). Whatever happens, no task is given twice; every task
whose key did not change during the walk is given exactly once, in its order; and only when the
task a cursor names was moved or deleted and the board renumbered twice since its page may a
board walk end early (walks.py says why).

On SQLite, through the tasks service's routes in-process; tests/contract/test_walks.py runs an
interleaving on PostgreSQL through the whole stack. Positions are cramped (a gap of 2 in +-24)
so that moves renumber the board often."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tasksync_common.assigned_access import rooms_key
from tasksync_common.board_access import member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks import create_app
from tasksync_tasks.extensions import db
from tasksync_tasks.people import username_key
from tasksync_tasks.tasks import positions, revisions
from tasksync_tasks.tasks.models import STATUSES, RoomRevision
from tools.service_testing import service_app, serving, signer, token_for

MAX_TASKS = 10  # cramped: a renumbered room of 11 tasks ends at 22, within 24
DUES = [None, "2026-12-03T09:00:00Z", "2026-12-04T09:00:00Z", "2026-12-04T09:00:00Z", "2026-12-09T17:30:00Z"]
_ids = itertools.count(500)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The tasks service on SQLite, with the real rooms service alive next to it (my tasks ask
    whether it is up)."""
    from tasksync_rooms import create_app as create_rooms_app

    with (
        service_app(create_rooms_app, "sqlite", tmp_path_factory.mktemp("rooms"), "rooms") as rooms,
        serving(rooms) as rooms_url,
        service_app(
            create_app,
            "sqlite",
            tmp_path_factory.mktemp("tasks"),
            "tasks",
            {"ROOMS_URL": rooms_url},
            key_lookup=signer().public_keys.get,
        ) as built,
        built.app_context(),
    ):
        yield built


@pytest.fixture
def cramped(monkeypatch):
    monkeypatch.setattr(positions, "GAP", 2)
    monkeypatch.setattr(positions, "LIMIT", 24)


@dataclass
class World:
    """One person's two fresh rooms, and what a walk must give."""

    client: object
    who: dict
    rooms: tuple[int, int]
    # Tasks moved (or whose due time changed) or deleted since the walk began, and tasks new since
    # then: each given at most once.
    changed: set[int] = field(default_factory=set)
    created: set[int] = field(default_factory=set)
    tasks: dict[int, dict] = field(default_factory=dict)  # as last read (positions may be older)

    def tasks_url(self, room: int) -> str:
        return f"/api/v1/rooms/{room}/tasks"

    def add(self, room: int, status: str, due: str | None) -> dict:
        body = {"title": "t", "status": status, "due_at": due}
        response = self.client.post(self.tasks_url(room), json=body, headers=self.who)
        assert response.status_code == 201, response.get_json()
        self.tasks[response.get_json()["id"]] = response.get_json()
        return response.get_json()

    def refresh(self) -> None:
        """Read every task again: a move or a new task may have renumbered its room."""
        self.tasks = {}
        for room in self.rooms:
            page = self.client.get(f"{self.tasks_url(room)}?limit=200", headers=self.who).get_json()
            self.tasks |= {task["id"]: task for task in page["items"]}

    def renumberings(self, room: int) -> int:
        found = db.session.execute(select(RoomRevision.renumberings).where(RoomRevision.room_id == room)).scalar()
        db.session.commit()
        return found or 0

    def renumber(self, room: int) -> None:
        """What a move does when its gap is used up: the room renumbered, under its lock."""
        revisions.begin_change(room)
        positions._renumber(room)
        db.session.commit()


def _world(client, first: list[tuple[int, str, str | None]]) -> World:
    """A fresh person in two fresh rooms, with the tasks ``first`` (room index, status, due time)."""
    user_id = next(_ids)
    rooms = (next(_ids), next(_ids))
    token, claims = token_for(user_id)
    cache.set(token_key(claims["jti"]), ACTIVE)
    cache.set(username_key(user_id), f"user{user_id}")  # as the rooms service publishes them
    for room in rooms:
        cache.set(member_key(room, user_id), "owner")
    cache.set(rooms_key(user_id), sorted(rooms))
    world = World(client, {"Authorization": f"Bearer {token}"}, rooms)
    for room, status, due in first:
        world.add(rooms[room], status, due)
    world.refresh()  # a new task may have renumbered its room
    return world


# Which task a write changes: one the walk has given already (True), or any, by index.
picks = st.tuples(st.booleans(), st.integers(0, 40))
# Where a move puts it: first (None), after one of the column's others by index, or last (-1).
places = st.none() | st.just(-1) | st.integers(0, 9)
writes = st.one_of(
    st.tuples(st.just("move"), picks, st.none() | st.sampled_from(STATUSES), places),
    st.tuples(st.just("move"), picks, st.none(), places),
    st.tuples(st.just("status"), picks, st.sampled_from(STATUSES)),
    st.tuples(st.just("due"), picks, st.sampled_from(DUES)),
    st.tuples(st.just("create"), st.integers(0, 1), st.sampled_from(STATUSES), st.sampled_from(DUES)),
    st.tuples(st.just("delete"), picks),
    st.tuples(st.just("renumber"), st.integers(0, 1)),
    st.tuples(st.just("renumber"), st.just(0)),  # the walked board's, above all
    st.tuples(st.just("retitle"), picks),
)


def _write(world: World, operation: tuple, given: list[int]) -> None:
    """Do ``operation`` through the API (a renumbering as a move does it), and note which tasks'
    keys it changed."""
    kind, *args = operation
    client, who = world.client, world.who
    if kind == "create":
        if len(world.tasks) < MAX_TASKS:
            world.created.add(world.add(world.rooms[args[0]], args[1], args[2])["id"])
        return
    if kind == "renumber":
        world.renumber(world.rooms[args[0]])
        return
    if not world.tasks:
        return
    among_given, index = args[0]
    candidates = [task_id for task_id in given if task_id in world.tasks] if among_given else []
    candidates = candidates or sorted(world.tasks)
    task = world.tasks[candidates[index % len(candidates)]]
    url = f"{world.tasks_url(task['room_id'])}/{task['id']}"
    if kind == "delete":
        assert client.delete(url, headers=who).status_code == 204
        del world.tasks[task["id"]]
        world.changed.add(task["id"])
        return
    if kind == "move":
        status = args[1] or task["status"]
        column = [t for t in world.tasks.values() if t["room_id"] == task["room_id"] and t["status"] == status]
        others = sorted((t for t in column if t["id"] != task["id"]), key=lambda t: (t["position"], t["id"]))
        after = None if args[2] is None or not others else others[args[2] % len(others)]["id"]
        response = client.post(
            f"{url}/move", json={"after_id": after, **({"status": args[1]} if args[1] else {})}, headers=who
        )
    elif kind == "status":
        response = client.patch(url, json={"status": args[1]}, headers=who)
    elif kind == "due":
        response = client.patch(url, json={"due_at": args[1]}, headers=who)
    else:
        response = client.patch(url, json={"title": f"t{task['version']}"}, headers=who)
    assert response.status_code == 200, response.get_json()
    written = response.get_json()
    if kind in ("move", "status") and written["version"] != task["version"]:
        world.changed.add(task["id"])  # a new place (a move to where it was changes nothing)
    if kind == "due" and written["due_at"] != task["due_at"]:
        world.changed.add(task["id"])
    world.tasks[task["id"]] = written


def _order(world: World, sort: str, status: str | None) -> list[int]:
    """The walk's tasks as the order puts them now."""
    if sort == "position":
        chosen = [t for t in world.tasks.values() if t["room_id"] == world.rooms[0] and status in (None, t["status"])]
        return [t["id"] for t in sorted(chosen, key=lambda t: (t["position"], t["id"]))]
    chosen = list(world.tasks.values())
    return [t["id"] for t in sorted(chosen, key=lambda t: (t["due_at"] is None, t["due_at"] or "", t["id"]))]


pages = st.lists(st.lists(writes, max_size=4), min_size=1, max_size=12)  # the writes after each page
limits = st.integers(1, 4)


def _first(rooms: st.SearchStrategy[int]) -> st.SearchStrategy[list[tuple[int, str, str | None]]]:
    """The tasks there are before the walk: (room index, status, due time)."""
    return st.lists(st.tuples(rooms, st.sampled_from(STATUSES), st.sampled_from(DUES)), min_size=2, max_size=MAX_TASKS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.none() | st.none() | st.sampled_from(STATUSES),
    limit=limits,
    first=_first(st.sampled_from([0, 0, 0, 1])),  # mostly the walked room's
    between=pages,
)
def test_a_board_order_walk(app, cramped, status, limit, first, between):
    """A room's board (rooms[0]), whole or one column, in board order."""
    world = _world(app.test_client(), first)
    url = f"{world.tasks_url(world.rooms[0])}?sort=position" + (f"&status={status}" if status else "")
    _walk(world, url, "position", status, limit, between)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=limits, first=_first(st.integers(0, 1)), between=pages)
def test_a_due_order_walk(app, cramped, limit, first, between):
    """The person's tasks in both rooms, in due order."""
    world = _world(app.test_client(), first)
    _walk(world, "/api/v1/users/me/tasks?sort=due", "due", None, limit, between)


def _walk(world: World, url: str, sort: str, status: str | None, limit: int, between: list[list[tuple]]) -> None:
    """Follow ``url``'s cursors with the writes of ``between`` after each page; check the rule."""
    before = _order(world, sort, status)
    given: list[int] = []
    cursor, cut_short, gaps = None, False, iter(between)
    while True:
        page = world.client.get(f"{url}&limit={limit}" + (f"&cursor={cursor}" if cursor else ""), headers=world.who)
        assert page.status_code == 200, page.get_json()
        given += [task["id"] for task in page.get_json()["items"]]
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            break
        anchor, renumbered = given[-1], world.renumberings(world.rooms[0])
        for operation in next(gaps, []):
            _write(world, operation, given)
        # The one case a walk may end early: its anchor lost and two renumberings since its page.
        cut_short = (
            sort == "position" and anchor in world.changed and world.renumberings(world.rooms[0]) >= renumbered + 2
        )
        if cut_short:
            last = world.client.get(f"{url}&limit={limit}&cursor={cursor}", headers=world.who).get_json()
            assert last == {"items": [], "next_cursor": None}
            break
    assert len(given) == len(set(given)), f"given twice: {given}"
    assert set(given) <= set(before) | world.created
    unchanged = [task_id for task_id in before if task_id not in world.changed]
    given_unchanged = [task_id for task_id in given if task_id in unchanged]
    if cut_short:
        assert given_unchanged == unchanged[: len(given_unchanged)]
    else:
        assert given_unchanged == unchanged  # each exactly once, in the order
