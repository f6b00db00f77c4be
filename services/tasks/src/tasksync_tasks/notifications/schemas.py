"""What the notification routes take and give."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Integer, List, Nested, String
from apiflask.validators import Length, OneOf
from marshmallow import ValidationError, validates_schema

from tasksync_common.fields import Flag, Id, Timestamp

from ..paging import Cursor, Limit
from .models import KINDS

MAX_IDS = 200


class NotificationOut(Schema):
    id = Integer(required=True)
    kind = String(required=True, validate=OneOf(KINDS), metadata={"enum": list(KINDS)})
    room_id = Integer(required=True)
    task_id = Integer(required=True, allow_none=True)
    actor_id = Integer(required=True, allow_none=True, metadata={"description": "Who did it; null for reminders."})
    actor_username = String(required=True, allow_none=True)
    data = Dict(
        required=True,
        metadata={
            "description": "What reads well later: the task's `title` as it was; for comments, "
            "`comment_id` and `excerpt` (the comment's start); for reminders (`due_soon`, `overdue`), "
            "`due_at`, and for `due_soon` the `offset` in minutes before it."
        },
    )
    read = Boolean(required=True)
    created_at = Timestamp(required=True)


class NotificationPage(Schema):
    items = List(Nested(NotificationOut), required=True)
    next_cursor = String(required=True, allow_none=True)
    unread_count = Integer(
        required=True, metadata={"description": "Unread notifications about the rooms the caller is in now."}
    )


class NotificationQuery(Schema):
    unread = Boolean(load_default=False, metadata={"description": "`true`: only unread notifications."})
    limit = Limit("Notifications")
    cursor = Cursor()


def _only_true(value: bool) -> None:
    if value is not True:
        raise ValidationError("Must be true (or send ids instead).")


class NotificationsRead(Schema):
    """Exactly one of ``ids`` and ``all`` (the route's description says so: a Meta description
    here would make apispec drop ``additionalProperties: false``)."""

    ids = List(
        Id(),
        validate=Length(max=MAX_IDS),
        metadata={"description": f"Ids of the caller's notifications, at most {MAX_IDS}; others' are ignored."},
    )
    all_ = Flag(data_key="all", validate=_only_true, metadata={"enum": [True], "description": "Mark every one."})

    @validates_schema
    def _exactly_one(self, data: dict, **_kwargs: object) -> None:
        if ("ids" in data) == ("all_" in data):
            message = "Send exactly one of ids and all."
            raise ValidationError({"ids": [message], "all": [message]})
