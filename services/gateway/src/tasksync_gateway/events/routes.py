"""``GET /api/v1/rooms/{room_id}/events`` and ``GET /api/v1/users/me/events``: answered by the
gateway itself, in the place of forwarding (proxy.forward asks ``answer`` first).

Opening a stream: the token verified and not revoked; at most PER_USER open streams per user in
this worker; the stream joins its hub (hubs.py says why before its replay); then the replay
from the tasks service, which checks membership: its refusal (404, say) is relayed as it is,
before any byte of a stream. Only then ``200 text/event-stream``: ``retry``, for a room a
``presence`` event, the replayed events (or ``reset``), and live events as they come.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator

from flask import Response, request

from tasksync_common import auth, live
from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem

from ..authentication import authenticate
from . import Live, access, current, sources
from .stream import Event, Stream, reset_event, revoked_event

log = logging.getLogger(__name__)

_ROOM = re.compile(r"^/api/v1/rooms/([0-9]{1,10})/events/?$")
_MINE = re.compile(r"^/api/v1/users/me/events/?$")
_EVENT_ID = re.compile(r"^[0-9]{1,15}$")
ALLOW = "GET, HEAD, OPTIONS"
PER_USER = 16  # open streams of one user in one worker: a tab each, and room to spare
RETRY_AFTER = 5  # seconds a refused 17th stream is told to wait
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def topic_of(path: str) -> tuple[str, int | None] | None:
    """The topic an events path names and its room (None: the caller's own), or None for any other path."""
    room = _ROOM.match(path)
    if room is not None:
        return (live.room_topic(int(room[1])), int(room[1])) if 0 < int(room[1]) <= MAX_ID else None
    return ("mine", None) if _MINE.match(path) else None


def answer(path: str) -> Response | None:
    """The answer to a request for an events path, or None when ``path`` is not one."""
    found = topic_of(path)
    if found is None:
        if _ROOM.match(path):
            raise Problem(404)  # a room id beyond any that exists
        return None
    if request.method == "OPTIONS":
        return Response(status=200, headers={"Allow": ALLOW})
    if request.method not in ("GET", "HEAD"):
        raise Problem(405, headers={"Allow": ALLOW})
    identity = authenticate()
    if not auth.authenticator().is_active(identity):
        raise Problem(401, "A valid bearer token is required.")
    topic, room_id = found
    if room_id is None:
        topic = live.user_topic(identity.user_id)
    if request.method == "HEAD":
        try:
            sources.read(topic, identity, None)  # the membership check, without a stream
        except sources.Refused as refused:
            return refused.response()
        return Response(status=200, mimetype="text/event-stream", headers=STREAM_HEADERS)
    return _open(Stream(topic, identity, room_id, request.environ.get("gunicorn.socket")))


def last_event_id() -> int | str | None:
    """The reconnecting client's Last-Event-ID: an id, "malformed", or None when it sent none."""
    given = request.headers.get("Last-Event-ID")
    if given is None:
        return None
    given = given.strip()
    return int(given) if _EVENT_ID.match(given) else "malformed"


def _open(stream: Stream) -> Response:
    state = current()
    hubs = state.hubs
    if hubs.open_count(stream.user_id) >= PER_USER:
        raise Problem(
            429,
            f"At most {PER_USER} event streams may be open at once; close one or try again in {RETRY_AFTER} seconds.",
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    after = last_event_id()
    hub = hubs.join(stream)  # before the replay: see hubs.py
    try:
        replay = sources.read(stream.topic, stream.identity, after if isinstance(after, int) else None)
    except sources.Refused as refused:
        hubs.leave(stream)
        return refused.response()
    except BaseException:
        hubs.leave(stream)
        raise
    opening: list[Event] = []
    if after is None:
        stream.sent = replay.head  # live from the head on
    elif replay.reset or isinstance(after, str):
        opening.append(reset_event(stream.topic, replay.head))
        stream.sent = replay.head
    else:
        opening.extend(replay.events)
        stream.sent = max([after, *(event.id for event in replay.events if event.id is not None)])
    hub.started(replay.head)
    if stream.room_id is not None:
        try:
            hubs.presence.enter(stream.room_id, stream.presence_key)
            users = hubs.presence.read([stream.room_id])[stream.room_id]
            stream.present = True
        except BaseException:
            hubs.leave(stream)
            raise
        live.publish(stream.topic, {"presence": True})
        opening.insert(0, Event(None, "presence", {"room_id": stream.room_id, "user_ids": list(users)}))
    body = _Body(stream, opening, state)
    return Response(body, status=200, mimetype="text/event-stream", headers=STREAM_HEADERS)


class _Body:
    """The response body of a stream, which cleans up once, when the server closes it (even if
    it never began: a generator that never ran runs no ``finally``)."""

    def __init__(self, stream: Stream, opening: list[Event], state: Live):
        self._stream = stream
        self._state = state
        self._app = state.hubs.app
        self._chunks = stream.run(opening, state.heartbeat, self._on_idle)
        self._closed = False

    def __iter__(self) -> Generator[bytes, None, None]:
        return self._chunks

    def _on_idle(self) -> Event | None:
        """Between heartbeats: check again whether the caller may go on (heals a lost recheck)."""
        with self._app.app_context():
            reason = access.denial(self._stream)
        return None if reason is None else revoked_event(self._stream.topic, reason)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._chunks.close()
        stream, hubs = self._stream, self._state.hubs
        stream.end()
        hubs.leave(stream)
        if stream.room_id is not None:
            with self._app.app_context():
                try:
                    hubs.presence.leave(stream.room_id, stream.presence_key)
                except Exception as error:  # Redis away: the entry goes stale on its own
                    log.warning("presence of a closed stream not removed: %s", error.__class__.__name__)
                live.publish(stream.topic, {"presence": True})
