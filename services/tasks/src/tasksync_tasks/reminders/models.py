"""Reminder settings per person, the reminders armed for tasks, and the reminder mails waiting
for the rooms service's mailer to take them."""

from tasksync_common.timestamps import utcnow

from ..extensions import db
from ..tasks.models import UTCDateTime

DEFAULT_BEFORE_DUE = (1440,)  # a day before
DEFAULT_OVERDUE = True
DEFAULT_EMAIL = False
KINDS = ("due_soon", "overdue")
ARMED, FIRED = "armed", "fired"


class ReminderSettings(db.Model):
    """A person's choices; no row means the defaults."""

    __tablename__ = "reminder_settings"

    user_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    before_due = db.Column(db.JSON, nullable=False)  # minutes before the due time, ascending
    overdue = db.Column(db.Boolean, nullable=False)
    email = db.Column(db.Boolean, nullable=False)
    # The secret of the person's unsubscribe link (in every reminder mail), made when mail is first
    # asked for; it is looked up by its SHA-256 (unique), never compared as a string.
    unsubscribe_secret = db.Column(db.String(64), nullable=True)
    unsubscribe_hash = db.Column(db.String(64), nullable=True, unique=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Reminder(db.Model):
    """One reminder of one task for its assignee: ``due_soon`` ``offset_minutes`` before
    ``due_at``, or ``overdue`` (offset 0) at it. Armed until the worker fires it; a disarmed one
    is deleted, a fired one kept, so that the same (task, person, kind, offset, due time) never
    fires twice."""

    __tablename__ = "reminders"
    __table_args__ = (
        db.UniqueConstraint(
            "task_id", "user_id", "kind", "offset_minutes", "due_at", name="uq_reminders_task_user_kind_offset_due"
        ),
        # What is due: the armed rows only, by fire time (fired rows never slow the worker's query).
        db.Index(
            "ix_reminders_armed_fire_at",
            "fire_at",
            postgresql_where=db.text("state = 'armed'"),
            sqlite_where=db.text("state = 'armed'"),
        ),
        db.Index("ix_reminders_user_id_room_id", "user_id", "room_id"),  # a person leaving a room
        {"sqlite_autoincrement": True},
    )

    id = db.Column(db.Integer, primary_key=True)
    task_id = db.Column(db.Integer, db.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False)
    room_id = db.Column(db.Integer, nullable=False)
    user_id = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    offset_minutes = db.Column(db.Integer, nullable=False)
    due_at = db.Column(UTCDateTime, nullable=False)
    fire_at = db.Column(UTCDateTime, nullable=False)
    state = db.Column(db.String(8), nullable=False, default=ARMED)
    fired_at = db.Column(db.DateTime, nullable=True)


class ReminderMail(db.Model):
    """A fired reminder's mail, written in the transaction that fired it, until the rooms
    service's mailer has taken it into its outbox (then it is deleted)."""

    __tablename__ = "reminder_mails"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id = db.Column(db.Integer, primary_key=True)  # oldest first
    message_id = db.Column(db.String(128), nullable=False, unique=True)
    user_id = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    params = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
