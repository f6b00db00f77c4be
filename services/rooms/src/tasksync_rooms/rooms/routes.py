"""Rooms and members: /api/v1/rooms/*."""

from apiflask import APIBlueprint, EmptySchema

from tasksync_common.auth import user_auth

from . import service
from .schemas import JoinIn, MemberList, RoomIn, RoomList, RoomOut

bp = APIBlueprint("rooms", __name__, url_prefix="/api/v1/rooms", tag="Rooms")
ROOM = "/<int:room_id>"


def _me() -> int:
    return user_auth.current_user.user_id


@bp.post("")
@bp.auth_required(user_auth)
@bp.input(RoomIn, arg_name="body")
@bp.output(RoomOut, status_code=201, description="The room created; the caller is its owner")
@bp.doc(summary="Create a room", operation_id="createRoom", responses=[422])
def create_room(body):
    """Create a room; the caller becomes its owner."""
    return service.create(user_id=_me(), name=body["name"])


@bp.get("")
@bp.auth_required(user_auth)
@bp.output(RoomList, description="The caller's rooms")
@bp.doc(summary="My rooms", operation_id="listRooms")
def list_rooms():
    """The rooms the caller belongs to."""
    return {"items": service.get_all(user_id=_me())}


@bp.post("/join")
@bp.auth_required(user_auth)
@bp.input(JoinIn, arg_name="body")
@bp.output(RoomOut, description="The room joined (also when already a member)")
@bp.doc(summary="Join a room by its code", operation_id="joinRoom", responses=[404, 422, 429])
def join_room(body):
    """Join the room whose code this is (any letter case)."""
    return service.join(user_id=_me(), code=body["code"])


@bp.get(ROOM)
@bp.auth_required(user_auth)
@bp.output(RoomOut, description="The room")
@bp.doc(summary="A room", operation_id="getRoom", responses=[404])
def get_room(room_id):
    """One room the caller belongs to."""
    return service.get(room_id=room_id, user_id=_me())


@bp.patch(ROOM)
@bp.auth_required(user_auth)
@bp.input(RoomIn, arg_name="body")
@bp.output(RoomOut, description="The renamed room")
@bp.doc(summary="Rename a room", operation_id="renameRoom", responses=[403, 404, 422])
def rename_room(room_id, body):
    """Rename a room (owner)."""
    return service.rename(room_id=room_id, user_id=_me(), name=body["name"])


@bp.delete(ROOM)
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="Deleted, with its tasks")
@bp.doc(summary="Delete a room and its tasks", operation_id="deleteRoom", responses=[403, 404])
def delete_room(room_id):
    """Delete a room with all its tasks (owner)."""
    service.delete(room_id=room_id, user_id=_me())
    return ""


@bp.post(ROOM + "/code")
@bp.auth_required(user_auth)
@bp.output(RoomOut, description="The room with its new code")
@bp.doc(summary="Give a room a new code", operation_id="rotateRoomCode", responses=[403, 404])
def rotate_code(room_id):
    """Replace the room's join code; the old one stops working (owner)."""
    return service.rotate_code(room_id=room_id, user_id=_me())


@bp.get(ROOM + "/members")
@bp.auth_required(user_auth)
@bp.output(MemberList, description="The members, owner first")
@bp.doc(summary="Members of a room", operation_id="listMembers", responses=[404])
def list_members(room_id):
    """Who is in the room, owner first."""
    return {"items": service.members(room_id=room_id, user_id=_me())}


@bp.delete(ROOM + "/members/<int:user_id>")
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="Left, or removed")
@bp.doc(summary="Leave a room, or remove a member", operation_id="removeMember", responses=[403, 404, 409])
def remove_member(room_id, user_id):
    """A member leaves (their own id), or the owner removes someone."""
    service.remove_member(room_id=room_id, user_id=_me(), member_id=user_id)
    return ""
