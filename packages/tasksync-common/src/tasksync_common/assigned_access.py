"""Whose tasks a person sees across rooms (GET /api/v1/users/me/tasks), under which cache keys:
the one rule that the gateway and the tasks service both apply, as board_access is for one room.

The list holds the caller's tasks in the rooms they belong to now, so it changes when their set of
rooms changes or when any of those rooms' revisions grows. The rooms service publishes each
person's room ids under ``rooms_key`` the moment a membership of theirs changes (with their role
in that room: one mechanism, ``publish_rooms``). A page's ETag names the person, each of their
rooms with its revision, and the query; the tasks service stores each page it builds under that
tag, and the gateway answers an unchanged list (304) or a page already built from the cache
alone, in three cache round trips: token state and room ids, the rooms' revisions, the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from . import auth, peers, preconditions
from .auth import Identity
from .board_access import PAGE_TTL, CachedRead, revision_key
from .cache import cache, publish, read_through
from .errors import Unauthenticated


def rooms_key(user_id: int) -> str:
    """Key of the ids of the rooms ``user_id`` belongs to, ascending."""
    return f"user-rooms:{user_id}"


def publish_rooms(user_id: int, load_rooms: Callable[[], list[int]]) -> None:
    """After a committed change of one of ``user_id``'s memberships (the rooms service): every
    service sees the room ids ``load_rooms()`` reads on its very next request."""
    publish(rooms_key(user_id), load_rooms)


def rooms_of(user_id: int, ask_rooms: Callable[[], list[int]]) -> list[int]:
    """The ids of the rooms ``user_id`` belongs to, as the rooms service published them, else as
    ``ask_rooms()`` gets them; refused (503) while the rooms service is down."""
    peers.rooms_liveness().require()  # fail closed while rooms is down
    return read_through(rooms_key(user_id), ask_rooms)


def list_etag(user_id: int, revisions: Sequence[tuple[int, int]], query_string: bytes) -> str:
    """The validator of the caller's list: who, each (room, revision) of theirs, which query."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{user_id}|{revisions!r}|".encode())
    digest.update(query_string)
    return f'"m{digest.hexdigest()}"'


def page_key(user_id: int, etag: str) -> str:
    """Key of the JSON body served to ``user_id`` under ``etag``."""
    return f"my-tasks-page:{user_id}:{etag}"


def page(user_id: int, etag: str, build: Callable[[], str]) -> str:
    """The JSON page ``etag`` names: from the cache, else ``build()`` and kept for the next read."""
    return read_through(page_key(user_id, etag), build, timeout=PAGE_TTL)


def cached_read(identity: Identity, query_string: bytes, if_none_match: list[str]) -> CachedRead | None:
    """The answer to the caller's list from the shared cache alone (outside the tasks service),
    or None when only the tasks service can give it: no cached token state, room ids or
    revision, or no page built yet. ``identity``'s token must already be verified."""
    if preconditions.is_any(if_none_match):  # only the tasks service validates the query first
        return None
    authenticator = auth.authenticator()
    user_id = identity.user_id
    state, room_ids = cache.get_many(authenticator.state_key(identity), rooms_key(user_id))
    if state is None or room_ids is None:
        return None
    if not authenticator.is_active(identity, state):
        raise Unauthenticated("A valid bearer token is required.")
    revisions = cache.get_many(*(revision_key(room_id) for room_id in room_ids)) if room_ids else []
    if any(revision is None for revision in revisions):
        return None
    peers.rooms_liveness().require()
    peers.tasks_liveness().require()
    etag = list_etag(user_id, list(zip(room_ids, revisions, strict=True)), query_string)
    if preconditions.none_match(if_none_match, etag):
        return CachedRead(etag, None)
    body = cache.get(page_key(user_id, etag))
    return None if body is None else CachedRead(etag, body)
