"""Reminders: /api/v1/users/me/reminders (the caller's settings) and the unsubscribe link of
reminder mails, /api/v1/mail/unsubscribe/{secret}, which needs no token: its address is the secret."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response, request

from tasksync_common.auth import user_auth
from tasksync_common.errors import NotFound

from .. import membership
from ..extensions import db
from . import arming, page
from . import settings as reminder_settings
from .schemas import ReminderSettingsIn, ReminderSettingsOut

bp = APIBlueprint("reminders", __name__, url_prefix="/api/v1", tag="Reminders")
MAX_SECRET = 128  # made ones are 43 characters; a longer one is no link


@bp.get("/users/me/reminders")
@bp.auth_required(user_auth)
@bp.output(ReminderSettingsOut, description="The caller's reminder settings")
@bp.doc(summary="My reminder settings", operation_id="getReminderSettings")
def get_reminder_settings():
    """When the caller is reminded of the tasks assigned to them: `before_due` (minutes before
    the due time), `overdue` (once a task passes its due time) and `email` (by mail too).
    Until set: `[1440]`, `true`, `false`."""
    return reminder_settings.of(user_auth.current_user.user_id)


@bp.put("/users/me/reminders")
@bp.auth_required(user_auth)
@bp.input(ReminderSettingsIn, arg_name="body")
@bp.output(ReminderSettingsOut, description="The settings as saved")
@bp.doc(summary="Change my reminder settings", operation_id="putReminderSettings", responses=[422])
def put_reminder_settings(body):
    """Replace the caller's reminder settings (all three fields). The reminders of their open
    tasks with a future due time, in the rooms they are in, are armed anew: an offset whose time
    has passed is skipped, a reminder already sent is not sent again."""
    caller = user_auth.current_user
    rooms = membership.current_rooms(caller)  # asked before any write: no lock held while waiting
    reminder_settings.write(caller.user_id, body)
    arming.settings_changed(caller.user_id, rooms)
    db.session.commit()
    return reminder_settings.of(caller.user_id)


_PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Reminder mail is off (a small page saying so)",
        "content": {"text/html": {"schema": {"type": "string"}}},
    },
    404: {"description": "No such link"},
    429: {"description": "Too many unknown links from this address"},  # counted at the gateway
}


def _unsubscribe(secret: str) -> Response:
    if len(secret) > MAX_SECRET or not reminder_settings.unsubscribe(secret):
        raise NotFound("No such link.")
    html = page.unsubscribed(request.accept_languages.best_match(page.LANGUAGES))
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})


@bp.get("/mail/unsubscribe/<secret>")
@bp.doc(
    summary="Stop reminder mail (the link in every reminder mail)",
    operation_id="unsubscribe",
    responses=_PAGE_RESPONSES,
)
def unsubscribe(secret):
    """Needs no token: the address is the secret. Turns the owner's reminder mail off (`email`:
    `false`) and answers a small page in English and Ukrainian (or the language of
    `Accept-Language`). Unknown links are `404`; failed guesses are throttled per client address."""
    return _unsubscribe(secret)


@bp.post("/mail/unsubscribe/<secret>")
@bp.doc(
    summary="Stop reminder mail in one click (RFC 8058)", operation_id="unsubscribeOneClick", responses=_PAGE_RESPONSES
)
def unsubscribe_one_click(secret):
    """What a mail program sends for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; the
    same as the `GET`."""
    return _unsubscribe(secret)
