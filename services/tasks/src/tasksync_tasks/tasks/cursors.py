"""Opaque page cursors: where the last item a page showed stands in the page's order (a task's id
in creation order; a comment's, a notification's or an activity entry's id), and for the two
orders whose keys change while a client pages (board order, due order) the walk's snapshot too
(see walks.py). Each sort's cursors, and each list's, are its own."""

from __future__ import annotations

import base64
import binascii
import struct
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem, field_error

PREFIX = "t1:"
COMMENT_PREFIX = "c1:"  # a task's comments, oldest first
NOTIFICATION_PREFIX = "n1:"  # the caller's notifications, newest first
ACTIVITY_PREFIX = "a1:"  # a room's (or a task's) history, newest first


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


# Board and due order pack numbers in binary (a tag byte first, never an ASCII one, so that no
# text cursor reads as one): their snapshot, place and last task fit in 28 characters, well
# within the query's 64.
_BOARD = struct.Struct(">BIIqI")  # tag, snapshot revision, renumberings, position, last task id
_BOARD_TAG = 0xB2
_DUE = struct.Struct(">BqqI")  # tag, snapshot instant, due instant (or _NO_DUE), last task id
_DUE_TAG = 0xD2
_NO_DUE = -(2**63)
POSITION_LIMIT = 2**53  # positions.LIMIT and one: no position a server issued is beyond it
_MAX_COUNT = 2**31 - 1  # revisions and renumberings are 32-bit integers in the database
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_LAST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)  # beyond any due time or clock a server keeps


class BoardPlace(NamedTuple):
    """Where a board-order walk goes on: after task ``last_id``, which stood at ``position`` when
    the room had been renumbered ``renumberings`` times, in a walk begun at room revision
    ``snapshot``."""

    snapshot: int
    renumberings: int
    position: int
    last_id: int


class DuePlace(NamedTuple):
    """Where a due-order walk goes on: after task ``last_id``, due at ``due_at`` (None: no due
    time, which comes last), in a walk begun at the database's instant ``snapshot``."""

    snapshot: datetime
    due_at: datetime | None
    last_id: int


def _unpack(cursor: str, layout: struct.Struct, tag: int) -> tuple:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise _refused() from None
    if len(raw) != layout.size or raw[0] != tag:
        raise _refused()
    return layout.unpack(raw)[1:]


def _pack(layout: struct.Struct, *values: int) -> str:
    return base64.urlsafe_b64encode(layout.pack(*values)).decode().rstrip("=")


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _instant(micros: int) -> datetime:
    """The instant ``micros`` microseconds after the epoch; 422 beyond what a server issues."""
    if not 0 <= micros < _micros(_LAST_INSTANT):
        raise _refused()
    return _EPOCH + micros * _MICROSECOND


def encode_board(place: BoardPlace) -> str:
    """The cursor that continues a board-order walk at ``place``."""
    return _pack(_BOARD, _BOARD_TAG, *place)


def decode_board(cursor: str) -> BoardPlace:
    """The place a board-order cursor continues at; 422 for anything else."""
    place = BoardPlace(*_unpack(cursor, _BOARD, _BOARD_TAG))
    if (
        max(place.snapshot, place.renumberings) > _MAX_COUNT
        or abs(place.position) > POSITION_LIMIT
        or place.last_id > MAX_ID
    ):
        raise _refused()
    return place


def encode_due(place: DuePlace) -> str:
    """The cursor that continues a due-order walk at ``place``."""
    due = _NO_DUE if place.due_at is None else _micros(place.due_at)
    return _pack(_DUE, _DUE_TAG, _micros(place.snapshot), due, place.last_id)


def decode_due(cursor: str) -> DuePlace:
    """The place a due-order cursor continues at; 422 for anything else."""
    snapshot, due, last_id = _unpack(cursor, _DUE, _DUE_TAG)
    if last_id > MAX_ID:
        raise _refused()
    return DuePlace(_instant(snapshot), None if due == _NO_DUE else _instant(due), last_id)
