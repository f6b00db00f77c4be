"""Who may touch a room's tasks: asked of the rooms service, by the rule in
tasksync_common.board_access (which the gateway applies too)."""

from __future__ import annotations

from tasksync_common import assigned_access, board_access, peers
from tasksync_common.auth import Identity
from tasksync_common.errors import NotFound, Unauthenticated, Unavailable


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


def require_member(room_id: int, caller: Identity) -> None:
    """404 unless the caller belongs to the room (a room they cannot see does not exist)."""
    if role(room_id, caller.user_id, caller) is None:
        raise NotFound("No such room.")


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
