"""Tasks: /api/v1/rooms/{room_id}/tasks/*."""

from __future__ import annotations

from apiflask import APIBlueprint, EmptySchema
from flask import Response, request

from tasksync_common import preconditions
from tasksync_common.auth import user_auth

from . import service
from .schemas import (
    CreatedTaskHeaders,
    IfMatch,
    IfNoneMatch,
    TaskHeaders,
    TaskIn,
    TaskMove,
    TaskOut,
    TaskPage,
    TaskPatch,
    TaskQuery,
    TaskSummary,
)

bp = APIBlueprint("tasks", __name__, url_prefix="/api/v1/rooms/<int:room_id>/tasks", tag="Tasks")
TASK = "/<int:task_id>"


def _caller():
    return user_auth.current_user


def task_headers(task: dict) -> dict:
    """The headers of an answer that shows one task: its version as a strong tag."""
    return {"ETag": f'"{task["version"]}"'}


def expected_versions() -> frozenset[int] | None:
    """The versions ``If-Match`` accepts (every line of it, compared strongly); None for any."""
    return preconditions.if_match_versions(request.headers.getlist("If-Match"))


@bp.post("")
@bp.auth_required(user_auth)
@bp.input(TaskIn, arg_name="body")
@bp.output(TaskOut, status_code=201, headers=CreatedTaskHeaders, description="The task created")
@bp.doc(summary="Add a task", operation_id="createTask", responses=[404, 422])
def create_task(room_id, body):
    """Add a task to the room; it is assigned to the creator unless ``user_id`` says otherwise."""
    task = service.create(room_id=room_id, caller=_caller(), fields=body)
    return task, 201, {**task_headers(task), "Location": f"/api/v1/rooms/{room_id}/tasks/{task['id']}"}


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(TaskQuery, location="query", arg_name="query")
@bp.input(IfNoneMatch, location="headers", arg_name="headers")
@bp.output(TaskPage, headers=TaskHeaders, description="One page of tasks")
@bp.doc(summary="The room's tasks", operation_id="listTasks", responses=[304, 404, 414, 422])
def list_tasks(room_id, query, headers):
    """Tasks in creation order (or, with ``sort=position``, in board order: ``position``, then
    ``id``), filtered; follow ``next_cursor`` for the next page (in board order: no task twice,
    and each task that is not moved meanwhile once). Send the response's ``ETag`` back as
    ``If-None-Match`` to get ``304`` while nothing has changed."""
    etag = service.list_etag(room_id=room_id, caller=_caller(), query_string=request.query_string)
    if preconditions.none_match(request.headers.getlist("If-None-Match"), etag):
        return "", 304, {"ETag": etag}
    # Already JSON (TaskPage), built once per revision: returned as it is.
    return Response(
        service.page_json(room_id=room_id, query=query, etag=etag), mimetype="application/json", headers={"ETag": etag}
    )


@bp.get("/summary")
@bp.auth_required(user_auth)
@bp.output(TaskSummary, description="The counts")
@bp.doc(summary="How many tasks are in each status", operation_id="getTaskSummary", responses=[404])
def task_summary(room_id):
    """Counts for the room's progress bar."""
    return service.summary(room_id=room_id, caller=_caller())


@bp.get(TASK)
@bp.auth_required(user_auth)
@bp.output(TaskOut, headers=TaskHeaders, description="The task")
@bp.doc(summary="A task", operation_id="getTask", responses=[404])
def get_task(room_id, task_id):
    """One task of the room."""
    task = service.get(room_id=room_id, task_id=task_id, caller=_caller())
    return task, 200, task_headers(task)


@bp.patch(TASK)
@bp.auth_required(user_auth)
@bp.input(TaskPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(TaskOut, headers=TaskHeaders, description="The changed task")
@bp.doc(summary="Change a task", operation_id="updateTask", responses=[404, 412, 422])
def update_task(room_id, task_id, body, headers):
    """Change any of title, description, status, assignee, due time, priority; a new status puts
    the task at the end of that column. With ``If-Match: "<version>"`` the
    change applies only if nobody changed the task since (412 otherwise)."""
    task = service.update(room_id=room_id, task_id=task_id, caller=_caller(), fields=body, if_match=expected_versions())
    return task, 200, task_headers(task)


@bp.post(f"{TASK}/move")
@bp.auth_required(user_auth)
@bp.input(TaskMove, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(TaskOut, headers=TaskHeaders, description="The task in its place")
@bp.doc(summary="Move a task within or between columns", operation_id="moveTask", responses=[404, 412, 422])
def move_task(room_id, task_id, body, headers):
    """Put the task into column ``status`` (its own by default) right after task ``after_id``, or
    first when ``after_id`` is null. A move to where the task already is changes nothing (the
    version stays). With ``If-Match`` only if nobody changed the task since (412 otherwise)."""
    task = service.move(room_id=room_id, task_id=task_id, caller=_caller(), fields=body, if_match=expected_versions())
    return task, 200, task_headers(task)


@bp.delete(TASK)
@bp.auth_required(user_auth)
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(EmptySchema, status_code=204, description="Deleted")
@bp.doc(summary="Delete a task", operation_id="deleteTask", responses=[404, 412, 422])
def delete_task(room_id, task_id, headers):
    """Delete a task (with ``If-Match``, only if it is unchanged)."""
    service.delete(room_id=room_id, task_id=task_id, caller=_caller(), if_match=expected_versions())
    return ""
