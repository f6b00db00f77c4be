"""Password hashing: argon2id, whose encoded hash fits the 120-character column."""

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 50 ms a hash here.
# The library's default (64 MiB, 3 passes, 4 lanes) took about 1 s on this 2-core machine, and a
# burst of 16 sign-ups then queued past the gateway's timeout. Hashes made with other parameters
# are upgraded on the next successful login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# At most two hashes at once per process: a burst waits its turn instead of exhausting memory.
_slots = threading.BoundedSemaphore(2)
# Verified against when the username is unknown, so both failures cost the same work.
_DUMMY_HASH = _hasher.hash("tasksync-no-such-user")


def _bytes(password: str) -> bytes:
    # surrogatepass: any string a JSON body can carry hashes, even a lone surrogate.
    return password.encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    """The encoded argon2id hash of ``password``."""
    with _slots:
        return _hasher.hash(_bytes(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, spend the same time and say False."""
    try:
        with _slots:
            _hasher.verify(password_hash or _DUMMY_HASH, _bytes(password))  # raises when it does not match
        return password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with parameters other than the current ones."""
    return _hasher.check_needs_rehash(password_hash)
