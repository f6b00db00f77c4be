"""Routes for the other services only."""

from apiflask import APIBlueprint

from tasksync_common.auth import service_auth, user_auth

from .activity import events as room_events
from .activity import service as activity
from .activity.schemas import DeliveredEntries
from .notifications import events as notification_events
from .replay import ReplayQuery
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


@bp.get("/rooms/<int:room_id>/events")
@bp.auth_required(user_auth)
@bp.input(ReplayQuery, location="query", arg_name="query")
def replay_room_events(room_id, query):
    """The gateway, with the caller's own token, reads the room's events after ``after`` for a
    stream to pass on (404 unless the caller is a member): see tasksync_tasks.replay."""
    return room_events.replay_answer(room_id=room_id, caller=user_auth.current_user, after=query.get("after"))


@bp.get("/users/me/events")
@bp.auth_required(user_auth)
@bp.input(ReplayQuery, location="query", arg_name="query")
def replay_my_events(query):
    """The gateway, with the caller's own token, reads the caller's notifications after
    ``after`` for a stream to pass on: see tasksync_tasks.replay."""
    return notification_events.replay_answer(caller=user_auth.current_user, after=query.get("after"))
