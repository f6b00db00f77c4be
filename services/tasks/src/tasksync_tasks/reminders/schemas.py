"""What the reminder routes take and give."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Integer, List, String
from apiflask.validators import Length, Range
from marshmallow import ValidationError

from tasksync_common.fields import Flag

MAX_OFFSETS = 5
OFFSET_RANGE = (5, 20160)  # five minutes to two weeks
MAX_PENDING = 200


def _distinct(offsets: list[int]) -> None:
    if len(set(offsets)) != len(offsets):
        raise ValidationError("Each offset at most once.")


class ReminderSettingsIn(Schema):
    before_due = List(
        Integer(strict=True, validate=Range(*OFFSET_RANGE)),
        required=True,
        validate=[Length(max=MAX_OFFSETS), _distinct],
        metadata={
            "description": f"Minutes before the due time to be reminded at: at most {MAX_OFFSETS}, each "
            f"{OFFSET_RANGE[0]} to {OFFSET_RANGE[1]}, each once (`[]`: none).",
            "example": [1440, 60],
            "uniqueItems": True,
        },
    )
    overdue = Flag(required=True, metadata={"description": "One `overdue` notice when a task passes its due time."})
    email = Flag(required=True, metadata={"description": "Reminders also by mail (to a verified address)."})


class ReminderSettingsOut(Schema):
    before_due = List(Integer(), required=True, metadata={"description": "Minutes before the due time, ascending."})
    overdue = Flag(required=True)
    email = Flag(required=True)


# The internal routes of the rooms service's mailer.


class PendingQuery(Schema):
    limit = Integer(strict=False, load_default=50, validate=Range(1, MAX_PENDING))


class TakenMails(Schema):
    message_ids = List(String(validate=Length(min=1, max=128)), required=True, validate=Length(max=MAX_PENDING))
