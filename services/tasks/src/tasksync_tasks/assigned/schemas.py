"""What the route of the caller's tasks takes."""

from apiflask import Schema
from apiflask.fields import String
from apiflask.validators import OneOf

from ..paging import Cursor, Limit
from ..tasks.schemas import DueAt, Status

SORTS = ("due", "created")


class AssignedQuery(Schema):
    status = Status(description="Only tasks with this status.")
    due_before = DueAt(description="Only tasks due before this time (not at it).")
    due_after = DueAt(description="Only tasks due at or after this time.")
    sort = String(
        load_default="due",
        validate=OneOf(SORTS),
        metadata={
            "enum": list(SORTS),
            "description": "`due`: by `due_at` (tasks with none last), then `id`; `created`: creation order.",
        },
    )
    limit = Limit("Tasks")
    cursor = Cursor()
