"""The mailer with two replicas of the rooms service (two workers each) on PostgreSQL, a real SMTP
server, and a replica killed (kill -9) and restarted while mails wait: every mail arrives exactly
once, sent by whichever sender claimed it. With the tasks service's reminders (branch
deadlines-reminders), a reminder and an overdue notice arrive by mail, once each, across a kill
and a restart of a rooms replica."""

from __future__ import annotations

import datetime as dt
import re
import signal
import uuid

import pytest
import sqlalchemy

from tasksync_common import config
from tests.conftest import Client, running_stack, wait_until
from tests.mail_server import MailServer, parts
from tools.databases import postgres_base_url, redis_url
from tools.stack import free_port

pytestmark = pytest.mark.skipif(
    not (postgres_base_url() and redis_url()), reason="needs TASKSYNC_TEST_POSTGRES_URL and TASKSYNC_TEST_REDIS_URL"
)


@pytest.fixture(scope="module")
def smtp():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replicated(tmp_path_factory, smtp):
    first, second = free_port(), free_port()
    env = {
        "ROOMS_PORT": str(first),
        "ROOMS_URL": f"http://127.0.0.1:{first},http://127.0.0.1:{second}",
        "TASKSYNC_SMTP_HOST": "127.0.0.1",
        "TASKSYNC_SMTP_PORT": str(smtp.port),
        "TASKSYNC_SMTP_SECURITY": "none",
        "TASKSYNC_SMTP_TIMEOUT": "1",  # a claimed row's lease: 10 s
        "TASKSYNC_MAIL_POLL_INTERVAL": "0.2",
        "TASKSYNC_MAIL_RETRY_SCALE": "0.002",  # retries at most 11 s apart
        "TASKSYNC_EMAIL_CODE_LIMIT": "1000 per hour",
        "TASKSYNC_REMINDER_MINUTE_SECONDS": "1",  # the reminders' test clock: a minute lasts a second
        "TASKSYNC_PUBLIC_URL": "https://planner.example.org",
    }
    with running_stack(tmp_path_factory, "postgres", env) as stack:
        stack.second_rooms_port = str(second)
        stack.start_service("rooms", replica="2", ROOMS_PORT=stack.second_rooms_port)
        stack.wait_ready()
        engine = sqlalchemy.create_engine(config.load(stack.env).rooms_database_url)
        stack.unsent = lambda: _unsent(engine)
        yield stack
        engine.dispose()


def _unsent(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sqlalchemy.text("SELECT count(*) FROM mail_outbox WHERE state = 'pending'")).scalar()


def _until_served(send):
    """``send()`` again while the gateway answers 503: just after a kill its pooled connection to
    the dead replica fails once (the request never reached a live process)."""
    for _ in range(5):
        response = send()
        if response.status_code != 503:
            return response
    return response


def _ask_for_codes(stack, count: int) -> list[str]:
    addresses = []
    for _ in range(count):
        client = Client(stack.url)
        username, password = f"replica_{uuid.uuid4().hex[:12]}", "correct horse battery"
        body = {"username": username, "password": password}
        assert _until_served(lambda: client.post("/api/v1/auth/register", json=body)).status_code == 201  # noqa: B023
        login = _until_served(lambda: client.post("/api/v1/auth/login", json=body))  # noqa: B023
        client.token = login.json()["access_token"]
        address = f"replica.{uuid.uuid4().hex[:10]}@example.org"
        changed = _until_served(lambda: client.patch("/api/v1/users/me", json={"email": address}))  # noqa: B023
        assert changed.status_code == 200, changed.text
        addresses.append(address)
    return addresses


def _sent_by(stack, label: str) -> int:
    return (stack.log_dir / f"{label}.log").read_text().count("sent (<verify-")


def test_each_mail_once_with_two_replicas(replicated, smtp):
    addresses = _ask_for_codes(replicated, 12)
    for address in addresses:
        smtp.wait_for(address)
    wait_until(lambda: replicated.unsent() == 0)
    assert [len(smtp.to(address)) for address in addresses] == [1] * 12
    assert _sent_by(replicated, "rooms") > 0 and _sent_by(replicated, "rooms-2") > 0


def test_each_mail_once_across_a_kill_and_a_restart(replicated, smtp):
    smtp.refusing = "451 4.3.0 Try again later"  # the mails wait in the outbox, being retried
    try:
        tried = smtp.refused
        addresses = _ask_for_codes(replicated, 5)
        wait_until(lambda: smtp.refused >= tried + 5)
        replicated.stop_service("rooms-2", signal.SIGKILL)  # mid-way: rows claimed, backing off
        more = _ask_for_codes(replicated, 3)  # the remaining replica serves and sends alone
        replicated.start_service("rooms", replica="2", ROOMS_PORT=replicated.second_rooms_port)
        replicated.wait_ready()
    finally:
        smtp.refusing = None
    for address in addresses + more:
        smtp.wait_for(address, seconds=60)
    wait_until(lambda: replicated.unsent() == 0, seconds=60)
    assert [len(smtp.to(address)) for address in addresses + more] == [1] * 8


def test_a_reminder_and_an_overdue_notice_by_mail_once(replicated, smtp):
    person = Client(replicated.url).sign_up()
    address = f"reminded.{uuid.uuid4().hex[:10]}@example.org"
    assert person.patch("/api/v1/users/me", json={"email": address, "language": "uk"}).status_code == 200
    code = re.search(r"\b([2-9A-HJ-NP-Z]{8})\b", parts(smtp.wait_for(address)[0])[0]).group(1)
    assert person.post("/api/v1/users/me/email/verify", json={"code": code}).status_code == 204
    chosen = person.put("/api/v1/users/me/reminders", json={"before_due": [5], "overdue": True, "email": True})
    assert chosen.status_code == 200, chosen.text
    room = person.post("/api/v1/rooms", json={"name": "Deadlines"}).json()
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    task = person.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "Сплатити <рахунок>", "due_at": due})
    assert task.status_code == 201, task.text
    reminder = smtp.wait_for(address, 2, seconds=60)[1]  # 5 "minutes" (seconds) before it is due
    replicated.stop_service("rooms-2", signal.SIGKILL)
    replicated.start_service("rooms", replica="2", ROOMS_PORT=replicated.second_rooms_port)
    replicated.wait_ready()
    overdue = smtp.wait_for(address, 3, seconds=60)[2]
    wait_until(lambda: replicated.unsent() == 0, seconds=60)
    assert len(smtp.to(address)) == 3
    task_url = f"https://planner.example.org/#/rooms/{room['id']}/tasks/{task.json()['id']}"
    for message, subject in ((reminder, "Нагадування"), (overdue, "Прострочено")):
        assert message["Subject"].startswith(subject) and "Сплатити <рахунок>" in message["Subject"]
        assert re.fullmatch(r"<reminder-\d+-\d+@tasksync>", message["Message-ID"])
        unsubscribe = message["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith("https://planner.example.org/api/v1/mail/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text, html = parts(message)
        assert task_url in text and unsubscribe in text and "Сплатити &lt;рахунок&gt;" in html
    assert reminder["Message-ID"] != overdue["Message-ID"]
