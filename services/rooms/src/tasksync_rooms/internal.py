"""Routes for the other services only: signing keys, token state, membership answers."""

from apiflask import APIBlueprint

from tasksync_common.auth import user_auth
from tasksync_common.problems import Problem

from .access_tokens.signer import signer
from .rooms import service as rooms

bp = APIBlueprint("internal", __name__, url_prefix="/internal/v1", enable_openapi=False)


@bp.get("/jwks")
def jwks():
    """The public keys tokens are verified with (public by nature)."""
    return signer().jwks()


@bp.get("/tokens/current")
@bp.auth_required(user_auth)
def token_state():
    """204 while the presented token is active (401 otherwise, from the auth check itself)."""
    return "", 204


@bp.get("/rooms/<int:room_id>/members/<int:user_id>")
@bp.auth_required(user_auth)
def member_role(room_id, user_id):
    """The role of a user in a room, for peers that decide access on it; callers see only their rooms."""
    caller = user_auth.current_user.user_id
    if caller != user_id and rooms.role_of(room_id=room_id, user_id=caller) is None:
        raise Problem(404, "Not a member.")
    role = rooms.role_of(room_id=room_id, user_id=user_id)
    if role is None:
        raise Problem(404, "Not a member.")
    return {"role": role}


@bp.get("/users/me/rooms")
@bp.auth_required(user_auth)
def my_rooms():
    """The ids of the caller's rooms now, for peers that gather across rooms (the caller's tasks)."""
    return {"room_ids": rooms.room_ids_of(user_id=user_auth.current_user.user_id)}
