"""Live events at their source, the tasks service: a room's entries and a person's notifications
are announced once committed (never when rolled back), each chained to the one before; the
replay routes' limits; what an entry costs the write; and, on PostgreSQL with Redis, that a
person's notification ids follow commit order however many rooms write to them at once.

The session's apps publish as the embedded setup does (datagram sockets in the data folder's
socket folder), which tools.live_listener hears as a gateway worker would."""

from __future__ import annotations

import contextlib
import json
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import event, text

from tasksync_common import activity_access, assigned_access, live
from tasksync_common.cache import cache
from tasksync_tasks import create_app
from tasksync_tasks.activity import events as room_events
from tasksync_tasks.activity import service as activity
from tasksync_tasks.replay import REPLAY_LIMIT
from tasksync_tasks.tasks import revisions
from tools.databases import missing, postgres_base_url, redis_url, temporary_redis_prefix
from tools.live_listener import listening
from tools.service_testing import backends, service_app, signer

from .conftest import People
from .test_activity import deliver, entry

ROOM = 21
TOPIC = live.room_topic(ROOM)
TASKS = f"/api/v1/rooms/{ROOM}/tasks"
EVENTS = f"/internal/v1/rooms/{ROOM}/events"


@pytest.fixture
def heard(app):
    with listening(app.config["SETTINGS"]) as listener:
        yield listener


@pytest.fixture
def alice(people):
    return people(1, {ROOM: "owner"})


@contextlib.contextmanager
def statements(db):
    """The SQL statements run on the test's connection while the block runs."""
    seen: list[str] = []
    connection = db.session.connection()

    def remember(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", remember)


def test_an_entry_is_announced_once_committed_never_when_rolled_back(client, db, alice, heard):
    revisions.begin_change(ROOM)
    activity.record(room_id=ROOM, kind="label.created", actor=SimpleNamespace(user_id=1), data={"name": "gone"})
    db.session.rollback()  # as a write that fails after its entry: no entry, no revision, no notice
    created = client.post(TASKS, json={"title": "kept"}, headers={**alice, "X-Request-ID": "kept-1"}).get_json()
    notice = heard.next(TOPIC)
    assert notice == {
        "id": notice["id"],
        "prev": 0,
        "event": "task.created",
        "data": {"room_id": ROOM, "revision": 1, "actor_id": 1, "task_id": created["id"], "request_id": "kept-1"},
    }
    assert heard.pending(TOPIC) == []
    assert cache.get(activity_access.head_key(ROOM)) == notice["id"]  # published before the notice


def test_a_delivery_announces_each_new_entry_chained_at_the_rooms_revision(client, alice, heard):
    client.post(TASKS, json={"title": "first"}, headers=alice)
    first = heard.next(TOPIC)
    sent = [{**entry(41), "request_id": "rooms-1"}, {**entry(42, "member.left"), "request_id": "rooms-2"}]
    assert deliver(client, sent, room=ROOM).status_code == 204
    joined, left = heard.take(TOPIC, 2)
    assert (joined["prev"], left["prev"]) == (first["id"], joined["id"])  # the second follows the first
    assert joined["data"] == {"room_id": ROOM, "revision": 1, "actor_id": 2, "task_id": None, "request_id": "rooms-1"}
    assert (left["event"], left["data"]["request_id"]) == ("member.left", "rooms-2")
    # A repeated delivery announces only what it adds; an entry from an older relay has no request id.
    assert deliver(client, [*sent, entry(43)], room=ROOM).status_code == 204
    again = heard.next(TOPIC)
    assert (again["prev"], again["event"], again["data"]["request_id"]) == (left["id"], "member.joined", None)
    assert heard.pending(TOPIC) == []
    assert cache.get(activity_access.head_key(ROOM)) == again["id"]
    events = client.get(f"{EVENTS}?after={first['id']}", headers=alice).get_json()["events"]
    assert events == [{key: value for key, value in n.items() if key != "prev"} for n in (joined, left, again)]


@pytest.mark.parametrize(("request_id", "status"), [("", 422), ("x" * 129, 422), (None, 204), ("x" * 128, 204)])
def test_a_delivered_request_id_is_one_or_none(client, request_id, status):
    """The relay sends null for rows written before request ids were kept."""
    assert deliver(client, [{**entry(51), "request_id": request_id}], room=ROOM).status_code == status


def test_a_replay_resets_beyond_its_limit_and_shows_old_rows_at_the_current_revision(client, db, alice):
    client.post(TASKS, json={"title": "one"}, headers=alice)
    client.post(TASKS, json={"title": "two"}, headers=alice)  # revision 2
    first = client.get(f"{EVENTS}?after=0", headers=alice).get_json()["events"][0]["id"]
    # Entries as they were before revisions and request ids were kept (NULL both).
    db.session.execute(
        text(
            "INSERT INTO activity (room_id, task_id, actor_id, actor_username, kind, data, created_at)"
            " VALUES (:room, :task, 1, 'user1', 'task.updated', '{}', '2026-12-01 10:00:00')"
        ),
        [{"room": ROOM, "task": n} for n in range(REPLAY_LIMIT - 1)],
    )
    with statements(db) as seen:
        whole = client.get(f"{EVENTS}?after={first}", headers=alice).get_json()
    assert len([statement for statement in seen if "FROM activity" in statement]) == 2  # the head, the walk
    assert len(whole["events"]) == REPLAY_LIMIT and whole["reset"] is False  # the second task's and 499 old
    assert whole["head"] == whole["events"][-1]["id"]
    assert [e["data"]["revision"] for e in whole["events"][:2]] == [2, 2]  # its own; an old row's: the current
    assert whole["events"][1]["data"] == {
        "room_id": ROOM,
        "revision": 2,
        "actor_id": 1,
        "task_id": 0,
        "request_id": None,
    }
    assert client.get(f"{EVENTS}?after={first - 1}", headers=alice).get_json() == {
        "head": whole["head"],
        "events": [],
        "reset": True,  # 501 follow
    }


def test_an_entry_costs_its_write_one_indexed_max_and_its_insert(client, db, alice):
    task = client.post(TASKS, json={"title": "cheap"}, headers=alice).get_json()
    with statements(db) as seen:
        response = client.patch(f"{TASKS}/{task['id']}", json={"title": "still cheap"}, headers=alice)
    assert response.status_code == 200
    # The write's own statements: those before its commit (here, the release of its savepoint);
    # the file cache reads the head back after it (Redis keeps the larger value by itself).
    written = seen[: next(n for n, statement in enumerate(seen) if statement.startswith("RELEASE SAVEPOINT"))]
    touching = [statement for statement in written if " activity" in statement]
    assert len(touching) == 2, touching
    assert touching[0].startswith("SELECT max(activity.id)") and touching[1].startswith("INSERT INTO activity")


def test_a_notification_is_announced_as_the_list_shows_it_with_the_persons_head(client, alice, people, heard):
    bob = people(2, {ROOM: "member"})
    for user_id in (2, 3):  # their rooms, as the rooms service publishes them
        cache.set(assigned_access.rooms_key(user_id), [ROOM])
    topic = live.user_topic(2)
    client.post(TASKS, json={"title": "for bob", "user_id": 2}, headers=alice)
    notice = heard.next(topic)
    listed = client.get("/api/v1/notifications", headers=bob).get_json()["items"]
    assert notice == {"id": listed[0]["id"], "prev": 0, "event": "notification", "data": listed[0]}
    assert cache.get(live.head_key(topic)) == notice["id"]
    mine = client.get(f"/internal/v1/users/me/events?after={notice['id'] - 1}", headers=bob).get_json()
    assert mine == {"head": notice["id"], "events": [{k: v for k, v in notice.items() if k != "prev"}], "reset": False}
    # Another's notifications are not in bob's replay, nor are they his head.
    carol = people(3, {ROOM: "member"})
    client.post(TASKS, json={"title": "for carol", "user_id": 3}, headers=alice)
    assert heard.next(live.user_topic(3))["prev"] == 0
    assert client.get("/internal/v1/users/me/events?after=0", headers=bob).get_json()["head"] == notice["id"]
    assert client.get("/internal/v1/users/me/events", headers=carol).get_json()["events"] == []


# PostgreSQL and Redis: the production configuration, where writers really run side by side.
@pytest.fixture(scope="module")
def production_app(tmp_path_factory, rooms_url):
    if not postgres_base_url() or not redis_url():
        missing("the production configuration's test needs PostgreSQL and Redis")
    with temporary_redis_prefix(redis_url()) as prefix:
        env = {"ROOMS_URL": rooms_url, "REDIS_URL": redis_url(), "TASKSYNC_CACHE_PREFIX": prefix}
        folder = tmp_path_factory.mktemp("live")
        with service_app(create_app, "postgres", folder, "live", env, key_lookup=signer().public_keys.get) as built:
            yield built


def test_a_persons_notifications_follow_commit_order_across_rooms(production_app):
    """Writers in two rooms (two room locks) assign tasks to one person at once: each notification
    is written under the person's lock, so each names as ``prev`` the one committed before it,
    and the chain of their notices has no fork and no gap."""
    app, recipient, writers, tasks_each = production_app, 3, 6, 5
    with app.app_context():
        owners = [People()(1, {61: "owner"}), People()(2, {62: "owner"})]
        People()(recipient, {61: "member", 62: "member"})
        settings = app.config["SETTINGS"]
    start = threading.Barrier(writers)
    failures: list[object] = []

    def write(turn: int) -> None:
        client, room = app.test_client(), 61 + turn % 2
        start.wait()
        for n in range(tasks_each):
            body = {"title": f"w{turn}-{n}", "user_id": recipient}
            response = client.post(f"/api/v1/rooms/{room}/tasks", json=body, headers=owners[turn % 2])
            if response.status_code != 201:
                failures.append(response.get_json())

    with listening(settings) as heard:
        threads = [threading.Thread(target=write, args=(turn,)) for turn in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        notices = sorted(heard.take(live.user_topic(recipient), writers * tasks_each), key=lambda n: n["id"])
    assert [n["prev"] for n in notices] == [0] + [n["id"] for n in notices[:-1]]
    with app.app_context():
        assert cache.get(live.head_key(live.user_topic(recipient))) == notices[-1]["id"]
    # Each room's own chain holds too (its entries, under its own lock).
    rooms: dict[int, list[int]] = {}
    for notice in notices:
        rooms.setdefault(notice["data"]["room_id"], []).append(notice["data"]["task_id"])
    assert {room: len(ids) for room, ids in rooms.items()} == {
        61: writers // 2 * tasks_each,
        62: writers // 2 * tasks_each,
    }


# PostgreSQL's plans: CI always has the server (tools.service_testing.backends).
@pytest.mark.parametrize("app", [backend for backend in backends() if backend == "postgres"], indirect=True)
def test_replay_walks_the_rooms_index(app, db):
    """A quiet room among busy ones, its stream far behind: the replay's walk reads about as
    many entries as it gives, through the (room_id, id) index, not the ids of every room written
    since (PostgreSQL's plan, actually run)."""
    db.session.execute(
        text(
            "INSERT INTO activity (room_id, task_id, actor_id, actor_username, kind, data, created_at)"
            " SELECT CASE WHEN n % 1000 = 0 THEN 71 ELSE 72 + n % 50 END, n, 1, 'user1', 'task.updated', '{}', now()"
            " FROM generate_series(1, 100000) AS n"
        )
    )
    db.session.execute(text("ANALYZE activity"))
    ids = db.session.execute(text("SELECT id FROM activity WHERE room_id = 71 ORDER BY id")).scalars().all()
    parameters = {"room": 71, "after": ids[49], "head": ids[-1], "limit": REPLAY_LIMIT + 1}
    compiled = room_events._AFTER.compile(db.engine)
    explained = db.session.connection().exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}", parameters)
    scans = [node for node in _nodes(explained.scalar()[0]["Plan"]) if "Relation Name" in node]
    assert scans and all(scan["Node Type"] != "Seq Scan" for scan in scans), json.dumps(scans)
    assert sum(scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0) for scan in scans) <= 100, json.dumps(scans)


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
