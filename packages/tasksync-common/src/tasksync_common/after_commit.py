"""What a write must do once it is committed, and only then: one mechanism for every such effect.

Code that changes data says, where it changes it, what must follow the commit: publish the
room's revision, a member's role, a token's revocation (and, as they come, an activity entry's
publication or a live event). ``defer(session, effect, *args)`` is that one line. The session
(``Session``: every service builds its ``db`` with ``session_options()``) runs what its transaction
collected right after ``commit()`` succeeds: once each, in the order deferred, outside any
transaction (an effect may read the database; that read begins a new one). A transaction that
ends any other way (rollback, a commit that fails, the session closing) drops its effects, and
a savepoint neither runs nor drops them: only the outermost transaction's commit counts.

A failing effect stops the run: its exception propagates from ``commit()`` (the commit itself
stands, and is not undone), and the effects deferred after it are dropped, never run later.
Today's effects are publications to the shared cache, whose expiry heals a lost one, so none is
retried; work that must not be lost belongs in the transaction itself (an outbox row), not here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction, scoped_session

_PENDING = "tasksync_after_commit"
# What a session's info holds under _PENDING: the transaction, and the effects it collected.
_Pending = tuple[SessionTransaction, list[Callable[[], object]]]


class Session(FlaskSession):
    """Flask-SQLAlchemy's session, running its transaction's deferred effects after each commit."""

    def commit(self) -> None:
        transaction = self.get_transaction()
        super().commit()
        for effect in _take(self, transaction):
            effect()

    def rollback(self) -> None:
        self.info.pop(_PENDING, None)
        super().rollback()

    def close(self) -> None:
        self.info.pop(_PENDING, None)
        super().close()


def session_options() -> dict:
    """What a service passes to ``SQLAlchemy(session_options=...)`` (a fresh dict: it is changed)."""
    return {"class_": Session}


def defer(session: OrmSession | scoped_session, effect: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Run ``effect(*args, **kwargs)`` once the session's current transaction commits; never if
    it does not. With no transaction under way, one begins (the next commit ends it)."""
    current: OrmSession = session() if isinstance(session, scoped_session) else session
    transaction = current.get_transaction() or current.begin()
    pending: _Pending | None = current.info.get(_PENDING)
    if pending is None or pending[0] is not transaction:  # effects of an ended transaction: gone
        pending = current.info[_PENDING] = (transaction, [])
    pending[1].append(functools.partial(effect, *args, **kwargs))


def _take(session: OrmSession, transaction: SessionTransaction | None) -> list[Callable[[], object]]:
    """The effects ``transaction`` collected, removed from the session."""
    pending = session.info.pop(_PENDING, None)
    if pending is None or transaction is None or pending[0] is not transaction:
        return []
    return pending[1]
