"""What only the production configuration has: shared cache and counters across workers and
replicas, and data that outlives every process. PostgreSQL and Redis are required here (in CI
their absence is a failure: see tools.databases)."""

from __future__ import annotations

import json
import time

import pytest
import redis
import requests

from tests.conftest import Client, running_stack
from tests.event_stream import EventStream
from tools.databases import postgres_base_url, redis_url
from tools.stack import free_port

pytestmark = pytest.mark.skipif(
    not (postgres_base_url() and redis_url()), reason="needs TASKSYNC_TEST_POSTGRES_URL and TASKSYNC_TEST_REDIS_URL"
)


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The production stack with three gunicorn workers per service, a second tasks replica and a
    second gateway replica (``stack.second_url``)."""
    first, second = free_port(), free_port()
    replicas = {"TASKS_PORT": str(first), "TASKS_URL": f"http://127.0.0.1:{first},http://127.0.0.1:{second}"}
    with running_stack(tmp_path_factory, "postgres", {"WEB_CONCURRENCY": "3", **replicas}) as stack:
        stack.second_tasks_port = str(second)
        stack.second_gateway_port = str(free_port())
        stack.second_url = f"http://127.0.0.1:{stack.second_gateway_port}"
        start_replicas(stack)
        yield stack


def start_replicas(stack) -> None:
    stack.start_service("tasks", replica="2", TASKS_PORT=stack.second_tasks_port)
    stack.start_service("gateway", replica="2", TASKSYNC_PORT=stack.second_gateway_port)
    stack.wait_ready()


def fresh(stack, token=None, **kwargs) -> requests.Response:
    """One request on a new connection, so that successive requests land on different workers."""
    method = kwargs.pop("method", "GET")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with requests.Session() as session:
        session.trust_env = False
        return session.request(method, stack.url + kwargs.pop("path"), headers=headers, timeout=30, **kwargs)


def test_membership_change_is_seen_by_every_worker_at_once(production):
    owner, member = Client(production.url).sign_up(), Client(production.url).sign_up()
    room = owner.post("/api/v1/rooms", json={"name": "Workers"}).json()
    member.post("/api/v1/rooms/join", json={"code": room["code"]})
    tasks = f"/api/v1/rooms/{room['id']}/tasks"
    for _ in range(12):  # warm every worker and replica
        assert fresh(production, member.token, path=tasks).status_code == 200
    assert owner.delete(f"/api/v1/rooms/{room['id']}/members/{member.user['id']}").status_code == 204
    statuses = [fresh(production, member.token, path=tasks).status_code for _ in range(12)]
    assert statuses == [404] * 12


def test_failed_logins_are_counted_across_workers(production):
    username = Client(production.url).sign_up().user["username"]
    attempts = [
        fresh(
            production, method="POST", path="/api/v1/auth/login", json={"username": username, "password": "wrong pass"}
        )
        for _ in range(10)
    ]
    assert [a.status_code for a in attempts] == [401] * 10
    right = fresh(
        production,
        method="POST",
        path="/api/v1/auth/login",
        json={"username": username, "password": "correct horse battery"},
    )
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    store = redis.Redis.from_url(redis_url())
    assert any(store.scan_iter(match=production.env["TASKSYNC_CACHE_PREFIX"] + "limits:*"))
    store.close()


def test_both_tasks_replicas_serve(production):
    person = Client(production.url).sign_up()
    room = person.post("/api/v1/rooms", json={"name": "Replicas"}).json()
    for number in range(10):
        assert person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": f"t{number}"}).status_code == 201

    def served(label):
        lines = (production.log_dir / f"{label}.log").read_text().splitlines()
        records = [json.loads(line) for line in lines if line.startswith("{")]
        return sum(
            1 for r in records if r.get("method") == "POST" and f"/rooms/{room['id']}/tasks" in (r.get("path") or "")
        )

    deadline = time.monotonic() + 5  # a worker writes its access line just after answering
    while served("tasks") + served("tasks-2") < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served("tasks") > 0 and served("tasks-2") > 0
    assert served("tasks") + served("tasks-2") == 10


def test_a_restart_of_every_service_keeps_all_data(production):
    person = Client(production.url).sign_up()
    room = person.post("/api/v1/rooms", json={"name": "Durable"}).json()
    created = [
        person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": f"keep {i}"}).json()["id"] for i in range(5)
    ]
    for name in list(production.processes):
        production.stop_service(name)
    production.start_service("rooms")
    production.start_service("tasks")
    production.start_service("gateway")
    start_replicas(production)
    deadline = time.monotonic() + 10
    while person.get("/api/v1/users/me").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert person.get("/api/v1/users/me").status_code == 200  # the token outlives the restart
    listed = [t["id"] for t in person.get(f"/api/v1/rooms/{room['id']}/tasks").json()["items"]]
    assert listed == created


def served_by(stack, label: str, method: str, fragment: str) -> int:
    """How many requests of ``method`` to a path containing ``fragment`` the ``label`` process logged."""
    lines = (stack.log_dir / f"{label}.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    return sum(1 for r in records if r.get("method") == method and fragment in (r.get("path") or ""))


def test_a_stream_on_one_gateway_hears_writes_through_the_other(production):
    owner, member = Client(production.url).sign_up(), Client(production.url).sign_up()
    room = owner.post("/api/v1/rooms", json={"name": "Replicated live"}).json()
    assert member.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200
    through_second = Client(production.second_url)
    through_second.token = owner.token
    with EventStream.open(f"{production.url}/api/v1/rooms/{room['id']}/events", member.token) as stream:
        assert stream.status == 200
        stream.next()  # presence
        created = []
        for number in range(6):  # the second gateway takes the tasks replicas in turn
            response = through_second.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": f"far {number}"})
            assert response.status_code == 201
            created.append(response.json()["id"])
        heard = [stream.next_named("task.created").data["task_id"] for _ in created]
    assert heard == created
    fragment = f"/rooms/{room['id']}/tasks"
    assert served_by(production, "gateway-2", "POST", fragment) == 6
    deadline = time.monotonic() + 5  # a worker writes its access line just after answering
    while served_by(production, "tasks-2", "POST", fragment) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served_by(production, "tasks-2", "POST", fragment) > 0


def test_presence_is_the_same_on_every_replica(production):
    owner, member = Client(production.url).sign_up(), Client(production.url).sign_up()
    room = owner.post("/api/v1/rooms", json={"name": "Present"}).json()
    assert member.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200
    path = f"/api/v1/rooms/{room['id']}/events"
    with EventStream.open(production.url + path, owner.token) as first:
        assert first.next().data["user_ids"] == [owner.user["id"]]
        second = EventStream.open(production.second_url + path, member.token)
        both = sorted([owner.user["id"], member.user["id"]])
        assert second.next().data["user_ids"] == both
        assert first.next_named("presence").data["user_ids"] == both
        second.cut()
        assert first.next_named("presence", timeout=5).data["user_ids"] == [owner.user["id"]]
