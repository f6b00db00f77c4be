"""What the comment routes take and give."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String

from tasksync_common.fields import Text, Timestamp

from ..paging import Cursor, Limit
from .models import MAX_BODY


def Body(**kwargs: Any) -> Text:
    """A comment's text: 1 to 5,000 characters, trimmed; lines and tabs allowed."""
    return Text(trim=True, min_length=1, max_length=MAX_BODY, multiline=True, **kwargs)


class CommentIn(Schema):
    body = Body(required=True, metadata={"example": "Done on my side, @alice: over to you."})


class CommentOut(Schema):
    id = Integer(required=True)
    task_id = Integer(required=True)
    author_id = Integer(required=True)
    author_username = String(required=True, metadata={"description": "The author's username when they wrote it."})
    original_author = String(
        required=True,
        allow_none=True,
        metadata={"description": "null, except on imported comments: the username the export or Trello named."},
    )
    body = String(required=True)
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)


class CommentPage(Schema):
    items = List(Nested(CommentOut), required=True)
    next_cursor = String(required=True, allow_none=True)


class CommentQuery(Schema):
    limit = Limit("Comments")
    cursor = Cursor()
