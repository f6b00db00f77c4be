"""The mail outbox's rows: queued in the transaction that wants a mail, claimed by one sender at a
time, and marked sent, dropped, failed, or due again after a backoff.

A claim is one conditional UPDATE (the due pending rows, which it makes due again only after a
lease): on PostgreSQL its subquery skips rows another sender has locked (FOR UPDATE SKIP LOCKED),
on SQLite writers take turns; either way a row is claimed by one sender, and a sender that dies
holding it (kill -9) leaves it to be taken again once the lease ends. Mail is therefore sent at
least once, always under the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import random

from flask import current_app
from sqlalchemy import CursorResult, Row, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common.timestamps import utcnow

from ..extensions import db
from .models import DROPPED, FAILED, PENDING, SENT, OutgoingMail

_OUTBOX = OutgoingMail.__table__
BACKOFF_FIRST, BACKOFF_MAX = 30.0, 3600.0  # seconds, before TASKSYNC_MAIL_RETRY_SCALE
GIVE_UP_AFTER = dt.timedelta(days=3)
KEEP_FOR = dt.timedelta(days=7)  # sent and dropped rows: what a support question may need
# What a sent or dropped row keeps of its values: never a verification code.
SECRET_PARAMS = ("code",)


def queue(*, message_id: str, user_id: int, kind: str, params: dict) -> None:
    """Add a mail to the outbox in the current transaction (sent once that commits)."""
    db.session.add(OutgoingMail(message_id=message_id, user_id=user_id, kind=kind, params=params))


def queue_new(mails: list[dict]) -> None:
    """Add mails (``message_id``, ``user_id``, ``kind``, ``params``) unless a row with the same
    Message-ID exists: the same mail handed over twice is one row."""
    if not mails:
        return
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    now = utcnow()
    rows = [{**mail, "state": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now} for mail in mails]
    db.session.execute(dialect.insert(_OUTBOX).values(rows).on_conflict_do_nothing(index_elements=["message_id"]))


def lease_seconds() -> float:
    """How long a claimed row is left to its sender before another may take it: well past the
    longest a delivery can take (each SMTP step has its timeout)."""
    return 10 * current_app.config["SETTINGS"].smtp_timeout


def claim(limit: int) -> list[Row]:
    """Take up to ``limit`` due rows for this sender (committed before it returns)."""
    now = utcnow()
    due = (_OUTBOX.c.state == PENDING) & (_OUTBOX.c.next_attempt_at <= now)
    oldest = select(_OUTBOX.c.id).where(due).order_by(_OUTBOX.c.next_attempt_at).limit(limit)
    claimed = db.session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id.in_(oldest.with_for_update(skip_locked=True).scalar_subquery()), due)
        .values(next_attempt_at=now + dt.timedelta(seconds=lease_seconds()), attempts=_OUTBOX.c.attempts + 1)
        .returning(*_OUTBOX.c)
    ).all()
    db.session.commit()
    return sorted(claimed, key=lambda row: row.id)


def _finish(row: Row, state: str, error: str | None = None) -> None:
    params = {key: value for key, value in row.params.items() if key not in SECRET_PARAMS}
    db.session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == row.id, _OUTBOX.c.state == PENDING)
        .values(state=state, params=params, sent_at=utcnow() if state == SENT else None, last_error=error)
    )
    db.session.commit()


def mark_sent(row: Row) -> None:
    """The mail server took it."""
    _finish(row, SENT)


def drop(row: Row, reason: str) -> None:
    """Not to be sent at all (no verified address, say)."""
    _finish(row, DROPPED, reason)


def retry_delay(attempts: int) -> float:
    """Seconds until the next try after ``attempts`` failed ones: doubling from 30 s to an hour,
    with jitter so that rows failed together do not come back together."""
    delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(0, attempts - 1)) * random.uniform(0.5, 1.5)
    return delay * current_app.config["SETTINGS"].mail_retry_scale


def failed(row: Row, error: str) -> bool:
    """The mail server did not take it: due again after a backoff, or, three days after it was
    queued, given up (True)."""
    if utcnow() - row.created_at > GIVE_UP_AFTER * current_app.config["SETTINGS"].mail_retry_scale:
        _finish(row, FAILED, error[:500])
        return True
    db.session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == row.id, _OUTBOX.c.state == PENDING)
        .values(next_attempt_at=utcnow() + dt.timedelta(seconds=retry_delay(row.attempts)), last_error=error[:500])
    )
    db.session.commit()
    return False


def forget_old() -> int:
    """Delete finished rows older than a week; how many."""
    cutoff = utcnow() - KEEP_FOR
    result = db.session.execute(delete(_OUTBOX).where(_OUTBOX.c.state != PENDING, _OUTBOX.c.created_at < cutoff))
    db.session.commit()
    return result.rowcount if isinstance(result, CursorResult) else 0


def pending_count() -> int:
    """How many mails wait to be sent (for tests and the log)."""
    count = db.session.execute(select(func.count()).select_from(_OUTBOX).where(_OUTBOX.c.state == PENDING)).scalar()
    db.session.rollback()
    return int(count or 0)


def drop_waiting(*, user_id: int, kind: str, reason: str) -> None:
    """Drop a user's pending mails of ``kind`` in the current transaction (a verification mail
    whose code a newer one replaced)."""
    db.session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.user_id == user_id, _OUTBOX.c.kind == kind, _OUTBOX.c.state == PENDING)
        .values(state=DROPPED, params={}, last_error=reason)
    )
