"""Fixtures for the suites that run the real processes: a private TaskSync stack per backend."""

from __future__ import annotations

import contextlib
import time
import uuid

import pytest
import requests

from tools.databases import postgres_base_url
from tools.stack import private_stack


def pytest_collection_modifyitems(config, items):
    """A test marked postgres_only, in a module whose stack runs on both backends, is collected
    for PostgreSQL only: its SQLite variant is left out (deselected), not skipped."""
    sqlite_variants = [
        item
        for item in items
        if item.get_closest_marker("postgres_only") is not None
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("stack") == "sqlite"
    ]
    if sqlite_variants:
        config.hook.pytest_deselected(items=sqlite_variants)
        items[:] = [item for item in items if item not in sqlite_variants]


def wait_until(check, seconds=30):
    """Poll ``check`` until it is true; fail the test when it is not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.2)


def _backends():
    return ["sqlite", "postgres"] if postgres_base_url() else ["sqlite"]


@contextlib.contextmanager
def running_stack(tmp_path_factory, backend: str, extra_env: dict | None = None):
    """Start the three services on free ports with a fresh data folder (and databases)."""
    with private_stack(tmp_path_factory.mktemp(f"stack-{backend}"), backend, extra_env) as stack:
        yield stack


@pytest.fixture(scope="session", params=_backends())
def stack(request, tmp_path_factory):
    """A running TaskSync (gateway URL in ``stack.url``), shared by a whole test session."""
    with running_stack(tmp_path_factory, request.param) as started:
        yield started


class Client:
    """A person using the API: signs up, logs in, and sends requests with their token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False
        self.token = None
        self.user = None

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.session.request(method, self.base_url + path, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def sign_up(self, username: str | None = None, password: str = "correct horse battery") -> Client:
        """Register a fresh user and log in as them."""
        username = username or f"user_{uuid.uuid4().hex[:12]}"
        response = self.post("/api/v1/auth/register", json={"username": username, "password": password})
        assert response.status_code == 201, response.text
        return self.log_in(username, password)

    def log_in(self, username: str, password: str) -> Client:
        response = self.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        self.user = response.json()["user"]
        return self


@pytest.fixture
def new_client(stack):
    """A factory of signed-in clients (fresh users) against the stack."""
    return lambda: Client(stack.url).sign_up()


@pytest.fixture
def anonymous(stack):
    """A client with no token."""
    return Client(stack.url)
