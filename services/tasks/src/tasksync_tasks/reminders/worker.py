"""The reminder worker: one thread per serving process (tasksync_common.background), which fires
the armed reminders whose time has come.

It sleeps until the nearest fire time (read from the partial index of armed rows), 15 seconds at
most, and wakes at once when a commit of its own process armed something. Each pass claims a
small batch of due rows and, in one transaction, marks them fired, writes each one's notification
(through the notifications service: ordered and announced live) and, for a person who wants
reminder mail, the mail for the rooms service to take (see mails.py). On PostgreSQL the batch is
claimed with FOR UPDATE SKIP LOCKED, so workers of every replica share the due rows and none is
fired twice; on SQLite every write transaction holds the whole database (BEGIN IMMEDIATE). The
row is marked fired in the transaction of its notification, so a crash before the commit leaves
it armed, and one after it leaves it fired: exactly once, whatever restarts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Flask, current_app
from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common import background
from tasksync_common.timestamps import utcnow

from ..activity.service import plain
from ..extensions import db
from ..notifications import service as notifications
from ..tasks.models import Task
from . import settings as reminder_settings
from .models import ARMED, FIRED, Reminder, ReminderMail

log = logging.getLogger(__name__)
EXTENSION = "tasksync_reminder_worker"
POLL_SECONDS = 15.0  # the longest sleep: a reminder armed by another process is seen within it
BATCH = 100
BACKOFF_MAX = 15.0

_REMINDERS = Reminder.__table__
_TASKS = Task.__table__
# The due-reminder query: the oldest armed rows whose time has come, a walk of the partial index
# ix_reminders_armed_fire_at that stops after BATCH rows, however many reminders exist.
DUE = (
    select(_REMINDERS)
    .where(_REMINDERS.c.state == ARMED, _REMINDERS.c.fire_at <= bindparam("now"))
    .order_by(_REMINDERS.c.fire_at)
    .limit(bindparam("limit"))
)
_NEXT = select(func.min(_REMINDERS.c.fire_at)).where(_REMINDERS.c.state == ARMED)
_FIRE = (
    update(_REMINDERS)
    .where(_REMINDERS.c.id.in_(bindparam("ids", expanding=True)), _REMINDERS.c.state == ARMED)
    .values(state=FIRED, fired_at=bindparam("fired_at"))
    .returning(_REMINDERS.c.id)
)


def claim_statement(dialect_name: str) -> Select:
    """DUE as the dialect claims it: on PostgreSQL locking the rows, skipping those another
    worker holds."""
    return DUE.with_for_update(skip_locked=True) if dialect_name == "postgresql" else DUE


def message_id(reminder_id: int, due_at: datetime) -> str:
    """The Message-ID of a reminder's mail: the same for every attempt to send it."""
    return f"<reminder-{reminder_id}-{int(due_at.timestamp())}@tasksync>"


def _worker_pass() -> float:
    """One pass of the reminder thread: fire what is due, then sleep until the nearest."""
    fire_due()
    return seconds_to_next()


def seconds_to_next() -> float:
    """Seconds until the nearest armed reminder (POLL_SECONDS at most)."""
    nearest = db.session.execute(_NEXT).scalar()
    db.session.rollback()  # end the read: the next one sees newer commits
    if nearest is None:
        return POLL_SECONDS
    if nearest.tzinfo is None:
        nearest = nearest.replace(tzinfo=UTC)
    return max(0.0, min(POLL_SECONDS, (nearest - datetime.now(UTC)).total_seconds()))


def fire_due() -> int:
    """Fire every due reminder now (in an app context), batch by batch; how many were fired."""
    fired = 0
    while True:
        count, more = _fire_batch()
        fired += count
        if not more:
            return fired


def _fire_batch() -> tuple[int, bool]:
    session = db.session
    claimed = session.execute(
        claim_statement(session.get_bind().dialect.name), {"now": datetime.now(UTC), "limit": BATCH}
    ).all()
    if not claimed:
        session.rollback()
        return 0, False
    fired_ids = set(session.execute(_FIRE, {"ids": [row.id for row in claimed], "fired_at": utcnow()}).scalars())
    reminders = [row for row in claimed if row.id in fired_ids]
    titles: dict[int, str] = dict(
        session.execute(
            select(_TASKS.c.id, _TASKS.c.title).where(_TASKS.c.id.in_(sorted({r.task_id for r in reminders})))
        ).all()
    )
    chosen = reminder_settings.many({r.user_id for r in reminders})
    told, mails = [], []
    for reminder in reminders:
        data = {"title": titles.get(reminder.task_id, ""), "due_at": plain(reminder.due_at)}
        if reminder.kind == "due_soon":
            data["offset"] = reminder.offset_minutes
        told.append(
            {
                "user_id": reminder.user_id,
                "kind": reminder.kind,
                "room_id": reminder.room_id,
                "task_id": reminder.task_id,
            }
            | {"data": data}
        )
        person = chosen[reminder.user_id]
        if person["email"] and person["unsubscribe_secret"]:
            mails.append(
                {
                    "message_id": message_id(reminder.id, reminder.due_at),
                    "user_id": reminder.user_id,
                    "kind": reminder.kind,
                    "params": {
                        "kind": reminder.kind,
                        **data,
                        "room_id": reminder.room_id,
                        "task_id": reminder.task_id,
                        "unsubscribe_secret": person["unsubscribe_secret"],
                    },
                    "created_at": utcnow(),
                }
            )
    notifications.reminded(told)
    if mails:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(ReminderMail.__table__).on_conflict_do_nothing(index_elements=["message_id"])
        session.execute(statement, mails)
    session.commit()
    if len(reminders) < len(claimed):
        log.info("reminder worker: %d claimed rows were fired already", len(claimed) - len(reminders))
    return len(reminders), len(claimed) == BATCH


def init_app(app: Flask) -> None:
    """Give ``app`` its worker, started when a gunicorn worker begins serving it."""
    worker = app.extensions[EXTENSION] = background.Loop(
        app, "reminder-worker", _worker_pass, backoff=(0.5, BACKOFF_MAX)
    )
    background.register(app, worker.start)


def wake() -> None:
    """Wake the current app's worker (after a commit that armed reminders), if it has one."""
    worker = current_app.extensions.get(EXTENSION)
    if worker is not None:
        worker.wake()
