"""What a task shows beyond its own row: its labels and its checklist, read for a whole page of
tasks in one query (never one per task, nor one per kind: the board read is the hot path, and
every write answers with the task it wrote)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import BindParameter, Row, bindparam, literal, null, select, union_all

from ..checklists.models import ChecklistItem
from ..extensions import db
from ..labels.models import TaskLabel

_LINKS = TaskLabel.__table__
_ITEMS = ChecklistItem.__table__
_TASKS: BindParameter[list[int]] = bindparam("tasks", expanding=True)
# One row per label link (kind 0) and per checklist item (kind 1), each in its order.
_DETAILS_OF = union_all(
    select(
        literal(0).label("kind"),
        _LINKS.c.task_id,
        _LINKS.c.label_id.label("id"),
        null().label("text"),
        null().label("done"),
    ).where(_LINKS.c.task_id.in_(_TASKS)),
    select(literal(1), _ITEMS.c.task_id, _ITEMS.c.id, _ITEMS.c.text, _ITEMS.c.done).where(_ITEMS.c.task_id.in_(_TASKS)),
).order_by("kind", "task_id", "id")


def with_details(rows: Sequence[Row]) -> list[dict]:
    """The tasks of ``rows`` as they are shown: their columns, ``label_ids`` (ascending) and
    ``checklist`` (in its order)."""
    if not rows:
        return []
    labels: dict[int, list[int]] = defaultdict(list)
    items: dict[int, list[dict]] = defaultdict(list)
    for kind, task_id, detail_id, text, done in db.session.execute(_DETAILS_OF, {"tasks": [row.id for row in rows]}):
        if kind == 0:
            labels[task_id].append(detail_id)
        else:
            items[task_id].append({"id": detail_id, "text": text, "done": bool(done)})
    return [{**row._mapping, "label_ids": labels.get(row.id, []), "checklist": items.get(row.id, [])} for row in rows]


def with_details_one(row: Row) -> dict:
    """One task as it is shown (see ``with_details``)."""
    return with_details([row])[0]


def as_created(row: Row, label_ids: Sequence[int]) -> dict:
    """A task just inserted, as it is shown, without reading back what the insert was given:
    the labels it was given, and no checklist yet."""
    return {**row._mapping, "label_ids": sorted(set(label_ids)), "checklist": []}
