"""A room's labels: every rule about them, and about which of them a task carries.

Every write takes the room's lock first (``revisions.begin_change``), as every task write does: writes in
one room follow one another, so a label count, a name check or a deletion never races a task
being given that label, and the locks come in one order (room, then the rest): no deadlock."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, bindparam, func, insert, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from tasksync_common.auth import Identity
from tasksync_common.errors import Conflict, Invalid, NotFound
from tasksync_common.timestamps import utcnow

from .. import membership
from ..activity import service as activity
from ..extensions import db
from ..tasks import revisions
from ..tasks.models import Task
from .models import MAX_PER_ROOM, Label, TaskLabel

TAKEN = "The room has a label of that name already (letter case aside)."
_LABELS, _LINKS, _TASKS = Label.__table__, TaskLabel.__table__, Task.__table__
_COLUMNS = [column for column in _LABELS.c if column.key != "name_key"]
_FIND = select(*_COLUMNS).where(_LABELS.c.id == bindparam("label"), _LABELS.c.room_id == bindparam("room"))
_OF_ROOM = select(*_COLUMNS).where(_LABELS.c.room_id == bindparam("room")).order_by(_LABELS.c.id)


def name_key(name: str) -> str:
    """What names are compared by: casefolded, so that letter case never matters, in any script."""
    return name.casefold()


def _find(room_id: int, label_id: int) -> Row:
    label = db.session.execute(_FIND, {"label": label_id, "room": room_id}).one_or_none()
    if label is None:
        db.session.rollback()
        raise NotFound("No such label in this room.")
    return label


def get_all(*, room_id: int, caller: Identity) -> list[Row]:
    """The room's labels, oldest first."""
    membership.require_member(room_id, caller)
    return list(db.session.execute(_OF_ROOM, {"room": room_id}))


def create(*, room_id: int, caller: Identity, name: str, color: str) -> Row:
    """Add a label to the room: its name unique in the room (409), at most MAX_PER_ROOM (422)."""
    membership.require_member(room_id, caller)
    revisions.begin_change(room_id)  # creations in one room count the labels one after another
    count = db.session.execute(select(func.count()).where(_LABELS.c.room_id == room_id)).scalar_one()
    if count >= MAX_PER_ROOM:
        db.session.rollback()
        raise Invalid("labels", f"A room has at most {MAX_PER_ROOM} labels.")
    values = {"room_id": room_id, "name": name, "name_key": name_key(name), "color": color, "created_at": utcnow()}
    try:
        label = db.session.execute(insert(_LABELS).returning(*_COLUMNS), values).one()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(TAKEN) from None
    activity.record(
        room_id=room_id, kind="label.created", actor=caller, data={"label_id": label.id, "name": name, "color": color}
    )
    db.session.commit()
    return label


def update(*, room_id: int, label_id: int, caller: Identity, fields: dict) -> Row:
    """Rename or recolour a label (the tasks that carry it do not change)."""
    membership.require_member(room_id, caller)
    revisions.begin_change(room_id)
    label = _find(room_id, label_id)
    if all(getattr(label, name) == value for name, value in fields.items()):
        db.session.rollback()  # nothing to change
        return label
    values = dict(fields)
    if "name" in fields:
        values["name_key"] = name_key(fields["name"])
    statement = sql_update(_LABELS).where(_LABELS.c.id == label_id, _LABELS.c.room_id == room_id).values(**values)
    try:
        changed = db.session.execute(statement.returning(*_COLUMNS)).one_or_none()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(TAKEN) from None
    assert changed is not None  # found above, under the room's lock
    data = {"label_id": label_id, "name": changed.name, "changes": activity.changes(label._mapping, fields)}
    activity.record(room_id=room_id, kind="label.updated", actor=caller, data=data)
    db.session.commit()
    return changed


def delete(*, room_id: int, label_id: int, caller: Identity) -> None:
    """Delete a label: it leaves every task that carried it, and each of those tasks counts a
    change (its version goes up: its ``label_ids`` are not what a client last saw)."""
    membership.require_member(room_id, caller)
    revisions.begin_change(room_id)  # no task is being given this label meanwhile
    label = _find(room_id, label_id)
    carriers = select(_LINKS.c.task_id).where(_LINKS.c.label_id == label_id)
    db.session.execute(
        sql_update(_TASKS).where(_TASKS.c.id.in_(carriers)).values(version=_TASKS.c.version + 1, updated_at=utcnow())
    )
    db.session.execute(sql_delete(_LINKS).where(_LINKS.c.label_id == label_id))
    db.session.execute(sql_delete(_LABELS).where(_LABELS.c.id == label_id))
    data = {"label_id": label_id, "name": label.name, "color": label.color}
    activity.record(room_id=room_id, kind="label.deleted", actor=caller, data=data)
    db.session.commit()


def delete_room(room_id: int) -> None:
    """The room is gone: its labels go too (inside the caller's transaction)."""
    db.session.execute(sql_delete(_LABELS).where(_LABELS.c.room_id == room_id))


# --- which labels a task carries -----------------------------------------------------------------


def check_ids(room_id: int, label_ids: Sequence[int]) -> None:
    """422 on label_ids unless each is a label of the room. The caller holds the room's lock, so
    none of them is deleted before its transaction ends."""
    if not label_ids:
        return
    found = db.session.execute(
        select(_LABELS.c.id).where(_LABELS.c.room_id == room_id, _LABELS.c.id.in_(list(label_ids)))
    ).scalars()
    if len(set(found)) != len(set(label_ids)):
        db.session.rollback()
        raise Invalid("label_ids", "Each must be the id of a label of this room.")


def carried(task_id: int) -> list[int]:
    """The ids of the labels the task carries, ascending."""
    return list(
        db.session.execute(
            select(_LINKS.c.label_id).where(_LINKS.c.task_id == task_id).order_by(_LINKS.c.label_id)
        ).scalars()
    )


def replace(task_id: int, label_ids: Sequence[int]) -> None:
    """Give the task exactly these labels (checked with ``check_ids`` in the same transaction)."""
    db.session.execute(sql_delete(_LINKS).where(_LINKS.c.task_id == task_id))
    if label_ids:
        db.session.execute(insert(_LINKS), [{"task_id": task_id, "label_id": label_id} for label_id in label_ids])
