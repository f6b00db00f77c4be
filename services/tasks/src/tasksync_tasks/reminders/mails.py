"""Reminder mails waiting for the rooms service's mailer, which pulls them: it reads the oldest
(``pending``), writes them into its own outbox (one row per Message-ID), commits, then says which
it took (``taken``), and they are deleted here. A crash between the two repeats the pull, which
the Message-ID makes harmless; saying ``taken`` twice is harmless too.

A mail is ``{"message_id", "user_id", "kind", "params"}``: ``kind`` is ``due_soon`` or ``overdue``,
the Message-ID ``<reminder-{reminder id}-{due time, Unix seconds}@tasksync>``, and ``params``
``{"kind", "title", "due_at" (RFC 3339), "offset" (minutes; due_soon only), "room_id", "task_id",
"unsubscribe_secret"}``: what the mailer renders, in the person's language, with the links it
builds from TASKSYNC_PUBLIC_URL. Whether the person has a verified address is the mailer's to
check when it sends."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy import delete as sql_delete

from ..extensions import db
from .models import ReminderMail

_MAILS = ReminderMail.__table__
_OLDEST = (
    select(_MAILS.c.message_id, _MAILS.c.user_id, _MAILS.c.kind, _MAILS.c.params)
    .order_by(_MAILS.c.id)
    .limit(bindparam("limit"))
)
_TAKEN = sql_delete(_MAILS).where(_MAILS.c.message_id.in_(bindparam("ids", expanding=True)))


def pending(limit: int) -> list[dict]:
    """The oldest ``limit`` mails not taken yet."""
    rows = db.session.execute(_OLDEST, {"limit": limit}).all()
    db.session.rollback()
    return [dict(row._mapping) for row in rows]


def taken(message_ids: list[str]) -> None:
    """The mailer has these in its outbox: forget them (unknown ids are ignored)."""
    if message_ids:
        db.session.execute(_TAKEN, {"ids": sorted(set(message_ids))})
    db.session.commit()
