"""The caller's tasks across rooms: /api/v1/users/me/tasks."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from tasksync_common.auth import user_auth

from ..tasks.schemas import TaskPage
from . import service
from .schemas import AssignedQuery

bp = APIBlueprint("users_me_tasks", __name__, url_prefix="/api/v1/users/me/tasks", tag="Tasks")

# The answer is a TaskPage, named by reference rather than through @output: APIFlask describes
# the shortest paths first, and an output here would name TaskOut (nested) before the routes
# that output it themselves, which then get a second copy of it ("TaskOut1").
PAGE: dict[str, dict[str, Any]] = {"application/json": {"schema": {"$ref": "#/components/schemas/TaskPage"}}}
RESPONSES: dict[int | str, dict[str, str | dict[str, dict[str, Any]]]] = {
    200: {"description": "One page of the caller's tasks", "content": PAGE},
    422: {"description": "Invalid parameters"},
}


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(AssignedQuery, location="query", arg_name="query")
@bp.doc(
    summary="The tasks assigned to me",
    operation_id="listMyTasks",
    responses=RESPONSES,
)
def list_my_tasks(query):
    """The tasks assigned to the caller in every room they are a member of now (never one of a
    room they have left); follow `next_cursor` for the next page, which yields each task once."""
    return TaskPage().dump(service.page(caller=user_auth.current_user, query=query))
