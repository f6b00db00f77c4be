"""Each person's reminder settings (no row: the defaults), and their unsubscribe link's secret."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tasksync_common.timestamps import utcnow

from .. import secret_links
from ..extensions import db
from .models import DEFAULT_BEFORE_DUE, DEFAULT_EMAIL, DEFAULT_OVERDUE, ReminderSettings

_SETTINGS = ReminderSettings.__table__
_SHOWN = (_SETTINGS.c.before_due, _SETTINGS.c.overdue, _SETTINGS.c.email)
_BY_HASH = select(_SETTINGS.c.user_id).where(_SETTINGS.c.unsubscribe_hash == bindparam("hash"))


def defaults() -> dict:
    return {"before_due": list(DEFAULT_BEFORE_DUE), "overdue": DEFAULT_OVERDUE, "email": DEFAULT_EMAIL}


def many(user_ids: Iterable[int]) -> dict[int, dict]:
    """The settings of ``user_ids`` (with ``unsubscribe_secret``, None until made)."""
    found = {user_id: {**defaults(), "unsubscribe_secret": None} for user_id in user_ids}
    if found:
        rows = db.session.execute(
            select(_SETTINGS.c.user_id, *_SHOWN, _SETTINGS.c.unsubscribe_secret).where(
                _SETTINGS.c.user_id.in_(sorted(found))
            )
        )
        for row in rows:
            found[row.user_id] = {
                "before_due": list(row.before_due),
                "overdue": row.overdue,
                "email": row.email,
                "unsubscribe_secret": row.unsubscribe_secret,
            }
    return found


def of(user_id: int) -> dict:
    """The person's settings as the API shows them."""
    chosen = many([user_id])[user_id]
    return {name: chosen[name] for name in ("before_due", "overdue", "email")}


def write(user_id: int, chosen: dict) -> None:
    """Save the person's settings (inside the caller's transaction); turning mail on makes the
    unsubscribe secret if there is none yet."""
    values = {
        "before_due": sorted(chosen["before_due"]),
        "overdue": chosen["overdue"],
        "email": chosen["email"],
        "updated_at": utcnow(),
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(_SETTINGS).values(user_id=user_id, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))
    if chosen["email"]:
        secret, digest = secret_links.make()
        db.session.execute(
            update(_SETTINGS)
            .where(_SETTINGS.c.user_id == user_id, _SETTINGS.c.unsubscribe_secret.is_(None))
            .values(unsubscribe_secret=secret, unsubscribe_hash=digest)
        )


def unsubscribe(secret: str) -> bool:
    """Turn reminder mail off for the person whose link has ``secret``; False for no such link."""
    user_id = db.session.execute(_BY_HASH, {"hash": secret_links.digest(secret)}).scalar()
    if user_id is None:
        db.session.rollback()
        return False
    db.session.execute(update(_SETTINGS).where(_SETTINGS.c.user_id == user_id).values(email=False, updated_at=utcnow()))
    db.session.commit()
    return True
