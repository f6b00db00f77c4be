"""The calendar feed (docs/api.md, "Calendar"): its address made, replaced, read and turned off;
the feed read with no token, as iCalendar that two independent parsers (icalendar, vobject)
read alike; bad secrets of every shape a 404, guesses throttled per client address; and no log
line of any service holding a secret.

The stack is this module's own: a public URL of its own (the feed's links must come from it,
never from the request's Host), one trusted proxy so that each test guesses from an address of
its own, and a small guess limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject

from tests.conftest import Client, _backends, running_stack
from tests.contract.helpers import join, make_room, ok, problem

PUBLIC_URL = "https://tasks.example.test"
GUESS_LIMIT = 6
SETTINGS = {
    "TASKSYNC_PUBLIC_URL": PUBLIC_URL,
    "TASKSYNC_TRUSTED_PROXIES": "1",
    "TASKSYNC_SECRET_GUESS_LIMIT_PER_ADDRESS": f"{GUESS_LIMIT} per 15 minutes",
}
FEED = re.compile(r"^https://tasks\.example\.test/api/v1/calendar/([A-Za-z0-9_-]{43})\.ics$")
_addresses = iter(range(1, 250))


@pytest.fixture(scope="module", params=_backends())
def stack(request, tmp_path_factory):
    with running_stack(tmp_path_factory, request.param, SETTINGS) as started:
        yield started


def address() -> dict:
    """A client address (X-Forwarded-For) no other test guesses from."""
    return {"X-Forwarded-For": f"198.51.100.{next(_addresses)}"}


def make_feed(person: Client) -> str:
    """The path of a new feed of ``person`` (the URL's own host is the public one)."""
    made = person.post("/api/v1/users/me/calendar")
    body = ok(made)
    assert made.headers["Cache-Control"] == "no-store"
    assert set(body) == {"url", "created_at"} and FEED.match(body["url"]), body
    return urlsplit(body["url"]).path


def fetch(stack, path: str, headers: dict | None = None):
    return Client(stack.url).get(path, headers=headers or address())


def feed_of(stack, path: str) -> icalendar.Calendar:
    answer = fetch(stack, path)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer.headers["Cache-Control"] == "no-store"
    return icalendar.Calendar.from_ical(answer.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def task_in(person: Client, room: dict, **fields) -> dict:
    return ok(person.post(f"/api/v1/rooms/{room['id']}/tasks", json=fields), 201)


def due(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_made_read_replaced_and_turned_off(stack, owner, anonymous):
    first = make_feed(owner)
    shown = owner.get("/api/v1/users/me/calendar")
    assert ok(shown)["url"] is None and shown.headers["Cache-Control"] == "no-store"  # never shown again
    assert feed_of(stack, first)
    second = make_feed(owner)
    assert second != first
    problem(fetch(stack, first), 404)  # the old address is gone at once
    assert feed_of(stack, second)
    ok(owner.delete("/api/v1/users/me/calendar"), 204)
    problem(fetch(stack, second), 404)
    problem(owner.get("/api/v1/users/me/calendar"), 404)
    ok(owner.delete("/api/v1/users/me/calendar"), 204)  # off already: still 204
    for method in ("GET", "POST", "DELETE"):
        assert anonymous.request(method, "/api/v1/users/me/calendar").status_code == 401


def test_the_feed_as_two_parsers_read_it(stack, owner, member, team):
    title = 'Ship, then; rest: \\ "done" 🎉 Завдання №1'
    mine = task_in(owner, team, title=title, due_at=due(30), status="in progress")
    done = task_in(owner, team, title="Finished", due_at=due(-2), status="completed")
    task_in(owner, team, title="No due time")
    task_in(owner, team, title="Someone else's", due_at=due(5), user_id=member.user["id"])
    task_in(owner, team, title="Long past", due_at="2026-01-01T09:00:00Z")
    path = make_feed(owner)
    answer = fetch(stack, path)
    assert answer.status_code == 200

    calendar = icalendar.Calendar.from_ical(answer.content)
    assert (str(calendar["VERSION"]), str(calendar["CALSCALE"])) == ("2.0", "GREGORIAN")
    assert str(calendar["PRODID"]) and str(calendar["X-WR-CALNAME"]) == f"TaskSync: {owner.user['username']}"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in answer.content and b"X-PUBLISHED-TTL:PT1H" in answer.content
    found = events(calendar)
    assert set(found) == {f"task-{mine['id']}@tasks.example.test", f"task-{done['id']}@tasks.example.test"}
    event = found[f"task-{mine['id']}@tasks.example.test"]
    assert str(event["SUMMARY"]) == title
    assert str(event["URL"]) == f"{PUBLIC_URL}/#/rooms/{team['id']}/tasks/{mine['id']}"
    # Titles hold no line breaks (the API refuses control characters); the description has one.
    assert str(event["DESCRIPTION"]) == f"Status: In progress\n{event['URL']}"
    assert event.decoded("DTSTART") == datetime.fromisoformat(mine["due_at"])
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    assert event.decoded("LAST-MODIFIED") == datetime.fromisoformat(mine["updated_at"])
    assert int(event["SEQUENCE"]) == mine["version"] and "DTSTAMP" in event
    assert str(found[f"task-{done['id']}@tasks.example.test"]["SUMMARY"]) == "✓ Finished"

    second = vobject.readOne(answer.content.decode("utf-8"))  # an independent parser, alike
    by_uid = {item.uid.value: item for item in second.vevent_list}
    assert set(by_uid) == set(found)
    other = by_uid[f"task-{mine['id']}@tasks.example.test"]
    assert other.summary.value == title
    assert other.dtstart.value == datetime.fromisoformat(mine["due_at"])
    assert other.url.value == str(event["URL"]) and other.description.value == str(event["DESCRIPTION"])
    assert second.contents["x-wr-calname"][0].value == f"TaskSync: {owner.user['username']}"


def test_uids_stay_while_the_task_changes(stack, owner, team):
    task = task_in(owner, team, title="Before", due_at=due(48))
    path = make_feed(owner)
    uid = f"task-{task['id']}@tasks.example.test"
    before = events(feed_of(stack, path))[uid]
    assert events(feed_of(stack, path))[uid]["UID"] == before["UID"]  # a second fetch: the same
    changed = ok(owner.patch(f"/api/v1/rooms/{team['id']}/tasks/{task['id']}", json={"title": "After, at last; Ω"}))
    after = events(feed_of(stack, path))[uid]
    assert str(after["SUMMARY"]) == "After, at last; Ω"
    assert int(after["SEQUENCE"]) == changed["version"] == int(before["SEQUENCE"]) + 1


def test_only_the_rooms_one_is_in_now(stack, owner, member, team):
    other_room = make_room(owner)
    join(member, other_room)
    staying = task_in(owner, team, title="Stays", due_at=due(10), user_id=member.user["id"])
    leaving = task_in(owner, other_room, title="Goes", due_at=due(10), user_id=member.user["id"])
    path = make_feed(member)
    uids = set(events(feed_of(stack, path)))
    assert {f"task-{staying['id']}@tasks.example.test", f"task-{leaving['id']}@tasks.example.test"} <= uids
    ok(member.delete(f"/api/v1/rooms/{other_room['id']}/members/{member.user['id']}"), 204)
    uids = set(events(feed_of(stack, path)))  # the very next read
    assert f"task-{staying['id']}@tasks.example.test" in uids
    assert f"task-{leaving['id']}@tasks.example.test" not in uids


@pytest.mark.parametrize(
    "tail",
    [
        "x.ics",
        ".ics",
        "A" * 43,  # a secret's shape without .ics
        "A" * 43 + ".ICS",
        "A" * 43 + ".ics",
        "A" * 42 + ".ics",
        "A" * 44 + ".ics",
        "A" * 43 + ".ics.ics",
        "A" * 3000 + ".ics",
        "%D0%96" * 43 + ".ics",
        "%00" * 43 + ".ics",
        "%F0%9F%8E%89.ics",
        "%ED%A0%80.ics",  # a lone surrogate's bytes
        "AAAA%2FAAAA.ics",  # a slash, once decoded: two segments
        "A" * 43 + "/x.ics",
        "'%22%3C.ics",
    ],
)
def test_bad_secrets_of_every_shape_are_404(stack, tail):
    problem(fetch(stack, f"/api/v1/calendar/{tail}"), 404)


def test_guesses_are_throttled_per_client_address(stack, owner):
    path = make_feed(owner)
    guesser = address()
    wrong = "/api/v1/calendar/" + "B" * 43 + ".ics"
    for _ in range(GUESS_LIMIT - 1):
        problem(fetch(stack, wrong, guesser), 404)
    assert Client(stack.url).request("HEAD", wrong, headers=guesser).status_code == 404  # counted too
    refused = fetch(stack, path, guesser)  # even the right address, from this one
    problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert feed_of(stack, path)  # another address is not held up


def test_no_log_holds_a_secret(stack, owner, team):
    task_in(owner, team, title="Logged?", due_at=due(3))
    path = make_feed(owner)
    secret = FEED.match(PUBLIC_URL + path)[1]
    assert feed_of(stack, path)
    problem(fetch(stack, path.replace(".ics", "")), 404)
    logs = {log.name: log.read_text(errors="replace") for log in stack.log_dir.glob("*.log")}
    assert {"gateway.log", "rooms.log", "tasks.log"} <= set(logs)
    assert all(secret not in text and secret[4:20] not in text for text in logs.values())
    cut = f"/api/v1/calendar/{secret[:4]}\\u2026"
    assert cut in logs["gateway.log"] and cut in logs["tasks.log"]  # the access lines, cut
