"""Which service owns which public path."""

from __future__ import annotations

import re

# Tasks, and what the tasks service keeps with them: labels (and, under a task's path, its
# comments), every room's history (activity), the caller's tasks across rooms, the caller's
# notifications, reminder settings and the unsubscribe links of reminder mails, and the caller's
# calendar feed (its address, and the feed itself).
_TASKS = re.compile(
    r"^/api/v1/(?:rooms/[^/]+/(?:tasks|labels|activity)|users/me/(?:tasks|calendar|reminders)|notifications"
    r"|calendar|mail/unsubscribe)(?:/|$)"
)
# Reachable without a token; every other /api/v1 path needs one.
PUBLIC_PATHS = frozenset({"/api/v1/auth/register", "/api/v1/auth/login"})
# Also reachable without a token: addresses that are their own secret: a calendar feed (anything
# after the prefix, so that every wrong one is the feed's 404, not a 401) and the unsubscribe link
# of reminder mails (one path segment after the prefix).
PUBLIC_SECRET_PATHS = re.compile(r"^/api/v1/(?:calendar/.+|mail/unsubscribe/[^/]+)$")


def is_public(path: str) -> bool:
    """Whether ``path`` is answered without a token."""
    return path in PUBLIC_PATHS or PUBLIC_SECRET_PATHS.match(path) is not None


def owner_of(path: str) -> str:
    """'tasks' or 'rooms': the service that answers ``path``."""
    return "tasks" if _TASKS.match(path) else "rooms"


def is_safe(path: str) -> bool:
    """False for paths with dot segments, which a client could use to climb out of /api/v1."""
    return not any(segment in (".", "..") for segment in path.split("/"))
