"""Calendar feeds: making, replacing and turning off a person's feed address, and finding whose
feed an address is and what it shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common.auth import Identity
from tasksync_common.errors import NotFound
from tasksync_common.timestamps import utcnow

from .. import membership, people, secret_links
from ..extensions import db
from ..tasks import service as tasks
from ..tasks.models import Task
from .models import CalendarFeed

# What a feed shows: the person's tasks due from this long ago on, the soonest first, at most
# MAX_TASKS of them, so that the answer stays proportional however many tasks they have.
MAX_TASKS = 2000
PAST_WINDOW = timedelta(days=90)
FEED_PATH = "/api/v1/calendar/{secret}.ics"

_FEEDS = CalendarFeed.__table__
_TASKS = Task.__table__
_OF_USER = select(_FEEDS.c.created_at).where(_FEEDS.c.user_id == bindparam("user"))
_BY_DIGEST = select(_FEEDS.c.user_id, _FEEDS.c.secret_hash, _FEEDS.c.username).where(
    _FEEDS.c.secret_hash == bindparam("digest")
)
_ROOMS_WITH_DUE_TASKS = (
    select(_TASKS.c.room_id)
    .where(_TASKS.c.user_id == bindparam("user"), _TASKS.c.due_at.is_not(None))
    .distinct()
    .order_by(_TASKS.c.room_id)
)


def public_url() -> str:
    """Where people reach TaskSync (TASKSYNC_PUBLIC_URL), never the request's Host."""
    return current_app.config["SETTINGS"].public_url


def feed_url(secret: str) -> str:
    return public_url() + FEED_PATH.format(secret=secret)


def create(caller: Identity) -> dict:
    """A new feed address for the caller, replacing the one they had (which stops working at
    once): ``{"url", "created_at"}``. Only the secret's digest is kept, so the address is
    shown only here."""
    username = people.username(caller)  # asked before the write: no row locked while waiting
    secret, digest = secret_links.make()
    values = {"user_id": caller.user_id, "secret_hash": digest, "username": username, "created_at": utcnow()}
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(_FEEDS).values(values)
    db.session.execute(
        upsert.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"secret_hash": upsert.excluded.secret_hash, "created_at": upsert.excluded.created_at},
        )
    )
    db.session.commit()
    return {"url": feed_url(secret), "created_at": values["created_at"]}


def describe(caller: Identity) -> dict:
    """The caller's feed as it can be shown again: when it was made (its address is not kept);
    404 when they have none."""
    created_at = db.session.execute(_OF_USER, {"user": caller.user_id}).scalar()
    db.session.commit()
    if created_at is None:
        raise NotFound("No calendar feed; create one.")
    return {"url": None, "created_at": created_at}


def delete_feed(caller: Identity) -> None:
    """Turn the caller's feed off (no error when it is off already)."""
    db.session.execute(delete(_FEEDS).where(_FEEDS.c.user_id == caller.user_id))
    db.session.commit()


def owner(secret: str) -> dict:
    """``{"user_id", "username"}`` of the feed whose address carries ``secret``; 404 for any
    other secret, whatever its shape."""
    if secret_links.well_formed(secret):
        digest = secret_links.digest(secret)
        found = db.session.execute(_BY_DIGEST, {"digest": digest}).first()
        db.session.commit()
        if found is not None and secret_links.matches(found.secret_hash, secret):
            return {"user_id": found.user_id, "username": found.username}
    raise NotFound("No such calendar feed.")


def due_tasks(user_id: int) -> list[dict]:
    """What the feed of ``user_id`` shows: the tasks assigned to them that have a due time, in
    the rooms they belong to now (membership.rooms_still_in), due from PAST_WINDOW ago on, the
    soonest first, at most MAX_TASKS."""
    candidates = list(db.session.execute(_ROOMS_WITH_DUE_TASKS, {"user": user_id}).scalars())
    rooms = membership.rooms_still_in(user_id, candidates)
    if not rooms:
        db.session.commit()
        return []
    since = datetime.now(UTC) - PAST_WINDOW
    page = tasks.assigned_page(
        user_id=user_id, room_ids=rooms, query={"due_after": since, "sort": "due", "limit": MAX_TASKS}
    )
    db.session.commit()
    return page["items"]
