"""The parts every TaskSync Flask app is assembled from, in one place."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from flask import Response, g, request
from flask.json.provider import DefaultJSONProvider

from . import api_document, cache, cache_control, live, problems, request_body
from .config import Settings
from .fields import MAX_ID
from .problems import Problem
from .service_client import REQUEST_ID_HEADER

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
API_VERSION = "1.0.0"


def _remember_request_id() -> None:
    """Take the gateway's request id (or make one) so that logs across services line up."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def _refuse_huge_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Ids beyond 32 bits exist nowhere: 404 before any database sees them."""
    for value in (values or {}).values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise Problem(404)


def _echo_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    return response


def create_base_app(
    import_name: str,
    title: str,
    settings: Settings,
    test_config: Mapping[str, Any] | None = None,
    *,
    describes_api: bool = True,
) -> APIFlask:
    """An APIFlask app with problem documents, body rules, the shared cache and request ids.

    A service that ``describes_api`` serves its OpenAPI document and validates bodies itself;
    the gateway does neither: it merges the services' documents and passes bodies through."""
    app = APIFlask(
        import_name,
        title=title,
        version=API_VERSION,
        spec_path="/api/v1/openapi.json",
        docs_path=None,
        enable_openapi=describes_api,
        static_folder=None,  # type: ignore[arg-type]  # typed str by APIFlask; None is Flask's "no static route"
    )
    assert isinstance(app.json, DefaultJSONProvider)  # Flask's own, whose settings these are
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.strict_slashes = False
    app.config["SETTINGS"] = settings
    app.config["SYNC_LOCAL_SPEC"] = False
    app.config["OPENAPI_VERSION"] = "3.0.3"  # what Swagger UI and schemathesis read best
    if test_config:
        app.config.update(test_config)
    problems.init_app(app)
    api_document.init_app(app)
    request_body.init_app(app, check_bodies=describes_api)
    cache.init_app(app, settings)
    live.init_app(settings)
    app.before_request(_remember_request_id)
    app.url_value_preprocessor(_refuse_huge_ids)
    app.after_request(_echo_request_id)
    app.after_request(cache_control.apply)

    @app.get("/healthz")
    @app.doc(hide=True)
    def healthz():
        """The process is up."""
        return {"status": "ok"}

    return app
