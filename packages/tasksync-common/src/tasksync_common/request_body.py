"""The body rules of every write: 413 over 1 MiB, 415 when not JSON, 400 when not a JSON object."""

from __future__ import annotations

import json

from flask import Flask, request

from .problems import Problem

MAX_BODY_BYTES = 1024 * 1024


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def check_body() -> None:
    """Refuse a body that is not one JSON object, before validation sees it."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding", "").lower() == "chunked"
    if not _is_json(request.mimetype):
        if has_body:
            raise Problem(415, "The request body must be application/json.")
        return
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Problem(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Problem(400, "The request body must be a JSON object.")


def init_app(app: Flask, check_bodies: bool = True) -> None:
    """Limit every body to 1 MiB and, with ``check_bodies``, apply the JSON rules too."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    if check_bodies:
        app.before_request(check_body)
