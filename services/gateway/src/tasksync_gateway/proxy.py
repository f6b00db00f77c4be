"""Forwarding of /api/v1 calls to the service that owns them, after the token check."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import Rule

from tasksync_common import peers
from tasksync_common.problems import Problem
from tasksync_common.request_body import read_body

from . import board_edge, routing
from .authentication import authenticate
from .events import routes as event_routes
from .throttling import limit_failed_joins, limit_failed_logins, limit_sign_ups

bp = Blueprint("api", __name__)

# Request headers a service needs; everything else stays at the gateway.
FORWARDED_REQUEST_HEADERS = ("Authorization", "Content-Type", "If-Match", "If-None-Match", "Accept", "Accept-Language")
# Response headers a client needs; hop-by-hop and server headers are the gateway's own.
FORWARDED_RESPONSE_HEADERS = (
    "Content-Type",
    "ETag",
    "Location",
    "Retry-After",
    "WWW-Authenticate",
    "Allow",
    "Cache-Control",
)


def forward(path: str) -> Response:
    """Send this request on to the owning service and relay its answer."""
    if not routing.is_safe(path):
        raise Problem(404)
    streamed = event_routes.answer(path)  # event streams are held here, never forwarded
    if streamed is not None:
        return streamed
    if path not in routing.PUBLIC_PATHS and request.method != "OPTIONS":  # OPTIONS tells only Allow
        cached = board_edge.answer(path, authenticate())
        if cached is not None:
            return cached
    client = peers.client(routing.owner_of(path))
    headers = {name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers}
    headers["X-Forwarded-For"] = request.remote_addr or ""
    target = quote(path) + (f"?{request.query_string.decode('latin-1')}" if request.query_string else "")
    upstream = client.request(request.method, target, headers=headers, body=read_body())
    response = Response(upstream.data, status=upstream.status)
    for name in FORWARDED_RESPONSE_HEADERS:
        if name in upstream.headers:
            response.headers[name] = upstream.headers[name]
    return response


@limit_sign_ups
def register():
    """Sign-up is forwarded like any call, but attempts are counted per address (see throttling)."""
    return forward(request.path)


@limit_failed_logins
def login():
    """Login is forwarded like any call, but failed attempts are counted (see throttling)."""
    return forward(request.path)


@limit_failed_joins
def join_room():
    """Joining is forwarded like any call, but failed attempts are counted (see throttling)."""
    return forward(request.path)


def api(_rest):
    """Every other public API call."""
    return forward(request.path)


def unknown_api(_rest=""):
    """Anything else under /api is not a resource."""
    raise Problem(404)


# Rules without a method list take every method, OPTIONS and HEAD included (Flask's route()
# always names methods, and would answer OPTIONS and 405 itself with the gateway's list): the
# service that owns a path alone knows which methods it serves, so it answers OPTIONS and 405
# with the Allow that is true for that path.
ANY_METHOD_RULES = (
    ("/api/v1/auth/register", register),
    ("/api/v1/auth/login", login),
    ("/api/v1/rooms/join", join_room),
    ("/api/v1/<path:_rest>", api),
    ("/api", unknown_api),
    ("/api/<path:_rest>", unknown_api),
)


@bp.record_once
def _add_any_method_rules(state: BlueprintSetupState) -> None:
    for path, view in ANY_METHOD_RULES:
        endpoint = f"{bp.name}.{view.__name__}"
        state.app.url_map.add(Rule(path, endpoint=endpoint))
        state.app.view_functions[endpoint] = view
