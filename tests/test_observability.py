"""Logs: one JSON object a line from every service, and one request id followed through all three."""

import json
import time
import uuid


def _lines(stack, service):
    return [json.loads(line) for line in (stack.log_dir / f"{service}.log").read_text().splitlines() if line.startswith("{")]


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
        seen = {s for s in ("gateway", "tasks", "rooms") if any(l.get("request_id") == request_id for l in _lines(stack, s))}
        if seen == {"gateway", "tasks", "rooms"} or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert seen == {"gateway", "tasks", "rooms"}


def test_every_log_line_is_json_naming_its_service(stack, new_client):
    new_client()
    for service in ("gateway", "rooms", "tasks"):
        raw = [l for l in (stack.log_dir / f"{service}.log").read_text().splitlines() if l.strip()]
        assert raw, service
        for line in raw:
            record = json.loads(line)
            assert record["service"] == service and record["level"] and record["time"]


def test_an_invalid_request_id_is_replaced(stack, anonymous):
    response = anonymous.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert response.headers["X-Request-ID"] != "bad id with spaces"
    assert len(response.headers["X-Request-ID"]) == 32
