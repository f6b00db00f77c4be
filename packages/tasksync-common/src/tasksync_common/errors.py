"""Domain errors: what a service refuses, in the domain's own words.

Service code raises these, never an HTTP problem; ``problems`` is the one place that maps each
kind to its status and problem document. ``detail`` is the sentence a client reads (None: the
usual one for that kind).
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses."""

    def __init__(self, detail: str | None = None):
        super().__init__(detail)
        self.detail = detail


class Unauthenticated(DomainError):
    """Credentials or a token that do not (or no longer) stand for anyone."""


class Forbidden(DomainError):
    """The caller is known, but may not do this."""


class NotFound(DomainError):
    """It does not exist, or not for this caller (a room they cannot see does not exist)."""


class Conflict(DomainError):
    """It clashes with what is there (a name taken, an owner leaving their own room)."""


class Stale(DomainError):
    """The version the caller acts on is no longer the current one."""


class Invalid(DomainError):
    """One field's value is refused, for ``message``."""

    def __init__(self, field: str, message: str):
        super().__init__(f"Invalid field: {field}.")
        self.field = field
        self.message = message


class Unavailable(DomainError):
    """It cannot be done right now; worth trying again (after ``retry_after`` seconds, if given)."""

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None):
        super().__init__(detail)
        self.retry_after = retry_after
