"""A page of the board reads its tasks' labels and checklists in one query each, however many
tasks it holds (the board read is the hot path)."""

import contextlib

import pytest
from sqlalchemy import event

ROOM = 8
TASKS = f"/api/v1/rooms/{ROOM}/tasks"


@pytest.fixture
def alice(people):
    return people(1, {ROOM: "owner"})


@contextlib.contextmanager
def statements(db):
    """The SQL statements run meanwhile, in order."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("count", [1, 7, 30])
def test_one_query_each_for_labels_and_checklists(client, db, alice, count):
    labels = [
        client.post(f"/api/v1/rooms/{ROOM}/labels", json={"name": f"l{n}", "color": "#000000"}, headers=alice)
        for n in range(3)
    ]
    label_ids = [response.get_json()["id"] for response in labels]
    for number in range(count):
        task = client.post(TASKS, json={"title": f"t{number}", "label_ids": label_ids}, headers=alice).get_json()
        response = client.post(f"{TASKS}/{task['id']}/checklist", json={"text": "step"}, headers=alice)
        assert response.status_code == 201
    with statements(db) as seen:
        page = client.get(f"{TASKS}?limit=200", headers=alice).get_json()
    assert len(page["items"]) == count
    assert all(t["label_ids"] == label_ids and len(t["checklist"]) == 1 for t in page["items"])
    assert sum("task_labels" in s for s in seen) == 1, seen
    assert sum("checklist_items" in s for s in seen) == 1, seen
