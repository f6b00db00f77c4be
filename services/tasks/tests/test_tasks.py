"""Task rules, through the tasks service's own routes."""

import json

import pytest

from tasksync_common.cache import REVOKED, cache, token_key
from tasksync_tasks.tasks import cursors

ROOM = 7
TASKS = f"/api/v1/rooms/{ROOM}/tasks"


@pytest.fixture
def alice(people):
    return people(1, {ROOM: "owner"})


@pytest.fixture
def bob(people):
    return people(2, {ROOM: "member"})


def add(client, who, **fields):
    response = client.post(TASKS, json={"title": "A task", **fields}, headers=who)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_defaults_and_headers(client, alice):
    response = client.post(TASKS, json={"title": "  Write report  "}, headers=alice)
    assert response.status_code == 201
    task = response.get_json()
    assert task["title"] == "Write report"
    assert (task["status"], task["user_id"], task["created_by"], task["version"]) == ("pending", 1, 1, 1)
    assert task["description"] is None
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"{TASKS}/{task['id']}"


def test_assignee_must_be_a_member(client, alice, bob, people):
    assert add(client, alice, user_id=2)["user_id"] == 2
    people.set_role(ROOM, 3, None)
    response = client.post(TASKS, json={"title": "x", "user_id": 3}, headers=alice)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "user_id"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": 12}, "title"),
        ({"title": "ok", "description": "d" * 10_001}, "description"),
        ({"title": "ok", "status": "done"}, "status"),
        ({"title": "ok", "status": None}, "status"),
        ({"title": "ok", "user_id": "2"}, "user_id"),
        ({"title": "ok", "user_id": 2.5}, "user_id"),
        ({"title": "ok", "user_id": True}, "user_id"),
        ({"title": "ok", "user_id": 2**40}, "user_id"),
        ({"title": "nul\u0000byte"}, "title"),
        ({"title": "lone \ud800 surrogate"}, "title"),
        ({"title": "ok", "colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_named(client, alice, body, field):
    # json.dumps escapes the lone surrogate, as a JSON client would send it.
    response = client.post(TASKS, data=json.dumps(body), content_type="application/json", headers=alice)
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_description_edges(client, alice):
    assert add(client, alice, description="d" * 10_000)["description"] == "d" * 10_000
    assert add(client, alice, description="")["description"] == ""


def test_non_member_sees_no_room(client, people):
    stranger = people(9, {ROOM: None})
    assert client.get(TASKS, headers=stranger).status_code == 404
    assert client.post(TASKS, json={"title": "x"}, headers=stranger).status_code == 404


def test_revoked_token_is_refused(client, alice):
    token = alice["Authorization"].split()[1]
    import jwt

    cache.set(token_key(jwt.decode(token, options={"verify_signature": False})["jti"]), REVOKED)
    assert client.get(TASKS, headers=alice).status_code == 401


def test_filters_and_case_insensitive_search(client, alice, bob):
    add(client, alice, title="Прочитати ОПИС", status="completed")
    add(client, alice, title="Other", description="має опис тут", user_id=2)
    add(client, alice, title="Nothing")
    add(client, alice, title="100%_literal")

    def titles(query):
        response = client.get(f"{TASKS}?{query}", headers=alice)
        assert response.status_code == 200, response.get_json()
        return [t["title"] for t in response.get_json()["items"]]

    assert titles("q=опис") == ["Прочитати ОПИС", "Other"]
    assert titles("q=ОпИс&status=completed") == ["Прочитати ОПИС"]
    assert titles("user_id=2") == ["Other"]
    assert titles("q=%25_") == ["100%_literal"]
    assert titles("q=0%25") == ["100%_literal"]
    assert titles("status=in%20progress") == []


def test_pages_cover_everything_once(client, alice):
    created = [add(client, alice, title=f"t{i}")["id"] for i in range(23)]
    seen, cursor = [], None
    while True:
        query = "limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"{TASKS}?{query}", headers=alice).get_json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=x", "limit"),
        ("cursor=garbage!", "cursor"),
        ("cursor=" + cursors.encode(5)[:-2], "cursor"),
        ("status=nope", "status"),
        ("user_id=abc", "user_id"),
    ],
)
def test_bad_list_queries(client, alice, query, field):
    response = client.get(f"{TASKS}?{query}", headers=alice)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == field


def test_if_match_compare_and_set(client, alice):
    task = add(client, alice)
    path = f"{TASKS}/{task['id']}"
    moved = client.patch(path, json={"status": "in progress"}, headers={**alice, "If-Match": '"1"'})
    assert moved.status_code == 200 and moved.get_json()["version"] == 2 and moved.headers["ETag"] == '"2"'
    stale = client.patch(path, json={"title": "lost"}, headers={**alice, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert client.get(path, headers=alice).get_json()["title"] == "A task"
    assert client.patch(path, json={"title": "kept"}).status_code == 401
    unconditional = client.patch(path, json={"title": "kept"}, headers=alice)
    assert unconditional.get_json()["version"] == 3


def test_unchanged_patch_keeps_version(client, alice):
    task = add(client, alice)
    same = client.patch(f"{TASKS}/{task['id']}", json={"title": "A task"}, headers=alice)
    assert same.get_json()["version"] == 1


def test_task_of_another_room_is_not_found(client, alice, people):
    task = add(client, alice)
    people.set_role(8, 1, "owner")
    assert client.get(f"/api/v1/rooms/8/tasks/{task['id']}", headers=alice).status_code == 404
    assert client.delete(f"/api/v1/rooms/8/tasks/{task['id']}", headers=alice).status_code == 404


def test_list_etag_changes_only_with_writes(client, alice):
    first = client.get(TASKS, headers=alice)
    etag = first.headers["ETag"]
    assert client.get(TASKS, headers={**alice, "If-None-Match": etag}).status_code == 304
    add(client, alice)
    changed = client.get(TASKS, headers={**alice, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_summary_counts(client, alice):
    add(client, alice, status="completed")
    add(client, alice)
    summary = client.get(f"{TASKS}/summary", headers=alice).get_json()
    assert summary == {"total": 2, "pending": 1, "in_progress": 0, "completed": 1}


def test_room_deletion_needs_a_service_token(client, alice):
    from tasksync_common.signing import INTERNAL_AUDIENCE
    from tools.service_testing import signer

    add(client, alice)
    path = f"/internal/v1/rooms/{ROOM}/tasks"
    assert client.delete(path, headers=alice).status_code == 401
    service_token, _ = signer().issue("service:rooms", INTERNAL_AUDIENCE, 60)
    assert client.delete(path, headers={"Authorization": f"Bearer {service_token}"}).status_code == 204
    assert client.get(TASKS, headers=alice).get_json()["items"] == []
