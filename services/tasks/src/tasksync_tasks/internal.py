"""Routes for the other services only."""

from apiflask import APIBlueprint

from tasksync_common.auth import service_auth

from .activity import service as activity
from .activity.schemas import DeliveredEntries
from .tasks import service

bp = APIBlueprint("internal", __name__, url_prefix="/internal/v1", enable_openapi=False)


@bp.delete("/rooms/<int:room_id>/tasks")
@bp.auth_required(service_auth)
def delete_room_tasks(room_id):
    """The rooms service deletes a room: its tasks go with it."""
    service.delete_room(room_id=room_id)
    return "", 204


@bp.post("/rooms/<int:room_id>/activity")
@bp.auth_required(service_auth)
@bp.input(DeliveredEntries, arg_name="body")
def deliver_room_activity(room_id, body):
    """The rooms service's relay delivers the room's outbox entries, oldest first; 204 once they
    are in the history (or were already)."""
    activity.record_delivered(room_id=room_id, entries=body["entries"])
    return "", 204
