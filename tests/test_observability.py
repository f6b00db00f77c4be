"""Logs: one JSON object a line from every service, and one request id followed through all three."""

import json
import time
import uuid

from tests.conftest import wait_until


def _lines(stack, service):
    return [
        json.loads(line) for line in (stack.log_dir / f"{service}.log").read_text().splitlines() if line.startswith("{")
    ]


def test_a_request_id_is_followed_through_every_service(stack, new_client):
    person = new_client()
    room = person.post("/api/v1/rooms", json={"name": "Traced"}).json()
    person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "t"})
    request_id = f"trace-{uuid.uuid4().hex}"
    # Deleting a room crosses all three: the gateway, the rooms service, and the tasks service
    # (asked by the rooms service to delete the room's tasks).
    response = person.delete(f"/api/v1/rooms/{room['id']}", headers={"X-Request-ID": request_id})
    assert response.status_code == 204
    assert response.headers["X-Request-ID"] == request_id
    deadline = time.monotonic() + 5
    while True:
        seen = {
            s
            for s in ("gateway", "tasks", "rooms")
            if any(line.get("request_id") == request_id for line in _lines(stack, s))
        }
        if seen == {"gateway", "tasks", "rooms"} or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert seen == {"gateway", "tasks", "rooms"}


def test_every_log_line_is_json_naming_its_service(stack, new_client):
    new_client()
    for service in ("gateway", "rooms", "tasks"):
        raw = [line for line in (stack.log_dir / f"{service}.log").read_text().splitlines() if line.strip()]
        assert raw, service
        for line in raw:
            record = json.loads(line)
            assert record["service"] == service and record["level"] and record["time"]


def test_an_invalid_request_id_is_replaced(stack, anonymous):
    response = anonymous.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert response.headers["X-Request-ID"] != "bad id with spaces"
    assert len(response.headers["X-Request-ID"]) == 32


def test_an_access_line_names_the_request_and_its_answer(stack, new_client):
    person = new_client()
    request_id = f"access-{uuid.uuid4().hex}"
    response = person.get("/api/v1/users/me?probe=1", headers={"X-Request-ID": request_id, "User-Agent": "probe/1.0"})
    assert response.status_code == 200

    def access_lines():
        return [
            line
            for line in _lines(stack, "gateway")
            if line.get("request_id") == request_id and line["logger"] == "gunicorn.access"
        ]

    wait_until(access_lines, seconds=5)  # a worker writes its access line just after answering
    found = access_lines()
    assert len(found) == 1
    line = found[0]
    assert line["message"] == "GET /api/v1/users/me 200"
    assert (line["method"], line["path"], line["query"], line["status"]) == ("GET", "/api/v1/users/me", "probe=1", 200)
    assert line["bytes"] == len(response.content)
    assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
    assert line["user_agent"] == "probe/1.0" and line["remote_addr"] == "127.0.0.1"
    assert line["service"] == "gateway" and line["level"] == "INFO"
