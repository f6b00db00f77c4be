"""Opaque page cursors: where the last task a page showed stands in the page's order (its id in
creation order; its position and id in board order). Each sort's cursors are its own."""

from __future__ import annotations

import base64
import binascii
import re

from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem, field_error

PREFIX = "t1:"
POSITION_PREFIX = "p1:"
_POSITION = re.compile(r"(-?[0-9]{1,16}):([0-9]{1,10})", re.ASCII)
POSITION_LIMIT = 2**53  # positions.LIMIT and one: no position a server issued is beyond it


def _wrap(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _refused() -> Problem:
    return field_error("cursor", "Not a cursor this server issued for this sort.")


def _unwrap(cursor: str, prefix: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise _refused() from None
    if not raw.startswith(prefix):
        raise _refused()
    return raw.removeprefix(prefix)


def encode(last_id: int) -> str:
    """The cursor that continues after task ``last_id``."""
    return _wrap(f"{PREFIX}{last_id}")


def decode(cursor: str) -> int:
    """The task id a cursor continues after; 422 for anything this module did not make."""
    number = _unwrap(cursor, PREFIX)
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
