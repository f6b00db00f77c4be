"""Whether an open stream may go on: by the same cache reads a request makes.

The rooms service publishes a revoked token's state and a member's new role (NOT_MEMBER) to the
shared cache before it sends ``recheck``, so reading them here sees the change. While the rooms
service or the cache cannot answer, a stream goes on: an outage is not a revocation.
"""

from __future__ import annotations

import logging
import time

from tasksync_common import auth, board_access, peers
from tasksync_common.auth import Identity
from tasksync_common.errors import Unauthenticated
from tasksync_common.problems import Problem

from .stream import Stream

log = logging.getLogger(__name__)

TOKEN_EXPIRED = "token_expired"
TOKEN_REVOKED = "token_revoked"
NOT_MEMBER = "not_member"
ROOM_DELETED = "room_deleted"


def denial(stream: Stream) -> str | None:
    """Why ``stream`` may not go on (the reason its ``revoked`` event gives), or None. Needs an
    app context."""
    identity = stream.identity
    try:
        if identity.claims.expires_at <= time.time():
            return TOKEN_EXPIRED
        if not auth.authenticator().is_active(identity):
            return TOKEN_REVOKED
        if stream.room_id is not None and _role(stream.room_id, identity) is None:
            return NOT_MEMBER
    except Unauthenticated:
        return TOKEN_REVOKED
    except Problem as problem:
        if problem.status_code == 401:
            return TOKEN_REVOKED
        log.info("stream of %s not rechecked: %s", stream.topic, problem.status_code)
    except Exception as error:  # the cache unreachable, say: check again at the next chance
        log.info("stream of %s not rechecked: %s", stream.topic, error.__class__.__name__)
    return None


def _role(room_id: int, identity: Identity) -> str | None:
    return board_access.role(room_id, identity.user_id, lambda: _ask_rooms(room_id, identity))


def _ask_rooms(room_id: int, identity: Identity) -> str | None:
    """The caller's role as the rooms service says it (as the tasks service asks on a miss)."""
    response = peers.rooms_client().request(
        "GET", f"/internal/v1/rooms/{room_id}/members/{identity.user_id}", headers=identity.authorization
    )
    if response.status == 200:
        return response.json()["role"]
    if response.status == 404:
        return None
    if response.status == 401:
        raise Unauthenticated()
    raise Problem(503, "The rooms service could not answer.")
