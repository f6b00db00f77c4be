"""A worker's hubs: one per topic with open streams, passing each event on to them once, in order.

A hub knows ``last``, the id of the newest event it has passed on. An event notice (live.py) with
``id <= last`` was passed on already and is dropped; one whose ``prev`` is ``last`` follows it
directly and is passed on at once; any other means notices were lost, and the hub reads what it
missed from the tasks service (``heal``: the replay after ``last``, with the token of one of its
streams). Notices that arrive while it reads, or before a new hub knows where it starts, wait
and are applied after, in order. Every tick the hub also compares ``last`` with the head its
source published in the shared cache, so even the last notice of a burst cannot stay lost.

Why a stream sees every event once: a stream joins its hub BEFORE it reads its own replay
(``after`` its Last-Event-ID, or only the head), and never writes an id at or below the largest
it has (``Stream.sent``). Take any event e of the topic. If e committed before the replay was read,
the replay holds it (or the stream starts after it, at the head). Otherwise the hub passes e on
after the stream joined, because the hub passes on every id above ``last`` and e was not yet
committed, so not yet passed on, when the stream joined. Either way the stream has e, and the
``sent`` rule drops the second copy when it has it twice. Ids follow commits (each is given
under the topic's lock), so "after the head" is exactly "committed later".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import gevent  # type: ignore[import-untyped]  # gevent ships no type information
from flask import Flask

from tasksync_common import live
from tasksync_common.cache import cache

from . import access, sources
from .presence import Presence
from .stream import Event, Stream, reset_event, revoked_event

log = logging.getLogger(__name__)

PENDING_LIMIT = 512  # notices a hub keeps while it reads; beyond them it reads again after
HEALERS = 3  # streams whose tokens a hub tries for a replay before it waits for its next tick


def _event_notice(notice: dict[str, Any]) -> bool:
    """Whether ``notice`` is a well-formed event notice."""
    return (
        all(type(notice.get(name)) is int and notice[name] >= 0 for name in ("id", "prev"))
        and isinstance(notice.get("event"), str)
        and isinstance(notice.get("data"), dict)
    )


class Hub:
    """The streams of one topic in this worker, and the id of the last event passed on to them."""

    def __init__(self, topic: str, hubs: Hubs):
        self.topic = topic
        self.streams: set[Stream] = set()
        self.last: int | None = None  # unknown until its first stream's replay gives the head
        self.presence: tuple[int, ...] | None = None  # the user ids last sent, for a room
        self.presence_reading = False  # a read of the room's presence is under way
        self.presence_stale = False  # and another notice came meanwhile: read once more
        self._hubs = hubs
        self._pending: list[dict[str, Any]] = []
        self._healing = False

    def broadcast(self, event: Event) -> None:
        for stream in list(self.streams):
            if stream.present or event.name != "presence":
                stream.offer(event)  # presence only once a stream has its own (it joins before)

    def end_all(self, *final: Event) -> None:
        for stream in list(self.streams):
            stream.end(*final)

    def notice(self, notice: dict[str, Any]) -> None:
        """An event notice from the receiver."""
        if self.last is None or self._healing:
            if len(self._pending) < PENDING_LIMIT:  # one left out is read back by the next heal
                self._pending.append(notice)
            return
        self._apply(notice)

    def _apply(self, notice: dict[str, Any], may_heal: bool = True) -> bool:
        """Pass ``notice`` on if it is next (True), or start reading what is missing (False); a
        notice that does not follow and may not start a read is dropped (the ticks heal)."""
        assert self.last is not None
        if notice["id"] <= self.last:
            return True
        if notice["prev"] == self.last:
            self.last = notice["id"]
            self.broadcast(Event(notice["id"], notice["event"], notice["data"]))
            return True
        if not may_heal:
            log.info("notice %s of %s does not follow %s: dropped", notice["id"], self.topic, self.last)
            return True
        self._pending.append(notice)
        self.heal()
        return False

    def started(self, head: int) -> None:
        """A stream's replay said the topic's head is ``head``: a new hub starts there."""
        if self.last is None:
            self.last = head
            self._apply_pending()

    def _apply_pending(self, may_heal: bool = True) -> None:
        pending, self._pending = sorted(self._pending, key=lambda notice: notice["id"]), []
        for position, notice in enumerate(pending):
            if not self._apply(notice, may_heal):
                self._pending = pending[position + 1 :] + self._pending
                return

    def heal(self) -> None:
        """Read, in a greenlet of its own, the events after ``last`` that no notice brought."""
        if not self._healing and self.last is not None and self.streams:
            self._healing = True
            gevent.spawn(self._heal)

    def _heal(self) -> None:
        before = self.last
        try:
            with self._hubs.app.app_context():
                replay = self._read_missed()
            if replay is not None and self.last is not None:
                if replay.reset:
                    self.last = max(self.last, replay.head)
                    self.broadcast(reset_event(self.topic, self.last))
                for event in replay.events:
                    if event.id is not None and event.id > self.last:
                        self.last = event.id
                        self.broadcast(event)
        except Exception:
            log.exception("hub of %s could not read what it missed", self.topic)
        finally:
            self._healing = False
            # Every notice sent before the replay was read is in it (notices follow commits). One
            # that still does not follow is bogus, or came during the read: another read only if
            # this one found something, so that no notice can make a hub read again and again.
            self._apply_pending(may_heal=self.last != before)

    def _read_missed(self) -> sources.Replay | None:
        for stream in list(self.streams)[:HEALERS]:
            try:
                return sources.read(self.topic, stream.identity, self.last)
            except sources.Refused as refused:  # this caller may not read it any more: the next may
                log.info("replay of %s refused (%s)", self.topic, refused.upstream.status)
        return None

    def show_presence(self, user_ids: tuple[int, ...]) -> None:
        """Tell the room's streams who has it open, when that changed."""
        if user_ids != self.presence:
            self.presence = user_ids
            room_id = int(self.topic.partition(":")[2])
            self.broadcast(Event(None, "presence", {"room_id": room_id, "user_ids": list(user_ids)}))


class Hubs:
    """Every hub of this worker, each user's streams, and what the receiver's notices do to them."""

    def __init__(self, app: Flask, presence: Presence):
        self.app = app
        self.presence = presence
        self.hubs: dict[str, Hub] = {}
        self.by_user: dict[int, set[Stream]] = {}

    def join(self, stream: Stream) -> Hub:
        """Add ``stream`` to its topic's hub (made when it is the first)."""
        hub = self.hubs.get(stream.topic)
        if hub is None:
            hub = self.hubs[stream.topic] = Hub(stream.topic, self)
        hub.streams.add(stream)
        self.by_user.setdefault(stream.user_id, set()).add(stream)
        return hub

    def leave(self, stream: Stream) -> None:
        """Remove ``stream``; a hub left with no streams goes away."""
        hub = self.hubs.get(stream.topic)
        if hub is not None:
            hub.streams.discard(stream)
            if not hub.streams:
                del self.hubs[stream.topic]
        mine = self.by_user.get(stream.user_id)
        if mine is not None:
            mine.discard(stream)
            if not mine:
                del self.by_user[stream.user_id]

    def open_count(self, user_id: int) -> int:
        return len(self.by_user.get(user_id, ()))

    def streams(self) -> list[Stream]:
        return [stream for mine in self.by_user.values() for stream in mine]

    def dispatch(self, topic: str, notice: Any) -> None:
        """Act on one notice from the receiver (malformed ones are logged and dropped)."""
        if not isinstance(notice, dict):
            log.warning("live notice about %s dropped: not an object", topic)
            return
        kind, _, number = topic.partition(":")
        if notice.get("recheck") is True and kind == "user" and number.isdigit():
            for stream in list(self.by_user.get(int(number), ())):
                gevent.spawn(self.recheck, stream)
            return
        hub = self.hubs.get(topic)
        if notice.get("event") == "room.deleted" and kind == "room":
            if hub is not None:
                room = {"room_id": int(number)}
                hub.end_all(Event(None, "room.deleted", room), revoked_event(topic, access.ROOM_DELETED))
        elif notice.get("presence") is True and kind == "room":
            if hub is not None:
                self.presence_changed(hub)
        elif _event_notice(notice):
            if hub is not None:
                hub.notice(notice)
        else:
            log.warning("live notice about %s dropped: not a notice this gateway knows", topic)

    def presence_changed(self, hub: Hub) -> None:
        """Read the room's presence again, once for a burst of notices (a read under way takes them all)."""
        if hub.presence_reading:
            hub.presence_stale = True
            return
        hub.presence_reading = True

        def read() -> None:
            try:
                while True:
                    hub.presence_stale = False
                    self._guarded(self.read_presence, [hub])
                    if not hub.presence_stale:
                        return
            finally:
                hub.presence_reading = False

        gevent.spawn(read)

    def recheck(self, stream: Stream) -> None:
        """End ``stream`` with ``revoked`` if its caller may no longer read it."""
        with self.app.app_context():
            reason = access.denial(stream)
        if reason is not None:
            stream.end(revoked_event(stream.topic, reason))

    def heal_all(self) -> None:
        """After the receiver may have missed notices (it reconnected): every hub reads what it missed."""
        for hub in list(self.hubs.values()):
            hub.heal()

    def tick(self) -> None:
        """The periodic look at the sources: heads (one cache round trip) and presence."""
        self._guarded(self.compare_heads)
        self._guarded(self.refresh_presence)
        self._guarded(self.read_presence, [hub for hub in self.hubs.values() if hub.topic.startswith("room:")])

    def _guarded(self, work: Callable[..., object], *args: object) -> None:
        try:
            with self.app.app_context():
                work(*args)
        except Exception as error:  # the cache down, say: the next tick tries again
            log.warning("live events: %s failed: %s", getattr(work, "__name__", work), error.__class__.__name__)

    def compare_heads(self) -> None:
        hubs = [hub for hub in self.hubs.values() if hub.last is not None]
        if not hubs:
            return
        heads = cache.get_many(*[live.head_key(hub.topic) for hub in hubs])
        for hub, head in zip(hubs, heads, strict=True):
            if isinstance(head, int) and hub.last is not None and head > hub.last:
                hub.heal()

    def refresh_presence(self) -> None:
        entries: dict[int, list[str]] = {}
        for stream in self.streams():
            if stream.room_id is not None:
                entries.setdefault(stream.room_id, []).append(stream.presence_key)
        if entries:
            self.presence.refresh(entries)

    def read_presence(self, hubs: list[Hub]) -> None:
        if not hubs:
            return
        now = self.presence.read(int(hub.topic.partition(":")[2]) for hub in hubs)
        for hub in hubs:
            hub.show_presence(now[int(hub.topic.partition(":")[2])])
