"""The tasks assigned to the caller in the rooms they belong to now."""

from __future__ import annotations

from flask import current_app

from tasksync_common import assigned_access
from tasksync_common.auth import Identity

from .. import membership
from ..tasks import cursors, revisions
from ..tasks import service as tasks
from ..tasks.schemas import TaskPage


def list_etag(*, caller: Identity, query: dict, query_string: bytes) -> tuple[str, list[int]]:
    """The validator of the caller's list as it is now (see assigned_access), and their rooms."""
    if query.get("cursor"):  # 422 for a bad cursor before asking anyone
        (cursors.decode_due if query["sort"] == "due" else cursors.decode)(query["cursor"])
    rooms = membership.current_rooms(caller)
    etag = assigned_access.list_etag(
        caller.user_id, list(zip(rooms, revisions.current_many(rooms), strict=True)), query_string
    )
    return etag, rooms


def page_json(*, caller: Identity, rooms: list[int], query: dict, etag: str) -> str:
    """A page of the caller's tasks as JSON (a TaskPage), built once per ``etag``; follow
    ``next_cursor`` for the next."""
    return assigned_access.page(caller.user_id, etag, lambda: _build(caller.user_id, rooms, query))


def _build(user_id: int, rooms: list[int], query: dict) -> str:
    found = tasks.assigned_page(user_id=user_id, room_ids=rooms, query=query) if rooms else None
    page = found or {"items": [], "next_cursor": None}
    return current_app.json.dumps(TaskPage().dump(page), separators=(",", ":"))
