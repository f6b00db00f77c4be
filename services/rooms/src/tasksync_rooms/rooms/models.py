"""Rooms (teams) and who belongs to them."""

from tasksync_common.timestamps import utcnow

from ..extensions import db

OWNER = "owner"
MEMBER = "member"


class Room(db.Model):
    __tablename__ = "rooms"
    # AUTOINCREMENT on SQLite: a deleted room's id is never handed to a new room.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (read once by SQLAlchemy)

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(9), nullable=False, unique=True)
    name = db.Column(db.String(100), nullable=False)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Set while the room's tasks are being deleted: the room is already invisible.
    deleting = db.Column(db.Boolean, nullable=False, default=False)


class Membership(db.Model):
    __tablename__ = "user_rooms"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    room_id = db.Column(db.Integer, db.ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True, index=True)
    role = db.Column(db.String(16), nullable=False, default=MEMBER)
    joined_at = db.Column(db.DateTime, nullable=False, default=utcnow)
