"""The gateway on its own: token check first, problems for dead services, security headers."""

import pytest

from tasksync_common import config
from tasksync_gateway import create_app


@pytest.fixture
def client(tmp_path):
    # Port 9's neighbours answer nothing: every service behind this gateway is down.
    settings = config.load({"TASKSYNC_DATA_DIR": str(tmp_path), "TASKSYNC_PORT": "9", "TASKSYNC_SERVICE_TIMEOUT": "1"})
    return create_app({"TESTING": True}, settings=settings).test_client()


def test_no_token_is_401_before_any_service_is_asked(client):
    response = client.get("/api/v1/rooms")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_dead_service_is_503_with_retry_after(client):
    response = client.post("/api/v1/auth/login", json={"username": "someone", "password": "whatever1"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.get_json()["status"] == 503


def test_readyz_names_what_is_down(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["services"] == {"rooms": "unreachable", "tasks": "unreachable"}


@pytest.mark.parametrize("path", ["/api/nothing", "/api", "/api/v2/rooms"])
def test_unknown_api_paths_are_404_problems(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_page_headers(client):
    response = client.get("/")
    response.close()  # the page is streamed from a file
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_body_over_one_mebibyte_is_413(client):
    response = client.post("/api/v1/auth/register", data=b"x" * (1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_cors_is_off_unless_origins_are_listed(client, tmp_path):
    preflight = {"Origin": "https://planner.example", "Access-Control-Request-Method": "POST"}
    assert "Access-Control-Allow-Origin" not in client.options("/api/v1/rooms", headers=preflight).headers
    settings = config.load(
        {"TASKSYNC_DATA_DIR": str(tmp_path), "TASKSYNC_PORT": "9", "TASKSYNC_CORS_ORIGINS": "https://planner.example"}
    )
    allowed = create_app({"TESTING": True}, settings=settings).test_client()
    response = allowed.options("/api/v1/rooms", headers=preflight)
    assert response.headers["Access-Control-Allow-Origin"] == "https://planner.example"
    other = allowed.options("/api/v1/rooms", headers={**preflight, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_hsts_only_over_https(client):
    plain = client.get("/healthz")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/healthz", base_url="https://tasksync.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    for response in (plain, secure):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
