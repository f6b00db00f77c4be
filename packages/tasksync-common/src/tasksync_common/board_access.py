"""Who may read a room's board, under which cache keys and in which encodings: the one rule that
the gateway and the tasks service both apply.

A board is read by a member of its room whose token is valid and not revoked, and what the
rooms service says about membership counts only while it is up. The rooms service publishes
each person's role (or NOT_MEMBER) under ``member_key`` the moment it changes. The tasks
service owns the tasks: it bumps a room's revision in the same transaction as every task write,
publishes the new revision after the commit, and stores each page it serves under the ETag it
served it with. A page key names the revision, so a write never needs to find and delete pages:
the next read asks for a key that does not exist yet.

The tasks service decides with the whole truth: on a cache miss it asks the rooms service
(``role``) or builds the page (``page``). The gateway decides with what the cache holds alone
(``cached_read``): it answers an unchanged board (304) or a page already built, and leaves
everything else to the tasks service, in one cache round trip for token state, membership and
revision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from . import auth, peers, preconditions
from .auth import Identity
from .cache import cache, publish, publish_counter, read_through
from .errors import Unauthenticated

PAGE_TTL = 120  # pages of older revisions are never asked for again; let them go soon
NOT_MEMBER = "-"  # cached answer for "this user is not in this room"


def member_key(room_id: int, user_id: int) -> str:
    """Key of the cached role of ``user_id`` in ``room_id`` (or NOT_MEMBER)."""
    return f"member:{room_id}:{user_id}"


def revision_key(room_id: int) -> str:
    """Key of the room's revision: a counter that every task write in the room increments."""
    return f"room-revision:{room_id}"


def list_etag(revision: int, query_string: bytes) -> str:
    """The tasks list's validator: the room's revision, and which page of which filter it is."""
    return f'"r{revision}-{hashlib.blake2b(query_string, digest_size=8).hexdigest()}"'


def page_key(room_id: int, etag: str) -> str:
    """Key of the JSON body served under ``etag`` (its revision and query are in the tag)."""
    return f"tasks-page:{room_id}:{etag}"


def _encode_role(role: str | None) -> str:
    return role or NOT_MEMBER


def _decode_role(value: str | None) -> str | None:
    return None if value == NOT_MEMBER else value


def publish_role(room_id: int, user_id: int, load_role: Callable[[], str | None]) -> None:
    """After a committed membership change (the rooms service): every service sees the role
    ``load_role()`` reads (None: not a member) on its very next request."""
    publish(member_key(room_id, user_id), lambda: _encode_role(load_role()))


def role(room_id: int, user_id: int, ask_rooms: Callable[[], str | None]) -> str | None:
    """The role of ``user_id`` in ``room_id`` (None if not a member) as the rooms service
    published it, else as ``ask_rooms()`` gets it; refused (503) while the rooms service is down.
    An answer asked for is only added, never overwriting: a slow stale one cannot undo a change."""
    peers.rooms_liveness().require()  # fail closed while rooms is down
    return _decode_role(read_through(member_key(room_id, user_id), lambda: _encode_role(ask_rooms())))


def publish_revision(room_id: int, revision: int, load: Callable[[], int]) -> None:
    """After the commit that made ``revision`` (the tasks service): let every process see it,
    or a newer one (``load()`` reads the stored revision)."""
    publish_counter(revision_key(room_id), revision, load)


def current_revision(room_id: int, load: Callable[[], int]) -> int:
    """The room's revision, from the cache when it is there, else from ``load()``."""
    return read_through(revision_key(room_id), load)


def page(room_id: int, etag: str, build: Callable[[], str]) -> str:
    """The JSON page ``etag`` names: from the cache, else ``build()`` and kept for the next
    reader. Only for a caller the rule has let in, with ``etag`` from ``list_etag``."""
    return read_through(page_key(room_id, etag), build, timeout=PAGE_TTL)


@dataclass(frozen=True)
class CachedRead:
    """A board read answered from the cache: the list's ETag, and its page (None: the caller's
    copy is current, a 304)."""

    etag: str
    body: str | None


def cached_read(room_id: int, identity: Identity, query_string: bytes, if_none_match: list[str]) -> CachedRead | None:
    """The answer to a read of the room's task list from the shared cache alone (outside the
    tasks service), or None when only the tasks service can give it (see ``cached_room_read``)."""
    return cached_room_read(
        room_id,
        identity,
        if_none_match,
        revision_key(room_id),
        lambda revision: list_etag(revision, query_string),
        lambda etag: page_key(room_id, etag),
    )


def cached_room_read(
    room_id: int,
    identity: Identity,
    if_none_match: list[str],
    counter_key: str,
    tag: Callable[[int], str],
    body_key: Callable[[str], str],
) -> CachedRead | None:
    """The answer to a read of one of a room's lists from the shared cache alone, or None when
    only the tasks service can give it: no cached token state, membership or counter (the number
    the list's tag is built from, ``tag(counter)``), not a member (the tasks service says 404), or
    no page stored under ``body_key(tag)`` yet. ``identity``'s token must already be verified;
    ``if_none_match`` is the request's If-None-Match lines."""
    # `*` matches the list of any query, even one the tasks service would refuse with a 422: only
    # the tasks service, which validates the query before its preconditions, may answer it.
    if preconditions.is_any(if_none_match):
        return None
    authenticator = auth.authenticator()
    state, cached_role, counter = cache.get_many(
        authenticator.state_key(identity), member_key(room_id, identity.user_id), counter_key
    )
    if state is None or _decode_role(cached_role) is None or counter is None:
        return None
    if not authenticator.is_active(identity, state):
        raise Unauthenticated("A valid bearer token is required.")
    # Cached answers are trusted only while their publishers are up: membership from the rooms
    # service (as in the tasks service), pages and counters from the tasks service.
    peers.rooms_liveness().require()
    peers.tasks_liveness().require()
    etag = tag(counter)
    if preconditions.none_match(if_none_match, etag):
        return CachedRead(etag, None)
    body = cache.get(body_key(etag))
    return None if body is None else CachedRead(etag, body)
