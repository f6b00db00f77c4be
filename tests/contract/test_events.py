"""docs/api.md, Live events: a room's stream and the caller's own, through a real stack.

The module has its own stack (on each backend) with a short heartbeat, so that keep-alives and
the idle re-checks come within the test's patience; revocations must come within a second,
faster than that heartbeat, so they are the notices' doing, not the heartbeat's.
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
import re
import threading
import time

import pytest

from tests.conftest import Client, _backends, running_stack
from tests.contract.helpers import PASSWORD, join, make_room, make_task, ok, problem, sign_up
from tests.event_stream import EventStream

HEARTBEAT = 2.0  # seconds of silence before a keep-alive (TASKSYNC_EVENTS_HEARTBEAT)
REVOKED_WITHIN = 1.0  # the contract's bound
PER_USER = 16  # open streams per user and gateway worker


@pytest.fixture(scope="module", params=_backends())
def stack(request, tmp_path_factory):
    """This module's stack (SQLite embedded, or the production configuration)."""
    with running_stack(tmp_path_factory, request.param, {"TASKSYNC_EVENTS_HEARTBEAT": str(HEARTBEAT)}) as started:
        yield started


def room_events(stack, room_id: int, client: Client | None, **kwargs) -> EventStream:
    return EventStream.open(f"{stack.url}/api/v1/rooms/{room_id}/events", client.token if client else None, **kwargs)


def my_events(stack, client: Client, **kwargs) -> EventStream:
    return EventStream.open(f"{stack.url}/api/v1/users/me/events", client.token, **kwargs)


def opened(stream: EventStream) -> EventStream:
    """Assert the stream opened as the guide says; its first event (a room's presence) is read."""
    assert stream.status == 200, stream.response.text[:300] if stream.status != 200 else ""
    headers = stream.response.headers
    assert headers["Content-Type"].split(";")[0] == "text/event-stream"
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Accel-Buffering"] == "no"
    return stream


def activity_ids(client: Client, room_id: int) -> list[int]:
    """Every entry id of the room's history, oldest first."""
    ids, cursor = [], None
    while True:
        page = ok(client.get(f"/api/v1/rooms/{room_id}/activity", params={"limit": 100, "cursor": cursor}))
        ids.extend(entry["id"] for entry in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return sorted(ids)


def test_an_event_follows_each_write_with_the_contracts_data(stack, owner, member):
    room = make_room(owner)
    join(member, room)
    with opened(room_events(stack, room["id"], member)) as stream:
        first = stream.next()
        assert stream.retry == 3000
        assert first.event == "presence" and first.id is None
        assert first.data == {"room_id": room["id"], "user_ids": [member.user["id"]]}
        started = time.monotonic()
        created = ok(
            owner.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "live"}, headers={"X-Request-ID": "live-1"}),
            201,
        )
        event = stream.next_named("task.created")
        assert time.monotonic() - started < 2
        assert event.data["room_id"] == room["id"]
        assert event.data["task_id"] == created["id"]
        assert event.data["actor_id"] == owner.user["id"]
        assert event.data["request_id"] == "live-1"
        listed = owner.get(f"/api/v1/rooms/{room['id']}/tasks")
        assert re.match(rf'^"r{event.data["revision"]}-', listed.headers["ETag"]), listed.headers["ETag"]
        assert event.id == activity_ids(owner, room["id"])[-1]


def test_a_stream_needs_a_token_and_membership(stack, owner, outsider, anonymous):
    room = make_room(owner)
    problem(room_events(stack, room["id"], None).response, 401)
    problem(EventStream.open(f"{stack.url}/api/v1/users/me/events").response, 401)
    problem(EventStream.open(f"{stack.url}/api/v1/rooms/{room['id']}/events", "not-a-token").response, 401)
    problem(room_events(stack, room["id"], outsider).response, 404)
    problem(room_events(stack, 999_999_999, owner).response, 404)
    problem(room_events(stack, 99_999_999_999, owner).response, 404)


def test_other_methods_are_405_naming_get(stack, owner):
    room = make_room(owner)
    for path in (f"/api/v1/rooms/{room['id']}/events", "/api/v1/users/me/events"):
        refused = problem(owner.post(path, json={}), 405)
        assert refused["status"] == 405
        allowed = owner.post(path, json={}).headers["Allow"]
        assert {m.strip() for m in allowed.split(",")} == {"GET", "HEAD", "OPTIONS"}


def test_reconnecting_loses_and_repeats_nothing(stack, owner, member):
    """Writes go on while the reader drops its connection at random points and comes back with
    Last-Event-ID: the ids it reads are exactly the room's entries, in order, once each."""
    room = make_room(owner)
    join(member, room)
    start_after = activity_ids(owner, room["id"])[-1]
    writes = 24
    done = threading.Event()

    def write():
        for number in range(writes):
            make_task(owner, room["id"], title=f"w{number}")
        done.set()

    seen: list[int] = []
    chooser = random.Random(7)
    writer = threading.Thread(target=write)
    last = start_after
    deadline = time.monotonic() + 60
    writer.start()
    try:
        while True:
            assert time.monotonic() < deadline, seen
            with opened(room_events(stack, room["id"], member, last_event_id=last)) as stream:
                for _ in range(chooser.randint(1, 6)):
                    try:
                        event = stream.next(timeout=3 if not done.is_set() else 1.5)
                    except AssertionError:
                        break
                    if event.id is not None:
                        assert event.event != "reset", event
                        seen.append(event.id)
                        last = event.id
            if done.is_set() and len(seen) >= writes:
                break
            assert len(seen) <= writes + 1, seen
    finally:
        writer.join()
    expected = [i for i in activity_ids(owner, room["id"]) if i > start_after]
    assert seen == expected


def test_an_id_that_cannot_be_replayed_begins_with_reset(stack, owner):
    room = make_room(owner)
    make_task(owner, room["id"])
    head = activity_ids(owner, room["id"])[-1]
    for given in ("999999999", "not-an-id", "-3"):
        with opened(room_events(stack, room["id"], owner, last_event_id=given)) as stream:
            stream.next()  # presence
            reset = stream.next()
            assert (reset.event, reset.id) == ("reset", head), given
            assert reset.data == {"room_id": room["id"]}


def test_without_last_event_id_the_stream_starts_at_the_head(stack, owner):
    room = make_room(owner)
    make_task(owner, room["id"], title="before")
    with opened(room_events(stack, room["id"], owner)) as stream:
        stream.next()  # presence
        make_task(owner, room["id"], title="after")
        event = stream.next()
        assert event.event == "task.created"
        assert event.id == activity_ids(owner, room["id"])[-1]


def test_a_quiet_stream_sends_keep_alive_comments(stack, owner):
    room = make_room(owner)
    with opened(room_events(stack, room["id"], owner)) as stream:
        stream.next()
        started = time.monotonic()
        assert stream.wait_comment(timeout=HEARTBEAT + 2) == "keep-alive"
        assert time.monotonic() - started >= HEARTBEAT * 0.8


def test_presence_shows_who_has_the_room_open_and_follows_a_cut_connection(stack, owner, member):
    room = make_room(owner)
    join(member, room)
    with opened(room_events(stack, room["id"], owner)) as watcher:
        assert watcher.next().data["user_ids"] == [owner.user["id"]]
        other = opened(room_events(stack, room["id"], member))
        both = sorted([owner.user["id"], member.user["id"]])
        assert watcher.next_named("presence").data == {"room_id": room["id"], "user_ids": both}
        assert other.next().data["user_ids"] == both
        other.cut()  # no goodbye: the connection is reset
        started = time.monotonic()
        assert watcher.next_named("presence", timeout=5).data["user_ids"] == [owner.user["id"]]
        assert time.monotonic() - started < 5


def revoked_within_a_second(stream: EventStream, change, reason: str, room_deleted: bool = False) -> None:
    stream.next()  # the room's presence, or (for a user's stream) nothing is read until the change
    started = time.monotonic()
    change()
    events = stream.wait_closed(timeout=REVOKED_WITHIN + 0.5)
    took = time.monotonic() - started
    names = [event.event for event in events if event.id is None]
    assert names[-1] == "revoked", events
    assert events[-1].data["reason"] == reason
    if room_deleted:
        assert names[-2:] == ["room.deleted", "revoked"], events
    assert took < REVOKED_WITHIN, took


def test_leaving_ends_the_stream_with_revoked(stack, owner):
    leaver = sign_up(stack.url)
    room = make_room(owner)
    join(leaver, room)
    stream = opened(room_events(stack, room["id"], leaver))
    change = lambda: ok(leaver.delete(f"/api/v1/rooms/{room['id']}/members/{leaver.user['id']}"), 204)  # noqa: E731
    revoked_within_a_second(stream, change, "not_member")


def test_removal_ends_the_stream_with_revoked(stack, owner):
    removed = sign_up(stack.url)
    room = make_room(owner)
    join(removed, room)
    stream = opened(room_events(stack, room["id"], removed))
    change = lambda: ok(owner.delete(f"/api/v1/rooms/{room['id']}/members/{removed.user['id']}"), 204)  # noqa: E731
    revoked_within_a_second(stream, change, "not_member")


def test_deleting_the_room_sends_room_deleted_then_revoked(stack, owner, member):
    room = make_room(owner)
    join(member, room)
    stream = opened(room_events(stack, room["id"], member))
    change = lambda: ok(owner.delete(f"/api/v1/rooms/{room['id']}"), 204)  # noqa: E731
    revoked_within_a_second(stream, change, "room_deleted", room_deleted=True)


def test_logging_out_ends_every_stream_of_that_token(stack, owner):
    person = sign_up(stack.url)
    room = make_room(person)
    streams = [opened(room_events(stack, room["id"], person)), opened(my_events(stack, person))]
    started = time.monotonic()
    ok(person.post("/api/v1/auth/logout"), 204)
    for stream in streams:
        events = stream.wait_closed(timeout=REVOKED_WITHIN + 0.5)
        assert events[-1].event == "revoked" and events[-1].data["reason"] == "token_revoked", events
    assert time.monotonic() - started < REVOKED_WITHIN + 0.2


def test_changing_the_password_ends_the_stream(stack):
    person = sign_up(stack.url)
    room = make_room(person)
    stream = opened(room_events(stack, room["id"], person))
    change = lambda: ok(  # noqa: E731
        person.put("/api/v1/users/me/password", json={"current_password": PASSWORD, "new_password": PASSWORD + "!"}),
        204,
    )
    revoked_within_a_second(stream, change, "token_revoked")


def test_a_user_may_hold_only_so_many_streams_at_once(stack, owner):
    person = sign_up(stack.url)
    room = make_room(person)
    workers = 1 if stack.backend == "sqlite" else 2
    streams, refused = [], None
    try:
        for _ in range(PER_USER * workers + 1):
            stream = room_events(stack, room["id"], person)
            if stream.status == 429:
                refused = stream
                break
            streams.append(opened(stream))
        assert refused is not None, "no stream was refused"
        assert len(streams) >= PER_USER
        body = problem(refused.response, 429)
        assert "16" in body["detail"]
        assert int(refused.response.headers["Retry-After"]) > 0
    finally:
        for stream in streams:
            stream.close()


def test_my_stream_tells_of_a_mention(stack, owner, member):
    room = make_room(owner)
    join(member, room)
    task = make_task(owner, room["id"])
    with opened(my_events(stack, member)) as stream:
        body = f"over to you, @{member.user['username']}"
        ok(owner.post(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments", json={"body": body}), 201)
        event = stream.next_named("notification")
        listed = ok(member.get("/api/v1/notifications"))["items"][0]
        assert event.data == listed
        assert event.id == listed["id"]
        assert event.data["kind"] == "mentioned"
    # and it replays from Last-Event-ID like a room's
    ok(owner.post(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments", json={"body": body + " again"}), 201)
    with opened(my_events(stack, member, last_event_id=event.id)) as again:
        replayed = again.next()
        assert replayed.event == "notification" and replayed.id > event.id


def test_a_malformed_notice_breaks_nothing(stack, owner):
    """Garbage where notices arrive is dropped; the next real event still comes."""
    import socket as sockets

    import redis

    from tasksync_common import config, live

    room = make_room(owner)
    with opened(room_events(stack, room["id"], owner)) as stream:
        stream.next()
        settings = config.load(stack.env)
        garbage = [b"not json", b"[1, 2]", b'{"id": "x", "prev": 0}', b'{"id": 5}']
        if settings.redis_url:
            store = redis.Redis.from_url(settings.redis_url)
            for message in garbage:
                store.publish(live.channel(live.room_topic(room["id"]), settings), message)
            store.close()
        else:
            with sockets.socket(sockets.AF_UNIX, sockets.SOCK_DGRAM) as sender:
                for path in live.socket_dir(settings).iterdir():
                    for message in [*garbage, live.datagram(live.room_topic(room["id"]), {"id": "x"})]:
                        sender.sendto(message, str(path))
        make_task(owner, room["id"])
        assert stream.next_named("task.created").event == "task.created"


# --- a second, embedded stack: tokens that live TTL seconds, notices lost on purpose ----------------

TTL = 5  # long enough for the lost-notice tests' own tokens


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    env = {"TASKSYNC_TOKEN_TTL": str(TTL), "TASKSYNC_EVENTS_HEARTBEAT": str(HEARTBEAT)}
    with running_stack(tmp_path_factory, "sqlite", env) as started:
        yield started


def test_a_stream_ends_when_its_token_expires(embedded):
    person = Client(embedded.url).sign_up()
    room = make_room(person)
    stream = opened(room_events(embedded, room["id"], person))
    stream.next()
    claims = person.token.split(".")[1]
    expires_at = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["exp"]
    events = stream.wait_closed(timeout=TTL + 2)
    assert events[-1].event == "revoked" and events[-1].data["reason"] == "token_expired", events
    assert time.time() - expires_at < REVOKED_WITHIN


@contextlib.contextmanager
def notices_lost(stack):
    """While inside, the embedded gateway hears no notice: its socket is moved out of the services'
    sight (the socket stays bound; moved back, it hears again)."""
    from tasksync_common import config, live

    folder = live.socket_dir(config.load(stack.env))
    sockets = [path for path in folder.iterdir() if path.name.endswith(live.SOCKET_SUFFIX)]
    for path in sockets:
        path.rename(path.with_name(path.name + ".away"))
    try:
        yield
    finally:
        for path in sockets:
            path.with_name(path.name + ".away").rename(path)


def test_a_lost_notice_is_healed_by_the_next_one(embedded):
    owner = Client(embedded.url).sign_up()
    room = make_room(owner)
    with opened(room_events(embedded, room["id"], owner)) as stream:
        stream.next()
        with notices_lost(embedded):
            lost = make_task(owner, room["id"], title="lost")
        found = make_task(owner, room["id"], title="found")
        heard = [stream.next_named("task.created"), stream.next_named("task.created")]
        assert [event.data["task_id"] for event in heard] == [lost["id"], found["id"]]
        assert heard[0].id < heard[1].id


def test_a_lost_last_notice_is_healed_by_the_tick(embedded):
    owner = Client(embedded.url).sign_up()
    room = make_room(owner)
    with opened(room_events(embedded, room["id"], owner)) as stream:
        stream.next()
        with notices_lost(embedded):
            lost = make_task(owner, room["id"], title="lost, and nothing after")
        # No notice follows: the hub's periodic look at the room's head finds it.
        assert stream.next_named("task.created", timeout=HEARTBEAT + 3).data["task_id"] == lost["id"]
