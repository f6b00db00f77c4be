"""The body rules of every write: 413 over 1 MiB, 415 when not JSON, 400 when not a JSON object,
and a 422 without further work for an object with more unknown fields than a problem can name."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import NoReturn

from flask import Flask, current_app, request
from marshmallow import RAISE, Schema, fields
from werkzeug.exceptions import RequestEntityTooLarge

from .problems import MAX_FIELD_ERRORS, Problem, problem_response

MAX_BODY_BYTES = 1024 * 1024
# An oversized body up to this size is read and thrown away before the 413 goes out, so that
# the client's connection stays usable; past it the server closes the connection.
DRAIN_LIMIT = 32 * 1024 * 1024


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


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
        if _body_schema() is not None:  # the document marks every request body required
            raise Problem(400, "The request body must be a JSON object.")
        return
    raw = read_body()
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)  # no NaN, Infinity
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Problem(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Problem(400, "The request body must be a JSON object.")
    schema = _body_schema()
    if schema is not None:
        unknown = list(itertools.islice(unknown_fields(schema, data), MAX_FIELD_ERRORS + 1))
        if len(unknown) > MAX_FIELD_ERRORS:  # more than a problem names: validating the rest is waste
            raise Problem(422, errors=unknown)


def _body_schema() -> Schema | None:
    """The marshmallow schema the route validates its body with (APIFlask's ``input``), if any."""
    view = current_app.view_functions.get(request.endpoint or "")
    schema = getattr(view, "_spec", {}).get("body")
    return schema if isinstance(schema, Schema) else None


def _join(prefix: str, key: object) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def unknown_fields(schema: Schema, data: dict, prefix: str = "") -> Iterator[dict]:
    """Each key of ``data`` (and of the objects nested in it) that ``schema`` refuses as unknown,
    found one at a time. An object with no more keys than the schema has fields is skipped whole:
    marshmallow's own unknown-field errors for it are bounded by the schema's size."""
    known = {field.data_key or name: field for name, field in schema.load_fields.items()}
    if schema.unknown == RAISE and len(data) > len(known):
        for key in data:
            if key not in known:
                yield {"field": _join(prefix, key), "message": "Unknown field."}
    for key, field in known.items():
        if isinstance(field, fields.Nested) and key in data:  # a Nested field's schema is a Schema
            values = data[key] if field.many and isinstance(data[key], list) else [data[key]]
            for index, value in enumerate(values):
                if isinstance(value, dict):
                    name = f"{_join(prefix, key)}.{index}" if field.many else _join(prefix, key)
                    yield from unknown_fields(field.schema, value, name)


def body_too_large(_error):
    """413, after reading what is left of the body (bounded) so the connection can be reused."""
    stream = request.environ.get("wsgi.input")
    drained = 0
    while stream is not None and drained < DRAIN_LIMIT:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        drained += len(chunk)
    return problem_response(413)


def read_body() -> bytes:
    """The whole body, or a 413 when it is over 1 MiB, whether or not it declared its length."""
    data = request.get_data(cache=True)  # a declared length over the limit is refused here
    # A chunked body has no declared length, and Werkzeug stops reading it at the limit
    # without a word: one more byte from the server's stream tells whether it was cut.
    if request.content_length is None and len(data) >= MAX_BODY_BYTES and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    return data


def init_app(app: Flask, check_bodies: bool = True) -> None:
    """Limit every body to 1 MiB and, with ``check_bodies``, apply the JSON rules too."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.register_error_handler(RequestEntityTooLarge, body_too_large)
    if check_bodies:
        app.before_request(check_body)
