"""Checklists: /api/v1/rooms/{room_id}/tasks/{task_id}/checklist/*. Each answers the whole task."""

from __future__ import annotations

from apiflask import APIBlueprint

from tasksync_common.auth import user_auth

from ..tasks.routes import expected_versions, task_headers
from ..tasks.schemas import IfMatch, TaskHeaders, TaskOut
from . import service
from .schemas import ChecklistItemIn, ChecklistItemPatch

bp = APIBlueprint(
    "checklists", __name__, url_prefix="/api/v1/rooms/<int:room_id>/tasks/<int:task_id>/checklist", tag="Tasks"
)
ITEM = "/<int:item_id>"


def _caller():
    return user_auth.current_user


@bp.post("")
@bp.auth_required(user_auth)
@bp.input(ChecklistItemIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(TaskOut, status_code=201, headers=TaskHeaders, description="The task, with the item at the end")
@bp.doc(summary="Add a checklist item", operation_id="addChecklistItem", responses=[404, 412, 422])
def add_checklist_item(room_id, task_id, body, headers):
    """Add an item at the end of the task's checklist (at most 100: `422` on `checklist`). The
    task's `version` goes up by one; with `If-Match`, only if the task is still at that version."""
    task = service.add(
        room_id=room_id, task_id=task_id, caller=_caller(), text=body["text"], if_match=expected_versions()
    )
    return task, 201, task_headers(task)


@bp.patch(ITEM)
@bp.auth_required(user_auth)
@bp.input(ChecklistItemPatch, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(TaskOut, headers=TaskHeaders, description="The task, with the item changed")
@bp.doc(summary="Change a checklist item", operation_id="updateChecklistItem", responses=[404, 412, 422])
def update_checklist_item(room_id, task_id, item_id, body, headers):
    """Change an item's `text` or `done`. A change adds one to the task's `version`."""
    task = service.update(
        room_id=room_id,
        task_id=task_id,
        item_id=item_id,
        caller=_caller(),
        fields=body,
        if_match=expected_versions(),
    )
    return task, 200, task_headers(task)


@bp.delete(ITEM)
@bp.auth_required(user_auth)
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.output(TaskOut, headers=TaskHeaders, description="The task, without the item")
@bp.doc(summary="Remove a checklist item", operation_id="deleteChecklistItem", responses=[404, 412, 422])
def delete_checklist_item(room_id, task_id, item_id, headers):
    """Remove an item from the task's checklist; the task's `version` goes up by one."""
    task = service.delete(
        room_id=room_id, task_id=task_id, item_id=item_id, caller=_caller(), if_match=expected_versions()
    )
    return task, 200, task_headers(task)
