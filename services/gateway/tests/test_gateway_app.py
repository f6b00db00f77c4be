"""The gateway on its own: token check first, problems for dead services, security headers."""

import gzip

import pytest

from tasksync_common import config
from tasksync_gateway import create_app, web


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


@pytest.mark.parametrize(
    ("path", "file"), [("/", "index.html"), ("/assets/js/main.js", "js/main.js"), ("/sw.js", "sw.js")]
)
@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_web_client_files_are_compressed_and_a_revisit_is_304(client, path, file, coding):
    import brotli

    response = client.get(path, headers={"Accept-Encoding": coding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in response.headers["Vary"]
    on_disk = (web.WEB_DIR / file).read_bytes()
    body = gzip.decompress(response.data) if coding == "gzip" else brotli.decompress(response.data)
    assert body == on_disk and len(response.data) < len(on_disk)
    assert response.headers["Cache-Control"] == "no-cache"
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert etag.endswith(f':{coding}"') and not etag.startswith("W/")  # a representation's own, strong
    revisit = client.get(path, headers={"Accept-Encoding": coding, "If-None-Match": etag})
    assert revisit.status_code == 304 and revisit.data == b""
    since = client.get(path, headers={"Accept-Encoding": coding, "If-Modified-Since": modified})
    assert since.status_code == 304


def test_web_client_files_are_sent_as_they_are_to_who_takes_no_coding(client):
    response = client.get("/assets/css/app.css", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.data == (web.WEB_DIR / "css" / "app.css").read_bytes()
    compressed = client.get("/assets/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["ETag"] != response.headers["ETag"]  # two representations, two tags
    assert client.get("/assets/css/app.css", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_api_answers_are_not_compressed_here(client):
    response = client.get("/api/v1/rooms", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 401 and "Content-Encoding" not in response.headers


def test_the_service_worker_and_manifest_are_served_as_browsers_take_them(client):
    """A worker must come as JavaScript, from the root (its scope); the manifest as its own type."""
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    manifest = client.get("/assets/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert manifest.json["name"] == "TaskSync"


def test_a_missing_client_file_is_404(client):
    assert client.get("/assets/js/nothing.js", headers={"Accept-Encoding": "gzip"}).status_code == 404
