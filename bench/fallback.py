"""The Python load generator, for machines without wrk: one thread per keep-alive connection
(http.client), each driven by the Python twin of a bench/wrk/*.lua script.

It shares the GIL and the two cores with the stack it measures, so its figures are lower than
wrk's; the report says so whenever it ran.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import threading
import time
from abc import ABC, abstractmethod
from urllib.parse import urlsplit

from .load import LoadData, LoadResult

ACCEPT = "application/json, application/problem+json"
NEXT_STATUS = {"pending": "in progress", "in progress": "completed", "completed": "pending"}


class Driver(ABC):
    """Makes one connection's requests; sees each answer."""

    def __init__(self, data: LoadData, index: int, count: int):
        self.data, self.random = data, random.Random(index)
        self.created: dict[int, int] = {}
        self.moved: dict[int, tuple[int, str]] = {}

    def room_and_token(self):
        room = self.random.choice(self.data.rooms)
        return room, self.data.tokens[self.random.choice(room.members)]

    @staticmethod
    def headers(token: str, **extra) -> dict:
        return {"Accept": ACCEPT, "Authorization": f"Bearer {token}", **extra}

    @abstractmethod
    def next(self) -> tuple[str, str, dict, bytes | None]:
        """The next request: method, path, headers, body."""

    def seen(self, status: int, body: bytes) -> None:
        """An answer arrived (for the writers: acknowledged writes); readers ignore it."""
        return None

    def pause(self) -> float:
        """Seconds to wait before the next request (a poller's interval); 0: at once."""
        return 0.0


class BoardRead(Driver):
    def next(self):
        room, token = self.room_and_token()
        return "GET", f"/api/v1/rooms/{room.id}/tasks", self.headers(token), None


class BoardReadUncached(Driver):
    """A page size of 51 to 200 (a 50-task board is whole in each): pages the cache does not hold."""

    def next(self):
        room, token = self.room_and_token()
        limit = self.random.randint(51, 200)
        return "GET", f"/api/v1/rooms/{room.id}/tasks?limit={limit}", self.headers(token), None


class BoardOpen(Driver):
    """The room, its members and its tasks, one after the other (the browser sends them at once)."""

    PARTS = ("", "/members", "/tasks?limit=200")

    def __init__(self, *args):
        super().__init__(*args)
        self.pending: list[tuple] = []

    def next(self):
        if not self.pending:
            room, token = self.room_and_token()
            base = f"/api/v1/rooms/{room.id}"
            self.pending = [("GET", base + part, self.headers(token), None) for part in self.PARTS]
        return self.pending.pop(0)


class BoardOpenPlanning(BoardOpen):
    """The room, its members, its labels and its tasks."""

    PARTS = ("", "/members", "/labels", "/tasks?limit=200")


class RoomActivity(Driver):
    def next(self):
        room, token = self.room_and_token()
        return "GET", f"/api/v1/rooms/{room.id}/activity", self.headers(token), None


class MyTasks(Driver):
    def next(self):
        token = self.data.tokens[self.random.choice(self.data.users)]
        return "GET", "/api/v1/users/me/tasks", self.headers(token), None


class ChangeCheck(Driver):
    def next(self):
        room, token = self.room_and_token()
        return (
            "GET",
            f"/api/v1/rooms/{room.id}/tasks?limit=200",
            self.headers(token, **{"If-None-Match": room.etag}),
            None,
        )


class PollBoards(ChangeCheck):
    """One open board polled every 3 s with If-None-Match (bench/wrk/poll_boards.lua): the
    first poll at random in the first interval, so the boards spread over it."""

    POLL_S = 3.0

    def __init__(self, data: LoadData, index: int, count: int):
        super().__init__(data, index, count)
        self.room = data.rooms[index % len(data.rooms)]  # its own board
        self.first = True

    def room_and_token(self):
        return self.room, self.data.tokens[self.random.choice(self.room.members)]

    def pause(self):
        if self.first:
            self.first = False
            return self.random.uniform(0, self.POLL_S)
        return self.POLL_S


class Writes(Driver):
    """Creates and moves; each connection moves only its own share of the tasks, one at a time."""

    def __init__(self, data: LoadData, index: int, count: int):
        super().__init__(data, index, count)
        self.pool = [dict(vars(task)) for task in data.tasks[index::count]]
        self.serial = 0

    def create(self):
        room, token = self.room_and_token()
        self.serial += 1
        body = json.dumps({"title": f"Bench task {id(self) % 1000}.{self.serial}"}).encode()
        return (
            "POST",
            f"/api/v1/rooms/{room.id}/tasks",
            self.headers(token, **{"Content-Type": "application/json"}),
            body,
        )

    def next_task(self) -> tuple[dict, dict]:
        task = self.pool.pop(0) if self.pool else dict(vars(self.random.choice(self.data.tasks)))
        self.pool.append(task)
        headers = self.headers(self.data.tokens[task["member"]], **{"Content-Type": "application/json"})
        headers["If-Match"] = f'"{task["version"]}"'
        return task, headers

    def move(self):
        task, headers = self.next_task()
        body = json.dumps({"status": NEXT_STATUS[task["status"]]}).encode()
        return "PATCH", f"/api/v1/rooms/{task['room']}/tasks/{task['id']}", headers, body

    def move_in_column(self):
        """Half right after the column's first task (into one gap again and again, so that the
        column is renumbered now and then), half right after any other task of it."""
        task, headers = self.next_task()
        after = task["first"]
        if self.random.random() >= 0.5:
            after = self.random.randint(task["first"], task["last"] - 1)
            after += after >= task["id"]  # any task but itself
        body = json.dumps({"after_id": after}).encode()
        return "POST", f"/api/v1/rooms/{task['room']}/tasks/{task['id']}/move", headers, body

    def seen(self, status, body):
        if status not in (200, 201) or b'"items"' in body:
            return
        task = json.loads(body)
        if status == 201:
            self.created[task["room_id"]] = self.created.get(task["room_id"], 0) + 1
            return
        for mine in self.pool:
            if int(mine["id"]) == task["id"]:
                mine.update(version=task["version"], status=task["status"])
                self.moved[task["id"]] = (task["version"], task["status"])


class CreateTask(Writes):
    def next(self):
        return self.create()


class MoveTask(Writes):
    def next(self):
        return self.move()


class MoveInColumn(Writes):
    def next(self):
        return self.move_in_column()


class Mixed(Writes):
    def next(self):
        draw = self.random.random()
        if draw < 0.05:
            return self.create()
        if draw < 0.10:
            return self.move()
        room, token = self.room_and_token()
        return "GET", f"/api/v1/rooms/{room.id}/tasks", self.headers(token), None


class Reference(Driver):
    def next(self):
        return "GET", f"/rooms/{self.random.choice(self.data.rooms).id}/tasks", {"Accept": ACCEPT}, None


DRIVERS = {
    "board_read": BoardRead,
    "board_read_uncached": BoardReadUncached,
    "board_open": BoardOpen,
    "board_open_planning": BoardOpenPlanning,
    "my_tasks": MyTasks,
    "room_activity": RoomActivity,
    "change_check": ChangeCheck,
    "poll_boards": PollBoards,
    "create_task": CreateTask,
    "move_task": MoveTask,
    "move_in_column": MoveInColumn,
    "mixed": Mixed,
    "reference": Reference,
}


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def python_load(base_url: str, script: str, data: LoadData, seconds: int, connections: int) -> LoadResult:
    """Run ``connections`` threads for ``seconds``; the same figures wrk's done() gives."""
    parts = urlsplit(base_url)
    drivers = [DRIVERS[script](data, index, connections) for index in range(connections)]
    latencies: list[list[float]] = [[] for _ in drivers]
    statuses: list[dict[int, int]] = [{} for _ in drivers]
    received = [0] * connections
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        driver, connection = drivers[index], None
        while time.monotonic() < deadline:
            method, path, headers, body = driver.next()
            started = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except TimeoutError:
                kind = "timeout"
            except (OSError, http.client.HTTPException):
                kind = "read" if connection and connection.sock else "connect"
            else:
                latencies[index].append((time.perf_counter() - started) * 1000)
                received[index] += len(payload)  # the body only: http.client does not count header bytes
                statuses[index][response.status] = statuses[index].get(response.status, 0) + 1
                driver.seen(response.status, payload)
                pause = min(driver.pause(), deadline - time.monotonic())
                if pause > 0:
                    time.sleep(pause)
                continue
            with lock:
                errors[kind] += 1
            if connection:
                connection.close()
            connection = None

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(x for series in latencies for x in series)
    merged: dict[int, int] = {}
    for counts in statuses:
        for status, count in counts.items():
            merged[status] = merged.get(status, 0) + count
    created: dict[int, int] = {}
    moved: dict[int, tuple[int, str]] = {}
    for driver in drivers:
        for room, count in driver.created.items():
            created[room] = created.get(room, 0) + count
        moved.update(driver.moved)
    return LoadResult(
        generator="python",
        requests=len(ordered),  # answered requests, as wrk counts them
        seconds=elapsed,
        latency_ms={
            "p50": percentile(ordered, 0.50),
            "p90": percentile(ordered, 0.90),
            "p99": percentile(ordered, 0.99),
            "mean": sum(ordered) / len(ordered) if ordered else 0.0,
            "max": ordered[-1] if ordered else 0.0,
        },
        statuses=merged,
        socket_errors=errors,
        received_bytes=sum(received),
        created=created,
        moved=moved,
    )
