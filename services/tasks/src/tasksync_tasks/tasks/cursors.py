"""Opaque page cursors: the id of the last task a page showed."""

from __future__ import annotations

import base64
import binascii

from tasksync_common.fields import MAX_ID
from tasksync_common.problems import field_error

PREFIX = "t1:"


def encode(last_id: int) -> str:
    """The cursor that continues after task ``last_id``."""
    return base64.urlsafe_b64encode(f"{PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    """The task id a cursor continues after; 422 for anything this module did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise field_error("cursor", "Not a cursor this server issued.") from None
    number = raw.removeprefix(PREFIX)
    well_formed = raw.startswith(PREFIX) and number.isascii() and number.isdigit() and len(number) <= 10
    if not well_formed or int(number) > MAX_ID:
        raise field_error("cursor", "Not a cursor this server issued.")
    return int(number)
