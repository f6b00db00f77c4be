"""Join codes: 9 characters of A-Z and 0-9 from a cryptographically secure source."""

import secrets
import string

ALPHABET = string.ascii_uppercase + string.digits
LENGTH = 9


def new_code() -> str:
    """A fresh random code (36^9 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str:
    """Codes are accepted in any letter case (ASCII only: "ß".upper() is "SS", "ı".upper() "I")."""
    code = code.strip()
    return code.upper() if code.isascii() else code


def is_well_formed(code: str) -> bool:
    """True when ``code`` (normalized) could be a join code."""
    return len(code) == LENGTH and all(c in ALPHABET for c in code)
