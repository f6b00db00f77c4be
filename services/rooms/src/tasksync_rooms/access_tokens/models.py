"""Issued access tokens, so that one can be revoked before it expires."""

from ..extensions import db


class AccessToken(db.Model):
    __tablename__ = "access_tokens"

    id = db.Column(db.String(32), primary_key=True)  # the token's jti
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    issued_at = db.Column(db.DateTime, nullable=False)
    expires_at = db.Column(db.DateTime, nullable=False, index=True)
    revoked_at = db.Column(db.DateTime, nullable=True)
