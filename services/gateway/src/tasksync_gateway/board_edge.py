"""Task lists answered at the gateway from the shared cache, without a hop to the tasks service.

Every open board polls its task list; most polls find it unchanged, and most reads ask for a
page the tasks service has already built for the room's current revision. Here the gateway
answers those two cases itself, by the rule the tasks service applies too
(tasksync_common.board_access); the same for the caller's tasks across rooms
(tasksync_common.assigned_access) and for a room's history (tasksync_common.activity_access).
Anything else goes on to the tasks service.
"""

from __future__ import annotations

import re

from flask import Response, request

from tasksync_common import activity_access, assigned_access, board_access
from tasksync_common.auth import Identity
from tasksync_common.fields import MAX_ID

_TASK_LIST = re.compile(r"^/api/v1/rooms/([0-9]{1,10})/tasks/?$")
_MY_TASKS = re.compile(r"^/api/v1/users/me/tasks/?$")
_HISTORY = re.compile(r"^/api/v1/rooms/([0-9]{1,10})(?:/tasks/([0-9]{1,10}))?/activity$")


def answer(path: str, identity: Identity) -> Response | None:
    """A 304 or the cached page for a GET of a task list, or None to forward the request."""
    if request.method != "GET":
        return None
    if_none_match = request.headers.getlist("If-None-Match")
    if _MY_TASKS.match(path):
        return _response(assigned_access.cached_read(identity, request.query_string, if_none_match))
    history = _HISTORY.match(path)
    if history is not None:
        if not all(0 < int(number) <= MAX_ID for number in history.groups() if number is not None):
            return None
        return _response(
            activity_access.cached_read(int(history[1]), identity, path, request.query_string, if_none_match)
        )
    match = _TASK_LIST.match(path)
    if match is None or not 0 < int(match[1]) <= MAX_ID:
        return None
    return _response(board_access.cached_read(int(match[1]), identity, request.query_string, if_none_match))


def _response(read: board_access.CachedRead | None) -> Response | None:
    if read is None:
        return None
    if read.body is None:
        return Response(status=304, headers={"ETag": read.etag})
    return Response(read.body, mimetype="application/json", headers={"ETag": read.etag})
