"""A calendar feed as iCalendar (RFC 5545), built with the icalendar package.

Each task is a VEVENT at its due time: Google Calendar shows only events from a subscribed feed
(it ignores VTODO), Apple Calendar puts subscribed VTODOs nowhere (its to-dos are Reminders,
which subscribes to none), and Thunderbird shows both. An event of DURATION_SHOWN from the due
time is a visible mark in every day and week view; a zero-length one is drawn as a hairline or
not at all."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration

PRODID = "-//TaskSync//Calendar feed//EN"
REFRESH = timedelta(hours=1)  # how often a client should fetch the feed again
DURATION_SHOWN = timedelta(minutes=15)
STATUS_NAMES = {"pending": "Pending", "in progress": "In progress", "completed": "Completed"}
COMPLETED_MARK = "✓ "


def _utc(value: datetime) -> datetime:
    """An instant from a row (naive columns are UTC) as an aware UTC datetime, whole seconds."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=0)


def task_link(public_url: str, task: dict) -> str:
    """The task in the web client."""
    return f"{public_url}/#/rooms/{task['room_id']}/tasks/{task['id']}"


def uid(public_url: str, task_id: int) -> str:
    """The event's UID: the task's id at TaskSync's host, so it stays while the task changes."""
    return f"task-{task_id}@{urlsplit(public_url).hostname or 'tasksync'}"


def render(*, username: str, tasks: Iterable[dict], public_url: str, now: datetime | None = None) -> bytes:
    """The feed of ``username``'s ``tasks`` (rows with id, room_id, title, status, version,
    due_at and updated_at), as bytes in UTF-8."""
    stamp = _utc(now or datetime.now(UTC))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"TaskSync: {username}"
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Apple Calendar, Google Calendar and Thunderbird read
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
    calendar.add("x-published-ttl", vDuration(REFRESH))  # the same hint in the older, widely read form
    for task in tasks:
        calendar.add_component(_event(task, public_url, stamp))
    return calendar.to_ical()


def _event(task: dict, public_url: str, stamp: datetime) -> Event:
    link = task_link(public_url, task)
    status = STATUS_NAMES.get(task["status"], task["status"])
    due = _utc(task["due_at"])
    event = Event()
    event.add("uid", uid(public_url, task["id"]))
    event.add("summary", (COMPLETED_MARK if task["status"] == "completed" else "") + task["title"])
    event.add("description", f"Status: {status}\n{link}")
    event.add("url", link)
    event.add("dtstart", due)
    event.add("dtend", due + DURATION_SHOWN)
    event.add("dtstamp", stamp)
    event.add("last-modified", _utc(task["updated_at"]))
    event.add("sequence", task["version"])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a due time does not make anyone busy
    return event
