"""The data set the benchmark runs on: which users, rooms and tasks exist, and who is in which room.

Ids are fixed (users 1..N then the planners, rooms 1..M, then the big rooms, the planning rooms and
the column rooms), so the load scripts, pgbench and the seeding agree without asking the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

PASSWORD = "bench password 1"  # every seeded user's; hashed once with the rooms service's hasher
ROOMS_PER_PLANNER = 10  # the `my tasks` read is that of a member of this many rooms


@dataclass(frozen=True)
class Spec:
    """How much to seed."""

    name: str
    rooms: int  # regular rooms, the board-read population
    tasks_per_room: int
    users: int
    members_per_room: int  # the owner included
    big_rooms: tuple[int, ...]  # task counts of the extra, larger rooms
    # Rooms of tasks_per_room tasks with due dates, priorities, labels and checklists.
    planning_rooms: int = 0
    labels_per_room: int = 6  # of a planning room
    checklist_items: int = 5  # on every task of a planning room
    # Users beside the regular ones, each a member of ROOMS_PER_PLANNER planning rooms (one
    # planner per room at most), with a fifth of those rooms' tasks assigned to them.
    planners: int = 0
    column_rooms: int = 0  # rooms whose tasks all stand in one column, for the moves in it
    column_tasks: int = 500
    # History entries of the largest room beyond one per task (every task has its task.created).
    long_history: int = 0

    def __post_init__(self) -> None:
        if self.planners * ROOMS_PER_PLANNER > self.planning_rooms:
            raise ValueError("every planner needs rooms of their own")

    @property
    def room_ids(self) -> range:
        """The regular rooms."""
        return range(1, self.rooms + 1)

    def big_room_id(self, index: int) -> int:
        """Id of the ``index``-th big room (0-based)."""
        return self.rooms + 1 + index

    def big_room_with(self, tasks: int) -> int:
        """Id of the first big room holding ``tasks`` tasks."""
        return self.big_room_id(self.big_rooms.index(tasks))

    @property
    def planning_room_ids(self) -> range:
        first = self.rooms + len(self.big_rooms) + 1
        return range(first, first + self.planning_rooms)

    @property
    def column_room_ids(self) -> range:
        first = self.planning_room_ids.stop
        return range(first, first + self.column_rooms)

    @property
    def all_room_ids(self) -> range:
        return range(1, self.column_room_ids.stop)

    def is_planning(self, room_id: int) -> bool:
        return room_id in self.planning_room_ids

    def task_count(self, room_id: int) -> int:
        """How many tasks ``room_id`` is seeded with."""
        if room_id in self.column_room_ids:
            return self.column_tasks
        if self.rooms < room_id <= self.rooms + len(self.big_rooms):
            return self.big_rooms[room_id - self.rooms - 1]
        return self.tasks_per_room

    def first_task_id(self, room_id: int) -> int:
        """Seeded task ids are consecutive, room by room."""
        before = range(1, room_id)
        if room_id <= self.rooms:
            return (room_id - 1) * self.tasks_per_room + 1
        return sum(self.task_count(r) for r in before) + 1

    @property
    def history_room_id(self) -> int:
        """The room with the long history: the largest."""
        return self.big_room_with(max(self.big_rooms))

    @property
    def total_tasks(self) -> int:
        return sum(self.task_count(r) for r in self.all_room_ids)

    @property
    def planner_ids(self) -> range:
        return range(self.users + 1, self.users + self.planners + 1)

    @property
    def all_user_ids(self) -> range:
        return range(1, self.planner_ids.stop)

    def planner_of(self, room_id: int) -> int | None:
        """The planner who is a member of planning room ``room_id``, if any."""
        if not self.is_planning(room_id):
            return None
        index = (room_id - self.planning_room_ids.start) // ROOMS_PER_PLANNER
        return self.users + 1 + index if index < self.planners else None

    def members(self, room_id: int) -> list[int]:
        """User ids of the room's members, its owner first; spread so every user is in as many
        rooms (a planning room may have its planner as well, last)."""
        step = self.users // self.members_per_room
        first = (room_id - 1) % self.users
        regular = [(first + k * step) % self.users + 1 for k in range(self.members_per_room)]
        planner = self.planner_of(room_id)
        return regular + ([planner] if planner else [])

    @staticmethod
    def username(user_id: int) -> str:
        return f"bench_user_{user_id:04d}"

    def fingerprint(self) -> str:
        """What the marker row stores: a data set is reused only when this matches."""
        return json.dumps(asdict(self), sort_keys=True)


FULL = Spec(
    "full",
    rooms=1000,
    tasks_per_room=50,
    users=100,
    members_per_room=4,
    big_rooms=(500, 500, 5000),
    # A cached read costs the same whatever the number of rooms: 250 keep the seeding and the
    # priming short (the 20 planners' 200 rooms, and more).
    planning_rooms=250,
    planners=20,
    column_rooms=32,  # one per connection: as many rooms as the moves of today's scenario touch at once
    long_history=100_000,
)
# Big rooms of 500 and 1,000 stand in for 500 and 5,000: the same scenarios, on a second's data.
SMOKE = Spec(
    "smoke",
    rooms=20,
    tasks_per_room=50,
    users=8,
    members_per_room=4,
    big_rooms=(500, 1000),
    planning_rooms=20,
    planners=2,
    column_rooms=2,
    long_history=2_000,
)
