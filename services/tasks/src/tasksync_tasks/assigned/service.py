"""The tasks assigned to the caller in the rooms they belong to now."""

from __future__ import annotations

from tasksync_common.auth import Identity

from .. import membership
from ..tasks import cursors
from ..tasks import service as tasks


def page(*, caller: Identity, query: dict) -> dict:
    """A page of the caller's tasks; follow ``next_cursor`` for the next."""
    if query.get("cursor"):
        cursors.decode(query["cursor"])  # 422 for a bad cursor before asking anyone
    rooms = membership.current_rooms(caller)
    if not rooms:
        return {"items": [], "next_cursor": None}
    return tasks.assigned_page(user_id=caller.user_id, room_ids=rooms, query=query)
