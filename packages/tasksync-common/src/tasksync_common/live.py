"""Live notices: what a committed change tells every gateway process that holds event streams.

A notice is a small JSON object about one topic: ``room_topic(room_id)`` or ``user_topic(user_id)``.
The service that commits a change publishes its notices after the commit, and only then
(``after_commit.defer(db.session, live.publish, topic, notice)``). The shapes:

- an event: ``{"id": n, "prev": p, "event": kind, "data": {...}}``, where ``prev`` is the id of
  the topic's previous event (0 for none). Ids of one topic grow in commit order, because each is
  given under the topic's lock, so a process that has passed on ``p`` can pass on ``n`` at once,
  and one that has not knows it missed something and reads it from the source of truth;
- ``{"event": "room.deleted", "data": {"room_id": r}}``: the room is gone;
- ``{"recheck": true}`` on a user's topic: a token of theirs was revoked or their membership
  changed, so their open streams must check again whether they may go on;
- ``{"presence": true}`` on a room's topic: who has the room open has changed.

Delivery is at most once, and a notice can be lost (a receiver restarting, Redis failing over).
That is why an event notice carries ``prev``, and why receivers also compare their place with the
source of truth from time to time: a lost notice delays an event, it never loses it. For the same
reason publishing never fails the request that caused it (the commit has happened); it logs.

Production (``REDIS_URL`` set): Redis PUBLISH on ``channel(topic)``; receivers PSUBSCRIBE to
``pattern()``. Embedded (no Redis): each gateway worker listens on a Unix datagram socket of its
own in ``socket_dir()``, a folder only this user can enter; a notice is sent to each socket there,
with its topic (``datagram``, read back by ``from_datagram``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import socket
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

from . import activity_access
from .cache import cache
from .config import Settings

log = logging.getLogger(__name__)

SOCKET_SUFFIX = ".sock"
# A datagram larger than this is not sent (no notice comes near it: they name ids, not content).
MAX_NOTICE_BYTES = 16 * 1024

_settings: Settings | None = None


def init_app(settings: Settings) -> None:
    """Remember where notices go (every service calls this while building its app)."""
    global _settings
    _settings = settings


def room_topic(room_id: int) -> str:
    return f"room:{room_id}"


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def head_key(topic: str) -> str:
    """The shared cache key of the topic's newest event id, which its source publishes after each
    commit (``cache.publish_counter``): a room's is its history's head; a user's, their newest
    notification's. Receivers compare it with their place now and then, to heal lost notices."""
    kind, _, number = topic.partition(":")
    return activity_access.head_key(int(number)) if kind == "room" else f"notification-head:{number}"


def channel(topic: str, settings: Settings) -> str:
    """The Redis channel of ``topic`` (under the cache prefix: test runs never hear each other)."""
    return f"{settings.cache_prefix}live:{topic}"


def pattern(settings: Settings) -> str:
    """The Redis channel pattern that matches every topic's channel."""
    return f"{settings.cache_prefix}live:*"


def topic_of(channel_name: str, settings: Settings) -> str:
    """The topic a channel from ``pattern()`` belongs to."""
    return channel_name.removeprefix(f"{settings.cache_prefix}live:")


def socket_dir(settings: Settings) -> Path:
    """The folder of the embedded setup's sockets: short (a socket's path holds at most 107
    bytes) and one per data folder, so two stacks on one machine never hear each other."""
    digest = hashlib.sha256(str(settings.data_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"tasksync-live-{digest}"


def encode(notice: dict[str, Any]) -> bytes:
    return json.dumps(notice, separators=(",", ":")).encode()


def datagram(topic: str, notice: dict[str, Any]) -> bytes:
    """The embedded transport's message: a datagram has no channel, so it names its topic."""
    return encode({"topic": topic, "notice": notice})


def from_datagram(raw: bytes) -> tuple[str, Any]:
    """The topic and notice of a ``datagram``; ValueError when it is not one."""
    message = json.loads(raw)
    if not isinstance(message, dict) or not isinstance(message.get("topic"), str):
        raise ValueError("not a live notice datagram")
    return message["topic"], message.get("notice")


def publish(topic: str, notice: dict[str, Any]) -> None:
    """Send ``notice`` about ``topic`` to every gateway process now listening (after a commit)."""
    # The app at hand's settings first: a test process builds several apps, each with its own.
    settings = current_app.config.get("SETTINGS", _settings) if has_app_context() else _settings
    if settings is None:
        return  # an app built for migrations or a test that does not listen
    message = encode(notice)
    try:
        if settings.redis_url:
            backend: Any = cache.cache  # typed as SimpleCache; here it is cachelib's RedisCache
            backend._write_client.publish(channel(topic, settings), message)
        else:
            _send_datagrams(socket_dir(settings), datagram(topic, notice))
    except Exception as error:  # the commit stands; receivers heal a lost notice
        log.warning("live notice about %s not sent: %s", topic, error.__class__.__name__)


def _send_datagrams(folder: Path, message: bytes) -> None:
    if len(message) > MAX_NOTICE_BYTES:
        log.warning("live notice of %d bytes not sent", len(message))
        return
    try:
        paths = [path for path in folder.iterdir() if path.name.endswith(SOCKET_SUFFIX)]
    except FileNotFoundError:
        return  # no gateway listens
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)  # a receiver that cannot keep up loses the notice, never stalls us
        for path in paths:
            try:
                sender.sendto(message, str(path))
            except ConnectionRefusedError:  # its worker is gone: nobody will read it again
                path.unlink(missing_ok=True)
            except FileNotFoundError:
                pass
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.ENOBUFS):
                    raise
