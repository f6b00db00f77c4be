"""Small helpers shared by the contract tests: unique names, response checks, common set-ups.

Everything here speaks HTTP to the gateway only, as any client of docs/api.md would.
"""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from tasksync_common.config import database_url
from tests.conftest import Client

PASSWORD = "correct horse battery"  # what Client.sign_up uses
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")
CODE = re.compile(r"^[A-Z0-9]{9}$")
# A user as they see themselves (sign-up, login, users/me): others never see the last three.
USER_KEYS = {"id", "username", "created_at", "language", "email", "email_verified"}
ROOM_KEYS = {"id", "name", "code", "owner_id", "role", "member_count", "created_at"}
MEMBER_KEYS = {"user_id", "username", "role", "joined_at"}
TASK_KEYS = {
    "id",
    "room_id",
    "user_id",
    "created_by",
    "title",
    "description",
    "status",
    "version",
    "due_at",
    "priority",
    "position",
    "label_ids",
    "checklist",
    "created_at",
    "updated_at",
}
LABEL_KEYS = {"id", "room_id", "name", "color", "created_at"}


def unique(prefix: str = "u") -> str:
    """A username (or name) nobody else in this session uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def sign_up(base_url: str, username: str | None = None) -> Client:
    """A fresh signed-in client (for fixtures wider than a function, where new_client can't be used)."""
    return Client(base_url).sign_up(username)


def media_type(response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def ok(response, status: int = 200):
    """Assert a successful JSON response with exactly ``status``; return its body."""
    assert response.status_code == status, (
        response.request.method,
        response.request.url,
        response.status_code,
        response.text[:500],
    )
    if status == 204:
        assert response.content == b""
        return None
    assert media_type(response) == "application/json", response.headers.get("Content-Type")
    return response.json()


def problem(response, status: int, *fields: str) -> dict:
    """Assert an RFC 9457 problem document with ``status``; with ``fields``, exactly those are named."""
    assert response.status_code == status, (
        response.request.method,
        response.request.url,
        response.status_code,
        response.text[:500],
    )
    assert media_type(response) == "application/problem+json", response.headers.get("Content-Type")
    body = response.json()
    assert isinstance(body, dict), body
    for key in ("type", "title", "detail"):
        assert isinstance(body.get(key), str) and body[key], (key, body)
    assert body.get("status") == status, body
    if fields:
        errors = body.get("errors")
        assert isinstance(errors, list) and errors, body
        for error in errors:
            assert isinstance(error.get("field"), str) and isinstance(error.get("message"), str), error
        assert {e["field"] for e in errors} == set(fields), body
    if status == 401:
        assert response.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), response.headers
    if status in (429, 503):
        assert_retry_after(response)
    return body


def assert_retry_after(response) -> None:
    value = response.headers.get("Retry-After", "")
    if value.isdigit():
        assert int(value) >= 1 or response.status_code == 503, value
    else:  # the other form RFC 9110 allows: an HTTP-date
        from email.utils import parsedate_to_datetime

        assert parsedate_to_datetime(value) is not None, response.headers


def assert_user(user: dict, username: str | None = None) -> None:
    assert set(user) == USER_KEYS, user
    assert isinstance(user["id"], int) and not isinstance(user["id"], bool)
    assert RFC3339_UTC.match(user["created_at"]), user
    assert user["language"] in ("en", "uk") and isinstance(user["email_verified"], bool), user
    if username is not None:
        assert user["username"] == username


def assert_room(room: dict) -> None:
    assert set(room) == ROOM_KEYS, room
    assert CODE.match(room["code"]), room
    assert room["role"] in ("owner", "member"), room
    assert isinstance(room["member_count"], int) and room["member_count"] >= 1, room
    assert RFC3339_UTC.match(room["created_at"]), room


def assert_task(task: dict) -> None:
    assert set(task) == TASK_KEYS, task
    assert task["status"] in ("pending", "in progress", "completed"), task
    assert isinstance(task["version"], int) and task["version"] >= 1, task
    assert task["priority"] in ("none", "low", "medium", "high", "urgent"), task
    assert task["due_at"] is None or RFC3339_UTC.match(task["due_at"]), task
    assert isinstance(task["position"], int) and abs(task["position"]) < 2**53, task
    assert task["label_ids"] == sorted(set(task["label_ids"])), task
    assert all(set(item) == {"id", "text", "done"} for item in task["checklist"]), task
    assert RFC3339_UTC.match(task["created_at"]) and RFC3339_UTC.match(task["updated_at"]), task


def assert_label(label: dict) -> None:
    assert set(label) == LABEL_KEYS, label
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", label["color"]), label
    assert RFC3339_UTC.match(label["created_at"]), label


def make_label(client: Client, room_id: int, **fields) -> dict:
    fields.setdefault("name", unique("label")[:40])
    fields.setdefault("color", "#D93F0B")
    label = ok(client.post(f"/api/v1/rooms/{room_id}/labels", json=fields), 201)
    assert_label(label)
    return label


def make_room(client: Client, name: str | None = None) -> dict:
    room = ok(client.post("/api/v1/rooms", json={"name": name or unique("room")}), 201)
    assert_room(room)
    return room


def join(client: Client, room: dict) -> dict:
    return ok(client.post("/api/v1/rooms/join", json={"code": room["code"]}))


def make_task(client: Client, room_id: int, **fields) -> dict:
    fields.setdefault("title", unique("task"))
    task = ok(client.post(f"/api/v1/rooms/{room_id}/tasks", json=fields), 201)
    assert_task(task)
    return task


def list_all_tasks(client: Client, room_id: int, limit: int = 200, **params) -> list[dict]:
    """Every task of a room, following next_cursor."""
    items, cursor = [], None
    for _ in range(1000):
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get(f"/api/v1/rooms/{room_id}/tasks", params=query))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("next_cursor never became null")


def etag(version: int) -> str:
    return f'"{version}"'


def in_parallel(stack, token: str | None, calls):
    """Run each ``call(client)`` on its own thread and connection, released together; return their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        client = Client(stack.url)
        client.token = token
        try:
            barrier.wait(timeout=30)
            return call(client)
        finally:
            client.session.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def unsubscribe_secret(stack, person: Client) -> str:
    """The secret of ``person``'s unsubscribe link (made when they turn reminder mail on)."""
    body = {"before_due": [1440], "overdue": True, "email": True}
    assert person.put("/api/v1/users/me/reminders", json=body).status_code == 200
    url = stack.env.get("TASKS_DATABASE_URL") or f"sqlite:///{stack.env['TASKSYNC_DATA_DIR']}/tasks.sqlite3"
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            query = text("SELECT unsubscribe_secret FROM reminder_settings WHERE user_id = :user")
            return connection.execute(query, {"user": person.user["id"]}).scalar_one()
    finally:
        engine.dispose()
