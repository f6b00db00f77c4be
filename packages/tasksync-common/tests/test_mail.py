"""Composing mail (tasksync_common.mail) and the mail settings: headers, both parts in each
language, escaping, links, and the SMTP ports and securities the settings take."""

from __future__ import annotations

import email
import email.policy

import pytest

from tasksync_common import config, mail
from tasksync_common.mail_templates import KINDS, LANGUAGES

REMINDER = {"title": 'Fix "<b>" & co', "due": "2026-12-02 09:00 UTC", "task_url": "https://p.example/#/rooms/1/tasks/2"}
VALUES = {"verify_email": {"code": "K7QM9XA4", "hours": 24, "username": "olena"}, "due_soon": REMINDER}
VALUES["overdue"] = REMINDER


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_in_every_language_has_both_parts(kind, language, tmp_path):
    settings = config.load({"TASKSYNC_DATA_DIR": str(tmp_path), "TASKSYNC_MAIL_FROM": "Planner <p@example.org>"})
    unsubscribe = None if kind == "verify_email" else "https://p.example/api/v1/mail/unsubscribe/s3cret"
    message = mail.compose(
        settings,
        message_id="<m-1@tasksync>",
        to="olena@example.org",
        kind=kind,
        language=language,
        values=VALUES[kind],
        unsubscribe=unsubscribe,
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == "<m-1@tasksync>" and parsed["From"] == "Planner <p@example.org>"
    assert parsed["Content-Language"] == language and parsed["Date"] and parsed["Subject"]
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    if kind == "verify_email":
        assert "K7QM9XA4" in text and "K7QM9XA4" in html and "List-Unsubscribe" not in parsed
    else:
        assert 'Fix "<b>" & co' in text and "Fix &#34;&lt;b&gt;&#34; &amp; co" in html  # no markup from a title
        assert REMINDER["task_url"] in text and unsubscribe in text and f'href="{unsubscribe}"' in html
        assert parsed["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_title_with_a_newline_keeps_the_subject_one_line(tmp_path):
    settings = config.load({"TASKSYNC_DATA_DIR": str(tmp_path)})
    values = {**REMINDER, "title": "two\r\nlines\nBcc: x@example.org"}
    message = mail.compose(
        settings, message_id="<m@t>", to="a@example.org", kind="overdue", language="en", values=values
    )
    assert "\n" not in message["Subject"] and "Bcc" not in message


def test_links_are_built_from_the_public_url():
    settings = config.load({"TASKSYNC_PUBLIC_URL": "https://planner.example.org/"})
    assert mail.task_url(settings, 3, 9) == "https://planner.example.org/#/rooms/3/tasks/9"
    assert mail.unsubscribe_url(settings, "abc") == "https://planner.example.org/api/v1/mail/unsubscribe/abc"
    assert config.load({"TASKSYNC_PORT": "8100"}).public_url == "http://127.0.0.1:8100"


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("tls", 465), ("none", 25), ("TLS", 465)])
def test_each_security_has_its_port(security, port):
    settings = config.load({"TASKSYNC_SMTP_SECURITY": security})
    assert (settings.smtp_security, settings.smtp_port) == (security.lower(), port)
    assert config.load({"TASKSYNC_SMTP_SECURITY": security, "TASKSYNC_SMTP_PORT": "2525"}).smtp_port == 2525


@pytest.mark.parametrize(
    "environ", [{"TASKSYNC_SMTP_SECURITY": "ssl"}, {"TASKSYNC_SMTP_PORT": "smtp"}, {"TASKSYNC_MAIL_RETRY_SCALE": "x"}]
)
def test_bad_mail_settings_stop_the_start(environ):
    with pytest.raises(SystemExit):
        config.load(environ)


def test_no_smtp_host_writes_an_eml_file_named_by_its_message_id(tmp_path):
    settings = config.load({"TASKSYNC_DATA_DIR": str(tmp_path)})
    message = mail.compose(
        settings, message_id="<verify-7-ab@tasksync>", to="a@example.org", kind="verify_email", language="uk",
        values=VALUES["verify_email"],
    )  # fmt: skip
    mail.deliver(settings, message, user_id=7)
    mail.deliver(settings, message, user_id=7)  # sent again after a crash: the same file
    assert [p.name for p in (tmp_path / "mail").iterdir()] == ["verify-7-ab_tasksync.eml"]
