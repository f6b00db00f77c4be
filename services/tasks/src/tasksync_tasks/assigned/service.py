"""The tasks assigned to the caller in the rooms they belong to now."""

from __future__ import annotations

from tasksync_common.auth import Identity

from .. import membership
from ..tasks import cursors
from ..tasks import service as tasks


def page(*, caller: Identity, query: dict) -> dict:
    """A page of the caller's tasks; follow ``next_cursor`` for the next."""
    if query.get("cursor"):  # 422 for a bad cursor before asking anyone
        (cursors.decode_due if query["sort"] == "due" else cursors.decode)(query["cursor"])
    rooms = membership.current_rooms(caller)
    if not rooms:
        return {"items": [], "next_cursor": None}
    return tasks.assigned_page(user_id=caller.user_id, room_ids=rooms, query=query)
