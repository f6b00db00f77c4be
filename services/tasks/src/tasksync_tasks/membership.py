"""Who may touch a room's tasks: asked of the rooms service, cached in the shared cache.

The rooms service publishes the new answer whenever membership changes; answers fetched here
are only added, never overwrite, so a slow stale answer cannot undo a change.
"""

from __future__ import annotations

from tasksync_common import peers
from tasksync_common.auth import Identity
from tasksync_common.cache import NOT_MEMBER, member_key, read_through
from tasksync_common.problems import Problem


def role(room_id: int, user_id: int, caller: Identity) -> str | None:
    """The role of ``user_id`` in ``room_id`` (None if not a member), asked as ``caller``."""
    peers.rooms_liveness().require()  # fail closed while rooms is down
    answer = read_through(member_key(room_id, user_id), lambda: _ask_rooms(room_id, user_id, caller))
    return None if answer == NOT_MEMBER else answer


def _ask_rooms(room_id: int, user_id: int, caller: Identity) -> str:
    client = peers.rooms_client()
    response = client.request("GET", f"/internal/v1/rooms/{room_id}/members/{user_id}", headers=caller.authorization)
    if response.status == 200:
        return response.json()["role"]
    if response.status == 404:
        return NOT_MEMBER
    if response.status == 401:
        raise Problem(401)
    raise Problem(503, "The rooms service could not answer; try again shortly.", headers={"Retry-After": "2"})


def require_member(room_id: int, caller: Identity) -> None:
    """404 unless the caller belongs to the room (a room they cannot see does not exist)."""
    if role(room_id, caller.user_id, caller) is None:
        raise Problem(404, "No such room.")
