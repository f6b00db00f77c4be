"""Routes for the other services only."""

from apiflask import APIBlueprint

from tasksync_common.auth import service_auth

from .tasks import service

bp = APIBlueprint("internal", __name__, url_prefix="/internal/v1", enable_openapi=False)


@bp.delete("/rooms/<int:room_id>/tasks")
@bp.auth_required(service_auth)
def delete_room_tasks(room_id):
    """The rooms service deletes a room: its tasks go with it."""
    service.delete_room(room_id=room_id)
    return "", 204
