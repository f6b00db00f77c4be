"""E-mail addresses end to end through the gateway, with a real SMTP server (aiosmtpd) started by
the test: the user's own fields, PATCH and its validation, the verification mail in the user's
language (plain text and HTML), the code working once, wrong, expired and missing codes, both
throttles, and a mail server that refuses or is down: the mail comes later, no request fails."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.conftest import Client, running_stack, wait_until
from tests.mail_server import MailServer, parts
from tools.databases import postgres_base_url

BACKENDS = ["sqlite", "postgres"] if postgres_base_url() else ["sqlite"]
CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{8})\b")


@pytest.fixture(scope="module")
def smtp():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def stack(request, tmp_path_factory, smtp):
    env = {
        "TASKSYNC_SMTP_HOST": "127.0.0.1",
        "TASKSYNC_SMTP_PORT": str(smtp.port),
        "TASKSYNC_SMTP_SECURITY": "none",
        "TASKSYNC_SMTP_TIMEOUT": "2",
        "TASKSYNC_MAIL_POLL_INTERVAL": "0.2",
        "TASKSYNC_MAIL_RETRY_SCALE": "0.02",  # the first retry within a second
        "TASKSYNC_PUBLIC_URL": "https://planner.example.org",
        "TASKSYNC_EMAIL_CODE_LIMIT": "4 per hour",
        "TASKSYNC_EMAIL_VERIFY_FAILURE_LIMIT": "3 per 15 minutes",
    }
    with running_stack(tmp_path_factory, request.param, env) as started:
        yield started


def address() -> str:
    return f"person.{uuid.uuid4().hex[:10]}@example.org"


def person(stack, language: str | None = None) -> Client:
    client = Client(stack.url)
    username = f"mail_{uuid.uuid4().hex[:12]}"
    headers = {"Accept-Language": language} if language else {}
    body = {"username": username, "password": "correct horse battery"}
    assert client.post("/api/v1/auth/register", json=body, headers=headers).status_code == 201
    return client.log_in(username, "correct horse battery")


def code_in(message) -> str:
    text, _ = parts(message)
    return CODE.search(text).group(1)


def test_own_fields_and_language_from_accept_language(stack):
    ukrainian = person(stack, "uk-UA,uk;q=0.9,en;q=0.8")
    assert ukrainian.user["language"] == "uk"
    assert person(stack, "de-DE,de;q=0.9").user["language"] == "en"
    assert person(stack, "de, en;q=0.5, uk;q=0.7").user["language"] == "uk"
    plain = person(stack)
    me = plain.get("/api/v1/users/me").json()
    assert (me["language"], me["email"], me["email_verified"]) == ("en", None, False)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "no-at-sign"}, "email"),
        ({"email": "two@@example.org"}, "email"),
        ({"email": "x@localhost"}, "email"),
        ({"email": 42}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
        ({"language": "de"}, "language"),
        ({"language": None}, "language"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_patches_are_named(stack, body, field):
    response = person(stack).patch("/api/v1/users/me", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_members_and_others_never_see_an_address(stack, smtp):
    owner, member = person(stack), person(stack)
    mine = address()
    assert member.patch("/api/v1/users/me", json={"email": mine}).status_code == 200
    member.post("/api/v1/users/me/email/verify", json={"code": code_in(smtp.wait_for(mine)[0])})
    room = owner.post("/api/v1/rooms", json={"name": "Private addresses"}).json()
    assert member.post("/api/v1/rooms/join", json={"code": room["code"]}).status_code == 200
    task = owner.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "t", "user_id": member.user["id"]}).json()
    member.post(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments", json={"body": "hello"})
    for path in (
        f"/api/v1/rooms/{room['id']}/members",
        f"/api/v1/rooms/{room['id']}/activity",
        f"/api/v1/rooms/{room['id']}/tasks",
        f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments",
    ):
        answer = owner.get(path)
        assert answer.status_code == 200, path
        assert mine not in answer.text and "email" not in answer.text, path


def test_verification_end_to_end_in_the_users_language(stack, smtp):
    olena = person(stack, "uk")
    mine = address()
    changed = olena.patch("/api/v1/users/me", json={"email": mine.upper().replace("EXAMPLE.ORG", "Example.Org")})
    assert changed.status_code == 200
    stored = changed.json()["email"]
    assert stored.endswith("@example.org") and changed.json()["email_verified"] is False
    [message] = smtp.wait_for(stored)
    assert message["Subject"].startswith("Ваш код TaskSync")
    assert message["From"] == "TaskSync <tasksync@localhost>" and message["To"] == stored
    assert re.fullmatch(r"<verify-\d+-[0-9a-f]{16}@tasksync>", message["Message-ID"])
    assert message["Date"] and message["Content-Language"] == "uk"
    assert "List-Unsubscribe" not in message  # only reminders have it
    text, html = parts(message)
    code = code_in(message)
    assert "Введіть цей код" in text and code in html and "<strong>" in html
    assert not set(code) & set("01IO")
    typed = " ".join([code[:4].lower(), code[4:]])  # any letter case, spaces ignored
    assert olena.post("/api/v1/users/me/email/verify", json={"code": typed}).status_code == 204
    assert olena.get("/api/v1/users/me").json()["email_verified"] is True
    again = olena.post("/api/v1/users/me/email/verify", json={"code": code})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "code"  # used once
    # The verified address again changes nothing and sends nothing; a new one is unverified.
    assert olena.patch("/api/v1/users/me", json={"email": stored}).json()["email_verified"] is True
    other = address()
    assert olena.patch("/api/v1/users/me", json={"email": other}).json()["email_verified"] is False
    smtp.wait_for(other)
    assert len(smtp.to(stored)) == 1
    # null removes the address and sends nothing.
    removed = olena.patch("/api/v1/users/me", json={"email": None}).json()
    assert (removed["email"], removed["email_verified"]) == (None, False)
    assert olena.patch("/api/v1/users/me", json={"language": "en"}).json()["language"] == "en"
    assert len(smtp.to(other)) == 1


def test_english_mail_and_a_new_code_replaces_the_old(stack, smtp):
    sam = person(stack, "en-GB")
    mine = address()
    sam.patch("/api/v1/users/me", json={"email": mine})
    first = code_in(smtp.wait_for(mine)[0])
    assert smtp.to(mine)[0]["Subject"].startswith("Your TaskSync code")
    sam.patch("/api/v1/users/me", json={"email": mine})  # the same unverified address: a new code
    second = code_in(smtp.wait_for(mine, 2)[1])
    if first != second:
        stale = sam.post("/api/v1/users/me/email/verify", json={"code": first})
        assert stale.status_code == 422
    assert sam.post("/api/v1/users/me/email/verify", json={"code": second}).status_code == 204


@pytest.mark.parametrize("body", [{"code": "ABCDEFGH"}, {"code": "short"}, {"code": "x" * 65}, {}, {"code": 12345678}])
def test_no_pending_code_and_malformed_codes_are_422_naming_code(stack, body):
    response = person(stack).post("/api/v1/users/me/email/verify", json=body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["code"]


def test_an_expired_code_is_refused(stack, smtp):
    import sqlalchemy

    from tasksync_common import config

    sam = person(stack)
    mine = address()
    sam.patch("/api/v1/users/me", json={"email": mine})
    code = code_in(smtp.wait_for(mine)[0])
    engine = sqlalchemy.create_engine(config.load(stack.env).rooms_database_url)
    with engine.begin() as connection:  # the clock moves on a day: the code's time is over
        connection.execute(
            sqlalchemy.text("UPDATE users SET email_code_expires_at = created_at WHERE id = :id"),
            {"id": sam.user["id"]},
        )
    engine.dispose()
    expired = sam.post("/api/v1/users/me/email/verify", json={"code": code})
    assert expired.status_code == 422 and "expired" in expired.json()["errors"][0]["message"]
    assert sam.get("/api/v1/users/me").json()["email_verified"] is False


def test_wrong_codes_are_throttled_per_user(stack, smtp):
    guesser, bystander = person(stack), person(stack)
    mine = address()
    guesser.patch("/api/v1/users/me", json={"email": mine})
    code = code_in(smtp.wait_for(mine)[0])
    wrong = "22222222" if code != "22222222" else "33333333"
    statuses = [guesser.post("/api/v1/users/me/email/verify", json={"code": wrong}).status_code for _ in range(3)]
    assert statuses == [422] * 3
    refused = guesser.post("/api/v1/users/me/email/verify", json={"code": code})  # even the right one
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert guesser.get("/api/v1/users/me").json()["email_verified"] is False
    other = bystander.post("/api/v1/users/me/email/verify", json={"code": wrong})
    assert other.status_code == 422  # another user's count is their own


def test_verification_mails_are_throttled_per_user(stack, smtp):
    sender = person(stack)
    statuses = [sender.patch("/api/v1/users/me", json={"email": address()}).status_code for _ in range(4)]
    assert statuses == [200] * 4
    refused = sender.patch("/api/v1/users/me", json={"email": address()})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # What sends no mail is not limited: the language, and removing the address.
    assert sender.patch("/api/v1/users/me", json={"language": "uk"}).status_code == 200
    assert sender.patch("/api/v1/users/me", json={"email": None}).status_code == 200


def test_a_refusing_server_delays_the_mail_and_fails_no_request(stack, smtp):
    sam = person(stack)
    mine = address()
    before = smtp.refused
    smtp.refuse(1, "451 4.3.0 Mailbox busy, try later")
    smtp.refuse(1, "550 5.7.1 Refused for now")
    smtp.refuse_recipients(1, "550 5.1.1 No such mailbox here")
    assert sam.patch("/api/v1/users/me", json={"email": mine}).status_code == 200
    [message] = smtp.wait_for(mine)
    assert smtp.refused == before + 3
    log = (stack.log_dir / "rooms.log").read_text()
    assert "recipient was refused (550)" in log and mine not in log
    assert sam.post("/api/v1/users/me/email/verify", json={"code": code_in(message)}).status_code == 204


def test_a_server_that_is_down_gets_the_mail_once_it_is_back(stack, smtp):
    sam = person(stack)
    mine = address()
    smtp.stop()
    try:
        assert sam.patch("/api/v1/users/me", json={"email": mine}).status_code == 200
        # Nothing can arrive meanwhile; the request did not wait for the server.
        with requests.Session() as probe:
            probe.trust_env = False
            assert probe.get(stack.url + "/healthz", timeout=5).status_code == 200
        wait_until(lambda: "not sent (attempt" in (stack.log_dir / "rooms.log").read_text())
    finally:
        smtp.start()
    [message] = smtp.wait_for(mine)
    assert sam.post("/api/v1/users/me/email/verify", json={"code": code_in(message)}).status_code == 204
    assert mine not in (stack.log_dir / "rooms.log").read_text()  # logs name the user id, not the address
