"""Reminders through the gateway: the settings (defaults, each class of bad input), which
reminders each task change arms and disarms, reminders that really fire (as notifications, and
as mails for the rooms service's mailer to pull), and the unsubscribe link.

The stack runs with TASKSYNC_REMINDER_MINUTE_SECONDS=1: an offset's minute lasts a second, so a
reminder five "minutes" before a due time fires five seconds before it. Which reminders are armed
is not part of the API; the tests read it from the tasks service's database (``armed``). On
PostgreSQL a second replica of the tasks service runs too (its workers fire reminders from the
same database), and one test kills the first with SIGKILL while reminders are due: each fires
exactly once all the same."""

from __future__ import annotations

import secrets
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import create_engine, text

from tasksync_common.config import database_url
from tasksync_common.signing import INTERNAL_AUDIENCE, Signer
from tests.conftest import Client, running_stack, wait_until
from tests.contract.helpers import join, make_room, make_task, ok, problem, sign_up
from tests.event_stream import EventStream
from tools.databases import postgres_base_url
from tools.stack import free_port

SECRET = secrets.token_urlsafe(48)
REMINDERS = "/api/v1/users/me/reminders"
DEFAULTS = {"before_due": [1440], "overdue": True, "email": False}


@pytest.fixture(scope="module", params=["sqlite", "postgres"] if postgres_base_url() else ["sqlite"])
def stack(request, tmp_path_factory):
    env = {
        "TASKSYNC_REMINDER_MINUTE_SECONDS": "1",
        "TASKSYNC_SECRET_KEY": SECRET,  # to sign the rooms service's tokens for the internal routes
        "TASKSYNC_TRUSTED_PROXIES": "1",  # each guessing test comes from an address of its own
        "TASKSYNC_SECRET_GUESS_LIMIT_PER_ADDRESS": "5 per 15 minutes",
        # The rooms service's mailer would pull (and take) the pending mails these tests look at:
        # it waits 50 minutes here (tests/production/test_mail_replicas.py follows mails to the end).
        "TASKSYNC_MAIL_POLL_INTERVAL": "3000",
    }
    with running_stack(tmp_path_factory, request.param, env) as started:
        if request.param == "postgres":  # a second replica of the tasks service: four reminder workers in all
            started.start_service("tasks", replica="2", TASKS_PORT=str(free_port()))
            started.wait_ready()
        url = started.env.get("TASKS_DATABASE_URL") or f"sqlite:///{started.env['TASKSYNC_DATA_DIR']}/tasks.sqlite3"
        started.tasks_db = create_engine(database_url(url))
        yield started
        started.tasks_db.dispose()


@pytest.fixture(scope="module")
def people(stack):
    return [sign_up(stack.url) for _ in range(3)]


def at(seconds: float) -> str:
    """A due time ``seconds`` from now, as the API takes it."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def armed(stack, task_id: int) -> set[tuple]:
    """The task's armed reminders: (user id, kind, offset)."""
    with stack.tasks_db.connect() as connection:
        rows = connection.execute(
            text("SELECT user_id, kind, offset_minutes FROM reminders WHERE task_id = :task AND state = 'armed'"),
            {"task": task_id},
        )
        return {tuple(row) for row in rows}


def choose(person: Client, before_due=(60, 120), overdue=True, email=False) -> dict:
    return ok(person.put(REMINDERS, json={"before_due": list(before_due), "overdue": overdue, "email": email}))


def service_headers() -> dict:
    token, _ = Signer(SECRET).issue("service:rooms", INTERNAL_AUDIENCE, 60)
    return {"Authorization": f"Bearer {token}"}


def pending(stack, limit: int = 200) -> list[dict]:
    url = f"{stack.service_urls['tasks']}/internal/v1/mail/pending?limit={limit}"
    return ok(requests.get(url, headers=service_headers(), timeout=10))["mails"]


def mark_taken(stack, message_ids: list[str]) -> requests.Response:
    url = f"{stack.service_urls['tasks']}/internal/v1/mail/taken"
    return requests.post(url, json={"message_ids": message_ids}, headers=service_headers(), timeout=10)


def notifications_of(person: Client, kind: str, task_id: int) -> list[dict]:
    items = ok(person.get("/api/v1/notifications?limit=200"))["items"]
    return [item for item in items if item["kind"] == kind and item["task_id"] == task_id]


# Settings


def test_defaults_then_saved_as_given(stack):
    person = sign_up(stack.url)
    assert ok(person.get(REMINDERS)) == DEFAULTS
    saved = ok(person.put(REMINDERS, json={"before_due": [1440, 5, 20160], "overdue": False, "email": True}))
    assert saved == {"before_due": [5, 1440, 20160], "overdue": False, "email": True}
    assert ok(person.get(REMINDERS)) == saved
    assert ok(person.put(REMINDERS, json={"before_due": [], "overdue": True, "email": False}))["before_due"] == []


@pytest.mark.parametrize(
    "body, field",  # an offset's error names its place in the list
    [
        ({"before_due": [5, 10, 15, 20, 25, 30], "overdue": True, "email": False}, "before_due"),  # six offsets
        ({"before_due": [4], "overdue": True, "email": False}, "before_due.0"),
        ({"before_due": [20161], "overdue": True, "email": False}, "before_due.0"),
        ({"before_due": [60, 60], "overdue": True, "email": False}, "before_due"),  # duplicates: refused
        ({"before_due": ["60"], "overdue": True, "email": False}, "before_due.0"),
        ({"before_due": [60.5], "overdue": True, "email": False}, "before_due.0"),
        ({"before_due": [True], "overdue": True, "email": False}, "before_due.0"),
        ({"before_due": 60, "overdue": True, "email": False}, "before_due"),
        ({"before_due": None, "overdue": True, "email": False}, "before_due"),
        ({"overdue": True, "email": False}, "before_due"),
        ({"before_due": [60], "overdue": "yes", "email": False}, "overdue"),
        ({"before_due": [60], "overdue": True, "email": 1}, "email"),
        ({"before_due": [60], "overdue": True}, "email"),
        ({"before_due": [60], "overdue": True, "email": False, "sms": True}, "sms"),
    ],
)
def test_bad_settings_are_422_naming_the_field(people, body, field):
    person = people[2]
    before = ok(person.get(REMINDERS))
    problem(person.put(REMINDERS, json=body), 422, field)
    assert ok(person.get(REMINDERS)) == before


def test_settings_need_a_token(stack):
    anonymous = Client(stack.url)
    problem(anonymous.get(REMINDERS), 401)
    problem(anonymous.put(REMINDERS, json=DEFAULTS), 401)
    problem(sign_up(stack.url).put(REMINDERS, data="[]", headers={"Content-Type": "application/json"}), 400)


# Arming and disarming


def test_a_due_time_arms_the_offsets_still_ahead_and_overdue(stack, people):
    owner = people[0]
    choose(owner, before_due=(60, 120, 20160))
    room = make_room(owner)
    far = make_task(owner, room["id"], title="Far", due_at=at(3 * 3600))
    assert armed(stack, far["id"]) == {
        (owner.user["id"], "due_soon", 60),
        (owner.user["id"], "due_soon", 120),
        (owner.user["id"], "overdue", 0),
    }  # 20160 "minutes" before a due time three hours away had passed already
    soon = make_task(owner, room["id"], title="Soon", due_at=at(90))
    assert armed(stack, soon["id"]) == {(owner.user["id"], "due_soon", 60), (owner.user["id"], "overdue", 0)}
    # An old task (an import, say) is reminded of nothing, not even that it is overdue.
    old = make_task(owner, room["id"], title="Old", due_at=at(-3600))
    assert armed(stack, old["id"]) == set()
    assert armed(stack, make_task(owner, room["id"], title="No due time")["id"]) == set()
    for task in (far, soon, old):
        ok(owner.delete(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"), 204)
    assert armed(stack, far["id"]) == armed(stack, soon["id"]) == set()


def test_every_change_that_decides_arms_anew(stack, people):
    owner, member = people[0], people[1]
    choose(owner, before_due=(60,), overdue=False)
    choose(member, before_due=(120,), overdue=True)
    room = make_room(owner)
    join(member, room)
    path = f"/api/v1/rooms/{room['id']}/tasks"
    task = make_task(owner, room["id"], title="Plan", due_at=at(3600))
    mine = {(owner.user["id"], "due_soon", 60)}
    assert armed(stack, task["id"]) == mine
    ok(owner.patch(f"{path}/{task['id']}", json={"title": "Plan it"}))  # decides nothing
    assert armed(stack, task["id"]) == mine
    ok(owner.patch(f"{path}/{task['id']}", json={"due_at": at(7200)}))  # moved: armed for the new time
    assert armed(stack, task["id"]) == mine
    with stack.tasks_db.connect() as connection:
        due = connection.execute(
            text("SELECT count(DISTINCT due_at) FROM reminders WHERE task_id = :task"), {"task": task["id"]}
        ).scalar()
    assert due == 1  # the old due time's reminder is gone
    ok(owner.patch(f"{path}/{task['id']}", json={"status": "completed"}))
    assert armed(stack, task["id"]) == set()
    ok(owner.patch(f"{path}/{task['id']}", json={"status": "pending"}))
    assert armed(stack, task["id"]) == mine
    ok(owner.post(f"{path}/{task['id']}/move", json={"status": "completed", "after_id": None}))
    assert armed(stack, task["id"]) == set()
    ok(owner.post(f"{path}/{task['id']}/move", json={"status": "in progress", "after_id": None}))
    assert armed(stack, task["id"]) == mine
    ok(owner.patch(f"{path}/{task['id']}", json={"user_id": member.user["id"]}))  # reassigned: the member's
    assert armed(stack, task["id"]) == {(member.user["id"], "due_soon", 120), (member.user["id"], "overdue", 0)}
    ok(owner.patch(f"{path}/{task['id']}", json={"due_at": None}))
    assert armed(stack, task["id"]) == set()


def test_a_settings_change_arms_open_tasks_anew(stack, people):
    owner = sign_up(stack.url)
    room = make_room(owner)
    open_task = make_task(owner, room["id"], title="Open", due_at=at(3 * 24 * 3600))
    done = make_task(owner, room["id"], title="Done", due_at=at(3 * 24 * 3600), status="completed")
    assert armed(stack, open_task["id"]) == {(owner.user["id"], "due_soon", 1440), (owner.user["id"], "overdue", 0)}
    choose(owner, before_due=(30, 90), overdue=False)
    assert armed(stack, open_task["id"]) == {(owner.user["id"], "due_soon", 30), (owner.user["id"], "due_soon", 90)}
    assert armed(stack, done["id"]) == set()
    choose(owner, before_due=(), overdue=False)
    assert armed(stack, open_task["id"]) == set()


def test_leaving_or_being_removed_disarms_that_person_in_that_room(stack, people):
    owner, member = sign_up(stack.url), sign_up(stack.url)
    left, removed = make_room(owner), make_room(owner)
    join(member, left)
    join(member, removed)
    first = make_task(owner, left["id"], title="Theirs", user_id=member.user["id"], due_at=at(3600 * 48))
    second = make_task(owner, removed["id"], title="Theirs too", user_id=member.user["id"], due_at=at(3600 * 48))
    kept = make_task(owner, left["id"], title="Owner's", due_at=at(3600 * 48))
    assert {row[0] for row in armed(stack, first["id"]) | armed(stack, second["id"])} == {member.user["id"]}
    ok(member.delete(f"/api/v1/rooms/{left['id']}/members/{member.user['id']}"), 204)
    ok(owner.delete(f"/api/v1/rooms/{removed['id']}/members/{member.user['id']}"), 204)
    wait_until(lambda: armed(stack, first["id"]) == armed(stack, second["id"]) == set())  # the relay delivers
    assert armed(stack, kept["id"]) != set()
    # Their settings changed later: tasks in rooms they are no longer in stay disarmed.
    choose(member, before_due=(60,))
    assert armed(stack, first["id"]) == armed(stack, second["id"]) == set()


# Firing


def test_reminders_fire_once_as_notifications_and_mails(stack):
    owner, member = sign_up(stack.url), sign_up(stack.url)
    choose(member, before_due=(5,), overdue=True, email=True)
    room = make_room(owner)
    join(member, room)
    with EventStream.open(f"{stack.url}/api/v1/users/me/events", member.token) as live:
        assert live.status == 200
        task = make_task(owner, room["id"], title="Ship it", user_id=member.user["id"], due_at=at(7))
        quiet = make_task(owner, room["id"], title="Done early", user_id=member.user["id"], due_at=at(7))
        ok(owner.patch(f"/api/v1/rooms/{room['id']}/tasks/{quiet['id']}", json={"status": "completed"}))
        heard = []  # the member's live notifications: the reminders among them, as they are sent
        while [event.data["kind"] for event in heard] != ["due_soon", "overdue"]:
            event = live.next_named("notification", timeout=30)
            if event.data["task_id"] == task["id"] and event.data["kind"] != "assigned":
                heard.append(event)
    (soon,) = notifications_of(member, "due_soon", task["id"])
    (overdue,) = notifications_of(member, "overdue", task["id"])
    assert [event.data for event in heard] == [soon, overdue]  # live, as the list shows them
    assert soon["data"] == {"title": "Ship it", "due_at": task["due_at"], "offset": 5}
    assert overdue["data"] == {"title": "Ship it", "due_at": task["due_at"]}
    assert (soon["actor_id"], soon["actor_username"], soon["room_id"]) == (None, None, room["id"])
    assert soon["id"] < overdue["id"] and not soon["read"]
    assert notifications_of(member, "due_soon", quiet["id"]) == notifications_of(member, "overdue", quiet["id"]) == []
    assert notifications_of(owner, "due_soon", task["id"]) == []  # the assignee only
    mails = [mail for mail in pending(stack) if mail["params"]["task_id"] == task["id"]]
    assert sorted(mail["kind"] for mail in mails) == ["due_soon", "overdue"]
    for mail in mails:
        assert mail["user_id"] == member.user["id"]
        assert mail["message_id"].startswith("<reminder-") and mail["message_id"].endswith("@tasksync>")
        params = mail["params"]
        assert params["kind"] == mail["kind"]
        assert (params["title"], params["room_id"], params["due_at"]) == ("Ship it", room["id"], task["due_at"])
        assert len(params["unsubscribe_secret"]) >= 43
    # Taken by the mailer (twice, as after a crash between its commit and its answer): gone.
    ids = [mail["message_id"] for mail in mails]
    assert mark_taken(stack, ids).status_code == 204
    assert mark_taken(stack, ids).status_code == 204
    assert not [mail for mail in pending(stack) if mail["message_id"] in ids]
    # Moving the due time arms it again, for the new time.
    ok(owner.patch(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}", json={"due_at": at(3600)}))
    assert armed(stack, task["id"]) == {(member.user["id"], "due_soon", 5), (member.user["id"], "overdue", 0)}


def test_mail_is_asked_only_of_those_who_want_it(stack):
    person = sign_up(stack.url)
    choose(person, before_due=(5,), overdue=False, email=False)
    room = make_room(person)
    task = make_task(person, room["id"], title="No mail", due_at=at(6))
    wait_until(lambda: notifications_of(person, "due_soon", task["id"]), seconds=30)
    assert not [mail for mail in pending(stack) if mail["params"]["task_id"] == task["id"]]


@pytest.mark.postgres_only  # two replicas on one database
def test_each_reminder_fires_once_across_replicas_and_a_kill(stack):
    assert stack.backend == "postgres"
    person = sign_up(stack.url)
    choose(person, before_due=(5,), overdue=True, email=True)
    room = make_room(person)
    lead, count = 12.0, 25  # offset 5 (seconds here) fires 7 seconds from now, overdue 12
    due_at = at(lead)
    started = time.monotonic()
    task_ids = [make_task(person, room["id"], title=f"due {n}", due_at=due_at)["id"] for n in range(count)]
    assert sum(len(armed(stack, task_id)) for task_id in task_ids) == 2 * count
    time.sleep(max(0.0, lead - 5 - (time.monotonic() - started)))  # about when the first ones fire
    stack.stop_service("tasks", sig=signal.SIGKILL)  # its workers die mid-way, whatever they held
    stack.start_service("tasks")
    stack.wait_ready()
    wait_until(lambda: all(not armed(stack, task_id) for task_id in task_ids), seconds=60)  # none left to fire
    items = ok(person.get("/api/v1/notifications?limit=200"))["items"]
    counts = Counter((item["task_id"], item["kind"]) for item in items if item["task_id"] in task_ids)
    assert counts == Counter({(task_id, kind): 1 for task_id in task_ids for kind in ("due_soon", "overdue")})
    mails = [mail for mail in pending(stack) if mail["user_id"] == person.user["id"]]
    assert len(mails) == 2 * count == len({mail["message_id"] for mail in mails})
    assert Counter(mail["kind"] for mail in mails) == Counter({"due_soon": count, "overdue": count})
    with stack.tasks_db.connect() as connection:  # each within a minute of its time (a few seconds, here)
        times = connection.execute(
            text("SELECT fire_at, fired_at FROM reminders WHERE task_id = ANY(:ids)"), {"ids": task_ids}
        ).all()
    late = max(fired_at.replace(tzinfo=UTC) - fire_at for fire_at, fired_at in times)
    assert late < timedelta(seconds=30), late
    mark_taken(stack, [mail["message_id"] for mail in mails])


def test_pending_mail_routes_are_for_the_rooms_service_only(stack, people):
    base = stack.service_urls["tasks"]
    person = people[0]
    for headers in ({}, {"Authorization": f"Bearer {person.token}"}):
        assert requests.get(f"{base}/internal/v1/mail/pending", headers=headers, timeout=10).status_code == 401
        taken = requests.post(f"{base}/internal/v1/mail/taken", json={"message_ids": []}, headers=headers, timeout=10)
        assert taken.status_code == 401
    for limit in ("0", "201", "many"):
        url = f"{base}/internal/v1/mail/pending?limit={limit}"
        problem(requests.get(url, headers=service_headers(), timeout=10), 422, "limit")
    problem(
        requests.post(f"{base}/internal/v1/mail/taken", json={}, headers=service_headers(), timeout=10),
        422,
        "message_ids",
    )
    assert mark_taken(stack, ["<nobody@tasksync>"]).status_code == 204
    # The gateway does not lead there.
    assert person.get("/internal/v1/mail/pending").status_code == 404


# Unsubscribing


def _secret_of(stack, user_id: int) -> str:
    with stack.tasks_db.connect() as connection:
        return connection.execute(
            text("SELECT unsubscribe_secret FROM reminder_settings WHERE user_id = :user"), {"user": user_id}
        ).scalar_one()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_unsubscribe_link_turns_mail_off_without_a_token(stack, method):
    person = sign_up(stack.url)
    choose(person, before_due=(60,), email=True)
    secret = _secret_of(stack, person.user["id"])
    assert len(secret) >= 43
    answer = Client(stack.url).request(
        method, f"/api/v1/mail/unsubscribe/{secret}", headers={"Accept-Language": "uk, en;q=0.5"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Cache-Control"] == "no-store"
    assert 'lang="uk"' in answer.text and "вимкнено" in answer.text
    assert ok(person.get(REMINDERS)) == {"before_due": [60], "overdue": True, "email": False}
    again = Client(stack.url).get(f"/api/v1/mail/unsubscribe/{secret}")  # still the link: still off
    assert again.status_code == 200 and 'lang="en"' in again.text and "Листи" in again.text  # no language: both
    # Turning mail on again keeps the same link.
    choose(person, before_due=(60,), email=True)
    assert _secret_of(stack, person.user["id"]) == secret


def test_unknown_links_are_404_and_guessing_is_throttled(stack):
    guesser = Client(stack.url)
    address = {"X-Forwarded-For": "198.51.100.7"}
    answers = [guesser.get(f"/api/v1/mail/unsubscribe/{secrets.token_urlsafe(32)}", headers=address) for _ in range(4)]
    answers.append(guesser.post("/api/v1/mail/unsubscribe/" + "x" * 300, headers=address))
    for answer in answers:
        problem(answer, 404)
        assert answer.headers["Cache-Control"] == "no-store"
    problem(guesser.get(f"/api/v1/mail/unsubscribe/{secrets.token_urlsafe(32)}", headers=address), 429)
    other = guesser.get(
        f"/api/v1/mail/unsubscribe/{secrets.token_urlsafe(32)}", headers={"X-Forwarded-For": "198.51.100.8"}
    )
    problem(other, 404)  # another address is still answered
