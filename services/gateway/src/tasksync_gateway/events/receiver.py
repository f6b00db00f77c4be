"""Where a gateway worker hears live notices (tasksync_common.live): one greenlet per worker.

Production: PSUBSCRIBE to every topic's channel on a Redis connection of its own. On a Redis
error it backs off, subscribes again, and has every hub read what it may have missed meanwhile.
Embedded: a Unix datagram socket of this worker's own in ``live.socket_dir``, removed when the
worker exits. Either way a malformed notice is logged and dropped; nothing stops the loop.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]  # gevent ships no type information

from tasksync_common import live
from tasksync_common.config import Settings

log = logging.getLogger(__name__)

BACKOFF_FIRST = 0.2  # seconds before the first resubscription; doubled up to BACKOFF_MAX
BACKOFF_MAX = 5.0

Dispatch = Callable[[str, Any], None]


def start(settings: Settings, dispatch: Dispatch, on_gap: Callable[[], None]) -> None:
    """Listen for notices in a greenlet; ``dispatch(topic, notice)`` each, ``on_gap()`` after an outage."""
    if settings.redis_url:
        gevent.spawn(_listen_to_redis, settings, dispatch, on_gap)
    else:
        gevent.spawn(_listen_to_datagrams, _bind(live.socket_dir(settings)), dispatch)


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _safely(dispatch: Dispatch, topic: str, notice: Any) -> None:
    try:
        dispatch(topic, notice)
    except Exception:
        log.exception("live notice about %s could not be handled", topic)


def _listen_to_redis(settings: Settings, dispatch: Dispatch, on_gap: Callable[[], None]) -> None:
    import redis

    backoff = BACKOFF_FIRST
    first = True
    while True:
        client = redis.Redis.from_url(settings.redis_url or "", health_check_interval=30)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.psubscribe(live.pattern(settings))
            if not first:
                on_gap()  # notices sent while we were away are read from the sources
            first = False
            backoff = BACKOFF_FIRST
            for message in pubsub.listen():
                if message.get("type") == "pmessage":
                    channel = message["channel"].decode("utf-8", "replace")
                    _safely(dispatch, live.topic_of(channel, settings), _decode(message["data"]))
        except redis.RedisError as error:
            log.warning("live notices: Redis failed (%s); subscribing again", error.__class__.__name__)
        finally:
            pubsub.close()
            client.close()
        first = False
        gevent.sleep(backoff)
        backoff = min(backoff * 2, BACKOFF_MAX)


def _bind(folder: Path) -> socket.socket:
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)  # made by another user's umask, or earlier: only we may send to it
    path = folder / f"{os.getpid()}{live.SOCKET_SUFFIX}"
    path.unlink(missing_ok=True)  # a crashed worker of the same pid, long ago
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    atexit.register(path.unlink, missing_ok=True)
    return receiver


def _listen_to_datagrams(receiver: socket.socket, dispatch: Dispatch) -> None:
    while True:
        try:
            raw = receiver.recv(live.MAX_NOTICE_BYTES + 1)
        except OSError as error:
            log.warning("live notices: the socket failed (%s)", error.__class__.__name__)
            gevent.sleep(BACKOFF_FIRST)
            continue
        try:
            topic, notice = live.from_datagram(raw)
        except (ValueError, RecursionError):
            log.warning("live notice dropped: not a notice datagram")
            continue
        _safely(dispatch, topic, notice)
