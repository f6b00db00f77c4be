"""The mailer inside the rooms service: the .eml fallback with no SMTP host, reminder mails
pulled from a (tiny, real) tasks service and kept once however often they are handed over, mail
for an unverified address dropped, retries with backoff, and giving up after three days."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging

import pytest
from flask import Flask, request
from sqlalchemy import text

from tasksync_rooms import create_app
from tasksync_rooms.extensions import db
from tasksync_rooms.mail import outbox, sender
from tasksync_rooms.mail.models import OutgoingMail
from tasksync_rooms.users.models import User
from tools.service_testing import backends, service_app, serving
from tools.stack import free_port

SECRET = "s3cr3t-unsubscribe-" + "x" * 24


def _reminder(message_id: str, user_id: int, kind: str = "due_soon") -> dict:
    return {
        "message_id": message_id,
        "user_id": user_id,
        "kind": kind,
        "params": {
            "kind": kind,
            "title": "Pay the <rent>",
            "due_at": "2026-12-02T09:00:00Z",
            "offset": 60,
            "room_id": 7,
            "task_id": 42,
            "unsubscribe_secret": SECRET,
        },
    }


class FakeTasks:
    """The tasks service's two mail routes, holding what a test puts in ``pending``."""

    def __init__(self):
        self.pending: list[dict] = []
        self.taken: list[list[str]] = []
        self.refuse_taken = 0
        self.app = Flask("fake_tasks")

        @self.app.get("/internal/v1/mail/pending")
        def pending():
            assert request.headers["Authorization"].startswith("Bearer ")
            return {"mails": self.pending[: int(request.args["limit"])]}

        @self.app.post("/internal/v1/mail/taken")
        def taken():
            if self.refuse_taken:
                self.refuse_taken -= 1
                return "", 503
            ids = request.get_json()["message_ids"]
            self.taken.append(ids)
            self.pending = [mail for mail in self.pending if mail["message_id"] not in ids]
            return "", 204


@pytest.fixture(scope="module")
def tasks():
    fake = FakeTasks()
    with serving(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture(params=backends())
def app(request, tmp_path, tasks):
    env = {"TASKS_URL": tasks.url, "TASKSYNC_PUBLIC_URL": "https://planner.example.org"}
    with service_app(create_app, request.param, tmp_path, "mailer", env) as built:
        built.tmp_path = tmp_path
        with built.app_context():
            yield built
        tasks.pending, tasks.taken = [], []


def _user(name: str, email_address: str | None, verified: bool, language: str = "en") -> User:
    user = User(
        username=name,
        username_key=name,
        password_hash="x",
        language=language,
        email=email_address,
        email_verified=verified,
    )
    db.session.add(user)
    db.session.commit()
    return user


def _states() -> list[tuple]:
    rows = db.session.execute(text("SELECT message_id, state FROM mail_outbox ORDER BY id")).all()
    db.session.commit()
    return [tuple(row) for row in rows]


def test_pulled_reminders_are_kept_once_and_written_as_eml_files(app, tasks, caplog):
    olena = _user("olena", "olena@example.org", True, "uk")
    tasks.pending = [_reminder("<reminder-1-100@tasksync>", olena.id), _reminder("<reminder-2-100@tasksync>", olena.id)]
    tasks.refuse_taken = 1  # the first hand-over is not confirmed: the next pull brings the same mails
    with pytest.raises(RuntimeError):
        sender.pull_reminders()
    assert sender.pull_reminders() == 2
    assert tasks.pending == [] and tasks.taken == [["<reminder-1-100@tasksync>", "<reminder-2-100@tasksync>"]]
    assert _states() == [("<reminder-1-100@tasksync>", "pending"), ("<reminder-2-100@tasksync>", "pending")]
    with caplog.at_level(logging.INFO):
        assert sender.send_due() == 2
    files = sorted((app.tmp_path / "mail").glob("*.eml"))
    assert [f.name for f in files] == ["reminder-1-100_tasksync.eml", "reminder-2-100_tasksync.eml"]
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "olena@example.org" and message["Message-ID"] == "<reminder-1-100@tasksync>"
    unsubscribe = f"https://planner.example.org/api/v1/mail/unsubscribe/{SECRET}"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Термін завдання «Pay the <rent>» — 2026-12-02 09:00 UTC." in plain
    assert "https://planner.example.org/#/rooms/7/tasks/42" in plain and unsubscribe in plain
    assert "Pay the &lt;rent&gt;" in html and 'href="https://planner.example.org/#/rooms/7/tasks/42"' in html
    assert f"mail to {olena.id} written to {files[0]}" in caplog.text
    assert "olena@example.org" not in caplog.text
    assert _states() == [("<reminder-1-100@tasksync>", "sent"), ("<reminder-2-100@tasksync>", "sent")]
    # Handed over again (a tasks service that lost the "taken"): still one row, not sent again.
    tasks.pending = [_reminder("<reminder-1-100@tasksync>", olena.id)]
    sender.pull_reminders()
    assert sender.send_due() == 0 and len(_states()) == 2


def test_reminders_for_unverified_or_no_address_are_dropped(app, tasks):
    unverified = _user("unverified", "u@example.org", False)
    nobody = _user("nobody", None, False)
    tasks.pending = [
        _reminder("<reminder-3-1@tasksync>", unverified.id, "overdue"),
        _reminder("<reminder-4-1@tasksync>", nobody.id),
        {"message_id": "<odd@tasksync>", "user_id": nobody.id, "kind": "spam", "params": {}},
    ]
    assert sender.pull_reminders() == 2  # the unknown kind is not kept
    assert sender.send_due() == 0
    assert _states() == [("<reminder-3-1@tasksync>", "dropped"), ("<reminder-4-1@tasksync>", "dropped")]
    assert not (app.tmp_path / "mail").exists()


def test_a_down_server_is_retried_with_backoff_then_given_up(tmp_path):
    env = {"TASKSYNC_SMTP_HOST": "127.0.0.1", "TASKSYNC_SMTP_PORT": str(free_port()), "TASKSYNC_SMTP_TIMEOUT": "1"}
    env["TASKSYNC_SMTP_SECURITY"] = "none"
    with service_app(create_app, "sqlite", tmp_path, "down", env) as app, app.app_context():
        person = _user("retried", "r@example.org", True)
        outbox.queue(**_reminder("<reminder-5-1@tasksync>", person.id))
        db.session.commit()
        assert sender.send_due() == 0
        row = db.session.query(OutgoingMail).one()
        assert (row.state, row.attempts) == ("pending", 1) and "ConnectionRefused" in row.last_error
        wait = (row.next_attempt_at - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
        assert 10 < wait < 50  # the first retry within a minute
        assert sender.send_due() == 0  # not due yet
        row.next_attempt_at = row.created_at = row.created_at - dt.timedelta(days=3, minutes=1)
        db.session.commit()
        assert sender.send_due() == 0
        assert _states() == [("<reminder-5-1@tasksync>", "failed")]


def test_retry_delays_double_up_to_an_hour_with_jitter(app):
    firsts = [outbox.retry_delay(1) for _ in range(50)]
    assert all(15 <= delay <= 45 for delay in firsts) and len(set(firsts)) > 1
    assert 120 <= outbox.retry_delay(4) <= 360
    assert all(outbox.retry_delay(40) <= 5400 for _ in range(20))
