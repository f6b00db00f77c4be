"""What the route of the caller's tasks takes."""

from apiflask import Schema
from apiflask.fields import Integer, String
from apiflask.validators import OneOf, Range

from tasksync_common.fields import Text

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
    limit = Integer(
        load_default=50, validate=Range(min=1, max=200), metadata={"description": "Tasks per page at most."}
    )
    cursor = Text(max_length=64, metadata={"description": "The next_cursor of the previous page."})
