"""Verification codes of e-mail addresses: 8 characters that cannot be misread, stored hashed."""

from __future__ import annotations

import re
import secrets

from .passwords import hash_password, verify_password

# Capital letters and digits without the look-alikes 0/O and 1/I: 32 symbols, 40 bits a code.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
_IGNORED = re.compile(r"[\s-]+")


def new_code() -> str:
    """A fresh random code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """The code as typed, in capitals, without spaces (or the hyphen a person may add)."""
    return _IGNORED.sub("", typed).upper()


def is_well_formed(code: str) -> bool:
    """True when ``code`` (normalised) could have been made by new_code."""
    return len(code) == LENGTH and all(symbol in ALPHABET for symbol in code)


def hash_code(code: str) -> str:
    """What is stored of a code: its argon2id hash, as of a password (never the code itself)."""
    return hash_password(code)


def matches(code_hash: str | None, code: str) -> bool:
    """True when the normalised ``code`` is the one ``code_hash`` was made from."""
    return code_hash is not None and is_well_formed(code) and verify_password(code_hash, code)
