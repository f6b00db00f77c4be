"""Labels: /api/v1/rooms/{room_id}/labels/*."""

from __future__ import annotations

from apiflask import APIBlueprint, EmptySchema

from tasksync_common.auth import user_auth

from . import service
from .schemas import LabelIn, LabelList, LabelOut, LabelPatch

bp = APIBlueprint("labels", __name__, url_prefix="/api/v1/rooms/<int:room_id>/labels", tag="Labels")
LABEL = "/<int:label_id>"


def _caller():
    return user_auth.current_user


# Creation comes first: apispec then names the one LabelOut schema once, not twice.
@bp.post("")
@bp.auth_required(user_auth)
@bp.input(LabelIn, arg_name="body")
@bp.output(LabelOut, status_code=201, description="The label created")
@bp.doc(summary="Add a label", operation_id="createLabel", responses=[404, 409, 422])
def create_label(room_id, body):
    """Add a label to the room. Its name is unique in the room without regard to letter case
    (`409` otherwise); a room has at most 50 labels (`422` on `labels`)."""
    return service.create(room_id=room_id, caller=_caller(), name=body["name"], color=body["color"]), 201


@bp.get("")
@bp.auth_required(user_auth)
@bp.output(LabelList, description="The room's labels")
@bp.doc(summary="The room's labels", operation_id="listLabels", responses=[404])
def list_labels(room_id):
    """Every label of the room, oldest first."""
    return {"items": service.get_all(room_id=room_id, caller=_caller())}


@bp.patch(LABEL)
@bp.auth_required(user_auth)
@bp.input(LabelPatch, arg_name="body")
@bp.output(LabelOut, description="The changed label")
@bp.doc(summary="Rename or recolour a label", operation_id="updateLabel", responses=[404, 409, 422])
def update_label(room_id, label_id, body):
    """Change a label's name or colour; the tasks that carry it keep it."""
    return service.update(room_id=room_id, label_id=label_id, caller=_caller(), fields=body)


@bp.delete(LABEL)
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="Deleted")
@bp.doc(summary="Delete a label", operation_id="deleteLabel", responses=[404])
def delete_label(room_id, label_id):
    """Delete a label. It leaves every task that carried it, and each of those tasks' `version`
    goes up by one."""
    service.delete(room_id=room_id, label_id=label_id, caller=_caller())
    return ""
