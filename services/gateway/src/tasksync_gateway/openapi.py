"""One OpenAPI document for the whole public API (the services' own, merged), and the docs page."""

from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from tasksync_common.problems import Problem
from tasksync_common.service_app import API_VERSION

bp = Blueprint("openapi", __name__, template_folder="docs", static_folder="docs", static_url_path="/api/docs/assets")
_lock = threading.Lock()

GATEWAY_PATHS = {
    "/healthz": {
        "get": {
            "tags": ["Health"],
            "summary": "The gateway process is up",
            "responses": {
                "200": {"description": "Up", "content": {"application/json": {"schema": {"type": "object"}}}}
            },
        }
    },
    "/readyz": {
        "get": {
            "tags": ["Health"],
            "summary": "Every service and database can serve",
            "responses": {
                "200": {"description": "Ready", "content": {"application/json": {"schema": {"type": "object"}}}},
                "503": {
                    "description": "Something is not ready",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            },
        }
    },
}


def merge(documents: list[dict]) -> dict:
    """Union of the services' paths, schemas and security schemes, plus the gateway's own paths."""
    merged = {
        "openapi": documents[0].get("openapi", "3.0.3"),
        "info": {
            "title": "TaskSync API",
            "version": API_VERSION,
            "description": (
                "The public API of TaskSync, a planner for teams. All errors are RFC 9457 problem documents."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [],
        "paths": dict(GATEWAY_PATHS),
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    for document in documents:
        merged["paths"].update(document.get("paths", {}))
        for section in ("schemas", "securitySchemes"):
            merged["components"][section].update(document.get("components", {}).get(section, {}))
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
    return merged


def _fetch(client) -> dict:
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
            clients = current_app.extensions["tasksync_clients"]
            cached = merge([_fetch(clients["rooms"]), _fetch(clients["tasks"])])
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
