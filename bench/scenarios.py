"""The scenarios: what each one sends (its bench/wrk script) and which rooms, tokens and tasks it
draws from. Every request is made as a member of the room it touches."""

from __future__ import annotations

import contextlib
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from .dataset import Spec
from .load import LoadData, MoveTask, Room

MOVE_POOL_PER_CONNECTION = 4  # tasks per connection for the moves: more than ever wait at once


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    script: str  # bench/wrk/<script>.lua, and its twin in bench/fallback.py
    rooms: str = "regular"  # "regular" (the 50-task boards), "one" (the first of them), "large" or
    # "largest" (one big room), "planning" (the 50-task boards of planning tasks), "column" (the
    # rooms of one 500-task column), "none" (requests about the caller, not a room)
    per_operation: int = 1  # requests that make one user-visible operation (board open: 3)
    writes: bool = False
    etags: bool = False  # needs the ETag the client holds for each board
    slow_clients: int = 0  # connections trickling a header line every 2 s meanwhile (tools/slow_clients.py)
    planners: bool = False  # made as the users who are each a member of ten rooms


SCENARIOS = (
    Scenario("board_read", "board read, 50 tasks", "board_read"),
    Scenario("board_read_planning", "board read, 50 planning tasks", "board_read", rooms="planning"),
    Scenario("board_read_slow_clients", "board read, 200 slow clients open", "board_read", slow_clients=200),
    Scenario("board_read_uncached", "board read, page not cached", "board_read_uncached"),
    Scenario("board_open", "board open (room+members+tasks)", "board_open", per_operation=3),
    Scenario(
        "board_open_planning",
        "board open, planning (+labels)",
        "board_open_planning",
        rooms="planning",
        per_operation=4,
    ),
    Scenario("change_check", "change check, unchanged board", "change_check", etags=True),
    Scenario("first_page_regular", "first page, {regular:,}-task room", "board_read", rooms="one"),
    Scenario("first_page_large", "first page, {large:,}-task room", "board_read", rooms="large"),
    Scenario("first_page_largest", "first page, {largest:,}-task room", "board_read", rooms="largest"),
    Scenario("my_tasks", "my tasks, member of 10 rooms", "my_tasks", rooms="none", planners=True),
    Scenario("room_activity", "room activity, {regular:,}-entry room", "room_activity"),
    Scenario("room_activity_long", "room activity, {history:,}-entry room", "room_activity", rooms="largest"),
    Scenario("create_task", "create task", "create_task", writes=True),
    Scenario("move_task", "move task (If-Match)", "move_task", writes=True),
    Scenario("move_in_column", "move in a {column:,}-task column", "move_in_column", rooms="column", writes=True),
    Scenario("mixed", "mixed 90% read / 10% write", "mixed", writes=True),
)


def label(scenario: Scenario, spec: Spec) -> str:
    return scenario.label.format(
        regular=spec.tasks_per_room,
        large=min(spec.big_rooms),
        largest=max(spec.big_rooms),
        column=spec.column_tasks,
        history=max(spec.big_rooms) + spec.long_history,
    )


def room_ids(scenario: Scenario, spec: Spec) -> list[int]:
    if scenario.rooms == "none":
        return []
    if scenario.rooms == "planning":
        return list(spec.planning_room_ids)
    if scenario.rooms == "column":
        return list(spec.column_room_ids)
    if scenario.rooms == "one":
        return [spec.room_ids[0]]
    if scenario.rooms == "large":
        return [spec.big_room_with(min(spec.big_rooms))]
    if scenario.rooms == "largest":
        return [spec.big_room_with(max(spec.big_rooms))]
    return list(spec.room_ids)


def move_pool(scenario: Scenario, spec: Spec, connections: int) -> list[tuple[int, int, int, int, int]]:
    """(room, task id, member, first, last) of the tasks ``scenario``'s moves may touch: enough
    for every connection to have a few of its own. In a regular room, its first few tasks (first
    and last 0); in a column room, the tasks after its first (which stays put: the moves go after
    it), with the ids of the column's first and last tasks, taken room after room in turn so that
    moves in flight spread over the rooms."""
    if scenario.rooms == "column":
        rooms = spec.column_room_ids
        per_room = min(spec.column_tasks - 1, math.ceil(MOVE_POOL_PER_CONNECTION * connections / len(rooms)))
        columns = {room: spec.first_task_id(room) for room in rooms}
        return [
            (room, first + n, spec.members(room)[n % spec.members_per_room], first, first + spec.column_tasks - 1)
            for n in range(1, per_room + 1)
            for room, first in columns.items()
        ]
    per_room = min(spec.tasks_per_room, math.ceil(MOVE_POOL_PER_CONNECTION * connections / spec.rooms))
    pool = []
    for room in spec.room_ids:
        members = spec.members(room)
        first = spec.first_task_id(room)
        pool += [(room, first + n, members[n % len(members)], 0, 0) for n in range(per_room)]
    return pool


def load_data(
    scenario: Scenario,
    spec: Spec,
    tokens: dict[int, str],
    etags: dict[int, str] | None = None,
    moves: list[MoveTask] | None = None,
) -> LoadData:
    """What ``scenario``'s requests are drawn from."""
    rooms = [Room(r, spec.members(r), (etags or {}).get(r)) for r in room_ids(scenario, spec)]
    return LoadData(
        tokens=tokens,
        rooms=rooms,
        tasks=list(moves or []) if scenario.writes else [],
        users=list(spec.planner_ids) if scenario.planners else [],
    )


def read_histories(base_url: str, spec: Spec, tokens: dict[int, str], rooms: list[int]) -> None:
    """Each room's history read once (its first page, by its owner), as a team that looks at it
    does: the pages its scenario reads are built, as the boards' are by ``prime``."""
    read = _reader(base_url, tokens)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda room: read(f"/api/v1/rooms/{room}/activity", spec.members(room)[0]), rooms))


def drain(base_url: str, spec: Spec, tokens: dict[int, str]) -> None:
    """Wait until the requests a load run cut off have been answered: one request through the
    gateway, the tasks and the rooms service, queued behind them. Else a slow scenario's backlog
    (my tasks, on a busy machine) eats into the next scenario's measured seconds."""
    user = next(iter(spec.planner_ids), 1)
    session = requests.Session()
    session.trust_env = False  # loopback only: never a proxy from the environment
    with contextlib.suppress(requests.RequestException):  # best effort: the next run measures anyway
        session.get(
            f"{base_url}/api/v1/users/me/tasks?limit=1",
            headers={"Authorization": f"Bearer {tokens[user]}"},
            timeout=60,
        )
    session.close()


def _share(room: int, groups: tuple[range, ...]) -> float:
    """How far into its group ``room`` is, from 0 to 1."""
    group = next(g for g in groups if room in g)
    return group.index(room) / len(group)


def _reader(base_url: str, tokens: dict[int, str]):
    """A function that GETs a path as a member (one session per thread) and returns its ETag."""
    local = threading.local()

    def read(path: str, member: int) -> str:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.trust_env = False  # loopback only: never a proxy from the environment
        response = local.session.get(
            f"{base_url}{path}",
            headers={
                "Authorization": f"Bearer {tokens[member]}",
                "Accept": "application/json, application/problem+json",
            },
            timeout=30,
        )
        if response.status_code != 200 or not response.headers.get("ETag"):
            raise RuntimeError(f"{path}: no ETag to poll with ({response.status_code})")
        return response.headers["ETag"]

    return read


def board_etags(
    base_url: str, spec: Spec, tokens: dict[int, str], rooms: list[int], query: str = "?limit=200"
) -> dict[int, str]:
    """The ETag of each of ``rooms``' tasks page ``query`` as it is now (read by its owner): by
    default the web client's page, what a board opened now polls with."""
    read = _reader(base_url, tokens)
    with ThreadPoolExecutor(max_workers=4) as pool:
        etags = pool.map(lambda room: read(f"/api/v1/rooms/{room}/tasks{query}", spec.members(room)[0]), rooms)
        return dict(zip(rooms, etags, strict=True))


def prime(base_url: str, spec: Spec, tokens: dict[int, str]) -> dict[int, str]:
    """Every member reads every board but the big ones once, and one of them the web client's page too, as
    the members of a team in use do all day: the shared cache then holds what it holds in a running
    TaskSync (memberships, token states, built pages). Returns the ETag of the web client's page
    of each regular board, which the change check polls with."""
    reader = _reader(base_url, tokens)

    def read(room: int, member: int, query: str) -> str:
        return reader(f"/api/v1/rooms/{room}/tasks{query}", member)

    def board(room: int) -> str:
        members = spec.members(room)
        for member in members:  # each member's membership and token state
            read(room, member, "")
        return read(room, members[0], "?limit=200")  # a page is the room's, whoever reads it

    # Interleaved, so that the pages of either kind of board are as old when their scenarios run
    # (a page not read for two minutes leaves the cache: board_access.PAGE_TTL); then the column
    # rooms, for their members' memberships.
    groups = (spec.room_ids, spec.planning_room_ids)
    boards = sorted((r for group in groups for r in group), key=lambda r: _share(r, groups))
    boards += spec.column_room_ids
    with ThreadPoolExecutor(max_workers=4) as pool:
        etags = dict(zip(boards, pool.map(board, boards), strict=True))
    return {room: etags[room] for room in spec.room_ids}
