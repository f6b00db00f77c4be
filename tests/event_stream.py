"""A small reader of server-sent event streams for tests (requests with stream=True).

    with EventStream.open(url, token) as events:
        event = events.next(timeout=5)        # the next event (comments skipped), or AssertionError
        event = events.next_named("task.created")

Each read has a deadline of its own; ``comments`` keeps the comment lines seen (keep-alives),
``closed`` tells whether the server ended the stream.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass
class ServerEvent:
    """One event: ``id`` (None when it has none), ``event`` (its name) and ``data`` (JSON-decoded)."""

    id: int | None
    event: str
    data: Any
    raw_data: str = ""


@dataclass
class EventStream:
    response: requests.Response
    comments: list[str] = field(default_factory=list)
    retry: int | None = None
    closed: bool = False
    _buffer: bytes = b""

    @classmethod
    def open(
        cls, url: str, token: str | None = None, last_event_id: str | int | None = None, headers: dict | None = None
    ) -> EventStream:
        """Open a stream; assert nothing about its status (see ``status`` and ``response``)."""
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if last_event_id is not None:
            sent["Last-Event-ID"] = str(last_event_id)
        session = requests.Session()
        session.trust_env = False
        response = session.get(url, headers=sent, stream=True, timeout=(10, 10))
        return cls(response)

    @property
    def status(self) -> int:
        return self.response.status_code

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def cut(self) -> None:
        """Drop the connection abruptly (a tab that closes without a goodbye): RST, not FIN."""
        raw = self._socket()
        if raw is not None:
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            raw.close()
        self.response.close()

    def _socket(self) -> socket.socket | None:
        raw = self.response.raw
        connection = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if sock is None:
            fp = getattr(getattr(raw, "_fp", None), "fp", None)
            sock = getattr(getattr(fp, "raw", None), "_sock", None)
        return sock

    def _read_some(self, deadline: float) -> bool:
        """Read whatever arrives before ``deadline``; False when the stream ended."""
        sock = self._socket()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError("no event before the deadline")
        if sock is not None:
            sock.settimeout(remaining)
        try:
            chunk = self.response.raw.read1(65536) if hasattr(self.response.raw, "read1") else b""
        except TimeoutError:
            raise AssertionError("no event before the deadline") from None
        except (requests.exceptions.ConnectionError, OSError, ValueError):
            chunk = b""
        except Exception as error:  # urllib3's ProtocolError, ReadTimeoutError
            if "timed out" in str(error):
                raise AssertionError("no event before the deadline") from None
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self._buffer += chunk
        return True

    def _next_block(self, deadline: float) -> list[str] | None:
        while True:
            normalized = self._buffer.replace(b"\r\n", b"\n")
            if b"\n\n" in normalized:
                block, _, rest = normalized.partition(b"\n\n")
                self._buffer = rest
                return block.decode("utf-8").split("\n")
            if self.closed or not self._read_some(deadline):
                return None

    def next(self, timeout: float = 5) -> ServerEvent:
        """The next event within ``timeout`` seconds; AssertionError when none comes or it ends."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self._next_block(deadline)
            if lines is None:
                raise AssertionError("the stream ended")
            event_id, name, data = None, "message", []
            for line in lines:
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    continue
                key, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if key == "id":
                    event_id = int(value)
                elif key == "event":
                    name = value
                elif key == "data":
                    data.append(value)
                elif key == "retry":
                    self.retry = int(value)
            if not data:
                continue  # a comment or a retry alone: no event
            raw = "\n".join(data)
            return ServerEvent(event_id, name, json.loads(raw), raw)

    def next_named(self, *names: str, timeout: float = 5) -> ServerEvent:
        """The next event called one of ``names`` (others before it are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.001, deadline - time.monotonic()))
            if event.event in names:
                return event

    def wait_comment(self, timeout: float = 5) -> str:
        """The next comment line (a keep-alive), skipping events."""
        deadline = time.monotonic() + timeout
        seen = len(self.comments)
        while len(self.comments) == seen:
            lines = self._next_block(deadline)
            if lines is None:
                raise AssertionError("the stream ended")
            self.comments.extend(line[1:].strip() for line in lines if line.startswith(":"))
        return self.comments[seen]

    def wait_closed(self, timeout: float = 5) -> list[ServerEvent]:
        """Read until the server ends the stream within ``timeout``; the events read meanwhile."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                seen.append(self.next(max(0.001, deadline - time.monotonic())))
            except AssertionError as error:
                if self.closed:
                    return seen
                raise AssertionError(f"the stream did not end in time (read {seen})") from error
