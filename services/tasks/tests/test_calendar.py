"""The calendar feed inside the tasks service: read without a token, it decides who is still in
a room by the room ids the rooms service published (while the shared cache holds them), else by
the membership entries the rooms service delivered into each room's history."""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
import pytest
from sqlalchemy import text

from tasksync_common.assigned_access import rooms_key
from tasksync_common.cache import cache
from tasksync_tasks import membership
from tasksync_tasks.membership import _MEMBERSHIP_ENTRIES
from tools.service_testing import backends

from .test_activity import _scans, deliver, entry

STAYING, LEAVING = 9, 10
BOB = 2


@pytest.fixture
def bob(people):
    people(1, {STAYING: "owner", LEAVING: "owner"})
    return people(BOB, {STAYING: "member", LEAVING: "member"})


def _feed_uids(client, path: str) -> set[str]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return {str(event["UID"]).split("@")[0] for event in icalendar.Calendar.from_ical(answer.data).walk("VEVENT")}


def _task(client, who, room: int) -> int:
    made = client.post(
        f"/api/v1/rooms/{room}/tasks", json={"title": "t", "due_at": "2099-01-01T10:00:00Z"}, headers=who
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def test_departures_delivered_into_the_history_take_the_room_out(client, bob):
    cache.delete(rooms_key(BOB))  # nothing published: the history decides
    stays, goes = _task(client, bob, STAYING), _task(client, bob, LEAVING)
    path = urlsplit(client.post("/api/v1/users/me/calendar", headers=bob).get_json()["url"]).path
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert deliver(client, [entry(101, "member.joined", BOB)], room=LEAVING).status_code == 204
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert (
        deliver(client, [entry(102, "member.left", BOB), entry(103, "member.joined", 3)], room=LEAVING).status_code
        == 204
    )
    assert _feed_uids(client, path) == {f"task-{stays}"}
    assert deliver(client, [entry(104, "member.joined", BOB)], room=LEAVING).status_code == 204  # back again
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert deliver(client, [entry(105, "member.removed", BOB)], room=LEAVING).status_code == 204
    assert _feed_uids(client, path) == {f"task-{stays}"}


def test_the_published_rooms_decide_while_cached(client, bob):
    stays, goes = _task(client, bob, STAYING), _task(client, bob, LEAVING)
    path = urlsplit(client.post("/api/v1/users/me/calendar", headers=bob).get_json()["url"]).path
    cache.set(rooms_key(BOB), [STAYING])  # as the rooms service publishes them at a leave
    assert _feed_uids(client, path) == {f"task-{stays}"}
    cache.set(rooms_key(BOB), [STAYING, LEAVING])
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    cache.delete(rooms_key(BOB))


@pytest.mark.parametrize("app", [backend for backend in backends() if backend == "postgres"], indirect=True)
def test_who_is_still_in_a_room_reads_only_its_membership_entries(app, db):
    """A room of 100,000 task entries and 20 membership entries: deciding a feed's rooms reads the
    membership entries through their partial index, never the room's whole history (PostgreSQL's
    plan, actually run)."""
    db.session.execute(
        text(
            "INSERT INTO activity (room_id, task_id, actor_id, actor_username, kind, data, created_at)"
            " SELECT 77, n, 1, 'user1', CASE WHEN n % 5000 = 0 THEN 'member.joined' ELSE 'task.updated' END,"
            " '{\"user_id\": 2}', now() FROM generate_series(1, 100000) AS n"
        )
    )
    db.session.execute(text("ANALYZE activity"))
    statement = _MEMBERSHIP_ENTRIES.params(rooms=[77]).compile(
        dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")).scalar()[0]["Plan"]
    scans = list(_scans(plan))
    assert scans and all(scan.get("Index Name") == "ix_activity_membership" for scan in scans), plan
    assert sum(scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0) for scan in scans) <= 40, plan
    assert membership.rooms_still_in(2, [77]) == [77]


def test_a_feed_holds_the_soonest_2000_due_from_90_days_ago(client, bob, db):
    """Bounded, so that the answer stays proportional: 2,100 due tasks (and some due too long
    ago) give the 2,000 due soonest from 90 days ago on, in due order."""
    db.session.execute(
        text(
            "INSERT INTO tasks (room_id, user_id, created_by, title, description, status, version, search_text,"
            " priority, position, due_at, created_at, updated_at) SELECT :room, :user, 1, 'bulk', NULL, 'pending', 1,"
            " 'bulk', 'none', n, CAST(:base AS timestamptz) + n * INTERVAL '1 hour', now(), now()"
            " FROM generate_series(1, 2100) AS n"
        )
        if db.engine.dialect.name == "postgresql"
        else text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100)"
            " INSERT INTO tasks (room_id, user_id, created_by, title, description, status, version, search_text,"
            " priority, position, due_at, created_at, updated_at) SELECT :room, :user, 1, 'bulk', NULL, 'pending', 1,"
            " 'bulk', 'none', i, datetime(:base, '+' || i || ' hours'), datetime('now'), datetime('now') FROM n"
        ),
        {"room": STAYING, "user": BOB, "base": "2099-01-01 00:00:00"},
    )
    old = _task(client, bob, STAYING)
    db.session.execute(text("UPDATE tasks SET due_at = :old WHERE id = :id"), {"old": "2020-01-01 00:00:00", "id": old})
    db.session.commit()
    cache.set(rooms_key(BOB), [STAYING])
    path = urlsplit(client.post("/api/v1/users/me/calendar", headers=bob).get_json()["url"]).path
    answer = client.get(path)
    assert answer.status_code == 200
    starts = [event.decoded("DTSTART") for event in icalendar.Calendar.from_ical(answer.data).walk("VEVENT")]
    assert len(starts) == 2000 and starts == sorted(starts)
    assert starts[0].year == 2099 and (starts[-1] - starts[0]).total_seconds() == 1999 * 3600
    cache.delete(rooms_key(BOB))
