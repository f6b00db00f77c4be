"""Failed joins are also counted per client address and for everyone together, so that many
accounts cannot guess codes together. Addresses come from X-Forwarded-For (one trusted proxy)."""

import pytest

from tests.conftest import Client, running_stack

LIMITS = {
    "TASKSYNC_TRUSTED_PROXIES": "1",
    "TASKSYNC_JOIN_FAILURE_LIMIT": "20 per 15 minutes",
    "TASKSYNC_JOIN_FAILURE_LIMIT_PER_ADDRESS": "4 per 15 minutes",
    "TASKSYNC_JOIN_FAILURE_LIMIT_GLOBAL": "6 per 15 minutes",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite", LIMITS) as started:
        yield started


def guess(person: Client, address: str):
    return person.post("/api/v1/rooms/join", json={"code": "ZZZZZZZZZ"}, headers={"X-Forwarded-For": address})


def test_per_address_then_global(stack):
    first, second, third = (Client(stack.url).sign_up() for _ in range(3))
    assert [guess(first, "203.0.113.1").status_code for _ in range(4)] == [404] * 4
    refused = guess(second, "203.0.113.1")  # another account, same address
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert [guess(second, "203.0.113.2").status_code for _ in range(2)] == [404] * 2
    everyone = guess(third, "203.0.113.3")  # six failures in all: nobody may guess now
    assert everyone.status_code == 429
    assert everyone.headers["Content-Type"] == "application/problem+json"
