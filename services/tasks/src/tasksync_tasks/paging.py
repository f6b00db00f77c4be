"""Paging, as every list of the API pages: ``limit`` (1 to 200, 50 by default) and ``cursor``
(the ``next_cursor`` of the page before; its encodings are in tasks.cursors)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from apiflask.fields import Integer
from apiflask.validators import Range

from tasksync_common.fields import Text

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def Limit(items: str) -> Integer:
    """The ``limit`` query parameter of a list of ``items`` ("Tasks", "Comments", ...)."""
    return Integer(
        load_default=DEFAULT_LIMIT,
        validate=Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"{items} per page at most."},
    )


def Cursor() -> Text:
    """The ``cursor`` query parameter."""
    return Text(max_length=64, metadata={"description": "The next_cursor of the previous page."})


def split(rows: Sequence[T], limit: int, cursor_after: Callable[[T], str]) -> tuple[list[T], str | None]:
    """The page among ``rows`` (read with ``limit + 1``: one more tells that a next page exists),
    and the cursor to the next page, or None when this is the last."""
    page = list(rows[:limit])
    return page, (cursor_after(page[-1]) if len(rows) > limit else None)
