"""The sender: one thread per serving process (started by gunicorn's worker, see
tasksync_common.background) that sends what the outbox holds.

Each pass first pulls the reminder mails the tasks service wants sent (GET
/internal/v1/mail/pending; once they are committed here, POST /internal/v1/mail/taken: a crash
in between repeats the pull, and the Message-ID, unique in the outbox, keeps one row), then
claims the due rows (outbox.claim) and sends each in its recipient's language, to their
verified address only. No transaction is open while the mail server is talked to. A failure
leaves the row for a later try (outbox.failed: backoff with jitter, given up after three days);
nothing a request does waits for any of this.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

import jinja2
from flask import Flask, current_app
from sqlalchemy import Row

from tasksync_common import background, mail, peers
from tasksync_common.config import Settings
from tasksync_common.problems import Problem

from ..access_tokens import service as access_tokens
from ..extensions import db
from ..users.models import User
from . import outbox

log = logging.getLogger(__name__)
EXTENSION = "tasksync_mail_sender"
BATCH = 20
PULL_BATCH = 100
FORGET_EVERY = 3600.0  # seconds between deletions of week-old finished rows
REMINDER_KINDS = ("due_soon", "overdue")


class _Passes:
    """What the sender thread does each pass: pull the reminder mails the tasks service has for
    it, send what is due, and now and then forget old finished rows."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._forgotten_at = float("-inf")

    def __call__(self) -> float:
        try:
            pull_reminders()
        except Exception as error:  # the tasks service is down or busy: the next pass asks again
            db.session.rollback()
            log.warning("mail sender: pulling reminder mails failed (%s); retrying", error)
        send_due()  # raising: the rows stay for the next pass (background.Loop backs off)
        if time.monotonic() - self._forgotten_at > FORGET_EVERY:
            outbox.forget_old()
            self._forgotten_at = time.monotonic()
        return self._settings.mail_poll_interval


def send_due() -> int:
    """Send every due mail now (in an app context); how many were sent."""
    sent = 0
    while rows := outbox.claim(BATCH):
        for row in rows:
            sent += _send(row)
        if len(rows) < BATCH:
            break
    return sent


def _send(row: Row) -> bool:
    settings = current_app.config["SETTINGS"]
    user = db.session.get(User, row.user_id)
    address, language, username = (user.email, user.language, user.username) if user else (None, "en", "")
    verified = bool(user and user.email_verified)
    db.session.rollback()  # no transaction while the mail server is talked to (SQLite's is the whole file)
    if row.kind == "verify_email":
        # The code was for this address: a changed, removed or already verified one needs it no more.
        if address is None or address != row.params.get("email") or verified:
            outbox.drop(row, "the address changed or is verified")
            log.info("mail to %s dropped: %s is no longer to be verified", row.user_id, row.message_id)
            return False
        values = {"code": row.params["code"], "hours": max(1, settings.email_code_ttl // 3600), "username": username}
        unsubscribe = None
    else:
        if address is None or not verified:
            outbox.drop(row, "no address")
            log.info("mail to %s dropped: no verified address (%s)", row.user_id, row.message_id)
            return False
        try:
            values = _reminder_values(settings, row.params)
        except (KeyError, TypeError, ValueError) as error:
            outbox.drop(row, f"unusable params: {error}")
            log.error("mail to %s dropped: %s has unusable params (%s)", row.user_id, row.message_id, error)
            return False
        unsubscribe = values["unsubscribe_url"]
    try:
        message = mail.compose(
            settings,
            message_id=row.message_id,
            to=address,
            kind=row.kind,
            language=language,
            values=values,
            unsubscribe=unsubscribe,
        )
    except (KeyError, jinja2.TemplateError) as error:
        outbox.drop(row, f"cannot be written: {error}")
        log.error("mail to %s dropped: %s cannot be written (%s)", row.user_id, row.message_id, error)
        return False
    try:
        mail.deliver(settings, message, user_id=row.user_id)
    except mail.DeliveryFailed as error:
        if outbox.failed(row, str(error)):
            log.error("mail to %s given up after %d attempts: %s", row.user_id, row.attempts, error)
        else:
            log.warning("mail to %s not sent (attempt %d): %s; retrying later", row.user_id, row.attempts, error)
        return False
    outbox.mark_sent(row)
    return True


def _reminder_values(settings: Settings, params: dict) -> dict:
    """What a reminder's template needs, from the params the tasks service gave."""
    due = dt.datetime.fromisoformat(str(params["due_at"]).replace("Z", "+00:00")).astimezone(dt.UTC)
    return {
        "title": str(params["title"]),
        "due": due.strftime("%Y-%m-%d %H:%M UTC"),
        "task_url": mail.task_url(settings, int(params["room_id"]), int(params["task_id"])),
        "unsubscribe_url": mail.unsubscribe_url(settings, str(params["unsubscribe_secret"])),
    }


def _service_headers() -> dict:
    return {"Authorization": f"Bearer {access_tokens.issue_service_token()}", "Content-Type": "application/json"}


def _usable(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("message_id"), str)
        and 0 < len(entry["message_id"]) <= 255
        and isinstance(entry.get("user_id"), int)
        and entry.get("kind") in REMINDER_KINDS
        and isinstance(entry.get("params"), dict)
    )


def pull_reminders() -> int:
    """Move the reminder mails the tasks service holds into the outbox (in an app context); how
    many it handed over. Raises when the tasks service cannot be asked."""
    pulled = 0
    while True:
        try:
            response = peers.tasks_client().request(
                "GET", f"/internal/v1/mail/pending?limit={PULL_BATCH}", headers=_service_headers()
            )
        except Problem as problem:
            raise RuntimeError(f"the tasks service answered nothing ({problem.status_code})") from None
        if response.status == 404:  # a tasks service without reminders
            return pulled
        if response.status != 200:
            raise RuntimeError(f"the tasks service answered {response.status} to the pull")
        entries = response.json().get("mails") or []
        if not entries:
            return pulled
        usable = [entry for entry in entries if _usable(entry)]
        for entry in entries:
            if not _usable(entry):
                log.error("mail sender: an unusable reminder mail from the tasks service was dropped: %r", entry)
        outbox.queue_new([{key: entry[key] for key in ("message_id", "user_id", "kind", "params")} for entry in usable])
        db.session.commit()
        ids = [entry["message_id"] for entry in entries if isinstance(entry, dict) and entry.get("message_id")]
        try:
            taken = peers.tasks_client().request(
                "POST",
                "/internal/v1/mail/taken",
                headers=_service_headers(),
                body=json.dumps({"message_ids": ids}).encode(),
            )
        except Problem as problem:  # they stay pending there: the next pull brings them again, kept once here
            raise RuntimeError(f"the tasks service answered nothing ({problem.status_code})") from None
        if taken.status != 204:
            raise RuntimeError(f"the tasks service answered {taken.status} to taken")
        pulled += len(usable)
        if len(entries) < PULL_BATCH:
            return pulled


def init_app(app: Flask) -> None:
    """Give ``app`` its sender, started when a worker begins serving it."""
    sender = app.extensions[EXTENSION] = background.Loop(app, "mail-sender", _Passes(app.config["SETTINGS"]))
    background.register(app, sender.start)


def wake() -> None:
    """Wake the current app's sender (after a commit that queued a mail)."""
    current_app.extensions[EXTENSION].wake()
