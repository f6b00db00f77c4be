"""docs/api.md, the caller's tasks: GET /api/v1/users/me/tasks gathers the tasks assigned to the
caller in every room they belong to now (never one they have left), by due time or creation,
pages exactly, filters by status and due time. Both stack configurations run it: embedded
(in-process cache) and PostgreSQL with Redis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract.helpers import assert_task, join, make_room, make_task, ok, problem, sign_up

MINE = "/api/v1/users/me/tasks"
# Due times the world's tasks get in turn (None: no due time); repeats make ties broken by id.
DUES = [None, "2026-12-05T18:00:00+02:00", "2026-12-01T09:00:00Z", None, "2026-12-05T16:00:00Z", "2030-01-01T00:00:00Z"]


def due_order(tasks: list[dict]) -> list[dict]:
    """``tasks`` as sort=due gives them: due_at ascending, none last, then id."""
    return sorted(tasks, key=lambda t: (t["due_at"] is None, t["due_at"] or "", t["id"]))


def all_mine(client, **params) -> list[dict]:
    """Every task of the caller's list, following next_cursor."""
    items, cursor = [], None
    for _ in range(1000):
        page = ok(client.get(MINE, params={**params, **({"cursor": cursor} if cursor else {})}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("next_cursor never became null")


@pytest.fixture(scope="module")
def world(stack):
    """A person with tasks in two rooms (some assigned to others, some completed), and a room
    they left; the ids of the tasks their list must give."""
    me, other = sign_up(stack.url), sign_up(stack.url)
    mine_room, their_room, left_room = make_room(me), make_room(other), make_room(other)
    join(me, their_room)
    join(me, left_room)
    expected = []
    for number in range(7):
        status = "completed" if number % 3 == 0 else "pending"
        expected.append(make_task(me, mine_room["id"], status=status, due_at=DUES[number % len(DUES)]))
        expected.append(make_task(other, their_room["id"], user_id=me.user["id"], due_at=DUES[(number + 2) % 6]))
        make_task(other, their_room["id"])  # assigned to the other person
        make_task(me, left_room["id"])
    ok(me.delete(f"/api/v1/rooms/{left_room['id']}/members/{me.user['id']}"), 204)
    return me, sorted(expected, key=lambda task: task["id"])


def test_the_callers_tasks_in_their_rooms_only(world):
    me, expected = world
    tasks = all_mine(me)
    for task in tasks:
        assert_task(task)
    assert tasks == due_order(expected)
    assert all_mine(me, sort="created") == expected
    completed = [task for task in expected if task["status"] == "completed"]
    assert all_mine(me, status="completed", sort="created") == completed


def test_due_filters(world):
    me, expected = world
    due = [t for t in expected if t["due_at"] is not None]
    after = [t for t in due if t["due_at"] >= "2026-12-05T16:00:00Z"]
    assert all_mine(me, due_after="2026-12-05T18:00:00+02:00") == due_order(after)
    before = [t for t in due if t["due_at"] < "2026-12-05T16:00:00Z"]
    assert all_mine(me, due_before="2026-12-05T16:00:00Z", sort="created") == before
    assert all_mine(me, due_after="2026-12-05T16:00:00Z", due_before="2026-12-05T16:00:00Z") == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(min_value=1, max_value=16),
    status=st.sampled_from([None, "pending", "completed"]),
    sort=st.sampled_from([None, "due", "created"]),
)
def test_following_next_cursor_yields_each_task_once(world, limit, status, sort):
    me, expected = world
    params = {"limit": limit, **({"status": status} if status else {}), **({"sort": sort} if sort else {})}
    ids = [task["id"] for task in all_mine(me, **params)]
    assert len(ids) == len(set(ids))
    ordered = expected if sort == "created" else due_order(expected)
    assert ids == [task["id"] for task in ordered if status in (None, task["status"])]


def test_a_room_left_is_gone_from_the_very_next_request(stack):
    me, owner = sign_up(stack.url), sign_up(stack.url)
    room = make_room(owner)
    join(me, room)
    task = make_task(owner, room["id"], user_id=me.user["id"])
    for _ in range(2):  # the second read is answered from the cache, at the gateway
        assert [t["id"] for t in all_mine(me)] == [task["id"]]
    ok(me.get(f"/api/v1/rooms/{room['id']}/tasks"))  # the board read fills every cache there is
    ok(me.delete(f"/api/v1/rooms/{room['id']}/members/{me.user['id']}"), 204)
    assert all_mine(me) == []
    join(me, room)
    assert [t["id"] for t in all_mine(me)] == [task["id"]]
    ok(owner.delete(f"/api/v1/rooms/{room['id']}/members/{me.user['id']}"), 204)  # removed by the owner
    assert all_mine(me) == []


def _mine(client, tag=None, **params):
    answer = client.get(MINE, params=params, headers={"If-None-Match": tag} if tag else {})
    assert answer.status_code in (200, 304), answer.text
    return answer


def test_an_unchanged_list_is_304_and_any_change_in_any_room_renews_it(stack):
    me, owner = sign_up(stack.url), sign_up(stack.url)
    rooms = [make_room(owner), make_room(owner)]
    for room in rooms:
        join(me, room)
    task = make_task(owner, rooms[0]["id"], user_id=me.user["id"])
    first = _mine(me)
    tag = first.headers["ETag"]
    for _ in range(2):  # from the tasks service, then from the gateway's cache
        unchanged = _mine(me, tag)
        assert unchanged.status_code == 304 and unchanged.headers["ETag"] == tag
        assert _mine(me).content == first.content
    assert _mine(me, sort="created").headers["ETag"] != tag  # each query its own
    make_task(owner, rooms[1]["id"])  # not mine, but the other room changed: the tag goes
    renewed = _mine(me, tag)
    assert renewed.status_code == 200 and renewed.headers["ETag"] != tag
    assert [t["id"] for t in renewed.json()["items"]] == [task["id"]]
    tag = renewed.headers["ETag"]
    ok(me.patch(f"/api/v1/rooms/{rooms[0]['id']}/tasks/{task['id']}", json={"title": "renamed"}))
    changed = _mine(me, tag)
    assert changed.status_code == 200 and [t["title"] for t in changed.json()["items"]] == ["renamed"]
    tag = changed.headers["ETag"]
    join(me, make_room(owner))  # a room more: the list's rooms changed
    assert _mine(me, tag).status_code == 200
    stranger = sign_up(stack.url)  # another person's tag is not theirs
    assert _mine(stranger, tag).status_code == 200


def test_a_deleted_room_is_gone(stack):
    me, owner = sign_up(stack.url), sign_up(stack.url)
    room = make_room(owner)
    join(me, room)
    make_task(owner, room["id"], user_id=me.user["id"])
    assert len(all_mine(me)) == len(all_mine(me)) == 1  # the second from the gateway's cache
    ok(owner.delete(f"/api/v1/rooms/{room['id']}"), 204)
    assert all_mine(me) == []


def test_someone_with_no_rooms_has_no_tasks(new_client):
    assert ok(new_client().get(MINE)) == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"status": "done"}, "status"),
        ({"sort": "title"}, "sort"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"due_before": "tomorrow"}, "due_before"),
        ({"due_after": "1999-12-31T23:59:59Z"}, "due_after"),
    ],
)
def test_bad_parameters_are_422(new_client, params, field):
    problem(new_client().get(MINE, params=params), 422, field)


def test_without_a_token_is_401(anonymous):
    problem(anonymous.get(MINE), 401)
