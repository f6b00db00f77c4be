"""One OpenAPI document for the whole public API (the services' own, merged), and the docs page."""

from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from tasksync_common import peers
from tasksync_common.api_document import drop_unused_components
from tasksync_common.problems import Problem
from tasksync_common.service_app import API_VERSION
from tasksync_common.service_client import ServiceClient

bp = Blueprint("openapi", __name__, template_folder="docs", static_folder="docs", static_url_path="/api/docs/assets")
_lock = threading.Lock()

_JSON = "application/json"
_SERVICES = {"type": "object", "additionalProperties": {"type": "string", "enum": ["ok", "not ready", "unreachable"]}}

GATEWAY_SCHEMAS = {
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["ok"]}},
    },
    "Readiness": {
        "type": "object",
        "required": ["status", "services"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "services": {**_SERVICES, "description": "Each service behind the gateway and its state."},
        },
    },
}

GATEWAY_PATHS = {
    "/healthz": {
        "get": {
            "tags": ["Health"],
            "operationId": "getHealth",
            "summary": "The gateway process is up",
            "description": "Liveness: `200` while the gateway process runs, whatever the state of the services.",
            "security": [],
            "responses": {
                "200": {
                    "description": "Up",
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Health"}}},
                }
            },
        }
    },
    "/readyz": {
        "get": {
            "tags": ["Health"],
            "operationId": "getReadiness",
            "summary": "Every service and database can serve",
            "description": "Readiness: `200` when every service behind the gateway, and its database, can serve; "
            "`503` naming each one that cannot.",
            "security": [],
            "responses": {
                "200": {
                    "description": "Ready",
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Readiness"}}},
                },
                "503": {
                    "description": "Something is not ready",
                    "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Readiness"}}},
                },
            },
        }
    },
}

_EVENT_STREAM = "text/event-stream"
_LAST_EVENT_ID = {
    "in": "header",
    "name": "Last-Event-ID",
    "required": False,
    "description": "The `id` of the last event received, when reconnecting: the stream first replays every "
    "event after it, in order, then goes on live. An id that cannot be replayed (too old, or not an id) makes "
    "the first event `reset`.",
    "schema": {"type": "string", "maxLength": 64},
}
_STREAM_BODY = {
    "type": "string",
    "description": "Server-sent events (`id:`, `event:`, one line of JSON in `data:`); a comment line "
    "`: keep-alive` at least every 15 seconds while there is nothing else. See the guide, Live events.",
}
_PROBLEM_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},  # too many streams open at once
    "503": {"$ref": "#/components/responses/ServiceUnavailable"},
    "504": {"$ref": "#/components/responses/GatewayTimeout"},
}


def _stream_operation(
    operation_id: str, summary: str, description: str, events: str, parameters: list | None = None
) -> dict:
    return {
        "tags": ["Live events"],
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "security": [{"BearerAuth": []}],
        "parameters": [*(parameters or []), _LAST_EVENT_ID],
        "responses": {
            "200": {
                "description": f"The stream: {events}. Held open until the client leaves or the stream is revoked.",
                "content": {_EVENT_STREAM: {"schema": _STREAM_BODY}},
            },
            **_PROBLEM_RESPONSES,
        },
    }


GATEWAY_PATHS["/api/v1/rooms/{room_id}/events"] = {
    "get": _stream_operation(
        "streamRoomEvents",
        "Follow a room live",
        "Each change to the room, as an event named for its history entry's `kind`, after it is committed; "
        "`presence` events say who has the room open. Ends with `revoked` when the caller may no longer read "
        "the room (`room.deleted` first when the room is gone). `404` before the stream for a non-member.",
        "`presence`, then each history entry as it is written (`data`: `room_id`, `revision`, `actor_id`, "
        "`task_id`, `request_id`), `reset`, `room.deleted`, `revoked`",
        [
            {
                "in": "path",
                "name": "room_id",
                "required": True,
                "schema": {"type": "integer"},
                "description": "The room's id.",
            }
        ],
    ),
}
GATEWAY_PATHS["/api/v1/users/me/events"] = {
    "get": _stream_operation(
        "streamMyEvents",
        "Follow one's notifications live",
        "Each new notification of the caller, as a `notification` event whose `data` is the notification "
        "as the notifications list shows it. Replay, `reset` and `revoked` as for a room's stream.",
        "`notification` events, `reset`, `revoked`",
    )
}

TAGS = [
    {"name": "Users", "description": "Sign-up, sign-in with bearer tokens, and the signed-in user."},
    {"name": "Rooms", "description": "Rooms (teams), their join codes and their members."},
    {"name": "Tasks", "description": "The tasks of a room, with versions (`ETag`, `If-Match`) and cursor paging."},
    {"name": "Labels", "description": "A room's labels, which its tasks carry (`label_ids`)."},
    {"name": "Comments", "description": "Comments on a room's tasks, with `@username` mentions."},
    {"name": "Notifications", "description": "What concerns the caller: mentions, assignments, comments."},
    {"name": "Activity", "description": "A room's history, newest first: who changed what, with old and new values."},
    {"name": "Live events", "description": "Server-sent event streams of a room's changes and of one's notifications."},
    {"name": "Health", "description": "Liveness and readiness probes."},
]

DESCRIPTION = (
    "The public API of TaskSync, a planner for teams. Bodies are JSON; every error is an RFC 9457 problem "
    "document (`application/problem+json`). A method that a path does not serve is answered `405` with an "
    "`Allow` header listing the methods it does."
)
COMPONENT_SECTIONS = ("schemas", "responses", "headers", "securitySchemes")


def _add_components(merged: dict, components: dict) -> None:
    """Add one document's components; a name two services share must mean the same thing."""
    for section in COMPONENT_SECTIONS:
        target = merged["components"][section]
        for name, value in components.get(section, {}).items():
            if target.setdefault(name, value) != value:
                raise ValueError(f"components.{section}.{name} differs between the services' documents")


def merge(documents: list[dict]) -> dict:
    """Union of the services' paths and components, plus the gateway's own paths; unused components dropped."""
    merged = {
        "openapi": documents[0].get("openapi", "3.0.3"),
        "info": {
            "title": "TaskSync API",
            "version": API_VERSION,
            "description": DESCRIPTION,
            "contact": {"name": "The operators of this TaskSync server"},
        },
        "servers": [{"url": "/"}],
        "tags": list(TAGS),
        "paths": dict(GATEWAY_PATHS),
        "components": {section: {} for section in COMPONENT_SECTIONS},
    }
    _add_components(merged, {"schemas": GATEWAY_SCHEMAS})
    for document in documents:
        merged["paths"].update(document.get("paths", {}))
        _add_components(merged, document.get("components", {}))
        known = {tag["name"] for tag in merged["tags"]}
        merged["tags"] += [tag for tag in document.get("tags", []) if tag["name"] not in known]
    merged["paths"] = dict(sorted(merged["paths"].items()))
    used = {
        name
        for item in merged["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for requirement in op.get("security", [])
        for name in requirement
    }
    schemes = merged["components"]["securitySchemes"]
    merged["components"]["securitySchemes"] = {name: schemes[name] for name in schemes if name in used}
    for section in COMPONENT_SECTIONS:
        merged["components"][section] = dict(sorted(merged["components"][section].items()))
    return drop_unused_components(merged)


def _fetch(client: ServiceClient) -> dict:
    response = client.request("GET", "/api/v1/openapi.json")
    if response.status != 200:
        raise Problem(503, f"The {client.name} service could not describe its API.")
    return response.json()


@bp.get("/api/v1/openapi.json")
def openapi():
    """The OpenAPI 3 document of the public API (built once from the running services)."""
    cached = current_app.extensions.get("tasksync_openapi")
    if cached is None:
        with _lock:
            cached = merge([_fetch(peers.rooms_client()), _fetch(peers.tasks_client())])
            current_app.extensions["tasksync_openapi"] = cached
    return jsonify(cached)


@bp.get("/api/docs")
def docs():
    """A page to read and try the API (Swagger UI, served from this process)."""
    return render_template("docs.html")


@bp.get("/api/docs/swagger-ui/<path:filename>")
def swagger_ui(filename):
    """Swagger UI's own files, from the swagger-ui-bundle package."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)
