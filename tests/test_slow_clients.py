"""Slow clients do not starve the gateway: with 200 connections trickling their headers one line
every two seconds, a normal request is still answered within a second (issue 10's bound), in the
embedded setup and in the production configuration."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import Client
from tools.slow_clients import SlowClients, wait_settled

SLOW_CLIENTS = 200
BOUND_S = 1.0


def _timed(method: str, url: str, headers: dict | None = None) -> tuple[float, requests.Response | None]:
    """Seconds one request on a connection of its own took, and its answer (None: none came)."""
    started = time.monotonic()
    try:
        with requests.Session() as session:
            session.trust_env = False
            response = session.request(method, url, timeout=5, headers={"Connection": "close", **(headers or {})})
    except requests.RequestException:
        return time.monotonic() - started, None
    return time.monotonic() - started, response


@pytest.fixture
def member(stack):
    """A signed-in user with a room of one task (made before the slow clients arrive)."""
    client = Client(stack.url).sign_up()
    room = client.post("/api/v1/rooms", json={"name": "Slow clients"}).json()
    task = client.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "Answer everyone"})
    assert task.status_code == 201, task.text
    client.room_id = room["id"]
    return client


def test_normal_requests_are_answered_beside_200_slow_clients(stack, member):
    parts = urlsplit(stack.url)
    auth = {"Authorization": f"Bearer {member.token}"}
    with SlowClients(parts.hostname, parts.port, count=SLOW_CLIENTS) as slow:
        wait_settled(slow)
        assert slow.open_count >= SLOW_CLIENTS * 0.95, "the slow clients could not stay connected"
        answers = [
            _timed("GET", f"{stack.url}/healthz"),
            _timed("GET", f"{stack.url}/api/v1/rooms/{member.room_id}/tasks", headers=auth),
            _timed("GET", f"{stack.url}/api/v1/rooms", headers=auth),
            _timed("GET", f"{stack.url}/"),
        ]
        still_open = slow.open_count
    for seconds, response in answers:
        assert response is not None and response.status_code == 200, f"no answer within 5 s (took {seconds:.1f} s)"
        assert seconds < BOUND_S, f"{response.request.method} {response.url} took {seconds:.2f} s"
    assert still_open >= SLOW_CLIENTS * 0.95
