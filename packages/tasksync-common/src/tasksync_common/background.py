"""Work a service does outside requests, started once per serving process.

A service registers what to start (``register(app, start)``, in its create_app); gunicorn starts
it in each worker once the worker has loaded the app (gunicorn_config.post_worker_init), which is
how every way of running TaskSync serves. Building an app for anything else (applying migrations,
a test's app) starts nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

EXTENSION = "tasksync_background"


def register(app: Flask, start: Callable[[], object]) -> None:
    """Have ``start()`` called when a worker begins serving ``app``."""
    app.extensions.setdefault(EXTENSION, []).append(start)


def start(app: object) -> None:
    """Start what ``app`` registered (nothing for an app that registered nothing)."""
    extensions = getattr(app, "extensions", {})
    for starter in extensions.get(EXTENSION, []):
        starter()
