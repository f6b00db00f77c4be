"""Time as the API shows it: UTC, RFC 3339, whole seconds."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (how the columns store it)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
