"""The one Flask-Caching object, the token state services share through it, and how answers are
published (a room's board keys and rule are in board_access).

The cache is shared across processes (Redis in production, files in the data folder when
embedded), because the rooms service writes the answers that the other services read:
a membership change or a revoked token must be seen by every worker on the very next request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response
from flask_caching import Cache

from .config import Settings

cache = Cache()
log = logging.getLogger(__name__)
T = TypeVar("T")

REVOKED = "0"
ACTIVE = "1"
REDIS_CONNECTIONS = 2000
# How long a cached answer may live; the owner of the data overwrites it on every change.
ANSWER_TTL = 300


def init_app(app: Flask, settings: Settings) -> None:
    """Point the cache at Redis when REDIS_URL is set, else at files under the data folder."""
    config: dict[str, Any]
    if settings.redis_url:
        _answer_outages(app)
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": settings.cache_prefix,
            # Connections one process may hold at once. redis-py's default, 100, is refused (not
            # waited for) beyond: a gevent gateway with a thousand open streams or polling boards
            # has that many cache reads in flight at moments, and answered 503s (make bench).
            "CACHE_OPTIONS": {"max_connections": REDIS_CONNECTIONS},
        }
    else:
        config = {
            "CACHE_TYPE": "FileSystemCache",
            "CACHE_DIR": str(settings.data_dir / "cache"),
            "CACHE_THRESHOLD": 20000,
        }
    config["CACHE_DEFAULT_TIMEOUT"] = ANSWER_TTL
    config.update({k: v for k, v in app.config.items() if k.startswith("CACHE_")})
    cache.init_app(app, config=config)


def _answer_outages(app: Flask) -> None:
    """While Redis cannot be reached, a request that needs it is a 503 with Retry-After, not a
    500. Writes read the cache (token state, membership) before they write, so during an
    outage they are refused before they start."""
    from redis.exceptions import ConnectionError as Unreachable
    from redis.exceptions import TimeoutError as TooSlow

    from .problems import problem_response

    def unavailable(error: Exception) -> Response:
        log.warning("shared cache unavailable: %s", error.__class__.__name__)
        return problem_response(
            503, "The shared cache is unavailable; try again shortly.", headers={"Retry-After": "2"}
        )

    app.register_error_handler(Unreachable, unavailable)
    app.register_error_handler(TooSlow, unavailable)


def token_key(token_id: str) -> str:
    """Key of the cached state (ACTIVE or REVOKED) of one issued token."""
    return f"token:{token_id}"


def read_through(key: str, load: Callable[[], T], timeout: int = ANSWER_TTL) -> T:
    """The cached value of ``key``, else ``load()``; added (never overwriting) so a slow reader
    cannot undo a newer answer that the data's owner has published meanwhile."""
    value: T | None = cache.get(key)
    if value is None:
        value = load()
        cache.add(key, value, timeout=timeout)
    return value


# Keeps the larger of the stored number and ARGV[1], atomically in Redis.
_KEEP_GREATER = """
local stored = tonumber(redis.call('GET', KEYS[1]))
if stored == nil or stored < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
"""


def publish_counter(key: str, value: int, load: Callable[[], object], timeout: int = ANSWER_TTL) -> None:
    """After the commit that made ``value`` of a counter that only grows: store it unless a
    larger one is there already, so of two writers publishing at once the later state stays.
    In Redis that is one atomic step; the file cache has none, and reads back (``publish``)."""
    backend: Any = cache.cache  # typed as SimpleCache; here it may be cachelib's RedisCache
    client = getattr(backend, "_write_client", None)  # cachelib's RedisCache client
    if client is None:
        publish(key, load, timeout, value=value)
        return
    # Sent by its SHA-1 (EVALSHA), loaded on the first call that finds Redis without it.
    client.register_script(_KEEP_GREATER)(keys=[backend._get_prefix() + key], args=[value, timeout])


def publish(
    key: str, load: Callable[[], object], timeout: int = ANSWER_TTL, rounds: int = 4, value: object = None
) -> None:
    """After a committed change: store ``value`` (or ``load()``) under ``key``, then read again
    until stable, so that of two writers publishing at once, the later state is the one that stays."""
    if value is None:
        value = load()
    for _ in range(rounds):
        cache.set(key, value, timeout=timeout)
        fresh = load()
        if fresh == value:
            return
        value = fresh
    cache.delete(key)  # still moving: let the next reader load it
