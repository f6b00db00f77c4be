"""The scenarios: what each one sends (its bench/wrk script) and which rooms, tokens and tasks it
draws from. Every request is made as a member of the room it touches."""

from __future__ import annotations

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
    # "largest" (one big room)
    per_operation: int = 1  # requests that make one user-visible operation (board open: 3)
    writes: bool = False
    etags: bool = False  # needs the ETag the client holds for each board
    slow_clients: int = 0  # connections trickling a header line every 2 s meanwhile (tools/slow_clients.py)


SCENARIOS = (
    Scenario("board_read", "board read, 50 tasks", "board_read"),
    Scenario("board_read_slow_clients", "board read, 200 slow clients open", "board_read", slow_clients=200),
    Scenario("board_read_uncached", "board read, page not cached", "board_read_uncached"),
    Scenario("board_open", "board open (room+members+tasks)", "board_open", per_operation=3),
    Scenario("change_check", "change check, unchanged board", "change_check", etags=True),
    Scenario("first_page_regular", "first page, {regular:,}-task room", "board_read", rooms="one"),
    Scenario("first_page_large", "first page, {large:,}-task room", "board_read", rooms="large"),
    Scenario("first_page_largest", "first page, {largest:,}-task room", "board_read", rooms="largest"),
    Scenario("create_task", "create task", "create_task", writes=True),
    Scenario("move_task", "move task (If-Match)", "move_task", writes=True),
    Scenario("mixed", "mixed 90% read / 10% write", "mixed", writes=True),
)


def label(scenario: Scenario, spec: Spec) -> str:
    return scenario.label.format(regular=spec.tasks_per_room, large=min(spec.big_rooms), largest=max(spec.big_rooms))


def room_ids(scenario: Scenario, spec: Spec) -> list[int]:
    if scenario.rooms == "one":
        return [spec.room_ids[0]]
    if scenario.rooms == "large":
        return [spec.big_room_with(min(spec.big_rooms))]
    if scenario.rooms == "largest":
        return [spec.big_room_with(max(spec.big_rooms))]
    return list(spec.room_ids)


def move_pool(spec: Spec, connections: int) -> list[tuple[int, int, int]]:
    """(room, task id, member) of the tasks the moves may touch: the first few of each regular
    room, enough for every connection to have a few of its own."""
    per_room = min(spec.tasks_per_room, math.ceil(MOVE_POOL_PER_CONNECTION * connections / spec.rooms))
    pool = []
    for room in spec.room_ids:
        members = spec.members(room)
        first = (room - 1) * spec.tasks_per_room + 1  # seeded ids are consecutive, room by room
        pool += [(room, first + n, members[n % len(members)]) for n in range(per_room)]
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
    return LoadData(tokens=tokens, rooms=rooms, tasks=list(moves or []) if scenario.writes else [])


def prime(base_url: str, spec: Spec, tokens: dict[int, str]) -> dict[int, str]:
    """Every member reads every regular board once, and one of them the web client's page too, as
    the members of a team in use do all day: the shared cache then holds what it holds in a running
    TaskSync (memberships, token states, built pages). Returns the ETag of the web client's page
    of each board, which the change check polls with."""
    local = threading.local()

    def read(room: int, member: int, query: str) -> str:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.trust_env = False  # loopback only: never a proxy from the environment
        response = local.session.get(
            f"{base_url}/api/v1/rooms/{room}/tasks{query}",
            headers={
                "Authorization": f"Bearer {tokens[member]}",
                "Accept": "application/json, application/problem+json",
            },
            timeout=30,
        )
        if response.status_code != 200 or not response.headers.get("ETag"):
            raise RuntimeError(f"room {room}: no ETag to poll with ({response.status_code})")
        return response.headers["ETag"]

    def board(room: int) -> str:
        members = spec.members(room)
        for member in members:  # each member's membership and token state
            read(room, member, "")
        return read(room, members[0], "?limit=200")  # a page is the room's, whoever reads it

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(spec.room_ids, pool.map(board, spec.room_ids), strict=True))
