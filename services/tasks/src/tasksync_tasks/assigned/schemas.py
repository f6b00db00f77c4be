"""What the route of the caller's tasks takes."""

from apiflask import Schema
from apiflask.fields import Integer, String
from apiflask.validators import OneOf, Range

from tasksync_common.fields import Text

from ..tasks.schemas import Status

SORTS = ("created",)


class AssignedQuery(Schema):
    status = Status(description="Only tasks with this status.")
    sort = String(
        load_default="created",
        validate=OneOf(SORTS),
        metadata={"enum": list(SORTS), "description": "`created`: in creation order."},
    )
    limit = Integer(
        load_default=50, validate=Range(min=1, max=200), metadata={"description": "Tasks per page at most."}
    )
    cursor = Text(max_length=64, metadata={"description": "The next_cursor of the previous page."})
