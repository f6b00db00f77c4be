"""A keep-alive connection with requests waiting does not keep the gateway to itself: other
connections, new ones included, are answered between its requests.

An event-loop worker switches between connections only when one would block. A client that
pipelines its requests never makes its connection block, so without a deliberate turn-taking the
worker serves all of them first. Counting answers rather than timing them keeps this exact.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

PIPELINED = 300  # /healthz answers of about 200 bytes: they fit the kernel's buffers unread
OTHERS = 8  # the production stack has two gateway workers: some of these share the busy one


def _request(host: str) -> bytes:
    return f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


def _answers(data: bytes) -> int:
    return data.count(b"HTTP/1.1 200")


def _read_one_answer(sock: socket.socket) -> bytes:
    data = b""
    while b'"ok"' not in data:
        chunk = sock.recv(65536)
        assert chunk, "the gateway closed the connection without answering"
        data += chunk
    return data


def _drain(sock: socket.socket) -> bytes:
    """Whatever has arrived on ``sock`` so far, without waiting for more."""
    sock.setblocking(False)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except BlockingIOError:
        pass
    finally:
        sock.setblocking(True)
    return data


def test_a_pipelining_client_does_not_hold_up_the_others(stack):
    parts = urlsplit(stack.url)
    address = (parts.hostname, parts.port)
    busy = socket.create_connection(address, timeout=10)
    others = []
    try:
        busy.sendall(_request(parts.netloc) * PIPELINED)
        others = [socket.create_connection(address, timeout=10) for _ in range(OTHERS)]
        busy_answers = 0
        received = b""
        for other in others:
            other.sendall(_request(parts.netloc))
            assert _answers(_read_one_answer(other)) == 1
            received += _drain(busy)
            busy_answers = _answers(received)
            assert busy_answers < PIPELINED // 2, (
                f"another connection waited until {busy_answers} of {PIPELINED} pipelined requests were answered"
            )
        busy.settimeout(10)
        while _answers(received) < PIPELINED:  # and the pipelining client still gets every answer
            chunk = busy.recv(65536)
            assert chunk, f"the connection closed after {_answers(received)} answers"
            received += chunk
        assert _answers(received) == PIPELINED
    finally:
        for sock in [busy, *others]:
            sock.close()
