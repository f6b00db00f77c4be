"""Rooms and membership: every rule about who may see and change a room lives here."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tasksync_common.cache import NOT_MEMBER, member_key, publish
from tasksync_common.problems import Problem

from ..extensions import db
from ..tokens import service as tokens
from ..users.models import User
from . import codes
from .models import MEMBER, OWNER, Membership, Room

CODE_ATTEMPTS = 8


def _member_count():
    return (
        select(func.count())
        .where(Membership.room_id == Room.id)
        .correlate(Room)
        .scalar_subquery()
        .label("member_count")
    )


def _view(room: Room, role: str, member_count: int) -> dict:
    return {
        "id": room.id,
        "name": room.name,
        "code": room.code,
        "owner_id": room.owner_id,
        "role": role,
        "member_count": member_count,
        "created_at": room.created_at,
    }


def _rooms_of(user_id: int, room_id: int | None = None):
    query = (
        select(Room, Membership.role, _member_count())
        .join(Membership, Membership.room_id == Room.id)
        .where(Membership.user_id == user_id, Room.deleting.is_(False))
        .order_by(Room.id)
    )
    if room_id is not None:
        query = query.where(Room.id == room_id)
    return db.session.execute(query).all()


def get_all(*, user_id: int) -> list[dict]:
    """The rooms ``user_id`` belongs to."""
    return [_view(room, role, count) for room, role, count in _rooms_of(user_id)]


def get(*, room_id: int, user_id: int) -> dict:
    """One room as its member sees it; 404 when it does not exist or they are not in it."""
    rows = _rooms_of(user_id, room_id)
    if not rows:
        raise Problem(404, "No such room.")
    room, role, count = rows[0]
    return _view(room, role, count)


def _owned(room_id: int, user_id: int) -> Room:
    view = get(room_id=room_id, user_id=user_id)
    if view["role"] != OWNER:
        raise Problem(403, "Only the room's owner may do this.")
    return db.session.get(Room, room_id)


def _with_fresh_code(write):
    """Run ``write(code)`` and commit, drawing a new code on the rare collision."""
    for _ in range(CODE_ATTEMPTS):
        try:
            result = write(codes.new_code())
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
    raise Problem(503, "Could not allocate a room code; try again.")


def create(*, user_id: int, name: str) -> dict:
    """Create a room owned by ``user_id``."""

    def write(code):
        room = Room(name=name, owner_id=user_id, code=code)
        db.session.add(room)
        db.session.flush()
        db.session.add(Membership(user_id=user_id, room_id=room.id, role=OWNER))
        return room

    room = _with_fresh_code(write)
    _publish_roles(room.id, [user_id])
    return get(room_id=room.id, user_id=user_id)


def rename(*, room_id: int, user_id: int, name: str) -> dict:
    """Rename a room (owner only)."""
    room = _owned(room_id, user_id)
    room.name = name
    db.session.commit()
    return get(room_id=room_id, user_id=user_id)


def rotate_code(*, room_id: int, user_id: int) -> dict:
    """Give a room a new join code; the old one stops working (owner only)."""
    room = _owned(room_id, user_id)
    old = room.code

    def write(code):
        room.code = code if code != old else codes.new_code()

    _with_fresh_code(write)
    return get(room_id=room_id, user_id=user_id)


def join(*, user_id: int, code: str) -> dict:
    """Join the room with ``code``; joining a room twice is not an error."""
    room = db.session.execute(select(Room).where(Room.code == code, Room.deleting.is_(False))).scalar_one_or_none()
    if room is None:
        raise Problem(404, "No room has that code.")
    if db.session.get(Membership, (user_id, room.id)) is None:
        db.session.add(Membership(user_id=user_id, room_id=room.id, role=MEMBER))
        try:
            db.session.commit()
        except IntegrityError:  # joined twice at once: the other request won
            db.session.rollback()
    _publish_roles(room.id, [user_id])
    return get(room_id=room.id, user_id=user_id)


def members(*, room_id: int, user_id: int) -> list[dict]:
    """The members of a room, owner first (members only)."""
    get(room_id=room_id, user_id=user_id)
    rows = db.session.execute(
        select(Membership, User.username)
        .join(User, User.id == Membership.user_id)
        .where(Membership.room_id == room_id)
        .order_by((Membership.role == OWNER).desc(), Membership.joined_at, Membership.user_id)
    ).all()
    return [
        {"user_id": m.user_id, "username": username, "role": m.role, "joined_at": m.joined_at}
        for m, username in rows
    ]


def role_of(*, room_id: int, user_id: int) -> str | None:
    """The role of ``user_id`` in ``room_id``, or None (the answer peers cache)."""
    row = db.session.execute(
        select(Membership.role)
        .join(Room, Room.id == Membership.room_id)
        .where(Membership.room_id == room_id, Membership.user_id == user_id, Room.deleting.is_(False))
    ).first()
    return row[0] if row else None


def _publish_roles(room_id: int, user_ids) -> None:
    """After a committed membership change: every service sees it on the very next request."""

    def load(user_id):
        role = role_of(room_id=room_id, user_id=user_id)
        db.session.rollback()  # end the read so the next one sees newer commits
        return role or NOT_MEMBER

    for user_id in user_ids:
        publish(member_key(room_id, user_id), lambda: load(user_id))


def remove_member(*, room_id: int, user_id: int, member_id: int) -> None:
    """Leave (a member removing themself) or remove a member (the owner)."""
    room = get(room_id=room_id, user_id=user_id)
    if member_id == user_id:
        if room["role"] == OWNER:
            raise Problem(409, "The owner cannot leave their own room; delete it instead.")
    elif room["role"] != OWNER:
        raise Problem(403, "Only the room's owner may remove members.")
    membership = db.session.get(Membership, (member_id, room_id))
    if membership is None:
        raise Problem(404, "That user is not a member of this room.")
    db.session.delete(membership)
    db.session.commit()
    _publish_roles(room_id, [member_id])


def delete(*, room_id: int, user_id: int) -> None:
    """Delete a room and its tasks (owner only); if the tasks cannot be deleted, nothing is."""
    room = _owned(room_id, user_id)
    member_ids = [m.user_id for m in db.session.query(Membership).filter_by(room_id=room_id)]
    room.deleting = True
    db.session.commit()
    _publish_roles(room_id, member_ids)
    try:
        _delete_tasks(room_id)
    except Problem:
        room.deleting = False
        db.session.commit()
        _publish_roles(room_id, member_ids)
        raise
    db.session.query(Membership).filter_by(room_id=room_id).delete()
    db.session.delete(room)
    db.session.commit()


def _delete_tasks(room_id: int) -> None:
    client = current_app.extensions["tasksync_tasks_client"]
    response = client.request(
        "DELETE",
        f"/internal/v1/rooms/{room_id}/tasks",
        headers={"Authorization": f"Bearer {tokens.issue_service_token()}"},
    )
    if response.status != 204:
        raise Problem(503, "The tasks service could not delete the room's tasks; try again.")
