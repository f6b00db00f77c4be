"""Sign-ups are throttled per client address: by default 30 attempts an hour, successful or not
(TASKSYNC_SIGNUP_LIMIT_PER_ADDRESS). Addresses come from X-Forwarded-For (one trusted proxy)."""

import uuid

import pytest

from tests.conftest import Client, _backends, running_stack
from tests.contract.helpers import problem

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", params=_backends())
def stack(request, tmp_path_factory):
    """On PostgreSQL the counters are in Redis, shared by the gateway's workers."""
    # Empty: the default limit, not the generous one the other suites' stacks set.
    env = {"TASKSYNC_TRUSTED_PROXIES": "1", "TASKSYNC_SIGNUP_LIMIT_PER_ADDRESS": ""}
    with running_stack(tmp_path_factory, request.param, env) as started:
        yield started


def sign_up(stack, address: str, username: str | None = None, password: str = PASSWORD):
    username = username or f"u_{uuid.uuid4().hex[:12]}"
    return Client(stack.url).post(
        "/api/v1/auth/register",
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_thirty_attempts_an_hour_per_address_failed_ones_too(stack):
    address = "203.0.113.7"
    made = [sign_up(stack, address) for _ in range(10)]
    assert [r.status_code for r in made] == [201] * 10
    taken = [sign_up(stack, address, made[0].json()["username"]) for _ in range(10)]
    assert [r.status_code for r in taken] == [409] * 10
    invalid = [sign_up(stack, address, password="short") for _ in range(10)]
    assert [r.status_code for r in invalid] == [422] * 10

    refused = sign_up(stack, address, "one_too_many")
    body = problem(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 3600, refused.headers
    assert "sign-ups" in body["detail"], body
    # Refused before it reached the rooms service: the account does not exist.
    assert sign_up(stack, "203.0.113.8", "one_too_many").status_code == 201

    # Logging in is not signing up: the address's people still get in.
    login = Client(stack.url).post(
        "/api/v1/auth/login",
        json={"username": made[1].json()["username"], "password": PASSWORD},
        headers={"X-Forwarded-For": address},
    )
    assert login.status_code == 200, login.text


def test_other_addresses_are_counted_apart(stack):
    assert [sign_up(stack, "198.51.100.1").status_code for _ in range(3)] == [201] * 3
    assert [sign_up(stack, "198.51.100.2").status_code for _ in range(3)] == [201] * 3
