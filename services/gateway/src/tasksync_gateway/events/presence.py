"""Who has a room open, across every gateway worker and replica.

Each open room stream is one entry of its room's set, named by its ``presence_key`` (the user's
id, and which tab). In production the set is a Redis sorted set whose scores say when each entry
goes stale: the worker holding a stream pushes that time on every REFRESH seconds, so the entries
of a worker that crashed go stale after at most STALE seconds and vanish from the next reading.
Embedded, one gateway worker holds every stream: the set is that process's memory.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from tasksync_common.cache import cache
from tasksync_common.config import Settings

REFRESH = 10  # seconds between a worker's refreshes of its entries
STALE = 25  # seconds after its last refresh that an entry stops counting


def user_of(key: str) -> int:
    """The user a presence key names."""
    return int(key.partition(":")[0])


class Presence(Protocol):
    def enter(self, room_id: int, key: str) -> None: ...

    def leave(self, room_id: int, key: str) -> None: ...

    def refresh(self, entries: Mapping[int, Iterable[str]]) -> None: ...

    def read(self, room_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        """Each room's users (sorted, unique) now."""
        ...


class MemoryPresence:
    """The embedded set: the one gateway process knows every stream it holds."""

    def __init__(self) -> None:
        self._rooms: dict[int, set[str]] = defaultdict(set)

    def enter(self, room_id: int, key: str) -> None:
        self._rooms[room_id].add(key)

    def leave(self, room_id: int, key: str) -> None:
        keys = self._rooms.get(room_id)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._rooms[room_id]

    def refresh(self, entries: Mapping[int, Iterable[str]]) -> None:
        pass  # nothing goes stale while the process that holds it lives

    def read(self, room_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        return {room: tuple(sorted({user_of(key) for key in self._rooms.get(room, ())})) for room in room_ids}


class RedisPresence:
    """The production set: a sorted set per room, scored by when each entry goes stale."""

    def __init__(self, settings: Settings):
        self._prefix = f"{settings.cache_prefix}presence:"

    @staticmethod
    def _client() -> Any:
        backend: Any = cache.cache  # typed as SimpleCache; here it is cachelib's RedisCache
        return backend._write_client

    def _key(self, room_id: int) -> str:
        return f"{self._prefix}{room_id}"

    def enter(self, room_id: int, key: str) -> None:
        self.refresh({room_id: [key]})

    def leave(self, room_id: int, key: str) -> None:
        self._client().zrem(self._key(room_id), key)

    def refresh(self, entries: Mapping[int, Iterable[str]]) -> None:
        now = time.time()
        pipeline = self._client().pipeline(transaction=False)
        for room_id, keys in entries.items():
            scored = dict.fromkeys(keys, now + STALE)
            if scored:
                pipeline.zremrangebyscore(self._key(room_id), "-inf", now)  # a crashed worker's
                pipeline.zadd(self._key(room_id), scored)
                pipeline.expire(self._key(room_id), STALE * 2)  # a room nobody holds goes away
        pipeline.execute()

    def read(self, room_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        rooms = list(room_ids)
        pipeline = self._client().pipeline(transaction=False)
        now = time.time()
        for room_id in rooms:
            pipeline.zrangebyscore(self._key(room_id), now, "+inf")
        answers = pipeline.execute()
        return {
            room: tuple(sorted({user_of(key.decode()) for key in keys}))
            for room, keys in zip(rooms, answers, strict=True)
        }


def for_settings(settings: Settings) -> Presence:
    """Redis when the deployment has it, else this process's memory."""
    return RedisPresence(settings) if settings.redis_url else MemoryPresence()
