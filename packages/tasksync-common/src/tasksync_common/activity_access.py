"""Who reads a room's history, under which cache keys: the rule that the gateway and the tasks
service both apply to GET .../activity (a room's, or one task's), as board_access is for the
task list.

A history changes only by growing, so its pages are named by the room's newest entry id (its
head), which the tasks service publishes after each commit that adds an entry (its own writes,
and the rooms service's entries it is sent). A page's ETag names the head, the path (room or
task) and the query; the tasks service stores each page it builds under that tag, and the
gateway answers an unchanged history (304) or a page already built from the cache alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .auth import Identity
from .board_access import PAGE_TTL, CachedRead, cached_room_read
from .cache import publish_counter, read_through


def head_key(room_id: int) -> str:
    """Key of the id of the room's newest history entry (0 for none yet)."""
    return f"activity-head:{room_id}"


def list_etag(head: int, path: str, query_string: bytes) -> str:
    """The validator of a page of a history: the room's head, which history, which page."""
    digest = hashlib.blake2b(path.encode(), digest_size=8)
    digest.update(b"?" + query_string)
    return f'"a{head}-{digest.hexdigest()}"'


def page_key(room_id: int, etag: str) -> str:
    """Key of the JSON body served under ``etag``."""
    return f"activity-page:{room_id}:{etag}"


def publish_head(room_id: int, head: int, load: Callable[[], int]) -> None:
    """After the commit that added entry ``head`` (the tasks service): let every process see it,
    or a newer one (``load()`` reads the newest id stored)."""
    publish_counter(head_key(room_id), head, load)


def current_head(room_id: int, load: Callable[[], int]) -> int:
    """The room's head, from the cache when it is there, else from ``load()``."""
    return read_through(head_key(room_id), load)


def page(room_id: int, etag: str, build: Callable[[], str]) -> str:
    """The JSON page ``etag`` names: from the cache, else ``build()`` and kept for the next read."""
    return read_through(page_key(room_id, etag), build, timeout=PAGE_TTL)


def cached_read(
    room_id: int, identity: Identity, path: str, query_string: bytes, if_none_match: list[str]
) -> CachedRead | None:
    """A history read answered from the shared cache alone, or None (see board_access)."""
    return cached_room_read(
        room_id,
        identity,
        if_none_match,
        head_key(room_id),
        lambda head: list_etag(head, path, query_string),
        lambda etag: page_key(room_id, etag),
    )
