"""One open event stream: what it has queued, what it writes, and how it ends.

A stream is the greenlet of one request (the gateway runs gevent workers). Hubs hand it events
with ``offer``, which never blocks: the queue is bounded, and a stream that falls that far
behind has its queue replaced by one ``reset`` (its reader would reload the board anyway), so a
stalled reader never holds up a hub or anyone else's events. A write that blocks longer than
WRITE_TIMEOUT ends the stream (the socket's timeout), and a client that goes away is noticed at
once by a small watcher of the socket, not at the next write.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import gevent  # type: ignore[import-untyped]  # gevent ships no type information
from gevent.event import Event as Signal  # type: ignore[import-untyped]
from gevent.socket import wait_read  # type: ignore[import-untyped]

from tasksync_common.auth import Identity

log = logging.getLogger(__name__)

QUEUE_LIMIT = 256  # events a stream holds for its reader; one more and the reader gets `reset`
WRITE_TIMEOUT = 10  # seconds one write may block before the stream ends
RETRY_MS = 3000  # how long a disconnected client waits before it reconnects (the `retry:` field)


@dataclass(frozen=True)
class Event:
    """One server-sent event: ``id`` (None for events that are never replayed), name and data."""

    id: int | None
    name: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        """The event's lines (data as one line of JSON: JSON escapes every line break)."""
        head = f"id: {self.id}\n" if self.id is not None else ""
        body = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)
        return f"{head}event: {self.name}\ndata: {body}\n\n".encode()


def topic_data(topic: str) -> dict[str, Any]:
    """What ``reset`` and ``revoked`` say about their stream: its room, or nothing for a user's."""
    kind, _, number = topic.partition(":")
    return {"room_id": int(number)} if kind == "room" else {}


def reset_event(topic: str, event_id: int) -> Event:
    """The event that tells a reader to reload: its id is the newest, so reconnecting goes on from there."""
    return Event(event_id, "reset", topic_data(topic))


def revoked_event(topic: str, reason: str) -> Event:
    """The last event of a stream whose caller may no longer read it."""
    return Event(None, "revoked", {**topic_data(topic), "reason": reason})


class Stream:
    """One client's open stream of one topic (``room:<id>`` or ``user:<id>``)."""

    def __init__(self, topic: str, identity: Identity, room_id: int | None, connection: socket.socket | None):
        self.topic = topic
        self.identity = identity
        self.user_id = identity.user_id
        self.room_id = room_id
        # Names this stream in the room's presence set: the user, and which of their tabs.
        self.presence_key = f"{self.user_id}:{secrets.token_hex(8)}"
        self.connection = connection
        self.present = False  # counted in its room's presence (after its replay let it in)
        self.sent = 0  # the largest event id the reader has (written, or the head it started at)
        self._newest = 0  # the largest event id offered, for a `reset` that replaces the queue
        self._presence: dict[str, Any] | None = None  # the last presence written
        self._queue: deque[Event] = deque()
        self._final: list[Event] | None = None  # set once the stream is ending: its last events
        self._wake = Signal()

    @property
    def ending(self) -> bool:
        return self._final is not None

    def offer(self, event: Event) -> None:
        """Queue ``event`` for the reader (never blocks; a full queue becomes one ``reset``)."""
        if self._final is not None:
            return
        if event.id is not None:
            self._newest = max(self._newest, event.id)
        if len(self._queue) >= QUEUE_LIMIT:
            self._queue.clear()
            event = reset_event(self.topic, max(self._newest, self.sent))
        self._queue.append(event)
        self._wake.set()

    def end(self, *final: Event) -> None:
        """Write ``final`` (nothing queued before it) and close; the first call decides."""
        if self._final is None:
            self._final = list(final)
            self._queue.clear()
            self._wake.set()

    def _take(self) -> bytes:
        """The queued events not yet written, encoded; ids the reader has are skipped."""
        chunks = []
        while self._queue:
            event = self._queue.popleft()
            if event.id is not None:
                if event.id <= self.sent:
                    continue
                self.sent = event.id
            elif event.name == "presence":
                if event.data == self._presence:
                    continue  # the opening's, told again by the hub
                self._presence = event.data
            chunks.append(event.encode())
        return b"".join(chunks)

    def run(
        self, opening: list[Event], heartbeat: float, on_idle: Callable[[], Event | None]
    ) -> Generator[bytes, None, None]:
        """The body: ``retry``, ``opening``, then each event as it comes, a comment after every
        ``heartbeat`` seconds of silence (and ``on_idle()``, which may end the stream by
        returning its final event), until the stream ends (revoked, expired, the client gone)."""
        expires_at = self.identity.claims.expires_at
        if self.connection is not None:
            self.connection.settimeout(WRITE_TIMEOUT)
        watcher = gevent.spawn(self._watch) if self.connection is not None else None
        try:
            self._presence = next((event.data for event in opening if event.name == "presence"), None)
            yield f"retry: {RETRY_MS}\n\n".encode() + b"".join(event.encode() for event in opening)
            quiet_since = time.monotonic()
            while True:
                now = time.time()
                if now >= expires_at:
                    self.end(revoked_event(self.topic, "token_expired"))
                wait = min(heartbeat - (time.monotonic() - quiet_since), expires_at - now)
                if self._final is None and wait > 0:
                    self._wake.wait(wait)
                self._wake.clear()
                chunk = self._take()
                if self._final is not None:
                    if chunk or self._final:
                        yield chunk + b"".join(event.encode() for event in self._final)
                    return
                if chunk:
                    yield chunk
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= heartbeat:
                    final = on_idle()
                    if final is not None:
                        self.end(final)
                        continue
                    yield b": keep-alive\n\n"
                    quiet_since = time.monotonic()
        finally:
            if watcher is not None:
                watcher.kill(block=False)
            if self.connection is not None:
                # No next request on this connection: the server closes it once the stream's
                # end is written, instead of holding it for keep-alive (a stopping worker waits
                # for every connection it holds).
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RD)

    def _watch(self) -> None:
        """End the stream as soon as the client closes its connection (or it breaks)."""
        connection = self.connection
        assert connection is not None
        try:
            wait_read(connection.fileno())
            if connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                return  # the client sent something (it should not): the next write tells
        except (OSError, ValueError):
            pass  # reset, or closed under us: gone either way
        self.end()
