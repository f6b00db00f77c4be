"""The inter-service client against real sockets: refused, silent, and several replicas."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tasksync_common.problems import Problem
from tasksync_common.service_client import ServiceClient
from tools.stack import free_port


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent():
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_refused_is_503_with_retry_after():
    client = ServiceClient("rooms", f"http://127.0.0.1:{free_port()}", timeout=1)
    with pytest.raises(Problem) as caught:
        client.request("GET", "/x")
    assert caught.value.status_code == 503 and caught.value.headers["Retry-After"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_silent_peer_is_504_after_the_timeout(silent, method):
    client = ServiceClient("tasks", silent, timeout=0.5)
    with pytest.raises(Problem) as caught:
        client.request(method, "/x")
    assert caught.value.status_code == 504


def test_a_dead_replica_is_skipped(server):
    client = ServiceClient("tasks", f"http://127.0.0.1:{free_port()},{server}", timeout=1)
    assert [client.request("GET", "/x").status for _ in range(4)] == [200] * 4


def test_replicas_are_taken_in_turn(server):
    client = ServiceClient("tasks", f"{server},{server}", timeout=1)
    client.request("GET", "/x")
    assert len(client.base_urls) == 2
