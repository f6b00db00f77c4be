"""What the activity routes take and give, and what the rooms service delivers."""

from typing import Any

from apiflask import Schema
from apiflask.fields import DateTime, Dict, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range
from marshmallow import ValidationError

from tasksync_common.api_document import NAMED_SCHEMA
from tasksync_common.fields import Id, Text, Timestamp

from .models import KINDS, ROOM_KINDS

MAX_KINDS = 20  # repeats of ``kind`` in one query; more than the kinds there are


def _known_kinds(kinds: list[str]) -> None:
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValidationError(f"Unknown kind {unknown[0]!r}; one of: {', '.join(KINDS)}.")


def Kind(**kwargs: Any) -> String:
    """One of the activity kinds, described once as the ActivityKind schema."""
    metadata = {"enum": list(KINDS), "description": "What happened.", NAMED_SCHEMA: "ActivityKind"}
    return String(metadata=metadata, **kwargs)


class ActivityQuery(Schema):
    kind = List(
        Kind(),
        validate=[Length(max=MAX_KINDS), _known_kinds],
        metadata={"description": "Only entries of these kinds (repeat the parameter for several)."},
    )
    limit = Integer(
        load_default=50, validate=Range(min=1, max=200), metadata={"description": "Entries per page at most."}
    )
    cursor = Text(max_length=64, metadata={"description": "The next_cursor of the previous page."})


class ActivityOut(Schema):
    id = Integer(required=True)
    room_id = Integer(required=True)
    task_id = Integer(required=True, allow_none=True, metadata={"description": "The task it is about, or null."})
    actor_id = Integer(required=True)
    actor_username = String(required=True)
    kind = Kind(required=True)
    data = Dict(
        required=True,
        metadata={
            "description": "What it needs to read well later: `title` (the task's, as it was), and for "
            "`task.updated` and `task.moved` `changes`, each changed field mapped to `[old, new]`."
        },
    )
    created_at = Timestamp(required=True)


class ActivityPage(Schema):
    items = List(Nested(ActivityOut), required=True)
    next_cursor = String(required=True, allow_none=True)


class DeliveredEntry(Schema):
    """One entry of the rooms service's outbox."""

    outbox_id = Integer(required=True, strict=True, validate=Range(min=1))
    kind = String(required=True, validate=OneOf(ROOM_KINDS))
    actor_id = Id(required=True)
    actor_username = String(required=True, validate=Length(min=1, max=80))
    data = Dict(required=True)
    created_at = DateTime(required=True)
    # The rooms service's request that made it, which the entry's live event carries (none from
    # a rooms service that does not send it yet).
    request_id = String(load_default=None, allow_none=True, validate=Length(min=1, max=128))


class DeliveredEntries(Schema):
    entries = List(Nested(DeliveredEntry), required=True, validate=Length(min=1, max=500))
