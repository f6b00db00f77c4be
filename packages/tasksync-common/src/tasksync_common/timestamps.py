"""Time as the API shows it: UTC, RFC 3339, whole seconds."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (how the columns store it)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
