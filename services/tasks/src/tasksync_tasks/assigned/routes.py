"""The caller's tasks across rooms: /api/v1/users/me/tasks."""

from __future__ import annotations

from apiflask import APIBlueprint

from tasksync_common.auth import user_auth

from ..tasks.schemas import TaskPage
from . import service
from .schemas import AssignedQuery

bp = APIBlueprint("assigned", __name__, url_prefix="/api/v1/users/me/tasks", tag="Tasks")


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(AssignedQuery, location="query", arg_name="query")
@bp.output(TaskPage, description="One page of the caller's tasks")
@bp.doc(summary="The tasks assigned to me", operation_id="listMyTasks", responses=[422])
def list_my_tasks(query):
    """The tasks assigned to the caller in every room they are a member of now (never one of a
    room they have left); follow `next_cursor` for the next page, which yields each task once."""
    return service.page(caller=user_auth.current_user, query=query)
