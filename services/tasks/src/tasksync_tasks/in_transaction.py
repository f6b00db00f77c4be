"""What a write remembers for as long as its transaction lasts: the revision it holds a room at,
the last id it gave a room's entry or a person's notification.

Each memo lives in the session's ``info`` next to the transaction it belongs to, and is worth
nothing once that transaction has ended (committed or rolled back): the next one starts empty.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import SessionTransaction

from .extensions import db

_KEY = "tasksync_memo"


def memo(name: str) -> dict[Any, Any]:
    """The current transaction's memo called ``name`` (begun with it when there is none yet)."""
    session = db.session()
    transaction = session.get_transaction() or session.begin()
    held: tuple[SessionTransaction, dict[str, dict[Any, Any]]] | None = session.info.get(_KEY)
    if held is None or held[0] is not transaction:  # a memo of an ended transaction: gone
        held = session.info[_KEY] = (transaction, {})
    return held[1].setdefault(name, {})
