"""Board reads the gateway answers from the shared cache: the same answers, the same rules.

After a first read, the gateway can serve a room's task list (200 or 304) without asking the
tasks service; these tests pin down that nothing about the answer changes when it does.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.conftest import Client, running_stack


def tasks_of(person: Client, room_id: int, **headers):
    return person.get(f"/api/v1/rooms/{room_id}/tasks", headers=headers)


@pytest.fixture
def room(new_client):
    owner = new_client()
    created = owner.post("/api/v1/rooms", json={"name": "Edge"}).json()
    for title in ("first", "second"):
        assert owner.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": title}).status_code == 201
    return owner, created


def test_repeated_reads_are_identical_and_unchanged_boards_are_304(room):
    owner, created = room
    first = tasks_of(owner, created["id"])
    again = tasks_of(owner, created["id"])
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == "application/json"
    unchanged = tasks_of(owner, created["id"], **{"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize("query", [{"status": "bogus"}, {"limit": 11544}, {"cursor": "\x01"}])
def test_any_tag_never_skips_the_query_check(room, query):
    owner, created = room
    path = f"/api/v1/rooms/{created['id']}/tasks"
    tasks_of(owner, created["id"])
    tasks_of(owner, created["id"])  # now cached at the gateway
    refused = owner.get(path, params=query, headers={"If-None-Match": "*"})
    assert refused.status_code == 422, refused.text  # a 304 would say a refused query is current
    assert owner.get(path, headers={"If-None-Match": "*"}).status_code == 304


def test_a_write_changes_the_tag_and_the_page(room):
    owner, created = room
    before = tasks_of(owner, created["id"])
    tasks_of(owner, created["id"])  # now cached
    owner.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "third"})
    after = tasks_of(owner, created["id"], **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert [task["title"] for task in after.json()["items"]] == ["first", "second", "third"]


def test_each_filter_and_page_is_its_own(room):
    owner, created = room
    path = f"/api/v1/rooms/{created['id']}/tasks"
    for _ in range(2):  # the second round is served from the cache
        whole = owner.get(path).json()["items"]
        first_page = owner.get(path, params={"limit": 1}).json()
        found = owner.get(path, params={"q": "SECOND"}).json()["items"]
        assert [task["title"] for task in whole] == ["first", "second"]
        assert [task["title"] for task in first_page["items"]] == ["first"] and first_page["next_cursor"]
        assert [task["title"] for task in found] == ["second"]
    assert owner.get(path, params={"limit": 0}).status_code == 422  # still validated


def test_a_removed_member_is_refused_at_once(room, new_client):
    owner, created = room
    member = new_client()
    assert member.post("/api/v1/rooms/join", json={"code": created["code"]}).status_code == 200
    tag = tasks_of(member, created["id"]).headers["ETag"]
    assert tasks_of(member, created["id"]).status_code == 200  # cached for the member now
    assert owner.delete(f"/api/v1/rooms/{created['id']}/members/{member.user['id']}").status_code == 204
    assert tasks_of(member, created["id"]).status_code == 404
    assert tasks_of(member, created["id"], **{"If-None-Match": tag}).status_code == 404


def test_a_logged_out_token_is_refused_at_once(room):
    owner, created = room
    tag = tasks_of(owner, created["id"]).headers["ETag"]
    assert tasks_of(owner, created["id"], **{"If-None-Match": tag}).status_code == 304
    assert owner.post("/api/v1/auth/logout").status_code == 204
    refused = tasks_of(owner, created["id"], **{"If-None-Match": tag})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert tasks_of(owner, created["id"]).status_code == 401


def test_a_non_member_learns_nothing_from_the_cache(room, new_client):
    owner, created = room
    tag = tasks_of(owner, created["id"]).headers["ETag"]
    tasks_of(owner, created["id"])
    stranger = new_client()
    assert tasks_of(stranger, created["id"]).status_code == 404
    assert tasks_of(stranger, created["id"], **{"If-None-Match": tag}).status_code == 404


@pytest.fixture(scope="module")
def sqlite_stack(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite", {"TASKSYNC_SERVICE_TIMEOUT": "2"}) as started:
        yield started


def test_the_gateway_answers_a_cached_board_without_the_tasks_service(sqlite_stack):
    person = Client(sqlite_stack.url).sign_up()
    created = person.post("/api/v1/rooms", json={"name": "Paused"}).json()
    person.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "kept"})
    served = tasks_of(person, created["id"])
    tasks_of(person, created["id"])
    process = sqlite_stack.processes["tasks"]
    os.killpg(process.pid, signal.SIGSTOP)  # alive but answering nothing
    try:
        started = time.monotonic()
        cached = tasks_of(person, created["id"])
        unchanged = tasks_of(person, created["id"], **{"If-None-Match": served.headers["ETag"]})
        assert cached.status_code == 200 and cached.content == served.content
        assert unchanged.status_code == 304
        # A liveness probe of the paused service may wait out its timeout once, never more.
        assert time.monotonic() - started < 4
        assert person.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "no"}).status_code == 504
    finally:
        os.killpg(process.pid, signal.SIGCONT)


def test_the_gateway_answers_my_tasks_from_the_cache_and_follows_a_leave(sqlite_stack):
    """The caller's tasks across rooms, once built, come from the gateway alone; leaving a room
    (which the rooms service publishes before it answers) is seen by the very next read."""
    person, owner = Client(sqlite_stack.url).sign_up(), Client(sqlite_stack.url).sign_up()
    created = owner.post("/api/v1/rooms", json={"name": "Mine"}).json()
    person.post("/api/v1/rooms/join", json={"code": created["code"]})
    owner.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "yours", "user_id": person.user["id"]})
    served = person.get("/api/v1/users/me/tasks")
    assert [task["title"] for task in served.json()["items"]] == ["yours"]
    process = sqlite_stack.processes["tasks"]
    os.killpg(process.pid, signal.SIGSTOP)  # only the gateway can answer now
    try:
        cached = person.get("/api/v1/users/me/tasks")
        unchanged = person.get("/api/v1/users/me/tasks", headers={"If-None-Match": served.headers["ETag"]})
        assert person.delete(f"/api/v1/rooms/{created['id']}/members/{person.user['id']}").status_code == 204
        after_leaving = person.get("/api/v1/users/me/tasks")  # a new list: the tasks service must build it
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    assert cached.status_code == 200 and cached.content == served.content
    assert unchanged.status_code == 304
    assert after_leaving.status_code == 504
    assert person.get("/api/v1/users/me/tasks").json()["items"] == []


def test_the_gateway_answers_a_cached_history_without_the_tasks_service(sqlite_stack):
    person = Client(sqlite_stack.url).sign_up()
    created = person.post("/api/v1/rooms", json={"name": "Remembered"}).json()
    person.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "recorded"})
    path = f"/api/v1/rooms/{created['id']}/activity"
    served = person.get(path)
    assert [entry["kind"] for entry in served.json()["items"]] == ["task.created"]
    process = sqlite_stack.processes["tasks"]
    os.killpg(process.pid, signal.SIGSTOP)  # only the gateway can answer now
    try:
        cached = person.get(path)
        unchanged = person.get(path, headers={"If-None-Match": served.headers["ETag"]})
        other_page = person.get(path, params={"limit": 1})  # never built: the tasks service must
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    assert cached.status_code == 200 and cached.content == served.content
    assert unchanged.status_code == 304
    assert other_page.status_code == 504


def test_the_gateway_s_cached_answers_are_private_and_revalidated(sqlite_stack):
    """The cached page and 304 carry the tasks service's Cache-Control; an outage's 504 is not stored."""
    person = Client(sqlite_stack.url).sign_up()
    created = person.post("/api/v1/rooms", json={"name": "Private"}).json()
    served = tasks_of(person, created["id"])
    tasks_of(person, created["id"])
    process = sqlite_stack.processes["tasks"]
    os.killpg(process.pid, signal.SIGSTOP)  # only the gateway can answer now
    try:
        cached = tasks_of(person, created["id"])
        unchanged = tasks_of(person, created["id"], **{"If-None-Match": served.headers["ETag"]})
        timed_out = person.post(f"/api/v1/rooms/{created['id']}/tasks", json={"title": "no"})
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    assert cached.status_code == 200 and unchanged.status_code == 304 and timed_out.status_code == 504
    for answer in (served, cached, unchanged):
        assert answer.headers.get("Cache-Control") == "private, no-cache", answer.headers
    assert timed_out.headers.get("Cache-Control") == "no-store", timed_out.headers
