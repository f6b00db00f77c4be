"""Activity: /api/v1/rooms/{room_id}/activity and /api/v1/rooms/{room_id}/tasks/{task_id}/activity."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import Response, request

from tasksync_common import preconditions
from tasksync_common.auth import user_auth

from ..tasks.schemas import IfNoneMatch, TaskHeaders
from . import service
from .schemas import ActivityPage, ActivityQuery

bp = APIBlueprint("activity", __name__, url_prefix="/api/v1/rooms/<int:room_id>", tag="Activity")


def _answer(room_id: int, query: dict, task_id: int | None = None) -> Response | tuple:
    """The page (or 304 while the caller's copy is current), with its ETag."""
    etag = service.list_etag(
        room_id=room_id,
        caller=user_auth.current_user,
        path=request.path,
        query_string=request.query_string,
        task_id=task_id,
    )
    if preconditions.none_match(request.headers.getlist("If-None-Match"), etag):
        return "", 304, {"ETag": etag}
    body = service.page_json(room_id=room_id, query=query, etag=etag, task_id=task_id)
    return Response(body, mimetype="application/json", headers={"ETag": etag})


@bp.get("/activity")
@bp.auth_required(user_auth)
@bp.input(ActivityQuery, location="query", arg_name="query")
@bp.input(IfNoneMatch, location="headers", arg_name="headers")
@bp.output(ActivityPage, headers=TaskHeaders, description="One page of the room's history, newest first")
@bp.doc(summary="The room's history", operation_id="listRoomActivity", responses=[304, 404, 422])
def list_room_activity(room_id, query, headers):
    """What happened in the room, newest first: tasks, checklists, labels, members and the room's
    name. Follow `next_cursor` for older entries; `kind` (repeatable) filters. Send the response's
    `ETag` back as `If-None-Match` to get `304` while nothing has been added."""
    return _answer(room_id, query)


@bp.get("/tasks/<int:task_id>/activity")
@bp.auth_required(user_auth)
@bp.input(ActivityQuery, location="query", arg_name="query")
@bp.input(IfNoneMatch, location="headers", arg_name="headers")
@bp.output(ActivityPage, headers=TaskHeaders, description="One page of the task's history, newest first")
@bp.doc(summary="A task's history", operation_id="listTaskActivity", responses=[304, 404, 422])
def list_task_activity(room_id, task_id, query, headers):
    """What happened to one task of the room, newest first (`404` once the task is deleted: its
    entries stay in the room's history). `ETag` and `If-None-Match` as for the room's history."""
    return _answer(room_id, query, task_id)
