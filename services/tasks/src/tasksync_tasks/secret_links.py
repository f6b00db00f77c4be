"""Addresses that are their own secret (a calendar feed, a reminder mail's unsubscribe link),
reached without a token: how their secrets are made, stored and recognised. Log lines never show
them (tasksync_common.logs)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

# secrets.token_urlsafe(32): 32 random bytes, 43 characters of the URL-safe base64 alphabet.
SECRET_BYTES = 32
_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def make() -> tuple[str, str]:
    """A new secret and the digest it is stored (and found) by."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return secret, digest(secret)


def digest(secret: str) -> str:
    """The hex SHA-256 of ``secret``: what the database keeps and its unique index finds."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def well_formed(secret: str) -> bool:
    """Whether ``secret`` could be one this module made (anything else is not looked up)."""
    return _SHAPE.fullmatch(secret) is not None


def matches(stored_digest: str, secret: str) -> bool:
    """Whether ``secret`` is the one ``stored_digest`` was made from, compared in constant time
    (the row was found by the digest; this check does not let timing tell a near guess)."""
    return hmac.compare_digest(stored_digest.encode(), digest(secret).encode())
