"""Activity: /api/v1/rooms/{room_id}/activity and /api/v1/rooms/{room_id}/tasks/{task_id}/activity."""

from __future__ import annotations

from apiflask import APIBlueprint

from tasksync_common.auth import user_auth

from . import service
from .schemas import ActivityPage, ActivityQuery

bp = APIBlueprint("activity", __name__, url_prefix="/api/v1/rooms/<int:room_id>", tag="Activity")


@bp.get("/activity")
@bp.auth_required(user_auth)
@bp.input(ActivityQuery, location="query", arg_name="query")
@bp.output(ActivityPage, description="One page of the room's history, newest first")
@bp.doc(summary="The room's history", operation_id="listRoomActivity", responses=[404, 422])
def list_room_activity(room_id, query):
    """What happened in the room, newest first: tasks, checklists, labels, members and the room's
    name. Follow `next_cursor` for older entries; `kind` (repeatable) filters."""
    return service.page(room_id=room_id, caller=user_auth.current_user, query=query)


@bp.get("/tasks/<int:task_id>/activity")
@bp.auth_required(user_auth)
@bp.input(ActivityQuery, location="query", arg_name="query")
@bp.output(ActivityPage, description="One page of the task's history, newest first")
@bp.doc(summary="A task's history", operation_id="listTaskActivity", responses=[404, 422])
def list_task_activity(room_id, task_id, query):
    """What happened to one task of the room, newest first (`404` once the task is deleted: its
    entries stay in the room's history)."""
    return service.page(room_id=room_id, caller=user_auth.current_user, query=query, task_id=task_id)
