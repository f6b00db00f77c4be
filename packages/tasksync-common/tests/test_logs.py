"""Log lines never hold an address that is its own secret: cut to its first four characters."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from tasksync_common.logs import LOGGING, RedactingJsonFormatter, redact

SECRET = "Qx3vLm9TzR_8wYp-KjH2nB5cD7fG1aS4eU6iO0lMhNk"


@pytest.mark.parametrize(
    "text, shown",
    [
        (f"GET /api/v1/calendar/{SECRET}.ics 200", "GET /api/v1/calendar/Qx3v… 200"),
        (f"/api/v1/mail/unsubscribe/{SECRET}?a=1", "/api/v1/mail/unsubscribe/Qx3v…?a=1"),
        (f'"path": "/api/v1/calendar/{SECRET}"', '"path": "/api/v1/calendar/Qx3v…"'),
        ("/api/v1/calendar/ab", "/api/v1/calendar/ab…"),
        ("/api/v1/rooms/1/tasks", "/api/v1/rooms/1/tasks"),
    ],
)
def test_secret_paths_are_cut(text, shown):
    assert redact(text) == shown


def test_every_line_the_formatter_writes_is_cut_and_stays_json():
    formatter = RedactingJsonFormatter(LOGGING["formatters"]["json"]["fmt"])
    path = f"/api/v1/calendar/{SECRET}.ics"
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "no answer for GET %s", (path,), None)
    record.path = f"/api/v1/mail/unsubscribe/{SECRET}"  # an access line's field
    try:
        raise ValueError(f"while serving /api/v1/calendar/{SECRET}.ics")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert SECRET not in line and SECRET[4:] not in line
    written = json.loads(line)
    assert written["message"] == "no answer for GET /api/v1/calendar/Qx3v…"
    assert written["path"] == "/api/v1/mail/unsubscribe/Qx3v…"
    assert "/api/v1/calendar/Qx3v…" in written["exc_info"]
