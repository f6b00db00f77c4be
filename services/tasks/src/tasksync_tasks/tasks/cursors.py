"""Opaque page cursors: where the last item a page showed stands in the page's order (a task's id
in creation order; its position and id in board order; its due time and id in due order; a
comment's, a notification's or an activity entry's id). Each sort's cursors, and each list's, are
its own."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta

from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem, field_error

PREFIX = "t1:"
COMMENT_PREFIX = "c1:"  # a task's comments, oldest first
NOTIFICATION_PREFIX = "n1:"  # the caller's notifications, newest first
ACTIVITY_PREFIX = "a1:"  # a room's (or a task's) history, newest first
POSITION_PREFIX = "p1:"
_POSITION = re.compile(r"(-?[0-9]{1,16}):([0-9]{1,10})", re.ASCII)
POSITION_LIMIT = 2**53  # positions.LIMIT and one: no position a server issued is beyond it


def _wrap(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _refused() -> Problem:
    return field_error("cursor", "Not a cursor this server issued (for this sort).")


def _unwrap(cursor: str, prefix: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise _refused() from None
    if not raw.startswith(prefix):
        raise _refused()
    return raw.removeprefix(prefix)


def encode(last_id: int, prefix: str = PREFIX) -> str:
    """The cursor that continues after item ``last_id`` (a task in creation order, by default)."""
    return _wrap(f"{prefix}{last_id}")


def decode(cursor: str, prefix: str = PREFIX) -> int:
    """The item id a cursor of ``prefix``'s list continues after; 422 for anything this module
    did not make for that list."""
    number = _unwrap(cursor, prefix)
    if not (number.isascii() and number.isdigit() and len(number) <= 10) or int(number) > MAX_ID:
        raise _refused()
    return int(number)


def encode_position(position: int, last_id: int) -> str:
    """The cursor that continues, in board order, after the task at (``position``, ``last_id``)."""
    return _wrap(f"{POSITION_PREFIX}{position}:{last_id}")


def decode_position(cursor: str) -> tuple[int, int]:
    """The (position, id) a board-order cursor continues after; 422 for anything else."""
    match = _POSITION.fullmatch(_unwrap(cursor, POSITION_PREFIX))
    if match is None or abs(int(match[1])) > POSITION_LIMIT or int(match[2]) > MAX_ID:
        raise _refused()
    return int(match[1]), int(match[2])


DUE_PREFIX = "d1:"
_DUE = re.compile(r"(-|[0-9]{1,16}):([0-9]{1,10})", re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def encode_due(due_at: datetime | None, last_id: int) -> str:
    """The cursor that continues, in due order (no due time last), after the task at
    (``due_at``, ``last_id``)."""
    moment = "-" if due_at is None else str((due_at - _EPOCH) // _MICROSECOND)
    return _wrap(f"{DUE_PREFIX}{moment}:{last_id}")


def decode_due(cursor: str) -> tuple[datetime | None, int]:
    """The (due time or None, id) a due-order cursor continues after; 422 for anything else."""
    match = _DUE.fullmatch(_unwrap(cursor, DUE_PREFIX))
    if match is None or int(match[2]) > MAX_ID:
        raise _refused()
    due_at = None if match[1] == "-" else _EPOCH + int(match[1]) * _MICROSECOND
    if due_at is not None and due_at.year > 9000:
        raise _refused()
    return due_at, int(match[2])
