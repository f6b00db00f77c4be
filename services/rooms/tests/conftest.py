"""Fixtures: the rooms app on each database backend, a rolled-back transaction per test."""

import pytest

from tasksync_rooms import create_app
from tools.service_testing import backends, client, db, service_app  # noqa: F401


@pytest.fixture(scope="session", params=backends())
def app(request, tmp_path_factory):
    with service_app(create_app, request.param, tmp_path_factory.mktemp("rooms"), "rooms") as built:
        yield built


class Auth:
    """Signs people up and in through the API, and builds their headers."""

    def __init__(self, client):
        self.client = client

    def sign_up(self, username, password="correct horse battery"):
        response = self.client.post("/api/v1/auth/register", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return self.log_in(username, password)

    def log_in(self, username, password="correct horse battery"):
        response = self.client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return {"Authorization": f"Bearer {body['access_token']}", "user_id": body["user"]["id"]}


@pytest.fixture
def auth(client):
    return Auth(client)


def headers(person):
    """Only the HTTP headers of a signed-in person."""
    return {"Authorization": person["Authorization"]}
