"""Issuing, checking and revoking access tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask import current_app

from tasksync_common import after_commit
from tasksync_common.cache import REVOKED, cache, token_key
from tasksync_common.signing import API_AUDIENCE, INTERNAL_AUDIENCE, Claims
from tasksync_common.timestamps import utcnow

from .. import live_notices
from ..extensions import db
from .models import AccessToken
from .signer import signer

SERVICE_TOKEN_TTL = 60


def _from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def issue(*, user_id: int) -> tuple[str, int]:
    """Sign a new token for ``user_id`` and record it; return the token and its lifetime."""
    ttl = current_app.config["SETTINGS"].token_ttl
    token, claims = signer().issue(str(user_id), API_AUDIENCE, ttl)
    db.session.add(
        AccessToken(
            id=claims["jti"],
            user_id=user_id,
            issued_at=_from_epoch(claims["iat"]),
            expires_at=_from_epoch(claims["exp"]),
        )
    )
    db.session.query(AccessToken).filter(AccessToken.expires_at < utcnow()).delete()
    db.session.commit()
    return token, ttl


def issue_service_token() -> str:
    """A short-lived token the rooms service presents to its peers."""
    token, _ = signer().issue("service:rooms", INTERNAL_AUDIENCE, SERVICE_TOKEN_TTL)
    return token


def is_active(_token: str, claims: Claims) -> bool:
    """True while the token is recorded and not revoked (the source of truth for every service)."""
    record = db.session.get(AccessToken, claims.token_id)
    return record is not None and record.revoked_at is None and record.user_id == claims.user_id


def _revoke(records: Iterable[AccessToken]) -> None:
    """The one place tokens are revoked: each one's state is published once the revocation
    commits, and then its owner's open event streams check their tokens again."""
    now = utcnow()
    owners = set()
    for record in records:
        record.revoked_at = now
        ttl = int((record.expires_at - now).total_seconds())
        after_commit.defer(db.session, _publish_revoked, record.id, max(1, min(ttl, 3600)))
        owners.add(record.user_id)
    live_notices.recheck(owners)
    db.session.commit()


def _publish_revoked(token_id: str, timeout: int) -> None:
    """After the commit that revoked it: every service refuses the token on its next request."""
    cache.set(token_key(token_id), REVOKED, timeout=timeout)


def revoke(*, token_id: str) -> None:
    """Revoke one token (logout)."""
    _revoke(db.session.query(AccessToken).filter_by(id=token_id, revoked_at=None).all())


def revoke_all(*, user_id: int) -> None:
    """Revoke every token of a user (password change)."""
    _revoke(db.session.query(AccessToken).filter_by(user_id=user_id, revoked_at=None).all())
