"""Gunicorn's own error answers (a request it cannot parse: a too-long request line, too many or
too large headers, a malformed request) as problem documents instead of HTML pages."""

from __future__ import annotations

import json

from gunicorn import util

DETAILS = {
    400: "The request is not valid HTTP.",
    414: "The request line is too long.",
    431: "The request headers are too many or too large.",
}


def write_problem(sock, status_int, reason, _message):
    """Drop-in for gunicorn.util.write_error; the message (which echoes the request) is left out."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": reason,
            "status": status_int,
            "detail": DETAILS.get(status_int, "The server could not handle the request."),
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install() -> None:
    """Make every gunicorn process of this configuration answer with problem documents."""
    util.write_error = write_problem
