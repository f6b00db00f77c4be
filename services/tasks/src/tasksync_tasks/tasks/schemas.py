"""What the tasks routes take and give."""

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range
from marshmallow import ValidationError

from tasksync_common.api_document import NAMED_SCHEMA
from tasksync_common.fields import MAX_ID, Id, Instant, Text, Timestamp

from ..labels.models import MAX_PER_TASK as MAX_LABELS
from ..paging import Cursor, Limit
from .models import PRIORITIES, STATUSES

SORTS = ("created", "position")


def Status(description: str = "A task's status.", **kwargs: Any) -> String:
    """One of the task statuses, described once as the TaskStatus schema."""
    metadata = {"enum": list(STATUSES), "description": description, NAMED_SCHEMA: "TaskStatus"}
    return String(validate=OneOf(STATUSES), metadata=metadata, **kwargs)


def _no_repeats(ids: list[int]) -> None:
    if len(set(ids)) != len(ids):
        raise ValidationError("Must not name a label twice.")


def LabelIds() -> List:
    """The labels a task carries: ids of labels of its room, at most MAX_LABELS, none twice."""
    return List(
        Id(),
        validate=[Length(max=MAX_LABELS), _no_repeats],
        metadata={"description": f"Ids of labels of the room, at most {MAX_LABELS}, none twice.", "uniqueItems": True},
    )


def Priority(description: str = "A task's priority.", **kwargs: Any) -> String:
    """One of the task priorities, described once as the TaskPriority schema."""
    metadata = {"enum": list(PRIORITIES), "description": description, NAMED_SCHEMA: "TaskPriority"}
    return String(validate=OneOf(PRIORITIES), metadata=metadata, **kwargs)


def DueAt(description: str = "When the task is due (any UTC offset in; UTC out), or null.", **kwargs: Any) -> Instant:
    """A due time: RFC 3339, years 2000 to 2100."""
    return Instant(metadata={"description": description}, **kwargs)


class TaskIn(Schema):
    title = Text(required=True, trim=True, min_length=1, max_length=255)
    description = Text(multiline=True, max_length=10_000, allow_none=True)
    status = Status()
    user_id = Id(metadata={"description": "The member the task is assigned to; defaults to the creator."})
    label_ids = LabelIds()
    due_at = DueAt(allow_none=True)
    priority = Priority()


class TaskPatch(Schema):
    title = Text(trim=True, min_length=1, max_length=255)
    description = Text(multiline=True, max_length=10_000, allow_none=True)
    status = Status()
    user_id = Id()
    label_ids = LabelIds()
    due_at = DueAt(allow_none=True)
    priority = Priority()


class TaskMove(Schema):
    status = Status(description="The column to move into; the task's own by default.")
    after_id = Id(
        required=True,
        allow_none=True,
        metadata={"description": "The task of that column to follow; null for the first place."},
    )


class TaskQuery(Schema):
    status = Status(description="Only tasks with this status.")
    user_id = Integer(
        validate=Range(min=1, max=MAX_ID), metadata={"description": "Only tasks assigned to this member."}
    )
    q = Text(max_length=200, metadata={"description": "Substring of title or description, any letter case."})
    label_id = Integer(validate=Range(min=1, max=MAX_ID), metadata={"description": "Only tasks that carry this label."})
    priority = Priority(description="Only tasks with this priority.")
    due_before = DueAt(description="Only tasks due before this time (not at it).")
    due_after = DueAt(description="Only tasks due at or after this time.")
    sort = String(
        load_default="created",
        validate=OneOf(SORTS),
        metadata={
            "enum": list(SORTS),
            "description": "`created`: creation order; `position`: by `position`, then `id`.",
            NAMED_SCHEMA: "TaskSort",
        },
    )
    limit = Limit("Tasks")
    cursor = Cursor()


class IfMatch(Schema):
    if_match = String(
        data_key="If-Match",
        metadata={
            "description": 'The task\'s `ETag` (its version, `"3"`): the request applies only if the task is still '
            "at that version, `412` otherwise. Without it the request applies to the current version."
        },
    )


class IfNoneMatch(Schema):
    if_none_match = String(
        data_key="If-None-Match",
        metadata={"description": "The `ETag` of an earlier answer: `304` with no body while the list is unchanged."},
    )


class TaskHeaders(Schema):
    etag = String(data_key="ETag", required=True)


class CreatedTaskHeaders(TaskHeaders):
    location = String(data_key="Location", required=True)


class ChecklistItemOut(Schema):
    id = Integer(required=True)
    text = String(required=True)
    done = Boolean(required=True)


class TaskOut(Schema):
    id = Integer(required=True)
    room_id = Integer(required=True)
    user_id = Integer(required=True)
    created_by = Integer(required=True)
    title = String(required=True)
    description = String(required=True, allow_none=True)
    status = Status(required=True)
    version = Integer(required=True)
    label_ids = List(Integer(), required=True, metadata={"description": "The labels it carries, by id, ascending."})
    checklist = List(
        Nested(ChecklistItemOut),
        required=True,
        metadata={"description": "In order; read-only here: changed through the checklist routes."},
    )
    due_at = DueAt(required=True, allow_none=True)
    priority = Priority(required=True)
    position = Integer(
        required=True, metadata={"description": "Order within the status column (ascending, then id); read-only."}
    )
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)


class TaskPage(Schema):
    items = List(Nested(TaskOut), required=True)
    next_cursor = String(required=True, allow_none=True)


class TaskSummary(Schema):
    total = Integer(required=True)
    pending = Integer(required=True)
    in_progress = Integer(required=True)
    completed = Integer(required=True)
