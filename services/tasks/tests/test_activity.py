"""The history's rules inside the tasks service: entries the rooms service delivers are written
once each and in order, never for a deleted room, only with a service token; deleting a room
deletes its history; a page of a long history is an index walk (PostgreSQL's plan)."""

import pytest
from sqlalchemy import text

from tasksync_common.signing import INTERNAL_AUDIENCE
from tasksync_tasks.activity import service
from tasksync_tasks.tasks import cursors
from tools.service_testing import backends, signer

ROOM = 9


def service_headers() -> dict:
    token, _ = signer().issue("service:rooms", INTERNAL_AUDIENCE, 60)
    return {"Authorization": f"Bearer {token}"}


def entry(outbox_id: int, kind: str = "member.joined", user_id: int = 2) -> dict:
    return {
        "outbox_id": outbox_id,
        "kind": kind,
        "actor_id": user_id,
        "actor_username": f"user{user_id}",
        "data": {"user_id": user_id, "username": f"user{user_id}"},
        "created_at": "2026-12-01T15:00:00",
    }


def deliver(client, entries, room=ROOM, headers=None):
    return client.post(
        f"/internal/v1/rooms/{room}/activity", json={"entries": entries}, headers=headers or service_headers()
    )


def history(client, who, room=ROOM) -> list[dict]:
    response = client.get(f"/api/v1/rooms/{room}/activity?limit=200", headers=who)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


@pytest.fixture
def alice(people):
    return people(1, {ROOM: "owner"})


def test_deliveries_are_written_once_in_order(client, alice):
    assert deliver(client, [entry(11), entry(12, "member.left")]).status_code == 204
    assert deliver(client, [entry(11), entry(12, "member.left"), entry(13)]).status_code == 204  # repeated
    assert deliver(client, [entry(12, "member.left")]).status_code == 204
    entries = history(client, alice)
    assert [e["kind"] for e in entries] == ["member.joined", "member.left", "member.joined"]
    assert entries[0]["id"] > entries[1]["id"] > entries[2]["id"]
    assert entries[-1] | {"id": 0} == {
        "id": 0,
        "room_id": ROOM,
        "task_id": None,
        "actor_id": 2,
        "actor_username": "user2",
        "kind": "member.joined",
        "data": {"user_id": 2, "username": "user2"},
        "created_at": "2026-12-01T15:00:00Z",
    }
    # The task list's revision did not move: membership is not part of it.
    assert client.get(f"/api/v1/rooms/{ROOM}/tasks", headers=alice).headers["ETag"].startswith('"r0-')


@pytest.mark.parametrize(
    "body",
    [
        {"entries": []},
        {"entries": [entry(1, "task.created")]},  # not a kind the rooms service writes
        {"entries": [{**entry(1), "outbox_id": 0}]},
        {"entries": [{**entry(1), "actor_username": ""}]},
        {"entries": [{k: v for k, v in entry(1).items() if k != "data"}]},
        {},
    ],
)
def test_malformed_deliveries_are_422(client, body):
    response = client.post(f"/internal/v1/rooms/{ROOM}/activity", json=body, headers=service_headers())
    assert response.status_code == 422


def test_only_a_service_token_delivers(client, alice):
    assert deliver(client, [entry(21)], headers=alice).status_code == 401
    assert deliver(client, [entry(21)], headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert history(client, alice) == []


def test_deleting_a_room_deletes_its_history_and_closes_it(client, alice, people, db):
    other = 10
    people.set_role(other, 1, "owner")
    client.post(f"/api/v1/rooms/{ROOM}/tasks", json={"title": "gone soon"}, headers=alice)
    client.post(f"/api/v1/rooms/{other}/tasks", json={"title": "stays"}, headers=alice)
    assert deliver(client, [entry(31)]).status_code == 204
    assert client.delete(f"/internal/v1/rooms/{ROOM}/tasks", headers=service_headers()).status_code == 204
    count = text("SELECT count(*) FROM activity WHERE room_id = :room")
    assert db.session.execute(count, {"room": ROOM}).scalar() == 0
    assert deliver(client, [entry(32)]).status_code == 204  # late: taken, and dropped
    assert db.session.execute(count, {"room": ROOM}).scalar() == 0
    assert [e["data"]["title"] for e in history(client, alice, other)] == ["stays"]


# PostgreSQL's plans: CI always has the server (tools.service_testing.backends).
@pytest.mark.parametrize("app", [backend for backend in backends() if backend == "postgres"], indirect=True)
def test_a_long_history_pages_by_walking_the_index(app, db):
    """100,000 entries in one room, 100 in another, 100,000 in a thousand more: each page reads
    about as many entries as it shows, through an index, never scanning the table (PostgreSQL's
    plans, actually run)."""
    db.session.execute(
        text(
            "INSERT INTO activity (room_id, task_id, actor_id, actor_username, kind, data, created_at)"
            " SELECT CASE WHEN n <= 100 THEN 41 WHEN n % 2 = 0 THEN 42 ELSE 43 + n % 1000 END,"
            " CASE WHEN n <= 100 THEN n % 10 WHEN n % 2 = 0 THEN 1000 + n % 100 ELSE 2000000 + n END,"  # tasks
            " 1, 'user1', 'task.updated', '{\"title\": \"t\"}', now() FROM generate_series(1, 200100) AS n"
        )
    )
    db.session.execute(text("ANALYZE activity"))
    cases = [(41, None, {}), (42, None, {}), (42, None, {"cursor": cursors.encode(50_000, cursors.ACTIVITY_PREFIX)})]
    cases += [(42, None, {"kind": ["task.updated"]}), (42, 1008, {}), (41, 7, {})]
    for room, task_id, query in cases:
        statement = service.page_statement(room, task_id, query).limit(51)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}")).scalar()[0]["Plan"]
        scans = list(_scans(plan))
        # No scan of the table; what the indexes give up is about one page, whatever the table's size.
        assert scans and all(scan["Node Type"] != "Seq Scan" for scan in scans), (room, task_id, query, plan)
        read = sum(scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0) for scan in scans)
        assert read <= 300, (room, task_id, query, plan)


def _scans(node: dict):
    """The nodes of an EXPLAIN plan that read a relation."""
    if "Relation Name" in node:
        yield node
    for child in node.get("Plans", []):
        yield from _scans(child)
