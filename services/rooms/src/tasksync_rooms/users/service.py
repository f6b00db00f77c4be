"""Signing up, signing in, and changing a password."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy.exc import IntegrityError

from tasksync_common import after_commit
from tasksync_common.errors import Conflict, Forbidden, Invalid, Unauthenticated
from tasksync_common.timestamps import utcnow
from tasksync_common.usernames import username_key

from ..access_tokens import service as access_tokens
from ..extensions import db
from ..mail import outbox, sender
from . import verification
from .models import User
from .passwords import hash_password, needs_rehash, verify_password

VERIFY_EMAIL = "verify_email"
# Passed for "not in the request" (None means "remove" for the address).
UNCHANGED = object()

WRONG_CREDENTIALS = "The username or password is wrong."


def get(*, user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _find(username: str) -> User | None:
    # Looser than the sign-up rule: another letter case of a valid name may not itself be one.
    if not 0 < len(username) <= 240 or not username.isprintable():
        return None
    return db.session.query(User).filter_by(username_key=username_key(username)).one_or_none()


def create(*, username: str, password: str, language: str = "en") -> User:
    """Register a user; 409 when the name is taken in any letter case."""
    user = User(
        username=username,
        username_key=username_key(username),
        password_hash=hash_password(password),
        language=language,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("That username is taken.") from None
    return user


def authenticate(*, username: str, password: str) -> User:
    """The user these credentials belong to; one 401 for an unknown name and a wrong password."""
    user = _find(username)
    # The hash check comes first: an unknown name costs as much time as a wrong password.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthenticated(WRONG_CREDENTIALS)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Set a new password and revoke every token issued before; 403 on a wrong current one."""
    if not verify_password(user.password_hash, current_password):
        raise Forbidden("The current password is wrong.")
    user.password_hash = hash_password(new_password)
    db.session.commit()
    access_tokens.revoke_all(user_id=user.id)


def update(*, user: User, language: object = UNCHANGED, email: object = UNCHANGED) -> User:
    """Change a user's language and address. A new address (or the same one while it is not yet
    verified: a new code) is unverified and gets a verification mail with a fresh code, which
    replaces any earlier one; the verified address again changes nothing; None removes it."""
    if language is not UNCHANGED:
        user.language = language
    if email is None:
        user.email, user.email_verified = None, False
        _forget_code(user)
    elif email is not UNCHANGED and not (email == user.email and user.email_verified):
        user.email, user.email_verified = email, False
        _send_code(user)
    db.session.commit()
    return user


def _forget_code(user: User) -> None:
    user.email_code_hash = user.email_code_expires_at = None
    outbox.drop_waiting(user_id=user.id, kind=VERIFY_EMAIL, reason="a newer address or code")


def _send_code(user: User) -> None:
    """A new code for the user's address: its hash kept, the code itself only in the mail."""
    _forget_code(user)
    code = verification.new_code()
    user.email_code_hash = verification.hash_code(code)
    ttl = current_app.config["SETTINGS"].email_code_ttl
    user.email_code_expires_at = utcnow() + dt.timedelta(seconds=ttl)
    outbox.queue(
        message_id=f"<verify-{user.id}-{secrets.token_hex(8)}@tasksync>",
        user_id=user.id,
        kind=VERIFY_EMAIL,
        params={"email": user.email, "code": code},
    )
    after_commit.defer(db.session, sender.wake)


def verify_email(*, user: User, code: str) -> None:
    """Mark the user's address verified when ``code`` is its pending code (in any letter case,
    spaces ignored); 422 naming ``code`` when it is wrong, expired or there is none."""
    typed = verification.normalize(code)
    if user.email is None or user.email_code_hash is None:
        raise Invalid("code", "No code is waiting: set your address first.")
    if user.email_code_expires_at is None or user.email_code_expires_at <= utcnow():
        raise Invalid("code", "The code has expired: set your address again for a new one.")
    if not verification.matches(user.email_code_hash, typed):
        raise Invalid("code", "The code is wrong.")
    user.email_verified = True
    user.email_code_hash = user.email_code_expires_at = None
    db.session.commit()
