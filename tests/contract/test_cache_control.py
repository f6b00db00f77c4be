"""Private answers (RFC 9111): no API answer may rest in a shared cache, the login answer and its
token in no cache at all, and the task list stays revalidated with If-None-Match (304)."""

from __future__ import annotations

import pytest

from tests.contract.helpers import etag, join, make_room, make_task, ok, unique


def directives(response) -> set[str]:
    value = response.headers.get("Cache-Control", "")
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def is_private(response) -> bool:
    """Kept by no shared cache: ``private`` or ``no-store`` (and never ``public``)."""
    found = directives(response)
    return bool(found & {"private", "no-store"}) and "public" not in found


def is_not_stored(response) -> bool:
    return "no-store" in directives(response)


def is_revalidated(response) -> bool:
    """The caller's cache may keep it, but must ask (If-None-Match) before each reuse."""
    found = directives(response)
    return {"private", "no-cache"} <= found and "no-store" not in found and "public" not in found


def test_sign_up_and_login_answers_are_never_stored(anonymous):
    username = unique()
    registered = anonymous.post("/api/v1/auth/register", json={"username": username, "password": "long enough"})
    assert registered.status_code == 201 and is_not_stored(registered), registered.headers
    login = anonymous.post("/api/v1/auth/login", json={"username": username, "password": "long enough"})
    assert "access_token" in ok(login) and is_not_stored(login), login.headers
    wrong = anonymous.post("/api/v1/auth/login", json={"username": username, "password": "wrong password"})
    assert wrong.status_code == 401 and is_not_stored(wrong), wrong.headers


@pytest.fixture
def board(owner, member):
    room = make_room(owner)
    join(member, room)
    return room, make_task(owner, room["id"])


def test_every_authenticated_read_is_private(owner, member, board):
    room, task = board
    for path in (
        "/api/v1/users/me",
        "/api/v1/rooms",
        f"/api/v1/rooms/{room['id']}",
        f"/api/v1/rooms/{room['id']}/members",
        f"/api/v1/rooms/{room['id']}/tasks",
        f"/api/v1/rooms/{room['id']}/tasks/{task['id']}",
        f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments",
        "/api/v1/notifications",
    ):
        response = owner.get(path)
        assert response.status_code == 200 and is_private(response), (path, response.headers)


def test_every_write_answer_is_private(owner, member, board):
    room, task = board
    base = f"/api/v1/rooms/{room['id']}"
    for response in (
        owner.post("/api/v1/rooms", json={"name": unique()}),
        owner.patch(base, json={"name": unique()}),
        owner.post(f"{base}/code"),
        owner.post(f"{base}/tasks", json={"title": "t"}),
        owner.patch(f"{base}/tasks/{task['id']}", json={"title": "changed"}),
        owner.post(f"{base}/tasks/{task['id']}/comments", json={"body": "said"}),
        owner.post("/api/v1/notifications/read", json={"all": True}),
        owner.delete(f"{base}/tasks/{task['id']}"),
        member.post("/api/v1/rooms/join", json={"code": ok(owner.get(base))["code"]}),
    ):
        assert response.status_code < 300 and is_private(response), (response.request.url, response.headers)


def test_the_task_list_and_a_task_are_revalidated_and_304_still_works(owner, board):
    room, task = board
    path = f"/api/v1/rooms/{room['id']}/tasks"
    listed = owner.get(path)
    assert listed.status_code == 200 and is_revalidated(listed), listed.headers
    for _ in range(2):  # the second is answered by the gateway from the shared cache
        unchanged = owner.get(path, headers={"If-None-Match": listed.headers["ETag"]})
        assert unchanged.status_code == 304 and is_revalidated(unchanged), unchanged.headers
        assert unchanged.headers["ETag"] == listed.headers["ETag"]
        assert is_revalidated(owner.get(path))
    one = owner.get(f"{path}/{task['id']}")
    assert one.headers["ETag"] == etag(1) and is_revalidated(one), one.headers


def test_error_answers_are_never_stored(owner, anonymous, board):
    """A 404 or 405 is reusable by heuristics (RFC 9111, 4.2.2) unless it says otherwise."""
    room, task = board
    base = f"/api/v1/rooms/{room['id']}"
    for response in (
        anonymous.get("/api/v1/users/me"),  # 401 from the gateway
        owner.get("/api/v1/rooms/2147483000"),  # 404 from the rooms service
        owner.get(f"{base}/tasks/2147483000"),  # 404 from the tasks service
        owner.get("/api/v2/rooms"),  # 404 from the gateway
        owner.put(f"{base}/tasks", json={}),  # 405
        owner.post(f"{base}/tasks", json={"title": ""}),  # 422
        owner.patch(f"{base}/tasks/{task['id']}", json={"title": "x"}, headers={"If-Match": etag(99)}),  # 412
    ):
        assert response.status_code >= 400 and is_not_stored(response), (response.request.url, response.headers)
