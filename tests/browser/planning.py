"""A stand-in, in the browser's network layer, for the planning additions of docs/api.md ("Planning
fields on tasks", "Labels") while the stack under test does not serve them yet.

The real stack still answers every request: task answers pass through it and only gain the
planning fields (due_at, priority, label_ids, checklist, position) from this object's state;
`move` becomes the PATCH of the task's status that the real stack knows (so versions, If-Match and
the room's revision stay the server's), followed by the place taken in the column; checklist
routes change the state and answer the real task with it. Once the stack has these routes, the
tests that use this can drop it and run against the server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from playwright.sync_api import Page, Route

TASK = re.compile(r"/api/v1/rooms/(\d+)/tasks/(\d+)(/move|/checklist(?:/(\d+))?)?$")
LIST = re.compile(r"/api/v1/rooms/(\d+)/tasks\?")
LABELS = re.compile(r"/api/v1/rooms/(\d+)/labels$")


@dataclass
class Planning:
    """Planning fields by task id, the room's labels, and the moves the page asked for."""

    tasks: dict[int, dict] = field(default_factory=dict)
    labels: list[dict] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    next_item: int = 1

    def fields(self, task_id: int) -> dict:
        extra = self.tasks.setdefault(task_id, {})
        extra.setdefault("due_at", None)
        extra.setdefault("priority", "none")
        extra.setdefault("label_ids", [])
        extra.setdefault("checklist", [])
        extra.setdefault("position", float(task_id))
        return extra

    def plan(self, task_id: int, **fields) -> None:
        self.fields(task_id).update(fields)

    def with_fields(self, task: dict) -> dict:
        return {**task, **self.fields(task["id"])}

    def install(self, page: Page) -> Planning:
        page.route(LIST, self._list)
        page.route(TASK, self._task)
        page.route(LABELS, self._labels)
        return self

    def _answer(self, route: Route, response, body) -> None:
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")}
        route.fulfill(status=response.status, headers=headers, body=json.dumps(body))

    def _list(self, route: Route) -> None:
        response = route.fetch()
        if response.status != 200:
            route.fulfill(response=response)
            return
        body = response.json()
        body["items"] = [self.with_fields(task) for task in body["items"]]
        self._answer(route, response, body)

    def _labels(self, route: Route) -> None:
        if route.request.method == "POST":
            sent = route.request.post_data_json
            label = {"id": len(self.labels) + 1, "room_id": 0, "created_at": "2026-01-01T00:00:00Z", **sent}
            self.labels.append(label)
            route.fulfill(status=201, content_type="application/json", body=json.dumps(label))
            return
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"items": self.labels}))

    def _task(self, route: Route) -> None:
        request = route.request
        room_id, task_id, sub, item_id = TASK.search(request.url).groups()
        task_id = int(task_id)
        base = request.url.split("/api/v1/")[0] + f"/api/v1/rooms/{room_id}/tasks/{task_id}"
        if sub == "/move":
            self._move(route, base, task_id)
            return
        if sub is None and request.method == "PATCH":
            sent = request.post_data_json
            planned = {key: sent.pop(key) for key in ("due_at", "priority", "label_ids") if key in sent}
            response = route.fetch(post_data=json.dumps(sent)) if sent else route.fetch(method="GET", url=base)
            if response.status == 200:
                self.plan(task_id, **planned)
            self._pass(route, response)
            return
        if sub is None:
            self._pass(route, route.fetch())
            return
        checklist = self.fields(task_id)["checklist"]
        if request.method == "POST":
            checklist.append({"id": self.next_item, "text": request.post_data_json["text"].strip(), "done": False})
            self.next_item += 1
        elif request.method == "PATCH":
            for item in checklist:
                if item["id"] == int(item_id):
                    item.update(request.post_data_json)
        elif request.method == "DELETE":
            self.fields(task_id)["checklist"] = [item for item in checklist if item["id"] != int(item_id)]
        created = 201 if request.method == "POST" else None
        self._pass(route, route.fetch(method="GET", url=base, post_data=None), status=created)

    def _pass(self, route: Route, response, status: int | None = None) -> None:
        if response.status != 200:
            route.fulfill(response=response)
            return
        body = self.with_fields(response.json())
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")}
        route.fulfill(status=status or 200, headers=headers, body=json.dumps(body))

    def _move(self, route: Route, base: str, task_id: int) -> None:
        sent = route.request.post_data_json
        self.moves.append(sent)
        response = route.fetch(url=base, method="GET", post_data=None)
        task = response.json()
        if sent.get("status") and sent["status"] != task["status"]:
            response = route.fetch(url=base, method="PATCH", post_data=json.dumps({"status": sent["status"]}))
            if response.status != 200:
                route.fulfill(response=response)
                return
        after = sent.get("after_id")
        column = sorted(
            (extra["position"], tid) for tid, extra in self.tasks.items() if tid != task_id and "position" in extra
        )
        if after is None:
            position = (column[0][0] if column else 1.0) - 1.0
        else:
            mine = self.fields(after)["position"]
            later = [pos for pos, _ in column if pos > mine]
            position = (mine + later[0]) / 2 if later else mine + 1.0
        self.plan(task_id, position=position)
        self._pass(route, response)
