"""A stream and a hub on their own (no sockets, no services): the rules that keep a stalled reader
from holding anyone up, and that pass each event on once, in order. The same rules through a real
stack: tests/contract/test_events.py."""

from __future__ import annotations

import time

from tasksync_common import config
from tasksync_common.auth import Identity
from tasksync_common.signing import API_AUDIENCE, Claims
from tasksync_gateway import create_app
from tasksync_gateway.events.hubs import Hubs
from tasksync_gateway.events.presence import MemoryPresence
from tasksync_gateway.events.stream import QUEUE_LIMIT, Event, Stream

ROOM = "room:7"


def stream(topic: str = ROOM, user_id: int = 3, expires_in: float = 3600) -> Stream:
    claims = Claims(str(user_id), "t1", int(time.time() + expires_in), API_AUDIENCE)
    return Stream(topic, Identity(claims, "token"), 7 if topic.startswith("room:") else None, None)


def event(number: int, name: str = "task.created") -> Event:
    return Event(number, name, {"room_id": 7, "n": number})


def written(chunks) -> list[tuple[int | None, str]]:
    """The (id, event) pairs of what a stream wrote."""
    pairs = []
    for block in b"".join(chunks).decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            pairs.append((int(fields["id"]) if "id" in fields else None, fields["event"]))
    return pairs


def run_until_end(live: Stream, opening: list[Event] | None = None) -> list[tuple[int | None, str]]:
    """What the stream writes of its opening and of what is queued now, until it ends."""
    body = live.run(opening or [], heartbeat=30, on_idle=lambda: None)
    chunks = [next(body)]  # retry and the opening
    if not live.ending and live._queue:
        chunks.append(next(body))  # what is queued
    live.end()
    chunks.extend(body)
    return written(chunks)


def test_a_reader_too_far_behind_gets_one_reset_with_the_newest_id():
    live = stream()
    for number in range(1, QUEUE_LIMIT + 11):
        live.offer(event(number))
    body = live.run([], heartbeat=30, on_idle=lambda: None)
    chunks = [next(body), next(body)]
    pairs = written(chunks)
    assert pairs[0] == (QUEUE_LIMIT + 1, "reset")  # the queue overflowed at this one: all before it go
    assert [number for number, _ in pairs[1:]] == list(range(QUEUE_LIMIT + 2, QUEUE_LIMIT + 11))
    assert len(pairs) <= QUEUE_LIMIT + 1


def test_a_stream_never_writes_an_id_it_has_and_ending_drops_what_is_queued():
    live = stream()
    live.sent = 5  # its replay went up to 5
    for number in (4, 5, 6, 6, 7):
        live.offer(event(number))
    body = live.run([], heartbeat=30, on_idle=lambda: None)
    first = [next(body), next(body)]
    assert [number for number, _ in written(first)] == [6, 7]
    live.offer(event(8))
    live.end(Event(None, "revoked", {"room_id": 7, "reason": "not_member"}))
    assert written(list(body)) == [(None, "revoked")]


def test_presence_is_written_only_when_it_changed():
    live = stream()
    opening = [Event(None, "presence", {"room_id": 7, "user_ids": [3]})]
    live.offer(Event(None, "presence", {"room_id": 7, "user_ids": [3]}))  # the hub telling it again
    live.offer(Event(None, "presence", {"room_id": 7, "user_ids": [3, 4]}))
    assert run_until_end(live, opening) == [(None, "presence"), (None, "presence")]


def test_an_expired_token_ends_the_stream_with_revoked():
    live = stream(expires_in=0.2)
    started = time.monotonic()
    pairs = written(live.run([], heartbeat=30, on_idle=lambda: None))
    assert pairs == [(None, "revoked")]
    assert time.monotonic() - started < 1


def hubs(tmp_path) -> Hubs:
    settings = config.load({"TASKSYNC_DATA_DIR": str(tmp_path), "TASKSYNC_PORT": "9"})
    return Hubs(create_app({"TESTING": True}, settings=settings), MemoryPresence())


def notice(number: int, prev: int) -> dict:
    return {"id": number, "prev": prev, "event": "task.created", "data": {"room_id": 7}}


def test_a_new_hub_applies_the_notices_that_came_before_its_head_in_order(tmp_path):
    registry = hubs(tmp_path)
    live = stream()
    hub = registry.join(live)
    for number, prev in ((12, 11), (11, 10), (10, 9)):  # before the first replay answered, out of order
        registry.dispatch(ROOM, notice(number, prev))
    live.sent = 10
    hub.started(10)  # the replay's head: 10 is the stream's already
    registry.dispatch(ROOM, notice(12, 11))  # a repeat
    registry.dispatch(ROOM, notice(13, 12))
    assert [number for number, _ in run_until_end(live)] == [11, 12, 13]
    assert hub.last == 13


def test_malformed_notices_are_dropped_and_the_hub_goes_on(tmp_path):
    registry = hubs(tmp_path)
    live = stream()
    registry.join(live).started(1)
    for garbage in (None, [1], {"id": "2", "prev": 1}, {"id": 2}, {"id": True, "prev": 1, "event": "x", "data": {}}):
        registry.dispatch(ROOM, garbage)
    registry.dispatch("user:x", {"recheck": True})
    registry.dispatch(ROOM, notice(2, 1))
    assert run_until_end(live) == [(2, "task.created")]


def test_room_deleted_ends_the_rooms_streams_and_an_empty_hub_goes_away(tmp_path):
    registry = hubs(tmp_path)
    live, other = stream(), stream(user_id=4)
    registry.join(live).started(1)
    registry.join(other)
    registry.dispatch(ROOM, {"event": "room.deleted", "data": {"room_id": 7}})
    assert run_until_end(live) == [(None, "room.deleted"), (None, "revoked")]
    registry.leave(live)
    registry.leave(other)
    assert registry.hubs == {} and registry.by_user == {}
