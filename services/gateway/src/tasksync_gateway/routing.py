"""Which service owns which public path."""

from __future__ import annotations

import re

# Tasks, and what the tasks service keeps with them: labels (and, under a task's path, its
# comments), every room's history (activity), the caller's tasks across rooms, and the caller's
# notifications.
_TASKS = re.compile(r"^/api/v1/(?:rooms/[^/]+/(?:tasks|labels|activity)|users/me/tasks|notifications)(?:/|$)")
# Reachable without a token; every other /api/v1 path needs one.
PUBLIC_PATHS = frozenset({"/api/v1/auth/register", "/api/v1/auth/login"})


def owner_of(path: str) -> str:
    """'tasks' or 'rooms': the service that answers ``path``."""
    return "tasks" if _TASKS.match(path) else "rooms"


def is_safe(path: str) -> bool:
    """False for paths with dot segments, which a client could use to climb out of /api/v1."""
    return not any(segment in (".", "..") for segment in path.split("/"))
