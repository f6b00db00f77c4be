"""Seeding: rows straight into the services' own tables through SQLAlchemy Core, fast.

Through the API, 56,000 tasks would take minutes; a bulk insert takes seconds. The tables come
from the services' models (their migrations created them when the stack started), the password
hash from the rooms service's own hasher, ``search_text`` from the tasks service's own function,
so the rows are the rows the services would have written.

A marker row in the tasks database says which data set is there; a run that finds the one it
wants reuses it, after deleting the tasks earlier runs created.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from tasksync_common.config import database_url

from .dataset import PASSWORD, ROOMS_PER_PLANNER, Spec
from .progress import Progress

BATCH = 2000
START = datetime(2026, 1, 5, 9, 0, 0)
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)  # due dates are around the seeding day
VERBS = ("Draft", "Review", "Update", "Plan", "Fix", "Test", "Write", "Prepare", "Ship", "Check", "Sort out", "Book")
THINGS = (
    "the release notes",
    "the onboarding guide",
    "the quarterly budget",
    "the login page",
    "the supplier contract",
    "the team offsite",
    "the customer survey",
    "the API documentation",
    "the backup schedule",
    "the design mock-ups",
    "the invoice run",
    "the hiring plan",
    "the office move",
    "the security review",
)
DESCRIPTIONS = (
    None,
    "Ask Dana for last year's figures first.",
    "Two rounds of feedback at most; keep it under two pages. Link the final version in the channel.",
    "Blocked until the vendor answers. Follow up on Thursday if nothing arrives; escalate the week after.",
    "See the notes from the planning meeting.",
)
# A planning room's labels and checklist items, in both of the project's languages.
LABELS = (
    ("Терміново", "#c0392b"),
    ("Design", "#8e44ad"),
    ("Бекенд", "#2c3e50"),
    ("Customer", "#27ae60"),
    ("Документація", "#d35400"),
    ("Bug", "#e74c3c"),
    ("Наступний реліз", "#16a085"),
    ("Research", "#2980b9"),
)
STEPS = (
    "Зібрати вимоги",
    "Draft the first version",
    "Узгодити з командою",
    "Review the open comments",
    "Оновити документацію",
    "Tell the customer it is done",
)

marker_metadata = MetaData()
# Outside the services' metadata: their migrations never see it.
marker_table = Table(
    "bench_dataset",
    marker_metadata,
    Column("id", Integer, primary_key=True),
    Column("spec", Text, nullable=False),
    Column("dataset_id", String(32), nullable=False),
    Column("last_task_id", Integer, nullable=False),
    Column("seeded_at", DateTime, nullable=False),
)


def engine(url: str):
    """A short-lived engine on one of the services' databases."""
    return create_engine(database_url(url), poolclass=NullPool)


def rooms_tables():
    """The rooms service's tables, from its models."""
    from tasksync_rooms.access_tokens import models as _access_tokens  # noqa: F401
    from tasksync_rooms.extensions import db
    from tasksync_rooms.rooms import models as _rooms  # noqa: F401  (each import registers its tables)
    from tasksync_rooms.users import models as _users  # noqa: F401

    return db.metadata


def tasks_tables():
    """The tasks service's tables, from its models."""
    from tasksync_tasks.activity import models as _activity  # noqa: F401
    from tasksync_tasks.checklists import models as _checklists  # noqa: F401
    from tasksync_tasks.comments import models as _comments  # noqa: F401
    from tasksync_tasks.extensions import db
    from tasksync_tasks.labels import models as _labels  # noqa: F401
    from tasksync_tasks.notifications import models as _notifications  # noqa: F401
    from tasksync_tasks.tasks import models as _tasks  # noqa: F401

    return db.metadata


def read_marker(tasks_url: str) -> dict | None:
    """The marker row of the data set in the tasks database, or None."""
    eng = engine(tasks_url)
    try:
        if not inspect(eng).has_table(marker_table.name):
            return None
        with eng.connect() as connection:
            row = connection.execute(select(marker_table)).mappings().first()
        return dict(row) if row else None
    finally:
        eng.dispose()


def _count(url: str, table: str) -> int:
    eng = engine(url)
    try:
        with eng.connect() as connection:
            return connection.execute(select(func.count()).select_from(text(table))).scalar()
    except SQLAlchemyError:  # no such table yet: nothing seeded
        return -1
    finally:
        eng.dispose()


def reusable(backend, spec: Spec) -> dict | None:
    """The marker when the databases hold ``spec``'s data set, complete; else None."""
    marker = read_marker(backend.tasks_url)
    if not marker or marker["spec"] != spec.fingerprint():
        return None
    if _count(backend.rooms_url, "users") != len(spec.all_user_ids) or _count(backend.rooms_url, "rooms") != len(
        spec.all_room_ids
    ):
        return None
    return marker


def reset_extras(backend, marker: dict) -> int:
    """Delete the tasks earlier runs created, so every run starts from the same data set; how many.
    Their rooms' revisions move on, as after any task write: no cached page of before stays valid."""
    tables = tasks_tables().tables
    tasks, revisions = tables["tasks"], tables["room_revisions"]
    extra = tasks.c.id > marker["last_task_id"]
    eng = engine(backend.tasks_url)
    try:
        with eng.begin() as connection:
            rooms = connection.execute(select(tasks.c.room_id).where(extra).distinct()).scalars().all()
            removed = connection.execute(delete(tasks).where(extra)).rowcount
            if rooms:
                connection.execute(
                    update(revisions).where(revisions.c.room_id.in_(rooms)).values(revision=revisions.c.revision + 1)
                )
            return removed
    finally:
        eng.dispose()


def _empty(connection, metadata: MetaData) -> None:
    """Remove every row of the service's tables (and restart their ids)."""
    names = [table.name for table in metadata.sorted_tables]
    if connection.dialect.name == "postgresql":
        # The running services hold connections: fail loudly rather than wait forever on a lock.
        connection.execute(text("SET LOCAL lock_timeout = '15s'"))
        connection.execute(text(f"TRUNCATE TABLE {', '.join(names)} RESTART IDENTITY CASCADE"))
        return
    for name in reversed(names):
        connection.execute(text(f"DELETE FROM {name}"))
    if inspect(connection).has_table("sqlite_sequence"):
        connection.execute(text("DELETE FROM sqlite_sequence"))


def _restart_ids(connection, metadata: MetaData) -> None:
    """Rows were inserted with explicit ids: move PostgreSQL's sequences past them."""
    if connection.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    for table in metadata.sorted_tables:
        if "id" in table.c and isinstance(table.c.id.type, Integer):
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))")
            )


def _insert(connection, table, rows, progress: Progress) -> None:
    rows = iter(rows)
    while batch := list(itertools.islice(rows, BATCH)):
        connection.execute(table.insert(), batch)
        progress.advance(len(batch))


def _users(spec: Spec):
    from tasksync_rooms.users.passwords import hash_password
    from tasksync_rooms.users.service import username_key

    password_hash = hash_password(PASSWORD)  # one argon2 hash (~50 ms), shared by every user
    for user_id in spec.all_user_ids:
        name = spec.username(user_id)
        yield {
            "id": user_id,
            "username": name,
            "username_key": username_key(name),
            "password_hash": password_hash,
            "created_at": START,
        }


def _rooms(spec: Spec):
    from tasksync_rooms.rooms.codes import new_code

    codes: set[str] = set()
    while len(codes) < len(spec.all_room_ids):
        codes.add(new_code())
    for room_id, code in zip(spec.all_room_ids, sorted(codes), strict=True):
        size = spec.task_count(room_id)
        yield {
            "id": room_id,
            "code": code,
            "name": f"Bench room {room_id} ({size} tasks)",
            "owner_id": spec.members(room_id)[0],
            "created_at": START,
            "deleting": False,
        }


def _memberships(spec: Spec):
    for room_id in spec.all_room_ids:
        for index, user_id in enumerate(spec.members(room_id)):
            yield {
                "user_id": user_id,
                "room_id": room_id,
                "role": "owner" if index == 0 else "member",
                "joined_at": START,
            }


def _tasks(spec: Spec):
    """Every room's tasks; a planning room's with due dates (four in five: some past, most in the
    next weeks) and priorities; a column room's all in one column. Positions as the tasks service
    spaces them, in creation order within each column (as its migration numbered existing tasks)."""
    from tasksync_tasks.tasks.models import PRIORITIES, STATUSES
    from tasksync_tasks.tasks.positions import GAP
    from tasksync_tasks.tasks.service import search_text

    task_id = 0
    for room_id in spec.all_room_ids:
        members = spec.members(room_id)
        planning, column_room = spec.is_planning(room_id), room_id in spec.column_room_ids
        in_column = dict.fromkeys(STATUSES, 0)
        for n in range(spec.task_count(room_id)):
            task_id += 1
            title = f"{VERBS[task_id % len(VERBS)]} {THINGS[task_id % len(THINGS)]} ({room_id}.{n + 1})"
            description = DESCRIPTIONS[task_id % len(DESCRIPTIONS)]
            status = STATUSES[0] if column_room else STATUSES[n % len(STATUSES)]
            in_column[status] += 1
            at = START + timedelta(seconds=task_id)
            due = None
            if planning and n % 5 != 4:
                due = NOW + timedelta(days=task_id % 45 - 10, hours=task_id % 8)
            yield {
                "id": task_id,
                "room_id": room_id,
                "user_id": members[n % len(members)],
                "created_by": members[(n + 1) % len(members)],
                "title": title,
                "description": description,
                "status": status,
                "version": 1,
                "due_at": due,
                "priority": PRIORITIES[task_id % len(PRIORITIES)] if planning else "none",
                "position": in_column[status] * GAP,
                "search_text": search_text(title, description),
                "created_at": at,
                "updated_at": at,
            }


def _label_id(spec: Spec, room_id: int, index: int) -> int:
    return (room_id - spec.planning_room_ids.start) * spec.labels_per_room + index + 1


def _labels(spec: Spec):
    from tasksync_tasks.labels.service import name_key

    for room_id in spec.planning_room_ids:
        for index in range(spec.labels_per_room):
            name, color = LABELS[(room_id + index) % len(LABELS)]
            yield {
                "id": _label_id(spec, room_id, index),
                "room_id": room_id,
                "name": name,
                "name_key": name_key(name),
                "color": color,
                "created_at": START,
            }


def _planning_tasks(spec: Spec):
    """(room, task id, n) of every task of the planning rooms."""
    for room_id in spec.planning_room_ids:
        first = spec.first_task_id(room_id)
        for n in range(spec.task_count(room_id)):
            yield room_id, first + n, n


def _task_labels(spec: Spec):
    """None to three of the room's labels on each planning task."""
    for room_id, task_id, n in _planning_tasks(spec):
        for k in range(n % 4):
            yield {"task_id": task_id, "label_id": _label_id(spec, room_id, (n + 2 * k) % spec.labels_per_room)}


def _checklist_items(spec: Spec):
    """Every planning task's checklist, some of it done."""
    item_id = 0
    for _room_id, task_id, n in _planning_tasks(spec):
        for k in range(spec.checklist_items):
            item_id += 1
            step = f"{STEPS[(n + k) % len(STEPS)]} ({k + 1}/{spec.checklist_items})"
            yield {"id": item_id, "task_id": task_id, "text": step, "done": k < n % (spec.checklist_items + 1)}


def _activity(spec: Spec):
    """Each task's task.created entry, in creation order, then the long history of one room:
    edits of its tasks by its members, as the tasks service records them."""
    entry_id = 0
    for task in _tasks(spec):
        entry_id += 1
        yield {
            "id": entry_id,
            "room_id": task["room_id"],
            "task_id": task["id"],
            "actor_id": task["created_by"],
            "actor_username": spec.username(task["created_by"]),
            "kind": "task.created",
            "data": {"title": task["title"]},
            "created_at": task["created_at"],
            "outbox_id": None,
        }
    room = spec.history_room_id
    members, first, count = spec.members(room), spec.first_task_id(room), spec.task_count(room)
    for n in range(spec.long_history):
        entry_id += 1
        actor = members[n % len(members)]
        yield {
            "id": entry_id,
            "room_id": room,
            "task_id": first + n % count,
            "actor_id": actor,
            "actor_username": spec.username(actor),
            "kind": "task.updated",
            "data": {"title": f"Edited {n}", "changes": {"priority": ["none", "high"]}},
            "created_at": NOW - timedelta(seconds=spec.long_history - n),
            "outbox_id": None,
        }


def seed(backend, spec: Spec) -> dict:
    """Replace whatever the databases hold with ``spec``'s data set; the new marker."""
    rooms_metadata, tasks_metadata = rooms_tables(), tasks_tables()
    # users, then per room: its row, its members and its revision, then the tasks, then the
    # planning rooms' labels, the labels their tasks carry and their checklists, then the history
    planning_tasks = spec.planning_rooms * spec.tasks_per_room
    rows = (
        len(spec.all_user_ids)
        + len(spec.all_room_ids) * (2 + spec.members_per_room)
        + spec.planners * ROOMS_PER_PLANNER
        + spec.total_tasks
        + spec.planning_rooms * spec.labels_per_room
        + planning_tasks * 3 // 2
        + planning_tasks * spec.checklist_items
        + spec.total_tasks
        + spec.long_history
    )
    progress = Progress(f"seeding the {spec.name} data set", rows)
    rooms_engine, tasks_engine = engine(backend.rooms_url), engine(backend.tasks_url)
    try:
        with tasks_engine.begin() as connection:
            marker_metadata.drop_all(connection)  # first: a half-seeded data set has no marker
            _empty(connection, tasks_metadata)
        with rooms_engine.begin() as connection:
            _empty(connection, rooms_metadata)
            tables = rooms_metadata.tables
            _insert(connection, tables["users"], _users(spec), progress)
            _insert(connection, tables["rooms"], _rooms(spec), progress)
            _insert(connection, tables["user_rooms"], _memberships(spec), progress)
            _restart_ids(connection, rooms_metadata)
        with tasks_engine.begin() as connection:
            tables = tasks_metadata.tables
            _insert(connection, tables["tasks"], _tasks(spec), progress)
            _insert(connection, tables["labels"], _labels(spec), progress)
            _insert(connection, tables["task_labels"], _task_labels(spec), progress)
            _insert(connection, tables["checklist_items"], _checklist_items(spec), progress)
            _insert(connection, tables["activity"], _activity(spec), progress)
            revisions = ({"room_id": r, "revision": spec.task_count(r)} for r in spec.all_room_ids)
            _insert(connection, tables["room_revisions"], revisions, progress)
            _restart_ids(connection, tasks_metadata)
            marker_metadata.create_all(connection)
            marker = {
                "id": 1,
                "spec": spec.fingerprint(),
                "dataset_id": uuid.uuid4().hex,
                "last_task_id": spec.total_tasks,
                "seeded_at": datetime.now().replace(microsecond=0),
            }
            connection.execute(marker_table.insert(), marker)
        if rooms_engine.dialect.name == "postgresql":
            for eng in (rooms_engine, tasks_engine):
                with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("ANALYZE"))  # fresh statistics, as a long-lived database has
        progress.close()
    finally:
        rooms_engine.dispose()
        tasks_engine.dispose()
    return marker
