"""Live events: the gateway holds every open event stream (docs/api.md, "Live events").

- ``routes``: the two stream routes, answered here instead of forwarded;
- ``stream``: one open stream (its bounded queue, writes, end);
- ``hubs``: a worker's hubs, one per topic with open streams, passing events on in order;
- ``receiver``: where a worker hears the services' notices (tasksync_common.live);
- ``sources``: the tasks service's replays; ``access``: whether a stream may go on;
- ``presence``: who has a room open, across workers and replicas.

Each worker starts its receiver and its tick (heads and presence) when it begins serving, as the
rooms service's relay does (tasksync_common.background).
"""

from __future__ import annotations

import logging
import resource
import signal
from typing import Any

import gevent  # type: ignore[import-untyped]  # gevent ships no type information
from flask import Flask, current_app

from tasksync_common import background
from tasksync_common.config import Settings

from . import presence, receiver
from .hubs import Hubs

log = logging.getLogger(__name__)

EXTENSION = "tasksync_events"


class Live:
    """The live events of one app in one worker: its hubs and settings."""

    def __init__(self, app: Flask, settings: Settings):
        self.settings = settings
        self.heartbeat = settings.events_heartbeat
        self.hubs = Hubs(app, presence.for_settings(settings))

    def start(self) -> None:
        """In a worker that begins serving: files for many sockets, the receiver, the tick, shutdown."""
        _raise_open_file_limit()
        receiver.start(self.settings, self.hubs.dispatch, self.hubs.heal_all)
        gevent.spawn(self._tick)
        previous = signal.getsignal(signal.SIGTERM)
        if callable(previous):  # gunicorn's graceful stop: it waits for open requests, so end them

            def on_term(signum: int, frame: Any) -> None:
                # Every stream ends now, so that its client reconnects to a worker that stays.
                gevent.spawn(self.end_all)
                previous(signum, frame)

            signal.signal(signal.SIGTERM, on_term)

    def _tick(self) -> None:
        period = min(self.heartbeat, presence.REFRESH)
        while True:
            gevent.sleep(period)
            self.hubs.tick()

    def end_all(self) -> None:
        for stream in self.hubs.streams():
            stream.end()


def _raise_open_file_limit() -> None:
    """A stream through a proxy is a socket each: allow as many as the system lets this process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError) as error:
            log.warning("open-file limit stays at %d: %s", soft, error)


def init_app(app: Flask, settings: Settings) -> None:
    """Give ``app`` its live events, started in each worker that serves it."""
    live = app.extensions[EXTENSION] = Live(app, settings)
    background.register(app, live.start)


def current() -> Live:
    """The current app's live events."""
    return current_app.extensions[EXTENSION]
