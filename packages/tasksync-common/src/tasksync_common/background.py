"""Work a service does outside requests, started once per serving process.

A service registers what to start (``register(app, start)``, in its create_app); gunicorn starts
it in each worker once the worker has loaded the app (gunicorn_config.post_worker_init), which is
how every way of running TaskSync serves. Building an app for anything else (applying migrations,
a test's app) starts nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask

log = logging.getLogger(__name__)

EXTENSION = "tasksync_background"


def register(app: Flask, start: Callable[[], object]) -> None:
    """Have ``start()`` called when a worker begins serving ``app``."""
    app.extensions.setdefault(EXTENSION, []).append(start)


def start(app: object) -> None:
    """Start what ``app`` registered (nothing for an app that registered nothing)."""
    extensions = getattr(app, "extensions", {})
    for starter in extensions.get(EXTENSION, []):
        starter()


class Loop:
    """A thread of one process that does one app's background work, pass after pass (the rooms
    service's activity relay and mailer, the tasks service's reminder worker).

    ``run_pass()`` runs in an app context and answers how many seconds to wait before the next
    pass; ``wake()`` cuts the wait short (a commit that gave the loop work calls it, and a wake
    during a pass is kept for the next wait). A pass that raises is logged and retried after an
    exponential backoff, deaf to wake-ups meanwhile: what failed (a peer, the database) does not
    come back because another write happened.
    """

    def __init__(
        self, app: Flask, name: str, run_pass: Callable[[], float], backoff: tuple[float, float] = (0.25, 5.0)
    ):
        self._app = app
        self.name = name
        self._run_pass = run_pass
        self._backoff_first, self._backoff_max = backoff
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (once: again only if it died)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()

    def wake(self) -> None:
        """Run the next pass now rather than when the last one asked."""
        self._wake.set()

    def _run(self) -> None:
        failures = 0
        while True:
            try:
                with self._app.app_context():
                    wait = self._run_pass()
                failures = 0
            except Exception as error:  # the rows stay where they are: the next pass retries them
                failures += 1
                wait = min(self._backoff_max, self._backoff_first * 2 ** (failures - 1))
                log.warning("%s: a pass failed (%s); retrying in %.2f s", self.name, error, wait)
                time.sleep(wait)
                continue
            self._wake.wait(wait)
            self._wake.clear()
