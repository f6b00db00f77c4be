"""Comments: /api/v1/rooms/{room_id}/tasks/{task_id}/comments/*."""

from __future__ import annotations

from apiflask import APIBlueprint, EmptySchema

from tasksync_common.auth import user_auth

from . import service
from .schemas import CommentIn, CommentOut, CommentPage, CommentQuery

bp = APIBlueprint(
    "comments", __name__, url_prefix="/api/v1/rooms/<int:room_id>/tasks/<int:task_id>/comments", tag="Comments"
)
COMMENT = "/<int:comment_id>"


def _caller():
    return user_auth.current_user


# Creation comes first: apispec then names the one CommentOut schema once, not twice.
@bp.post("")
@bp.auth_required(user_auth)
@bp.input(CommentIn, arg_name="body")
@bp.output(CommentOut, status_code=201, description="The comment created")
@bp.doc(summary="Comment on a task", operation_id="createComment", responses=[404, 422])
def create_comment(room_id, task_id, body):
    """Add a comment to the task. Each member it mentions (`@username`, any letter case) is
    notified, and so is the task's assignee; the task's `version` does not change."""
    return service.create(room_id=room_id, task_id=task_id, caller=_caller(), body=body["body"]), 201


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(CommentQuery, location="query", arg_name="query")
@bp.output(CommentPage, description="One page of the task's comments")
@bp.doc(summary="A task's comments", operation_id="listComments", responses=[404, 422])
def list_comments(room_id, task_id, query):
    """The task's comments, oldest first; follow `next_cursor` for the next page."""
    return service.get_page(room_id=room_id, task_id=task_id, caller=_caller(), query=query)


@bp.patch(COMMENT)
@bp.auth_required(user_auth)
@bp.input(CommentIn, arg_name="body")
@bp.output(CommentOut, description="The changed comment")
@bp.doc(summary="Edit a comment", operation_id="updateComment", responses=[403, 404, 422])
def update_comment(room_id, task_id, comment_id, body):
    """Change a comment's text: its author only (`403` for anyone else). Members it newly
    mentions are notified."""
    return service.update(room_id=room_id, task_id=task_id, comment_id=comment_id, caller=_caller(), body=body["body"])


@bp.delete(COMMENT)
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="Deleted")
@bp.doc(summary="Delete a comment", operation_id="deleteComment", responses=[403, 404])
def delete_comment(room_id, task_id, comment_id):
    """Delete a comment: its author, or the room's owner (`403` for other members). The
    notifications it caused go with it."""
    service.delete(room_id=room_id, task_id=task_id, comment_id=comment_id, caller=_caller())
    return ""
