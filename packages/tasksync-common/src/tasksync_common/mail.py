"""Mail: compose a message (plain text and HTML, in the recipient's language) and deliver it.

``compose`` builds an ``email.message.EmailMessage`` from a kind's template (mail_templates),
with the Message-ID its caller gives (stable per mail, so that a resend after a crash is
recognisable as the same mail), and for reminders the one-click unsubscribe headers (RFC 8058).
``deliver`` sends it over SMTP (settings.smtp_*: starttls, tls or none, a login when a username
is set, timeouts on every step) or, with no SMTP host (the embedded default), writes it as an
``.eml`` file into ``<data dir>/mail/``. Logs name the user id, never the address.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import jinja2

from .config import Settings
from .mail_templates import LANGUAGES, TEMPLATES

log = logging.getLogger(__name__)

_TEXT = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
# A header is one line: control characters (a newline in a task title) become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class DeliveryFailed(Exception):
    """The mail server refused the mail, or could not be reached in time: try again later."""


def task_url(settings: Settings, room_id: int, task_id: int) -> str:
    """The task in the web client."""
    return f"{settings.public_url}/#/rooms/{room_id}/tasks/{task_id}"


def unsubscribe_url(settings: Settings, secret: str) -> str:
    """The link that turns reminder mail off (no token needed: the secret is the address)."""
    return f"{settings.public_url}/api/v1/mail/unsubscribe/{secret}"


def render(kind: str, language: str, values: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a ``kind`` of mail in ``language`` (English when it is
    not one we write); raises KeyError for an unknown kind and jinja2.UndefinedError for a
    missing value."""
    template = TEMPLATES[(kind, language if language in LANGUAGES else "en")]
    values = {**values, "language": language}
    subject = _CONTROL.sub(" ", _TEXT.from_string(template.subject).render(values)).strip()
    return subject, _TEXT.from_string(template.text).render(values), _HTML.from_string(template.html).render(values)


def compose(
    settings: Settings,
    *,
    message_id: str,
    to: str,
    kind: str,
    language: str,
    values: dict,
    unsubscribe: str | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The message of one mail; ``unsubscribe`` (a URL) adds List-Unsubscribe and its one-click
    form, which mail programs show as their own "unsubscribe" button."""
    subject, text, html = render(kind, language, {**values, "unsubscribe_url": unsubscribe or ""})
    message = EmailMessage()
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    # Not a person's mail: auto-responders must not answer it (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after the parts: making them moves Content-* headers down
    return message


def deliver(settings: Settings, message: EmailMessage, *, user_id: int) -> None:
    """Send ``message`` to its To address; raises DeliveryFailed when that did not happen."""
    if settings.smtp_host is None:
        try:
            path = _write_file(settings.data_dir / "mail", message)
        except OSError as error:  # a read-only or full disk: retried like a mail server that is down
            raise DeliveryFailed(f"the mail could not be written: {error}") from None
        log.info("mail to %s written to %s", user_id, path)
        return
    try:
        with _connect(settings) as server:
            if settings.smtp_username:
                server.login(settings.smtp_username, settings.smtp_password or "")
            server.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:  # its text names the address: say only the codes
        codes = ", ".join(str(code) for code, _ in error.recipients.values())
        raise DeliveryFailed(f"SMTPRecipientsRefused: the recipient was refused ({codes})") from None
    except (smtplib.SMTPException, OSError) as error:  # refused, down, timed out, TLS failed
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from None
    log.info("mail to %s sent (%s)", user_id, message["Message-ID"])


def _connect(settings: Settings) -> smtplib.SMTP:
    host, port, timeout = settings.smtp_host or "", settings.smtp_port, settings.smtp_timeout
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_security == "starttls":
            server.starttls(context=ssl.create_default_context())
    except BaseException:
        server.close()
        raise
    return server


def _write_file(folder: Path, message: EmailMessage) -> Path:
    """Write the mail under a name made of its Message-ID (a resend overwrites it), atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", str(message["Message-ID"]).strip("<> ")) or "mail"
    path = folder / f"{name}.eml"
    partial = folder / f".{name}.{os.getpid()}.tmp"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, path)
    return path
