"""The calendar feed inside the tasks service: read without a token, it decides who is still in
a room by the room ids the rooms service published (while the shared cache holds them), else by
the membership entries the rooms service delivered into each room's history."""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
import pytest

from tasksync_common.assigned_access import rooms_key
from tasksync_common.cache import cache

from .test_activity import deliver, entry

STAYING, LEAVING = 9, 10
BOB = 2


@pytest.fixture
def bob(people):
    people(1, {STAYING: "owner", LEAVING: "owner"})
    return people(BOB, {STAYING: "member", LEAVING: "member"})


def _feed_uids(client, path: str) -> set[str]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return {str(event["UID"]).split("@")[0] for event in icalendar.Calendar.from_ical(answer.data).walk("VEVENT")}


def _task(client, who, room: int) -> int:
    made = client.post(
        f"/api/v1/rooms/{room}/tasks", json={"title": "t", "due_at": "2099-01-01T10:00:00Z"}, headers=who
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def test_departures_delivered_into_the_history_take_the_room_out(client, bob):
    cache.delete(rooms_key(BOB))  # nothing published: the history decides
    stays, goes = _task(client, bob, STAYING), _task(client, bob, LEAVING)
    path = urlsplit(client.post("/api/v1/users/me/calendar", headers=bob).get_json()["url"]).path
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert deliver(client, [entry(101, "member.joined", BOB)], room=LEAVING).status_code == 204
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert (
        deliver(client, [entry(102, "member.left", BOB), entry(103, "member.joined", 3)], room=LEAVING).status_code
        == 204
    )
    assert _feed_uids(client, path) == {f"task-{stays}"}
    assert deliver(client, [entry(104, "member.joined", BOB)], room=LEAVING).status_code == 204  # back again
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    assert deliver(client, [entry(105, "member.removed", BOB)], room=LEAVING).status_code == 204
    assert _feed_uids(client, path) == {f"task-{stays}"}


def test_the_published_rooms_decide_while_cached(client, bob):
    stays, goes = _task(client, bob, STAYING), _task(client, bob, LEAVING)
    path = urlsplit(client.post("/api/v1/users/me/calendar", headers=bob).get_json()["url"]).path
    cache.set(rooms_key(BOB), [STAYING])  # as the rooms service publishes them at a leave
    assert _feed_uids(client, path) == {f"task-{stays}"}
    cache.set(rooms_key(BOB), [STAYING, LEAVING])
    assert _feed_uids(client, path) == {f"task-{stays}", f"task-{goes}"}
    cache.delete(rooms_key(BOB))
