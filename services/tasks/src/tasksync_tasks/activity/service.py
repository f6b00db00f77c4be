"""A room's history: every rule about writing and reading activity entries lives here.

An entry is written inside the transaction of the change it records, by the service function
that makes the change, while that function holds the room's lock (``revisions.begin_change``): an entry
exists if and only if its change committed, and a later commit in a room gets a larger id. The
entry copies what it needs to read well later (the task's title, old and new values, the actor's
username), so a deleted task or a renamed room never breaks it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common import activity_access, after_commit
from tasksync_common.auth import Identity
from tasksync_common.errors import NotFound
from tasksync_common.fields import Instant
from tasksync_common.timestamps import utcnow

from .. import membership, paging, people
from ..extensions import db
from ..tasks import cursors, revisions
from ..tasks.models import Task
from . import events
from .models import Activity
from .schemas import ActivityPage

_ACTIVITY = Activity.__table__
# What a page shows: not the delivery's id, nor what only live events carry.
_COLUMNS = [column for column in _ACTIVITY.c if column.key not in ("outbox_id", "revision", "request_id")]
# One statement per entry, built once: recording must not slow the write it records.
_INSERT = insert(_ACTIVITY).returning(_ACTIVITY.c.id)
_TASK_IN_ROOM = select(Task.id).where(Task.id == bindparam("task"), Task.room_id == bindparam("room"))
_INSTANT = Instant()


def plain(value: Any) -> Any:
    """``value`` as JSON holds it (an instant as the API writes it)."""
    if isinstance(value, datetime):
        return _INSTANT.serialize("value", {"value": value})
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def changes(old: Mapping[Any, Any], new: Mapping[str, Any]) -> dict[str, list]:
    """Each field of ``new`` whose value differs from ``old``'s, as ``[old, new]``."""
    return {name: [plain(old[name]), plain(value)] for name, value in new.items() if old[name] != value}


def record(*, room_id: int, kind: str, actor: Identity, task_id: int | None = None, data: dict) -> None:
    """Add an entry to the room's history inside the caller's transaction, which must hold the
    room's lock (``revisions.begin_change``, which every write takes first); once it commits,
    the room's head and the entry's live event are published."""
    values = {
        "room_id": room_id,
        "task_id": task_id,
        "actor_id": actor.user_id,
        "actor_username": people.username(actor),
        "kind": kind,
        "data": {name: plain(value) for name, value in data.items()},
        "created_at": utcnow(),
        "outbox_id": None,
        "revision": revisions.held(room_id),
        "request_id": events.request_id(),
    }
    prev = events.previous(room_id)
    entry_id = db.session.execute(_INSERT, values).scalar_one()
    after_commit.defer(db.session, _publish_head, room_id, entry_id)
    events.announce(room_id, [events.written({**values, "id": entry_id}, prev)])


def _insert_once():
    """An INSERT that leaves an entry already delivered (the same outbox id) as it is: it gives
    back the new entry's id, or nothing."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(_ACTIVITY).on_conflict_do_nothing(index_elements=["outbox_id"]).returning(_ACTIVITY.c.id)


def record_delivered(*, room_id: int, entries: Sequence[dict]) -> None:
    """Add the entries the rooms service sent for a room (membership, the room's name), in its
    outbox order, under the room's lock as any entry, each at the room's revision read under
    that lock and with the request id of the rooms service's request that made it. A repeated
    delivery writes nothing twice (nor announces it again); a room whose history was deleted
    with it takes none. The room's revision stays: membership is not part of the task list."""
    if not revisions.lock_unchanged(room_id):
        statement = _insert_once()
        revision = revisions.held(room_id)
        notices = []
        for entry in entries:
            created_at = entry["created_at"]
            if created_at.tzinfo is not None:  # stored as every column here: UTC, without a zone
                created_at = created_at.astimezone(UTC).replace(tzinfo=None)
            values = {**entry, "room_id": room_id, "task_id": None, "created_at": created_at, "revision": revision}
            prev = events.previous(room_id)
            entry_id = db.session.execute(statement, values).scalar()
            if entry_id is not None:
                notices.append(events.written({**values, "id": entry_id}, prev))
        if notices:  # the head first, then the events
            after_commit.defer(db.session, _publish_head, room_id, notices[-1]["id"])
            events.announce(room_id, notices)
    db.session.commit()


def _newest(room_id: int) -> int:
    head = db.session.execute(events.HEAD, {"room": room_id}).scalar()
    db.session.commit()  # end the read, so that the next one sees newer commits
    return head or 0


def _publish_head(room_id: int, head: int | None) -> None:
    """After the commit that added entry ``head`` (None: some entries, read back): let every
    process see the room's newest entry, so that cached pages of its history are not served."""
    activity_access.publish_head(room_id, _newest(room_id) if head is None else head, lambda: _newest(room_id))


def list_etag(*, room_id: int, caller: Identity, path: str, query_string: bytes, task_id: int | None = None) -> str:
    """The validator of the history page the caller asks for (404 unless they belong to the room,
    and for a task's history, unless the task is there)."""
    membership.require_member(room_id, caller)
    if task_id is not None:
        _require_task(room_id, task_id)
    return activity_access.list_etag(
        activity_access.current_head(room_id, lambda: _newest(room_id)), path, query_string
    )


def page_json(*, room_id: int, query: dict, etag: str, task_id: int | None = None) -> str:
    """The page ``etag`` names, as JSON (an ActivityPage): built once, then served from the
    shared cache. Only for a caller that ``list_etag`` has let in."""
    return activity_access.page(
        room_id, etag, lambda: current_app.json.dumps(ActivityPage().dump(_page(room_id, query, task_id)))
    )


def _require_task(room_id: int, task_id: int) -> None:
    if db.session.execute(_TASK_IN_ROOM, {"task": task_id, "room": room_id}).first() is None:
        raise NotFound("No such task in this room.")


def delete_room(room_id: int) -> None:
    """The room is gone: its history too (inside the caller's transaction)."""
    db.session.execute(sql_delete(_ACTIVITY).where(_ACTIVITY.c.room_id == room_id))


def _page(room_id: int, query: dict, task_id: int | None) -> dict:
    """A page of the room's history (or of one task's), newest first, filtered by ``kind``."""
    limit = query["limit"]
    rows, cursor = paging.split(
        db.session.execute(page_statement(room_id, task_id, query).limit(limit + 1)).all(),
        limit,
        lambda last: cursors.encode(last.id, cursors.ACTIVITY_PREFIX),
    )
    return {"items": [dict(row._mapping) for row in rows], "next_cursor": cursor}


def page_statement(room_id: int, task_id: int | None, query: dict) -> Select:
    """The entries a page shows, newest first (before its limit): a walk down the (room_id, id)
    index, or (task_id, id) for one task, as fast in a room of 100,000 entries as of 100."""
    statement = select(*_COLUMNS).where(_ACTIVITY.c.room_id == room_id)
    if task_id is not None:
        statement = statement.where(_ACTIVITY.c.task_id == task_id)
    if query.get("kind"):
        statement = statement.where(_ACTIVITY.c.kind.in_(sorted(set(query["kind"]))))
    if query.get("cursor"):
        statement = statement.where(_ACTIVITY.c.id < cursors.decode(query["cursor"], cursors.ACTIVITY_PREFIX))
    return statement.order_by(_ACTIVITY.c.id.desc())
