"""A test's ear on live notices (tasksync_common.live): it hears what the services publish, as a
gateway process would, and hands each topic's notices over in the order they arrived.

Production settings (REDIS_URL): a Redis PSUBSCRIBE to the notices' pattern. Embedded: a Unix
datagram socket of its own in the settings' socket folder. Either way a thread reads at once
(a datagram socket's queue holds only a few notices) into one queue per topic.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import socket
import threading
import time
import uuid

from tasksync_common import live
from tasksync_common.config import Settings


class Listener:
    """What one test heard, per topic."""

    def __init__(self) -> None:
        self._topics: dict[str, queue.Queue] = collections.defaultdict(queue.Queue)
        self._lock = threading.Lock()

    def heard(self, topic: str, notice: dict) -> None:
        with self._lock:
            box = self._topics[topic]
        box.put(notice)

    def take(self, topic: str, count: int = 1, timeout: float = 10) -> list[dict]:
        """The next ``count`` notices about ``topic``; fails when they do not come in time."""
        with self._lock:
            box = self._topics[topic]
        deadline = time.monotonic() + timeout
        taken = []
        for _ in range(count):
            try:
                taken.append(box.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"{len(taken)} of {count} notices about {topic} came: {taken}") from None
        return taken

    def next(self, topic: str, timeout: float = 10) -> dict:
        return self.take(topic, 1, timeout)[0]

    def pending(self, topic: str) -> list[dict]:
        """What has come about ``topic`` and is not taken yet (taken now)."""
        with self._lock:
            box = self._topics[topic]
        taken = []
        with contextlib.suppress(queue.Empty):
            while True:
                taken.append(box.get_nowait())
        return taken


@contextlib.contextmanager
def listening(settings: Settings):
    """A Listener hearing every notice published for ``settings`` (its Redis prefix, or its data
    folder's sockets) while the block runs."""
    listener = Listener()
    stop = threading.Event()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url)
        subscription = client.pubsub(ignore_subscribe_messages=True)
        subscription.psubscribe(live.pattern(settings))
        subscription.get_message(timeout=5)  # the subscription's confirmation: from now on it hears

        def read() -> None:
            while not stop.is_set():
                message = subscription.get_message(timeout=0.2)
                if message and message["type"] == "pmessage":
                    topic = live.topic_of(message["channel"].decode(), settings)
                    listener.heard(topic, json.loads(message["data"]))

        cleanup = [subscription.close, client.close]
    else:
        folder = live.socket_dir(settings)
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}{live.SOCKET_SUFFIX}"
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(str(path))
        receiver.settimeout(0.2)

        def read() -> None:
            while not stop.is_set():
                try:
                    listener.heard(*live.from_datagram(receiver.recv(live.MAX_NOTICE_BYTES)))
                except TimeoutError:
                    continue

        def remove() -> None:
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # still used by others (a gateway's sockets)
                folder.rmdir()

        cleanup = [receiver.close, remove]
    thread = threading.Thread(target=read, name="live-listener", daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join(5)
        for step in cleanup:
            step()
