"""RFC 9457 problem documents: the one error shape of every TaskSync response, and the one place
where domain errors (tasksync_common.errors) become HTTP."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from apiflask import APIFlask
from apiflask.exceptions import HTTPError
from flask import Response
from werkzeug.http import HTTP_STATUS_CODES

from .errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Stale, Unauthenticated, Unavailable

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)

# However many errors a body has, a problem document names at most this many fields (then says
# "errors_truncated"), and echoes at most this many characters of any one name or message: the
# answer stays a few kilobytes, whatever the client sent.
MAX_FIELD_ERRORS = 50
MAX_ECHO_CHARS = 200

# Said when the code that raised gave no sentence of its own.
DEFAULT_DETAILS = {
    400: "The request body is not a valid JSON object.",
    401: "A valid bearer token is required.",
    403: "Only the room's owner may do this.",
    404: "The requested resource was not found.",
    405: "The method is not allowed for this resource.",
    413: "The request body is larger than 1 MiB.",
    415: "The request body must be application/json.",
    422: "The request has invalid fields.",
    429: "Too many attempts; try again later.",
    500: "The server could not complete the request.",
    503: "A service this request needs is unavailable; try again shortly.",
    504: "A service this request needs did not answer in time.",
}


class Problem(HTTPError):
    """An error to raise from any layer; it becomes a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        extra = {"errors": errors} if errors else None
        super().__init__(status, message=detail, headers=headers, extra_data=extra)


# The status of each kind of domain error.
DOMAIN_STATUSES = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Stale: 412,
    Invalid: 422,
    Unavailable: 503,
}


def from_domain(error: DomainError) -> Problem:
    """The problem a domain error is answered with."""
    status = next(status for kind, status in DOMAIN_STATUSES.items() if isinstance(error, kind))
    errors = [{"field": error.field, "message": error.message}] if isinstance(error, Invalid) else None
    retry_after = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return Problem(status, error.detail, errors=errors, headers=headers)


def field_error(field: str, message: str) -> Problem:
    """A 422 naming one offending field."""
    return from_domain(Invalid(field, message))


def _cut(text: str) -> str:
    """``text``, or its first characters and an ellipsis when it is longer than MAX_ECHO_CHARS."""
    return text if len(text) <= MAX_ECHO_CHARS else text[: MAX_ECHO_CHARS - 1] + "\u2026"


def bounded_errors(errors: list[dict]) -> tuple[list[dict], bool]:
    """The first MAX_FIELD_ERRORS of ``errors``, each cut short, and whether any were left out."""
    kept = [{"field": _cut(e["field"]), "message": _cut(e["message"])} for e in errors[:MAX_FIELD_ERRORS]]
    return kept, len(errors) > MAX_FIELD_ERRORS


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str | list[str] | tuple[str, ...]] | None = None,
) -> Response:
    """Build the problem+json response itself (for code outside a request's error flow)."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, HTTP_STATUS_CODES.get(status, "Error")),
    }
    if errors:
        body["errors"], truncated = bounded_errors(errors)
        if truncated:
            body["errors_truncated"] = True
    # ASCII-escaped: a field name or detail may carry any string the client sent, lone surrogates too.
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status in (429, 503, 504) and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = "60" if status == 429 else "1"
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="tasksync"')
    return response


def _leaf_errors(prefix: str, node: object) -> Iterator[dict]:
    """Each {field, message} below ``node`` of webargs' error tree, one at a time."""
    if isinstance(node, dict):
        for key, value in node.items():
            name = "body" if key == "_schema" and not prefix else str(key)
            yield from _leaf_errors(f"{prefix}.{name}" if prefix else name, value)
    elif isinstance(node, list) and all(isinstance(m, str) for m in node):
        for message in node:
            yield {"field": prefix, "message": message}
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaf_errors(f"{prefix}.{index}", value)
    else:
        yield {"field": prefix, "message": str(node)}


def flatten_validation(detail: Mapping[str, object], limit: int | None = MAX_FIELD_ERRORS + 1) -> list[dict]:
    """Turn webargs' {location: {field: [messages]}} into [{field, message}], stopping after
    ``limit`` (one more than a problem names, so that it can tell the list was cut)."""
    found = (error for location_fields in (detail or {}).values() for error in _leaf_errors("", location_fields))
    return list(itertools.islice(found, limit))


def _to_problem(error: HTTPError) -> Response:
    """APIFlask's error processor: every HTTP error, ours or Werkzeug's, as a problem."""
    status = error.status_code
    errors = error.extra_data.get("errors")
    if status == 422 and not errors and isinstance(error.detail, dict):
        errors = flatten_validation(error.detail)
    detail = error.message
    if not detail or detail == HTTP_STATUS_CODES.get(status):
        detail = DEFAULT_DETAILS.get(status)
    if status == 422 and errors and not error.message:
        named, truncated = bounded_errors(errors)
        detail = "Invalid fields: " + ", ".join(sorted({e["field"] for e in named})) + (", ..." if truncated else ".")
    headers = {k: v for k, v in dict(error.headers or {}).items() if k.lower() != "content-type"}
    return problem_response(status, detail, errors=errors, headers=headers)


def init_app(app: APIFlask) -> None:
    """Make every error of ``app`` a problem document, and never show a stack trace."""
    app.config.setdefault("VALIDATION_ERROR_STATUS_CODE", 422)
    app.error_processor(_to_problem)
    app.register_error_handler(DomainError, lambda error: _to_problem(from_domain(error)))

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPError):
            return _to_problem(error)
        log.exception("unhandled error")
        return problem_response(500)


# The OpenAPI description of a problem document (api_document describes every error response with it).
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "errors_truncated": {
            "type": "boolean",
            "description": "True when `errors` names only the first of more offending fields.",
        },
    },
}
