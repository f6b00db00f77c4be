"""The history's relay against the real processes: membership changes and renames succeed while
the tasks service is down, and their entries reach the history once it is back, exactly once and
in order; entries left in the outbox by a rooms service that stopped are delivered by the next."""

from __future__ import annotations

import signal
import time

import pytest

from tests.conftest import Client, running_stack, wait_until
from tools.service_testing import backends

EXPECTED = ["member.joined", "member.removed", "member.left", "room.renamed", "member.joined", "member.joined"]


@pytest.fixture(scope="module", params=backends())
def stack(request, tmp_path_factory):
    with running_stack(tmp_path_factory, request.param, {"TASKSYNC_SERVICE_TIMEOUT": "2"}) as started:
        yield started


def history(client: Client, room_id: int) -> list[dict]:
    response = client.get(f"/api/v1/rooms/{room_id}/activity", params={"limit": 200})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def kinds(entries: list[dict]) -> list[str]:
    return [entry["kind"] for entry in entries]


def change_membership(owner: Client, member: Client, other: Client, room: dict) -> None:
    """Six changes, each answered by the rooms service alone."""
    room_id = room["id"]
    for person in (member, other):
        assert person.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200
    assert owner.patch(f"/api/v1/rooms/{room_id}", json={"name": "Renamed"}).status_code == 200
    assert member.delete(f"/api/v1/rooms/{room_id}/members/{member.user['id']}").status_code == 204
    assert owner.delete(f"/api/v1/rooms/{room_id}/members/{other.user['id']}").status_code == 204
    assert member.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200


def assert_delivered_once(owner: Client, room_id: int, before: list[str]) -> None:
    wait_until(lambda: len(history(owner, room_id)) >= len(EXPECTED) + len(before), seconds=40)
    entries = history(owner, room_id)
    assert kinds(entries) == EXPECTED + before
    assert [entry["data"].get("name") for entry in entries if entry["kind"] == "room.renamed"] == ["Renamed"]
    time.sleep(3)  # another poll of every relay: nothing comes twice
    assert history(owner, room_id) == entries


def test_membership_changes_wait_for_a_stopped_tasks_service(stack):
    owner, member, other = (Client(stack.url).sign_up() for _ in range(3))
    room = owner.post("/api/v1/rooms", json={"name": "Relay"}).json()
    assert owner.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "first"}).status_code == 201
    stack.stop_service("tasks", sig=signal.SIGKILL)
    try:
        change_membership(owner, member, other, room)
        time.sleep(2)  # the relay tries, fails and backs off meanwhile
    finally:
        stack.start_service("tasks")
        stack.wait_ready()
    assert_delivered_once(owner, room["id"], ["task.created"])


def test_a_restarted_rooms_service_delivers_what_the_stopped_one_left(stack):
    owner, member, other = (Client(stack.url).sign_up() for _ in range(3))
    room = owner.post("/api/v1/rooms", json={"name": "Relay"}).json()
    stack.stop_service("tasks", sig=signal.SIGKILL)
    try:
        change_membership(owner, member, other, room)
    finally:
        stack.stop_service("rooms")
        stack.start_service("tasks")
        stack.start_service("rooms")
        stack.wait_ready()
    assert_delivered_once(owner, room["id"], [])
