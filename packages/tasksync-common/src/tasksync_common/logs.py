"""Logs as one JSON object a line on stdout, each naming its service and request id.

Gunicorn uses LOGGING (see gunicorn_config); the request id is the one the gateway creates (or
takes from X-Request-ID) and passes on, so one request can be followed through all three services.

No line shows an address that is its own secret (a calendar feed, an unsubscribe link): every
line, access lines, the services' own messages and tracebacks alike, is written with such paths
cut to their first characters (``redact``), by the one formatter all of them go through.
"""

from __future__ import annotations

import logging
import os
import re
import traceback

from flask import g, has_request_context
from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter

# A path segment that is a secret, after the prefix that says so; it ends where a path segment,
# a query, a quoted string or white space would (a JSON-escaped quote begins with a backslash).
SECRET_PATHS = re.compile(r"(/api/v1/(?:calendar|mail/unsubscribe)/)([^/?#\s\"'\\]{0,4})[^/?#\s\"'\\]*")


def redact(text: str, ellipsis: str = "…") -> str:
    """``text`` with every secret path cut to its first four characters and ``ellipsis``."""
    return SECRET_PATHS.sub(lambda found: found[1] + found[2] + ellipsis, text)


class RedactingJsonFormatter(JsonFormatter):
    """The JSON line of a record, with secret paths cut wherever they appear in it (the ellipsis
    escaped, as the formatter writes every character beyond ASCII)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), ellipsis="\\u2026")


class RequestContext(logging.Filter):
    """Adds the service's name and, inside a request, its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = os.environ.get("TASKSYNC_SERVICE", "")
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class AccessLogger(glogging.Logger):
    """Gunicorn's logger, with an access line of only the fields worth keeping, as JSON fields.

    Gunicorn's own builds every atom of its format language (each header, each environ entry, a
    formatted date) for every request, to then format one Apache-style string: on a cached board
    read that was about a tenth of the gateway's time."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status_code  # gunicorn's number for the status line the app gave
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        request_id = next((value for name, value in resp.headers if name.lower() == "x-request-id"), None)
        fields = {
            "remote_addr": environ.get("REMOTE_ADDR"),
            "method": method,
            "path": path,
            "query": environ.get("QUERY_STRING"),
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "request_id": request_id or None,
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info("%s %s %s", method, path, status, extra=fields)
        except Exception:  # a log line must never fail a request
            self.error(traceback.format_exc())


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": RequestContext}},
    "formatters": {
        "json": {
            "()": RedactingJsonFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["context"],
        }
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
