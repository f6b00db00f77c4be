"""Faults against the real processes: a dead service, a silent one, and deleting a room meanwhile."""

from __future__ import annotations

import os
import signal
import time
from functools import partial

import pytest
import requests

from tests.conftest import Client, running_stack, wait_until

TIMEOUT = 2  # TASKSYNC_SERVICE_TIMEOUT of this stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite", {"TASKSYNC_SERVICE_TIMEOUT": str(TIMEOUT)}) as started:
        yield started


@pytest.fixture
def team(stack):
    person = Client(stack.url).sign_up()
    room = person.post("/api/v1/rooms", json={"name": "Faults"}).json()
    task = person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "survive"}).json()
    return person, room, task


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_dead_tasks_service(stack, team):
    person, room, _ = team
    stack.stop_service("tasks", sig=signal.SIGKILL)
    try:
        response, took = timed(lambda: person.get(f"/api/v1/rooms/{room['id']}/tasks"))
        assert response.status_code == 503 and took < 2
        assert response.headers["Content-Type"] == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
        assert person.get(f"/api/v1/rooms/{room['id']}").status_code == 200  # room routes still serve
        ready = requests.get(stack.url + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["services"]["tasks"] == "unreachable"
    finally:
        stack.start_service("tasks")
        stack.wait_ready()
    assert person.get(f"/api/v1/rooms/{room['id']}/tasks").status_code == 200


def test_room_deletion_while_tasks_service_is_down_loses_nothing(stack, team):
    person, room, task = team
    stack.stop_service("tasks", sig=signal.SIGKILL)
    try:
        refused = person.delete(f"/api/v1/rooms/{room['id']}")
        assert refused.status_code == 503
        assert person.get(f"/api/v1/rooms/{room['id']}").status_code == 200
    finally:
        stack.start_service("tasks")
        stack.wait_ready()
    assert person.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}").status_code == 200
    assert person.delete(f"/api/v1/rooms/{room['id']}").status_code == 204
    assert person.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}").status_code == 404


def test_silent_tasks_service_is_504_at_the_timeout(stack, team):
    person, room, _ = team
    process = stack.processes["tasks"]
    os.killpg(process.pid, signal.SIGSTOP)  # alive, connected, and answering nothing
    try:
        response, took = timed(lambda: person.get(f"/api/v1/rooms/{room['id']}/tasks"))
        assert response.status_code == 504 and int(response.headers["Retry-After"]) > 0
        assert TIMEOUT - 0.5 < took < TIMEOUT + 3
        assert person.get("/api/v1/users/me").status_code == 200  # the gateway's workers are free
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    wait_until(lambda: person.get(f"/api/v1/rooms/{room['id']}/tasks").status_code == 200)


def test_dead_rooms_service_fails_closed(stack, team):
    person, room, _ = team
    stack.stop_service("rooms", sig=signal.SIGKILL)
    time.sleep(1.5)  # the tasks service probes the rooms service at most once a second
    try:
        for path in (f"/api/v1/rooms/{room['id']}", f"/api/v1/rooms/{room['id']}/tasks", "/api/v1/rooms"):
            response, took = timed(partial(person.get, path))
            assert response.status_code == 503, path
            assert took < TIMEOUT + 1
        created, _ = timed(lambda: person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "no"}))
        assert created.status_code == 503
    finally:
        stack.start_service("rooms")
        stack.wait_ready()
    wait_until(lambda: person.get(f"/api/v1/rooms/{room['id']}/tasks").status_code == 200)
