"""The soak workload: people list, create, move and delete tasks, and join and leave rooms.

Every write the server acknowledges (2xx) is written down, so that afterwards the ledger can be
checked against what the server holds: nothing acknowledged may be lost. Run by tools/soak.py.
"""

from __future__ import annotations

import json
import os
import random
import threading
import uuid

from locust import HttpUser, between, events, task

PASSWORD = "soak test password"
ROOM_CODES: list[tuple[int, str]] = []  # rooms anyone may join: (id, code)
LEDGER: dict[int, dict] = {}  # task id -> {"room", "version", "status", "deleted"}
SERVER_ERRORS: list[str] = []  # 5xx answers and requests that got no answer at all
VIOLATIONS: list[str] = []  # answers that break the contract (e.g. a room still open after leaving)
LOCK = threading.Lock()


@events.request.add_listener
def _count_server_errors(request_type, name, response, exception, **_):
    if response is not None and response.status_code >= 500:
        SERVER_ERRORS.append(f"{request_type} {name} {response.status_code} {response.text[:200]}")
    elif exception is not None and response is None:
        SERVER_ERRORS.append(f"{request_type} {name} {exception!r}")


@events.quitting.add_listener
def _write_ledger(environment, **_):
    path = os.environ.get("SOAK_LEDGER")
    if path:
        with open(path, "w") as file:
            json.dump(
                {"tasks": LEDGER, "rooms": ROOM_CODES, "server_errors": SERVER_ERRORS, "violations": VIOLATIONS}, file
            )


def _acknowledge(task_body: dict, deleted: bool = False) -> None:
    with LOCK:
        entry = LEDGER.setdefault(task_body["id"], {"room": task_body["room_id"], "version": 0, "deleted": False})
        if deleted:
            entry["deleted"] = True
        elif task_body["version"] >= entry["version"]:
            entry.update(version=task_body["version"], status=task_body["status"], title=task_body["title"])


class Person(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.username = f"soak_{uuid.uuid4().hex[:12]}"
        self.client.post("/api/v1/auth/register", json={"username": self.username, "password": PASSWORD})
        token = self.client.post("/api/v1/auth/login", json={"username": self.username, "password": PASSWORD})
        self.client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        self.rooms: dict[int, str] = {}
        self.known_tasks: dict[int, list[dict]] = {}
        if len(ROOM_CODES) < 8 or random.random() < 0.25:
            room = self.client.post("/api/v1/rooms", json={"name": f"Soak {self.username}"}).json()
            self.rooms[room["id"]] = "owner"
            with LOCK:
                ROOM_CODES.append((room["id"], room["code"]))
        self.join()

    def _room(self):
        return random.choice(list(self.rooms)) if self.rooms else None

    @task(5)
    def list_tasks(self):
        room = self._room()
        if room is None:
            return
        response = self.client.get(f"/api/v1/rooms/{room}/tasks?limit=100", name="/rooms/[id]/tasks")
        if response.status_code == 200:
            self.known_tasks[room] = response.json()["items"]
        elif response.status_code == 404:  # removed from the room by its owner meanwhile? then forget it
            self.rooms.pop(room, None)

    @task(3)
    def create_task(self):
        room = self._room()
        if room is None:
            return
        response = self.client.post(
            f"/api/v1/rooms/{room}/tasks", json={"title": f"task {uuid.uuid4().hex[:8]}"}, name="/rooms/[id]/tasks"
        )
        if response.status_code == 201:
            _acknowledge(response.json())

    @task(2)
    def move_task(self):
        room = self._room()
        if room is None or not self.known_tasks.get(room):
            return
        chosen = random.choice(self.known_tasks[room])
        status = random.choice(["pending", "in progress", "completed"])
        with self.client.patch(
            f"/api/v1/rooms/{room}/tasks/{chosen['id']}",
            json={"status": status},
            headers={"If-Match": f'"{chosen["version"]}"'},
            name="/rooms/[id]/tasks/[id]",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                _acknowledge(response.json())
            if response.status_code in (200, 404, 412):  # stale or deleted meanwhile: expected
                response.success()

    @task(1)
    def delete_task(self):
        room = self._room()
        if room is None or not self.known_tasks.get(room):
            return
        chosen = self.known_tasks[room].pop(random.randrange(len(self.known_tasks[room])))
        with self.client.delete(
            f"/api/v1/rooms/{room}/tasks/{chosen['id']}", name="/rooms/[id]/tasks/[id]", catch_response=True
        ) as response:
            if response.status_code == 204:
                _acknowledge(chosen, deleted=True)
            if response.status_code in (204, 404):
                response.success()

    @task(1)
    def join(self):
        with LOCK:
            candidates = [(i, c) for i, c in ROOM_CODES if i not in self.rooms]
        if not candidates:
            return
        room_id, code = random.choice(candidates)
        with self.client.post("/api/v1/rooms/join", json={"code": code.lower()}, catch_response=True) as response:
            if response.status_code == 200:
                self.rooms[room_id] = response.json()["role"]
            if response.status_code in (200, 404):  # a deleted room's code is gone
                response.success()

    @task(1)
    def leave(self):
        members = [r for r, role in self.rooms.items() if role == "member"]
        if not members:
            return
        room = random.choice(members)
        user_id = self.client.get("/api/v1/users/me").json()["id"]
        response = self.client.delete(f"/api/v1/rooms/{room}/members/{user_id}", name="/rooms/[id]/members/[id]")
        if response.status_code == 204:
            self.rooms.pop(room)
            with self.client.get(
                f"/api/v1/rooms/{room}/tasks", name="/rooms/[id]/tasks (after leaving)", catch_response=True
            ) as after:
                if after.status_code == 404:  # leaving takes effect on the very next request
                    after.success()
                else:
                    VIOLATIONS.append(f"left room {room} but its tasks answered {after.status_code}")
