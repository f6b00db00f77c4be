"""Who people are, for what the tasks service writes down about them (an activity entry's actor,
a comment's author, a mention): usernames, asked of the rooms service, which owns accounts.

A username never changes once an account exists, so the caller's own is cached for long, in this
process too (every write records its actor: no cache round trip for a name already known); a
room's member list changes with every join and leave, so it is asked for each time it is needed
(a comment that mentions someone), never cached.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache
from flask import current_app

from tasksync_common import peers
from tasksync_common.auth import Identity
from tasksync_common.cache import read_through
from tasksync_common.errors import NotFound, Unauthenticated, Unavailable

USERNAME_TTL = 24 * 3600  # usernames are immutable; the TTL only bounds the cache's size
_KNOWN = "tasksync_usernames"  # the app's extension: (lock, user id -> username)


def username_key(user_id: int) -> str:
    return f"username:{user_id}"


def username(caller: Identity) -> str:
    """The caller's username."""
    user_id = caller.user_id
    lock, names = current_app.extensions.setdefault(_KNOWN, (threading.Lock(), LRUCache(maxsize=10_000)))
    with lock:  # LRUCache is not thread-safe
        known = names.get(user_id)
    if known is None:
        known = read_through(username_key(user_id), lambda: _ask("/api/v1/users/me", caller)["username"], USERNAME_TTL)
        with lock:
            names[user_id] = known
    return known


def members(room_id: int, caller: Identity) -> dict[int, str]:
    """The room's members now, user id to username (404 if the caller is not one of them)."""
    answer = _ask(f"/api/v1/rooms/{room_id}/members", caller)
    return {member["user_id"]: member["username"] for member in answer["items"]}


def _ask(path: str, caller: Identity) -> dict:
    response = peers.rooms_client().request("GET", path, headers=caller.authorization)
    if response.status == 200:
        return response.json()
    if response.status == 404:
        raise NotFound("No such room.")
    if response.status == 401:
        raise Unauthenticated()
    raise Unavailable("The rooms service could not answer; try again shortly.", retry_after=2)
