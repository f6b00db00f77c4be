"""The data set the benchmark runs on: which users, rooms and tasks exist, and who is in which room.

Ids are fixed (users 1..N, rooms 1..M, big rooms after the regular ones), so the load scripts,
pgbench and the seeding agree without asking the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

PASSWORD = "bench password 1"  # every seeded user's; hashed once with the rooms service's hasher


@dataclass(frozen=True)
class Spec:
    """How much to seed."""

    name: str
    rooms: int  # regular rooms, the board-read population
    tasks_per_room: int
    users: int
    members_per_room: int  # the owner included
    big_rooms: tuple[int, ...]  # task counts of the extra, larger rooms

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
    def all_room_ids(self) -> range:
        return range(1, self.rooms + len(self.big_rooms) + 1)

    def task_count(self, room_id: int) -> int:
        """How many tasks ``room_id`` is seeded with."""
        return self.tasks_per_room if room_id <= self.rooms else self.big_rooms[room_id - self.rooms - 1]

    @property
    def total_tasks(self) -> int:
        return self.rooms * self.tasks_per_room + sum(self.big_rooms)

    def members(self, room_id: int) -> list[int]:
        """User ids of the room's members, its owner first; spread so every user is in as many rooms."""
        step = self.users // self.members_per_room
        first = (room_id - 1) % self.users
        return [(first + k * step) % self.users + 1 for k in range(self.members_per_room)]

    @staticmethod
    def username(user_id: int) -> str:
        return f"bench_user_{user_id:04d}"

    def fingerprint(self) -> str:
        """What the marker row stores: a data set is reused only when this matches."""
        return json.dumps(asdict(self), sort_keys=True)


FULL = Spec("full", rooms=1000, tasks_per_room=50, users=100, members_per_room=4, big_rooms=(500, 500, 5000))
# Big rooms of 500 and 1,000 stand in for 500 and 5,000: the same scenarios, on a second's data.
SMOKE = Spec("smoke", rooms=20, tasks_per_room=50, users=8, members_per_room=4, big_rooms=(500, 1000))
