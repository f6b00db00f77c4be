"""deploy/nginx: the production reverse proxy, checked by nginx itself (`nginx -t`) and run for real
on loopback in front of a running TaskSync (tools/proxy.py moves only its paths and ports)."""

from __future__ import annotations

import gzip
import http.server
import json
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import Client
from tests.event_stream import EventStream
from tools.databases import missing
from tools.proxy import NGINX_DIR, WEB_DIR, adapted_config, check_config, nginx_binary, running_proxy
from tools.slow_clients import SlowClients, wait_settled
from tools.stack import free_port

MIB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def _nginx_installed():
    if not nginx_binary():
        missing("nginx is not installed (apt-get install nginx; .ci/run installs it)")


@pytest.fixture(scope="module")
def proxy(stack):
    """The proxy's base URL, in front of the test session's stack."""
    with running_proxy(urlsplit(stack.url).netloc) as url:
        yield url


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session


def _problem(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/problem+json")
    document = response.json()
    assert document["status"] == status and document["title"] and document["detail"]
    return document


def test_nginx_accepts_the_configuration(tmp_path):
    result = check_config(adapted_config(tmp_path, "127.0.0.1:9", free_port()))
    assert result.returncode == 0, result.stderr


def test_a_request_goes_through_to_the_gateway(proxy):
    client = Client(proxy).sign_up()
    created = client.post("/api/v1/rooms", json={"name": "Behind the proxy"})
    assert created.status_code == 201, created.text
    listed = client.get("/api/v1/rooms")
    assert listed.status_code == 200
    assert [room["id"] for room in listed.json()["items"]] == [created.json()["id"]]
    assert listed.headers["X-Request-ID"]  # the id the proxy logged, passed to the gateway


def test_an_oversized_body_is_a_problem_document_from_the_proxy(proxy):
    body = b'{"username": "' + b"x" * (MIB + 10) + b'"}'
    response = _session().post(
        f"{proxy}/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert "10 MiB for imports" in _problem(response, 413)["detail"]


def test_imports_may_be_larger_up_to_10_mib(proxy):
    session = _session()
    headers = {"Content-Type": "application/json"}
    bigger = session.post(f"{proxy}/api/v1/rooms/import", data=b" " * (2 * MIB), headers=headers, timeout=30)
    # Past the proxy: whatever the gateway says of it, it is not the proxy's refusal.
    assert "10 MiB for imports" not in bigger.text
    too_big = session.post(f"{proxy}/api/v1/rooms/import", data=b" " * (10 * MIB + 1), headers=headers, timeout=30)
    _problem(too_big, 413)


def test_invalid_http_is_a_problem_document(proxy):
    parts = urlsplit(proxy)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"Content-Type: application/problem+json" in head
    assert json.loads(body)["status"] == 400


@pytest.mark.parametrize("path", ["/", "/assets/js/main.js", "/assets/css/app.css"])
def test_static_files_are_compressed_with_validators_and_a_revisit_is_304(proxy, stack, path):
    session = _session()
    first = session.get(f"{proxy}{path}", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert first.status_code == 200
    assert first.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first.headers["Vary"]
    on_disk = (WEB_DIR / ("index.html" if path == "/" else path.removeprefix("/assets/"))).read_bytes()
    assert first.content == on_disk  # requests decoded the gzip
    assert first.headers["Cache-Control"] == "no-cache"
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert session.get(f"{proxy}{path}", headers={"If-None-Match": etag}, timeout=10).status_code == 304
    assert session.get(f"{proxy}{path}", headers={"If-Modified-Since": modified}, timeout=10).status_code == 304
    # The same protective headers as the gateway gives the same file.
    from_gateway = session.get(f"{stack.url}{path}", timeout=10)
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert first.headers[name] == from_gateway.headers[name], name


def test_a_compressed_file_is_really_smaller(proxy):
    with _session().get(
        f"{proxy}/assets/js/main.js", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10
    ) as response:
        raw = response.raw.read(decode_content=False)
    assert len(raw) < (WEB_DIR / "js" / "main.js").stat().st_size
    assert gzip.decompress(raw) == (WEB_DIR / "js" / "main.js").read_bytes()


def test_normal_requests_pass_beside_200_slow_clients(proxy):
    parts = urlsplit(proxy)
    with SlowClients(parts.hostname, parts.port, count=200) as slow:
        wait_settled(slow)
        assert slow.open_count >= 190
        for path in ("/healthz", "/", "/api/v1/openapi.json"):
            started = time.monotonic()
            response = _session().get(f"{proxy}{path}", headers={"Connection": "close"}, timeout=5)
            assert response.status_code == 200
            assert time.monotonic() - started < 1.0, path


class _EventSource(http.server.BaseHTTPRequestHandler):
    """A stand-in upstream: an event stream whose second event waits until the test has the first."""

    release = threading.Event()

    def do_GET(self):
        if self.path.endswith("/events"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"data: first\n\n")
            self.wfile.flush()
            self.release.wait(20)
            self.wfile.write(b"data: second\n\n")
            self.wfile.flush()
            return
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def event_upstream():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EventSource)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _EventSource.release.clear()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        _EventSource.release.set()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["/api/v1/rooms/7/events", "/api/v1/users/me/events"])
def test_event_streams_are_passed_on_unbuffered(event_upstream, path):
    with running_proxy(event_upstream) as url, _session().get(f"{url}{path}", stream=True, timeout=10) as r:
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/event-stream"
        lines = r.iter_lines()
        # The upstream sends nothing more until released: this event came through on its own
        # (buffered, as every other answer is, not even the status line would have).
        assert next(lines) == b"data: first"
        _EventSource.release.set()
        assert [line for line in lines if line] == [b"data: second"]


def test_a_gateways_event_arrives_through_the_proxy_at_once(proxy):
    owner, member = Client(proxy).sign_up(), Client(proxy).sign_up()
    room = owner.post("/api/v1/rooms", json={"name": "Live behind the proxy"}).json()
    assert member.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200
    path = f"/api/v1/rooms/{room['id']}/events"
    with EventStream.open(proxy + path, owner.token) as watcher:
        assert watcher.status == 200
        assert watcher.next(timeout=2).event == "presence"
        started = time.monotonic()
        assert owner.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "through"}).status_code == 201
        event = watcher.next_named("task.created", timeout=2)
        assert time.monotonic() - started < 1.0
        # Reconnecting through the proxy: Last-Event-ID reaches the gateway.
        with EventStream.open(proxy + path, member.token, last_event_id=event.id - 1) as again:
            assert again.next().event == "presence"
            assert again.next().id == event.id
            assert watcher.next_named("presence").data["user_ids"] == sorted([owner.user["id"], member.user["id"]])
        # The proxy closes its upstream connection when its client leaves: presence follows at once.
        assert watcher.next_named("presence", timeout=3).data["user_ids"] == [owner.user["id"]]


def test_a_gateway_that_is_down_is_a_problem_document():
    with running_proxy(f"127.0.0.1:{free_port()}") as url:
        response = _session().get(f"{url}/api/v1/rooms", timeout=10)
    _problem(response, 502)
    assert response.headers["Retry-After"]


def test_a_gateway_answer_is_passed_on_not_replaced(event_upstream):
    # The upstream's own 503 stays its own: only the proxy's refusals are the proxy's documents.
    with running_proxy(event_upstream) as url:
        response = _session().get(f"{url}/api/v1/rooms", timeout=10)
    assert response.status_code == 503 and response.content == b""


def test_clients_must_keep_sending_and_reading():
    # A client that stalls mid-header or mid-body is cut off (408), not held for nginx's 60 s default.
    config = (NGINX_DIR / "nginx.conf").read_text()
    for directive in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        seconds = re.search(rf"^\s*{directive} (\d+)s;", config, re.MULTILINE)
        assert seconds and int(seconds.group(1)) <= 30, directive
