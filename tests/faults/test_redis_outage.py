"""The shared cache goes away and comes back: while Redis is unreachable every request that needs
it is a 503 problem document with Retry-After (never a 500), nothing is half-written, and once it
is back everything works as before. Runs its own redis-server, so stopping it disturbs nobody."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import redis

from tests.conftest import Client, wait_until
from tools.databases import missing
from tools.stack import free_port, private_stack


class RedisServer:
    """A private redis-server on a free port, keeping nothing on disk."""

    def __init__(self, binary: str, folder):
        self.binary, self.folder, self.port, self.process = binary, folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers)

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, redis_server):
    env = {"REDIS_URL": redis_server.url, "TASKSYNC_CACHE_PREFIX": "outage:"}
    with private_stack(tmp_path_factory.mktemp("stack-outage"), "sqlite", env) as started:
        yield started


def test_an_outage_is_a_503_and_loses_nothing(stack, redis_server):
    person = Client(stack.url).sign_up()
    room = person.post("/api/v1/rooms", json={"name": "Outage"}).json()
    board = f"/api/v1/rooms/{room['id']}/tasks"
    assert person.post(board, json={"title": "before"}).status_code == 201
    assert person.get(board).status_code == 200

    redis_server.stop()
    try:
        answers = {
            "read": person.get(board),
            "write": person.post(board, json={"title": "during"}),
            "room": person.get(f"/api/v1/rooms/{room['id']}"),
            "login": Client(stack.url).post(
                "/api/v1/auth/login", json={"username": person.user["username"], "password": "nope-nope-nope"}
            ),
        }
        for name, response in answers.items():
            assert response.status_code == 503, (name, response.status_code, response.text)
            assert response.headers["Content-Type"] == "application/problem+json", name
            assert int(response.headers["Retry-After"]) > 0, name
    finally:
        redis_server.start()

    wait_until(lambda: person.get(board).status_code == 200)
    assert [task["title"] for task in person.get(board).json()["items"]] == ["before"]
    assert person.post(board, json={"title": "after"}).status_code == 201
    assert [task["title"] for task in person.get(board).json()["items"]] == ["before", "after"]
