"""The embedded setup (`make run`: SQLite, no Redis, one gevent gateway worker) holds 300 open event
streams, each of which gets its room's next event at once, at a bounded memory cost per stream,
while board reads beside them are still answered at once."""

from __future__ import annotations

import selectors
import socket
import time
from urllib.parse import urlsplit

import psutil
import pytest

from tests.conftest import Client, running_stack

STREAMS = 300
PER_USER = 15  # below the gateway's 16 per user
MAX_KIB_PER_STREAM = 64  # measured 35 KiB: the greenlet, its request and response state, its queue


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite") as stack:
        yield stack


def gateway_worker(stack) -> psutil.Process:
    """The embedded gateway's one gunicorn worker: the leaf of its process tree."""
    leaves = [p for p in psutil.Process(stack.processes["gateway"].pid).children(recursive=True) if not p.children()]
    assert len(leaves) == 1, leaves
    return leaves[0]


def open_stream(address: tuple[str, int], room_id: int, token: str) -> socket.socket:
    """A raw connection that asked for the room's stream and has read up to its first event."""
    sock = socket.create_connection(address, timeout=10)
    sock.sendall(
        f"GET /api/v1/rooms/{room_id}/events HTTP/1.1\r\nHost: {address[0]}\r\n"
        f"Authorization: Bearer {token}\r\n\r\n".encode()
    )
    received = b""
    while b"event: presence" not in received:
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    assert received.startswith(b"HTTP/1.1 200"), received[:200]
    sock.setblocking(False)
    return sock


def wait_for_all(streams: dict[socket.socket, bytes], marker: bytes, seconds: float) -> None:
    """Read every stream until each has shown ``marker`` (within ``seconds`` in all)."""
    pending = {sock: b"" for sock in streams}
    with selectors.DefaultSelector() as selector:
        for sock in pending:
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + seconds
        while pending:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{len(pending)} streams did not get {marker!r}"
            for key, _ in selector.select(remaining):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock not in pending:
                    continue
                chunk = sock.recv(65536)
                assert chunk, "a stream ended"
                pending[sock] += chunk
                if marker in pending[sock]:
                    del pending[sock]
                    selector.unregister(sock)


def test_300_open_streams_each_hear_their_rooms_events(embedded):
    parts = urlsplit(embedded.url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    people = [Client(embedded.url).sign_up() for _ in range(STREAMS // PER_USER)]
    rooms = [person.post("/api/v1/rooms", json={"name": "Crowded"}).json()["id"] for person in people]
    worker = gateway_worker(embedded)
    for sock in [open_stream(address, rooms[0], people[0].token) for _ in range(5)]:
        sock.close()  # warm: the first streams' one-time costs are not the streams' own
    time.sleep(0.5)
    before = worker.memory_info().rss
    streams: dict[socket.socket, bytes] = {}
    try:
        for person, room in zip(people, rooms, strict=True):
            for _ in range(PER_USER):
                streams[open_stream(address, room, person.token)] = b""
        assert len(streams) == STREAMS
        per_stream_kib = (worker.memory_info().rss - before) / STREAMS / 1024
        print(f"gateway worker memory per open stream: {per_stream_kib:.1f} KiB")
        assert per_stream_kib < MAX_KIB_PER_STREAM
        started = time.monotonic()
        for person, room in zip(people, rooms, strict=True):
            assert person.post(f"/api/v1/rooms/{room}/tasks", json={"title": "everyone hears"}).status_code == 201
        wait_for_all(streams, b"event: task.created", 5)
        heard_in = time.monotonic() - started
        assert heard_in < 3, heard_in
        read_started = time.monotonic()
        assert people[0].get(f"/api/v1/rooms/{rooms[0]}/tasks").status_code == 200
        assert time.monotonic() - read_started < 1.0
    finally:
        for sock in streams:
            sock.close()
