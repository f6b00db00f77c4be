"""Readiness of everything behind the gateway (liveness, /healthz, is every app's own)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, current_app

from tasksync_common import peers
from tasksync_common.problems import Problem
from tasksync_common.service_client import ServiceClient

bp = Blueprint("health", __name__)
_pool = ThreadPoolExecutor(max_workers=4)


def _ready(client: ServiceClient) -> str:
    try:
        response = client.request("GET", "/readyz", timeout=2)
    except Problem:
        return "unreachable"
    return "ok" if response.status == 200 else "not ready"


@bp.get("/readyz")
def readyz():
    """200 when every service and its database can serve; 503 naming what cannot."""
    clients = peers.clients()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as the app, not its proxy

    def check(name):
        with app.app_context():
            return name, _ready(clients[name])

    services = dict(_pool.map(check, sorted(clients)))
    ready = all(state == "ok" for state in services.values())
    body = {"status": "ok" if ready else "unavailable", "services": services}
    return (body, 200) if ready else (body, 503, {"Retry-After": "5"})
