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
    # The language of the mails they get ("en" or "uk"), chosen at sign-up from Accept-Language.
    language = db.Column(db.String(8), nullable=False, default="en", server_default="en")
    # Where their mail goes, once verified: shown to nobody but themselves.
    email = db.Column(db.String(320), nullable=True)
    email_verified = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # The pending verification code of ``email``, hashed as passwords are, and until when it holds.
    email_code_hash = db.Column(db.String(120), nullable=True)
    email_code_expires_at = db.Column(db.DateTime, nullable=True)
