"""What a task shows beyond its own row: its labels and its checklist, read for a whole page of
tasks in one query each (never one per task: the board read is the hot path)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Row, bindparam, select

from ..checklists.models import ChecklistItem
from ..extensions import db
from ..labels.models import TaskLabel

_LINKS = TaskLabel.__table__
_ITEMS = ChecklistItem.__table__
_LABELS_OF = (
    select(_LINKS.c.task_id, _LINKS.c.label_id)
    .where(_LINKS.c.task_id.in_(bindparam("tasks", expanding=True)))
    .order_by(_LINKS.c.task_id, _LINKS.c.label_id)
)
_ITEMS_OF = (
    select(_ITEMS.c.task_id, _ITEMS.c.id, _ITEMS.c.text, _ITEMS.c.done)
    .where(_ITEMS.c.task_id.in_(bindparam("tasks", expanding=True)))
    .order_by(_ITEMS.c.task_id, _ITEMS.c.id)
)


def label_ids(task_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each task's label ids, ascending (a task without labels is left out)."""
    found: dict[int, list[int]] = defaultdict(list)
    for task_id, label_id in db.session.execute(_LABELS_OF, {"tasks": list(task_ids)}):
        found[task_id].append(label_id)
    return found


def checklists(task_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Each task's checklist items, in their order (a task without any is left out)."""
    found: dict[int, list[dict]] = defaultdict(list)
    for task_id, item_id, text, done in db.session.execute(_ITEMS_OF, {"tasks": list(task_ids)}):
        found[task_id].append({"id": item_id, "text": text, "done": done})
    return found


def with_details(rows: Sequence[Row]) -> list[dict]:
    """The tasks of ``rows`` as they are shown: their columns, ``label_ids`` and ``checklist``."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    labels, items = label_ids(ids), checklists(ids)
    return [{**row._mapping, "label_ids": labels.get(row.id, []), "checklist": items.get(row.id, [])} for row in rows]


def with_details_one(row: Row) -> dict:
    """One task as it is shown (see ``with_details``)."""
    return with_details([row])[0]
