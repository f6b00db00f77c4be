"""People who can sign in."""

from tasksync_common.timestamps import utcnow

from ..extensions import db


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False)
    # The casefolded username: uniqueness and login ignore letter case in every script.
    username_key = db.Column(db.String(255), nullable=False, unique=True)
    password_hash = db.Column(db.String(120), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
