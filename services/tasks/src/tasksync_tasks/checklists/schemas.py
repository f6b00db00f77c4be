"""What the checklist routes take."""

from typing import Any

from apiflask import Schema

from tasksync_common.fields import Flag, Text


def ItemText(**kwargs: Any) -> Text:
    """A checklist item's text: 1 to 500 characters, trimmed."""
    return Text(trim=True, min_length=1, max_length=500, **kwargs)


class ChecklistItemIn(Schema):
    text = ItemText(required=True)


class ChecklistItemPatch(Schema):
    text = ItemText()
    done = Flag()
