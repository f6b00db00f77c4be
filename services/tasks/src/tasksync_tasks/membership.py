"""Who may touch a room's tasks: asked of the rooms service, by the rule in
tasksync_common.board_access (which the gateway applies too)."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from tasksync_common import assigned_access, board_access, peers
from tasksync_common.auth import Identity
from tasksync_common.cache import cache
from tasksync_common.errors import NotFound, Unauthenticated, Unavailable

from .activity.models import GONE_KINDS, MEMBERSHIP_KINDS, Activity
from .extensions import db

_ACTIVITY = Activity.__table__
# The membership entries of some rooms, oldest first (the partial index ix_activity_membership).
_MEMBERSHIP_ENTRIES = (
    select(_ACTIVITY.c.room_id, _ACTIVITY.c.kind, _ACTIVITY.c.data)
    .where(_ACTIVITY.c.room_id.in_(bindparam("rooms", expanding=True)), _ACTIVITY.c.kind.in_(MEMBERSHIP_KINDS))
    .order_by(_ACTIVITY.c.id)
)


def role(room_id: int, user_id: int, caller: Identity) -> str | None:
    """The role of ``user_id`` in ``room_id`` (None if not a member), asked as ``caller``."""
    return board_access.role(room_id, user_id, lambda: _ask_rooms(room_id, user_id, caller))


def _ask_rooms(room_id: int, user_id: int, caller: Identity) -> str | None:
    client = peers.rooms_client()
    response = client.request("GET", f"/internal/v1/rooms/{room_id}/members/{user_id}", headers=caller.authorization)
    if response.status == 200:
        return response.json()["role"]
    if response.status == 404:
        return None
    if response.status == 401:
        raise Unauthenticated()
    raise Unavailable("The rooms service could not answer; try again shortly.", retry_after=2)


def require_member(room_id: int, caller: Identity) -> str:
    """404 unless the caller belongs to the room (a room they cannot see does not exist); their
    role there."""
    found = role(room_id, caller.user_id, caller)
    if found is None:
        raise NotFound("No such room.")
    return found


def current_rooms(caller: Identity) -> list[int]:
    """The rooms the caller belongs to now, as the rooms service published them at the last change
    of the caller's memberships (before it answered that change), else as it reads them now."""
    return assigned_access.rooms_of(caller.user_id, lambda: _ask_rooms_of(caller))


def _ask_rooms_of(caller: Identity) -> list[int]:
    response = peers.rooms_client().request("GET", "/internal/v1/users/me/rooms", headers=caller.authorization)
    if response.status == 200:
        return list(response.json()["room_ids"])
    if response.status == 401:
        raise Unauthenticated()
    raise Unavailable("The rooms service could not answer; try again shortly.", retry_after=2)


def rooms_still_in(user_id: int, room_ids: list[int]) -> list[int]:
    """Of ``room_ids`` (rooms where ``user_id`` has tasks), those they belong to now, decided
    without their token (a calendar feed is read with none, and this service cannot ask the rooms
    service on its own behalf): the room ids the rooms service published at the person's last
    membership change, while the shared cache holds them; else each room's history, delivered by
    the rooms service a moment after each change: a room whose newest membership entry about
    them says they left or were removed is not theirs."""
    published = cache.get(assigned_access.rooms_key(user_id))
    if published is not None:
        return [room_id for room_id in room_ids if room_id in set(published)]
    if not room_ids:
        return []
    latest: dict[int, str] = {}
    for room_id, kind, data in db.session.execute(_MEMBERSHIP_ENTRIES, {"rooms": room_ids}):
        if isinstance(data, dict) and data.get("user_id") == user_id:
            latest[room_id] = kind
    return [room_id for room_id in room_ids if latest.get(room_id) not in GONE_KINDS]
