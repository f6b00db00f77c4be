"""Calendar feeds: at most one per person, known only by the SHA-256 of its secret."""

from tasksync_common.timestamps import utcnow

from ..extensions import db


class CalendarFeed(db.Model):
    """A person's feed. The secret itself is never stored: the address is shown once, when it is
    made, and a feed is found by the hash of the secret its address carries."""

    __tablename__ = "calendar_feeds"

    user_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    secret_hash = db.Column(db.String(64), nullable=False, unique=True)  # hex SHA-256
    # Usernames never change: kept for the feed's name, which is read without the person's token.
    username = db.Column(db.String(80), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
