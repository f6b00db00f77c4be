"""Notifications: /api/v1/notifications/*, each person's own."""

from __future__ import annotations

from apiflask import APIBlueprint, EmptySchema

from tasksync_common.auth import user_auth

from . import service
from .schemas import NotificationPage, NotificationQuery, NotificationsRead

bp = APIBlueprint("notifications", __name__, url_prefix="/api/v1/notifications", tag="Notifications")


@bp.get("")
@bp.auth_required(user_auth)
@bp.input(NotificationQuery, location="query", arg_name="query")
@bp.output(NotificationPage, description="One page of the caller's notifications")
@bp.doc(summary="My notifications", operation_id="listNotifications", responses=[422])
def list_notifications(query):
    """The caller's notifications, newest first, about the rooms they are a member of now (never
    one of a room they have left), with `unread_count` by the same rule; `unread=true` lists only
    unread ones. Follow `next_cursor` for the next page."""
    return service.get_page(caller=user_auth.current_user, query=query)


@bp.post("/read")
@bp.auth_required(user_auth)
@bp.input(NotificationsRead, arg_name="body")
@bp.output(EmptySchema, status_code=204, description="Marked read")
@bp.doc(summary="Mark notifications read", operation_id="markNotificationsRead", responses=[422])
def mark_notifications_read(body):
    """Mark the notifications `ids` read (ids that are not the caller's are ignored), or, with
    `{"all": true}`, every one of the caller's. The body has exactly one of the two (`422` naming
    both otherwise)."""
    service.mark_read(caller=user_auth.current_user, ids=None if body.get("all_") else body["ids"])
    return ""
