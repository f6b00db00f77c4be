"""The benchmark's data set as the seeding writes it, checked without a database: the fixed ids
the load scripts rely on, the planners' ten rooms, and the planning and column rooms' rows."""

from collections import Counter, defaultdict

import pytest

from bench import seed
from bench.dataset import FULL, ROOMS_PER_PLANNER, SMOKE, Spec


@pytest.mark.parametrize("spec", [SMOKE, FULL], ids=lambda spec: spec.name)
def test_each_planner_is_a_member_of_ten_planning_rooms_and_assigned_tasks_in_each(spec: Spec):
    rooms_of = defaultdict(list)
    for room in spec.all_room_ids:
        members = spec.members(room)
        assert len(set(members)) == len(members)
        for user in members:
            rooms_of[user].append(room)
    for planner in spec.planner_ids:
        assert len(rooms_of[planner]) == ROOMS_PER_PLANNER
        assert all(spec.is_planning(room) for room in rooms_of[planner])
    assert set(rooms_of) == set(spec.all_user_ids)


def test_seeded_rows_match_the_ids_the_scenarios_compute():
    spec = SMOKE
    tasks = list(seed._tasks(spec))
    assert [t["id"] for t in tasks] == list(range(1, spec.total_tasks + 1))
    by_room = defaultdict(list)
    for task in tasks:
        by_room[task["room_id"]].append(task)
        assert task["user_id"] in spec.members(task["room_id"])
    for room in spec.all_room_ids:
        ids = [t["id"] for t in by_room[room]]
        assert ids == list(range(spec.first_task_id(room), spec.first_task_id(room) + spec.task_count(room)))
        columns = Counter((t["status"], t["position"]) for t in by_room[room])
        assert max(columns.values()) == 1  # no two tasks of a column at one position
    for room in spec.column_room_ids:
        assert {t["status"] for t in by_room[room]} == {"pending"} and len(by_room[room]) == spec.column_tasks
    planning = [t for room in spec.planning_room_ids for t in by_room[room]]
    assert sum(t["due_at"] is not None for t in planning) == len(planning) * 4 // 5
    assigned = Counter(t["user_id"] for t in planning)
    assert all(assigned[p] == ROOMS_PER_PLANNER * spec.tasks_per_room // 5 for p in spec.planner_ids)


def test_planning_tasks_carry_labels_of_their_own_room_and_five_item_checklists():
    spec = SMOKE
    label_room = {label["id"]: label["room_id"] for label in seed._labels(spec)}
    assert len(label_room) == spec.planning_rooms * spec.labels_per_room
    room_of = {t["id"]: t["room_id"] for t in seed._tasks(spec)}
    links = list(seed._task_labels(spec))
    assert len({(link["task_id"], link["label_id"]) for link in links}) == len(links)
    assert all(label_room[link["label_id"]] == room_of[link["task_id"]] for link in links)
    assert max(Counter(link["task_id"] for link in links).values()) <= 10
    items = Counter(item["task_id"] for item in seed._checklist_items(spec))
    planning = {t for t, room in room_of.items() if spec.is_planning(room)}
    assert set(items) == planning and set(items.values()) == {spec.checklist_items}
