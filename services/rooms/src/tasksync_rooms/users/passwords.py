"""Password hashing: argon2id, whose encoded hash fits the 120-character column."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the username is unknown, so both failures cost the same work.
_DUMMY_HASH = _hasher.hash("tasksync-no-such-user")


def _bytes(password: str) -> bytes:
    # surrogatepass: any string a JSON body can carry hashes, even a lone surrogate.
    return password.encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    """The encoded argon2id hash of ``password``."""
    return _hasher.hash(_bytes(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, spend the same time and say False."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, _bytes(password)) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with parameters other than the current ones."""
    return _hasher.check_needs_rehash(password_hash)
