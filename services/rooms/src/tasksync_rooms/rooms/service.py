"""Rooms and membership: every rule about who may see and change a room lives here."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from tasksync_common import after_commit, assigned_access, board_access, peers
from tasksync_common.errors import Conflict, Forbidden, NotFound, Unavailable
from tasksync_common.problems import Problem

from .. import live_notices
from ..access_tokens import service as access_tokens
from ..activity import service as activity
from ..extensions import db
from ..users.models import User
from . import codes
from .models import MEMBER, OWNER, Membership, Room

CODE_ATTEMPTS = 8


# The reads every board open makes are built once and run with parameters, as plain rows: no
# ORM objects, and no cache key rebuilt per request (as in the tasks service).
_ROOMS, _MEMBERS, _USERS = Room.__table__, Membership.__table__, User.__table__
_MEMBER_COUNT = select(func.count()).where(_MEMBERS.c.room_id == _ROOMS.c.id).correlate(_ROOMS).scalar_subquery()
_ROOMS_OF = (
    select(
        _ROOMS.c.id,
        _ROOMS.c.name,
        _ROOMS.c.code,
        _ROOMS.c.owner_id,
        _MEMBERS.c.role,
        _MEMBER_COUNT.label("member_count"),
        _ROOMS.c.created_at,
    )
    .join_from(_ROOMS, _MEMBERS, _MEMBERS.c.room_id == _ROOMS.c.id)
    .where(_MEMBERS.c.user_id == bindparam("user"), _ROOMS.c.deleting.is_(False))
    .order_by(_ROOMS.c.id)
)
_ROOM_OF = _ROOMS_OF.where(_ROOMS.c.id == bindparam("room"))
_MEMBERS_OF = (
    select(_MEMBERS.c.user_id, _USERS.c.username, _MEMBERS.c.role, _MEMBERS.c.joined_at)
    .join_from(_MEMBERS, _USERS, _USERS.c.id == _MEMBERS.c.user_id)
    .join(_ROOMS, _ROOMS.c.id == _MEMBERS.c.room_id)
    .where(_MEMBERS.c.room_id == bindparam("room"), _ROOMS.c.deleting.is_(False))
    .order_by((_MEMBERS.c.role == OWNER).desc(), _MEMBERS.c.joined_at, _MEMBERS.c.user_id)
)


def get_all(*, user_id: int) -> list[dict]:
    """The rooms ``user_id`` belongs to."""
    return [dict(row._mapping) for row in db.session.execute(_ROOMS_OF, {"user": user_id})]


def get(*, room_id: int, user_id: int) -> dict:
    """One room as its member sees it; 404 when it does not exist or they are not in it."""
    row = db.session.execute(_ROOM_OF, {"user": user_id, "room": room_id}).first()
    if row is None:
        raise NotFound("No such room.")
    return dict(row._mapping)


def _username(user_id: int) -> str:
    return activity.usernames([user_id])[user_id]


def _owned(room_id: int, user_id: int) -> Room:
    view = get(room_id=room_id, user_id=user_id)
    if view["role"] != OWNER:
        raise Forbidden("Only the room's owner may do this.")
    return db.session.get_one(Room, room_id)


def _with_fresh_code(write):
    """Run ``write(code)`` and commit, drawing a new code on the rare collision."""
    for _ in range(CODE_ATTEMPTS):
        try:
            result = write(codes.new_code())
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
    raise Unavailable("Could not allocate a room code; try again.")


def create(*, user_id: int, name: str) -> dict:
    """Create a room owned by ``user_id``."""

    def write(code):
        room = Room(name=name, owner_id=user_id, code=code)
        db.session.add(room)
        db.session.flush()
        db.session.add(Membership(user_id=user_id, room_id=room.id, role=OWNER))
        _roles_change(room.id, [user_id])
        return room

    room = _with_fresh_code(write)
    return get(room_id=room.id, user_id=user_id)


def rename(*, room_id: int, user_id: int, name: str) -> dict:
    """Rename a room (owner only)."""
    room = _owned(room_id, user_id)
    if room.name != name:
        data = {"name": name, "changes": {"name": [room.name, name]}}
        activity.record(
            room_id=room_id, kind="room.renamed", actor_id=user_id, actor_username=_username(user_id), data=data
        )
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
        raise NotFound("No room has that code.")
    room_id = room.id  # the commit expires ``room``; its id is all that is needed after it
    if db.session.get(Membership, (user_id, room_id)) is None:
        # The entry first: the membership's INSERT is flushed at the commit, whose IntegrityError
        # (joined twice at once) is handled below, and takes the outbox row back with it.
        username = _username(user_id)
        data = {"user_id": user_id, "username": username}
        activity.record(room_id=room_id, kind="member.joined", actor_id=user_id, actor_username=username, data=data)
        db.session.add(Membership(user_id=user_id, room_id=room_id, role=MEMBER))
    _roles_change(room_id, [user_id])  # for a member already too, so that the cache holds the answer
    try:
        db.session.commit()
    except IntegrityError:  # joined twice at once: the other request won; publish all the same
        db.session.rollback()
        _roles_change(room_id, [user_id])
        db.session.commit()
    return get(room_id=room_id, user_id=user_id)


def members(*, room_id: int, user_id: int) -> list[dict]:
    """The members of a room, owner first (members only)."""
    rows = [dict(row._mapping) for row in db.session.execute(_MEMBERS_OF, {"room": room_id})]
    if not any(row["user_id"] == user_id for row in rows):
        raise NotFound("No such room.")
    return rows


def role_of(*, room_id: int, user_id: int) -> str | None:
    """The role of ``user_id`` in ``room_id``, or None (the answer peers cache)."""
    row = db.session.execute(
        select(Membership.role)
        .join(Room, Room.id == Membership.room_id)
        .where(Membership.room_id == room_id, Membership.user_id == user_id, Room.deleting.is_(False))
    ).first()
    return row[0] if row else None


def room_ids_of(*, user_id: int) -> list[int]:
    """The ids of the rooms ``user_id`` belongs to now, ascending (read from the database, never
    a cache: a room they have just left is not among them)."""
    return list(
        db.session.execute(
            select(Membership.room_id)
            .join(Room, Room.id == Membership.room_id)
            .where(Membership.user_id == user_id, Room.deleting.is_(False))
            .order_by(Membership.room_id)
        ).scalars()
    )


def _roles_change(room_id: int, user_ids: Iterable[int]) -> None:
    """The roles of ``user_ids`` in the room (and so their lists of rooms) change with this
    transaction: once it commits, every service sees them on its very next request."""
    for user_id in user_ids:
        after_commit.defer(
            db.session, board_access.publish_role, room_id, user_id, functools.partial(_load_role, room_id, user_id)
        )
        after_commit.defer(db.session, assigned_access.publish_rooms, user_id, functools.partial(_load_rooms, user_id))


def _load_role(room_id: int, user_id: int) -> str | None:
    role = role_of(room_id=room_id, user_id=user_id)
    db.session.rollback()  # end the read so the next one sees newer commits
    return role


def _load_rooms(user_id: int) -> list[int]:
    rooms = room_ids_of(user_id=user_id)
    db.session.rollback()  # end the read so the next one sees newer commits
    return rooms


def remove_member(*, room_id: int, user_id: int, member_id: int) -> None:
    """Leave (a member removing themself) or remove a member (the owner)."""
    room = get(room_id=room_id, user_id=user_id)
    if member_id == user_id:
        if room["role"] == OWNER:
            raise Conflict("The owner cannot leave their own room; delete it instead.")
    elif room["role"] != OWNER:
        raise Forbidden("Only the room's owner may remove members.")
    membership = db.session.get(Membership, (member_id, room_id))
    if membership is None:
        raise NotFound("That user is not a member of this room.")
    names = activity.usernames([user_id, member_id])
    kind = "member.left" if member_id == user_id else "member.removed"
    data = {"user_id": member_id, "username": names[member_id]}
    activity.record(room_id=room_id, kind=kind, actor_id=user_id, actor_username=names[user_id], data=data)
    db.session.delete(membership)
    _roles_change(room_id, [member_id])
    live_notices.recheck([member_id])  # after the role is published: their streams read it
    db.session.commit()


def delete(*, room_id: int, user_id: int) -> None:
    """Delete a room and its tasks (owner only); if the tasks cannot be deleted, nothing is."""
    room = _owned(room_id, user_id)
    member_ids = [m.user_id for m in db.session.query(Membership).filter_by(room_id=room_id)]
    room.deleting = True
    _roles_change(room_id, member_ids)
    db.session.commit()
    try:
        _delete_tasks(room_id)
    except (Problem, Unavailable):  # the tasks service is unreachable, slow, or refused
        room.deleting = False
        _roles_change(room_id, member_ids)
        db.session.commit()
        raise
    db.session.query(Membership).filter_by(room_id=room_id).delete()
    activity.forget_room(room_id)
    db.session.delete(room)
    live_notices.room_deleted(room_id, member_ids)  # their roles were published as the deletion began
    db.session.commit()


def _delete_tasks(room_id: int) -> None:
    client = peers.tasks_client()
    response = client.request(
        "DELETE",
        f"/internal/v1/rooms/{room_id}/tasks",
        headers={"Authorization": f"Bearer {access_tokens.issue_service_token()}"},
    )
    if response.status != 204:
        raise Unavailable("The tasks service could not delete the room's tasks; try again.")
