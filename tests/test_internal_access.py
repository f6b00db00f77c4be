"""Internal services reached directly: no token, a forged identity header, a token signed with
another key, or a people's token on a service-only route: all refused."""

import base64
import json

import pytest
import requests

from tasksync_common.signing import API_AUDIENCE, INTERNAL_AUDIENCE, Signer

FORGER = Signer("not-the-real-secret-" + "z" * 40)


def _alg_none(claims: dict) -> str:
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture
def room(new_client):
    person = new_client()
    created = person.post("/api/v1/rooms", json={"name": "Guarded"}).json()
    return person, created


def _forged_headers(user_id: int) -> list[dict]:
    forged, _ = FORGER.issue(str(user_id), API_AUDIENCE, 600)
    return [
        {},
        {"X-User-Id": str(user_id), "X-Forwarded-User": str(user_id)},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": "Bearer " + _alg_none({"sub": str(user_id), "aud": API_AUDIENCE, "iss": "tasksync-rooms"})},
    ]


@pytest.mark.parametrize("case", range(4))
def test_tasks_service_refuses_direct_calls(stack, room, case):
    person, created = room
    headers = _forged_headers(person.user["id"])[case]
    url = f"{stack.service_urls['tasks']}/api/v1/rooms/{created['id']}/tasks"
    assert requests.get(url, headers=headers, timeout=10).status_code == 401
    assert requests.post(url, json={"title": "sneaky"}, headers=headers, timeout=10).status_code == 401


@pytest.mark.parametrize("case", range(4))
def test_rooms_service_refuses_direct_calls(stack, room, case):
    person, created = room
    headers = _forged_headers(person.user["id"])[case]
    base = stack.service_urls["rooms"]
    assert requests.get(f"{base}/api/v1/rooms/{created['id']}", headers=headers, timeout=10).status_code == 401
    lookup = f"{base}/internal/v1/rooms/{created['id']}/members/{person.user['id']}"
    assert requests.get(lookup, headers=headers, timeout=10).status_code == 401


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("DELETE", "/internal/v1/rooms/{room}/tasks", None),
        ("POST", "/internal/v1/rooms/{room}/activity", {"entries": []}),  # the relay's deliveries
        ("GET", "/internal/v1/mail/pending", None),  # the mailer's pull of reminder mails
        ("POST", "/internal/v1/mail/taken", {"message_ids": []}),
    ],
)
def test_service_only_route_refuses_people_and_forged_service_tokens(stack, room, method, path, body):
    person, created = room
    url = stack.service_urls["tasks"] + path.format(room=created["id"])
    forged_service, _ = FORGER.issue("service:rooms", INTERNAL_AUDIENCE, 60)
    for token in (person.token, forged_service):
        headers = {"Authorization": f"Bearer {token}"}
        assert requests.request(method, url, json=body, headers=headers, timeout=10).status_code == 401


def test_gateway_never_forwards_a_client_identity_header(stack, room, new_client):
    person, created = room
    stranger = new_client()
    response = stranger.get(f"/api/v1/rooms/{created['id']}", headers={"X-User-Id": str(person.user["id"])})
    assert response.status_code == 404
