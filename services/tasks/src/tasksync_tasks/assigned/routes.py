"""The caller's tasks across rooms: /api/v1/users/me/tasks."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response, request

from tasksync_common import preconditions
from tasksync_common.auth import user_auth

from ..tasks.schemas import IfNoneMatch
from . import service
from .schemas import AssignedQuery

bp = APIBlueprint("users_me_tasks", __name__, url_prefix="/api/v1/users/me/tasks", tag="Tasks")

# The answer is a TaskPage, named by reference rather than through @output: APIFlask describes
# the shortest paths first, and an output here would name TaskOut (nested) before the routes
# that output it themselves, which then get a second copy of it ("TaskOut1").
PAGE: dict[str, dict[str, Any]] = {"application/json": {"schema": {"$ref": "#/components/schemas/TaskPage"}}}
ETAG = {"ETag": {"description": "Send it back as If-None-Match", "schema": {"type": "string"}}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "One page of the caller's tasks", "content": PAGE, "headers": ETAG},
    304: {"description": "Not modified: the list is still the one the ETag names"},
    422: {"description": "Invalid parameters"},
}


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(AssignedQuery, location="query", arg_name="query")
@bp.input(IfNoneMatch, location="headers", arg_name="headers")
@bp.doc(
    summary="The tasks assigned to me",
    operation_id="listMyTasks",
    responses=RESPONSES,
)
def list_my_tasks(query, headers):
    """The tasks assigned to the caller in every room they are a member of now (never one of a
    room they have left); follow `next_cursor` for the next page: no task twice, and each task
    whose due time does not change meanwhile once.
    Send the response's `ETag` back as `If-None-Match` to get `304` while nothing has changed."""
    caller = user_auth.current_user
    etag, rooms = service.list_etag(caller=caller, query=query, query_string=request.query_string)
    if preconditions.none_match(request.headers.getlist("If-None-Match"), etag):
        return "", 304, {"ETag": etag}
    body = service.page_json(caller=caller, rooms=rooms, query=query, etag=etag)
    return Response(body, mimetype="application/json", headers={"ETag": etag})
