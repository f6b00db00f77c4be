"""Board reads answered at the gateway from the shared cache, without a hop to the tasks service.

Every open board polls its task list; most polls find it unchanged, and most reads ask for a
page the tasks service has already built for the room's current revision (see
tasksync_common.board_cache). Here the gateway answers those two cases itself, with the same
rules the tasks service applies: the caller's token is valid (checked before we get here), the
rooms service has published that they are a member and is up, and the revision is current.
Anything else (no cached membership or token state, no cached page, a non-member) goes on to
the tasks service. One cache round trip reads the token's state, the membership and the revision.
"""

from __future__ import annotations

import re

from flask import Response, request

from tasksync_common import auth, peers, preconditions
from tasksync_common.auth import Identity
from tasksync_common.board_cache import list_etag, page_key, revision_key
from tasksync_common.cache import NOT_MEMBER, cache, member_key
from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem

_TASK_LIST = re.compile(r"^/api/v1/rooms/([0-9]{1,10})/tasks/?$")


def answer(path: str, identity: Identity) -> Response | None:
    """A 304 or the cached page for a GET of a task list, or None to forward the request."""
    match = _TASK_LIST.match(path) if request.method == "GET" else None
    if match is None or not 0 < int(match[1]) <= MAX_ID:
        return None
    room_id = int(match[1])
    authenticator = auth.authenticator()
    state, role, revision = cache.get_many(
        authenticator.state_key(identity), member_key(room_id, identity.user_id), revision_key(room_id)
    )
    if state is None or role is None or role == NOT_MEMBER or revision is None:
        return None
    if not authenticator.is_active(identity, state):
        raise Problem(401, "A valid bearer token is required.")
    # Cached answers are trusted only while their publishers are up: membership from the rooms
    # service (as in the tasks service), pages and revisions from the tasks service.
    peers.rooms_liveness().require()
    peers.tasks_liveness().require()
    etag = list_etag(revision, request.query_string)
    if preconditions.none_match(request.headers.getlist("If-None-Match"), etag):
        return Response(status=304, headers={"ETag": etag})
    body = cache.get(page_key(room_id, etag))
    if body is None:
        return None
    return Response(body, mimetype="application/json", headers={"ETag": etag})
