"""Signing up, signing in, and changing a password."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from tasksync_common.errors import Conflict, Forbidden, Unauthenticated
from tasksync_common.usernames import username_key

from ..access_tokens import service as access_tokens
from ..extensions import db
from .models import User
from .passwords import hash_password, needs_rehash, verify_password

WRONG_CREDENTIALS = "The username or password is wrong."


def get(*, user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _find(username: str) -> User | None:
    # Looser than the sign-up rule: another letter case of a valid name may not itself be one.
    if not 0 < len(username) <= 240 or not username.isprintable():
        return None
    return db.session.query(User).filter_by(username_key=username_key(username)).one_or_none()


def create(*, username: str, password: str) -> User:
    """Register a user; 409 when the name is taken in any letter case."""
    user = User(username=username, username_key=username_key(username), password_hash=hash_password(password))
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
