"""Calendar feeds: /api/v1/users/me/calendar (the caller's feed address) and the feed itself,
/api/v1/calendar/{secret}.ics, which needs no token: its address is the secret."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, EmptySchema
from flask import Response

from tasksync_common.auth import user_auth

from . import feed, service
from .schemas import CalendarFeedOut

bp = APIBlueprint("calendar", __name__, url_prefix="/api/v1", tag="Calendar")
NO_STORE = {"Cache-Control": "no-store"}  # the answers carry the secret, or what it opens

_FEED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The feed: iCalendar (RFC 5545), one VEVENT per task",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    },
    404: {"description": "No such feed (never made, replaced or turned off)"},
    429: {"description": "Too many unknown addresses asked for from this client address"},
}


@bp.post("/users/me/calendar")
@bp.auth_required(user_auth)
@bp.output(CalendarFeedOut, description="The new feed address")
@bp.doc(summary="Make (or replace) my calendar feed address", operation_id="createCalendarFeed")
def create_calendar_feed():
    """A new address of the caller's calendar feed, replacing the one they had, which answers
    `404` from now on. Only the secret's digest is kept: the address is shown here, once."""
    return service.create(user_auth.current_user), 200, NO_STORE


@bp.get("/users/me/calendar")
@bp.auth_required(user_auth)
@bp.output(CalendarFeedOut, description="The caller's feed (its `url` is `null`: it was shown when made)")
@bp.doc(summary="My calendar feed", operation_id="getCalendarFeed", responses=[404])
def get_calendar_feed():
    """Whether the caller has a feed, and since when; `404` when it is off."""
    return service.describe(user_auth.current_user), 200, NO_STORE


@bp.delete("/users/me/calendar")
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="The feed is off")
@bp.doc(summary="Turn my calendar feed off", operation_id="deleteCalendarFeed")
def delete_calendar_feed():
    """Its address answers `404` from now on. `204` too when the feed was off already."""
    service.delete_feed(user_auth.current_user)
    return ""


@bp.get("/calendar/<secret>.ics")
@bp.doc(summary="A calendar feed (subscribe to its address)", operation_id="getCalendar", responses=_FEED_RESPONSES)
def get_calendar(secret):
    """Needs no token: the address is the secret. The tasks assigned to the feed's owner that
    have a due time, in the rooms they are a member of now, due from 90 days ago on, the soonest
    first, at most 2,000. Unknown addresses are `404`; failed guesses are throttled per client
    address (`429`)."""
    found = service.owner(secret)
    body = feed.render(
        username=found["username"], tasks=service.due_tasks(found["user_id"]), public_url=service.public_url()
    )
    return Response(body, mimetype="text/calendar", headers=NO_STORE)
