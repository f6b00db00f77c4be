"""TaskSync gateway: the only process a user reaches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from tasksync_common import auth, config, peers
from tasksync_common.peers import RemoteKeys, remote_token_state
from tasksync_common.service_app import create_base_app
from tasksync_common.signing import Verifier

from . import events, health, openapi, proxy, throttling, web


def create_app(test_config: Mapping[str, Any] | None = None, settings: config.Settings | None = None) -> APIFlask:
    """Build the gateway from the environment (or ``settings``)."""
    settings = settings or config.load()
    app = create_base_app(__name__, "TaskSync gateway", settings, test_config, describes_api=False)
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's way to wrap its WSGI app
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    rooms = peers.init_app(app, settings, "rooms", "tasks")["rooms"]
    auth.init_app(app, auth.Authenticator(Verifier(RemoteKeys(rooms)), remote_token_state(rooms)))
    throttling.init_app(app)
    web.init_app(app)
    events.init_app(app, settings)
    for blueprint in (health.bp, openapi.bp, web.bp, proxy.bp):
        app.register_blueprint(blueprint)
    app.after_request(web.add_security_headers)
    if settings.cors_origins:  # off unless origins are listed
        CORS(
            app,
            resources={r"/api/*": {"origins": list(settings.cors_origins)}},
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Last-Event-ID",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
            max_age=600,
        )
    return app
