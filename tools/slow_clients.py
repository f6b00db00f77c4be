"""Slow clients ("slow loris"): connections that send a request's header one line at a time,
every few seconds, and never finish it. The slow-client tests and `make bench` open them beside
the normal traffic; a server that gives each connection a thread runs out of threads.

    with SlowClients("127.0.0.1", 8000, count=200) as slow:
        ...  # 200 connections are trickling their headers meanwhile
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class SlowClients:
    """``count`` connections to ``host:port``, each sending one more header line every
    ``interval`` seconds; one the server closes is opened again, so that ``count`` stay open."""

    def __init__(self, host: str, port: int, count: int = 200, interval: float = 2.0, path: str = "/api/v1/rooms"):
        self.address = (host, port)
        self.count = count
        self.interval = interval
        self.request_line = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n".encode()
        self.sockets: list[socket.socket | None] = []
        self.reopened = 0  # connections the server closed (a timeout, say) and we opened again
        self._lines = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, name="slow-clients", daemon=True)

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(self.address, timeout=5)
            sock.sendall(self.request_line)
        except OSError:
            return None
        sock.setblocking(False)
        return sock

    def _alive(self, sock: socket.socket) -> bool:
        """False when the server has closed (or answered, which it only does to close) this one."""
        try:
            return sock.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            return True
        except OSError:
            return False

    def _send_line(self, index: int) -> None:
        sock = self.sockets[index]
        if sock is not None and self._alive(sock):
            with contextlib.suppress(BlockingIOError):
                try:
                    sock.send(b"X-Slow-%d: %d\r\n" % (self._lines, index))
                    return
                except OSError:
                    pass
        if sock is not None:
            sock.close()
            self.reopened += 1
        self.sockets[index] = self._open()

    def _trickle(self) -> None:
        while not self._stop.wait(self.interval):
            self._lines += 1
            for index in range(len(self.sockets)):
                if self._stop.is_set():
                    return
                self._send_line(index)

    @property
    def open_count(self) -> int:
        return sum(1 for sock in self.sockets if sock is not None and self._alive(sock))

    def start(self) -> SlowClients:
        self.sockets = [self._open() for _ in range(self.count)]
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        for sock in self.sockets:
            if sock is not None:
                sock.close()
        self.sockets = []

    def __enter__(self) -> SlowClients:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def wait_settled(slow: SlowClients, seconds: float | None = None) -> None:
    """Let every slow client send a line or two beyond its request line, so that each one is a
    request in progress on the server, not a connection it has not looked at yet."""
    time.sleep(seconds if seconds is not None else slow.interval * 1.5)
