"""The tasks service's replays: a topic's events after an id, read with a stream's own token.

``GET /internal/v1/rooms/<id>/events?after=N`` and ``GET /internal/v1/users/me/events?after=N``
answer ``{"head": H, "events": [{"id", "event", "data"}, ...oldest first], "reset": bool}``, and
check membership as every route does (404 for a non-member). Without ``after`` only the head.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import urllib3
from flask import Response

from tasksync_common import peers
from tasksync_common.auth import Identity
from tasksync_common.problems import Problem

from .stream import Event

PASSED_HEADERS = ("Content-Type", "Retry-After", "WWW-Authenticate")


@dataclass(frozen=True)
class Replay:
    """The topic's newest id, the events after the id asked for, and whether there were too many."""

    head: int
    events: list[Event]
    reset: bool


class Refused(Exception):
    """The tasks service did not give the replay (not a member, a bad token, a failure)."""

    def __init__(self, upstream: urllib3.BaseHTTPResponse):
        super().__init__(upstream.status)
        self.upstream = upstream

    def response(self) -> Response:
        """The service's answer, relayed as it gave it."""
        response = Response(self.upstream.data, status=self.upstream.status)
        for name in PASSED_HEADERS:
            if name in self.upstream.headers:
                response.headers[name] = self.upstream.headers[name]
        return response


def path_of(topic: str) -> str:
    kind, _, number = topic.partition(":")
    return f"/internal/v1/rooms/{number}/events" if kind == "room" else "/internal/v1/users/me/events"


def read(topic: str, identity: Identity, after: int | None) -> Replay:
    """The replay of ``topic`` after ``after`` (None: only the head) as ``identity`` may read it;
    raises Refused with the service's answer when it gives none, Problem when it is down."""
    target = path_of(topic) + ("" if after is None else f"?after={after}")
    upstream = peers.tasks_client().request("GET", target, headers=identity.authorization)
    if upstream.status != 200:
        raise Refused(upstream)
    try:
        body = upstream.json()
        events = [Event(int(item["id"]), str(item["event"]), dict(item["data"])) for item in body["events"]]
        return Replay(int(body["head"]), events, bool(body["reset"]))
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        raise Problem(
            503, "The tasks service gave a replay that could not be read.", headers={"Retry-After": "2"}
        ) from None
