"""Signed, expiring tokens: EdDSA (Ed25519), minted by the rooms service only.

The signing key is derived from TASKSYNC_SECRET_KEY, so that secret is the only thing to keep;
every other process verifies with public keys, fetched as a JWKS from the rooms service.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import jwt
from cachetools import TTLCache
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALGORITHM = "EdDSA"
ISSUER = "tasksync-rooms"
API_AUDIENCE = "tasksync-api"  # tokens people hold
INTERNAL_AUDIENCE = "tasksync-internal"  # short-lived tokens services give each other
REQUIRED_CLAIMS = ["exp", "iat", "sub", "aud", "iss", "jti"]
# A client sends the same token with every request: its checked claims are remembered for a
# while (per process), which saves parsing and an Ed25519 verification on each. A retired key's
# tokens are dropped from memory at most this long after its last successful check.
VERIFIED_TTL = 60
VERIFIED_MAX = 8192


class InvalidToken(Exception):
    """The token is missing, malformed, expired, tampered with, or signed by an unknown key."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def private_key_from_secret(secret: str) -> Ed25519PrivateKey:
    """Derive the Ed25519 signing key from a secret string (HKDF-SHA256)."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tasksync-token-key", info=b"ed25519").derive(
        secret.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """A stable id for a public key: the start of its SHA-256 fingerprint."""
    return _b64(hashlib.sha256(_raw_public(public_key)).digest())[:16]


def new_secret() -> str:
    """A fresh random secret, for the embedded default."""
    return secrets.token_urlsafe(48)


class Signer:
    """Issues tokens with the current key and publishes the public half of every key it knows."""

    def __init__(self, secret: str, previous_secrets: tuple[str, ...] = ()):
        self._key = private_key_from_secret(secret)
        self.kid = key_id(self._key.public_key())
        keys = [self._key.public_key()] + [private_key_from_secret(s).public_key() for s in previous_secrets]
        self.public_keys = {key_id(k): k for k in keys}

    def issue(self, subject: str, audience: str, ttl: int, token_id: str | None = None) -> tuple[str, dict]:
        """Sign a token for ``subject``; return it with its claims."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": subject,
            "iat": now,
            "exp": now + ttl,
            "jti": token_id or secrets.token_urlsafe(16),
        }
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})
        return token, claims

    def jwks(self) -> dict:
        """The public keys as a JSON Web Key Set."""
        return {
            "keys": [
                {"kty": "OKP", "crv": "Ed25519", "alg": ALGORITHM, "use": "sig", "kid": kid, "x": _b64(_raw_public(k))}
                for kid, k in self.public_keys.items()
            ]
        }


def public_keys_from_jwks(document: dict) -> dict[str, Ed25519PublicKey]:
    """Parse a JWKS of Ed25519 keys into {kid: key}."""
    keys = {}
    for entry in document.get("keys", []):
        if entry.get("kty") == "OKP" and entry.get("crv") == "Ed25519" and "kid" in entry:
            raw = base64.urlsafe_b64decode(entry["x"] + "=" * (-len(entry["x"]) % 4))
            keys[entry["kid"]] = Ed25519PublicKey.from_public_bytes(raw)
    return keys


@dataclass(frozen=True)
class Claims:
    """What a verified token says."""

    subject: str
    token_id: str
    expires_at: int
    audience: str

    @property
    def user_id(self) -> int | None:
        """The user a people's token stands for (None for a service token)."""
        return int(self.subject) if self.subject.isdigit() else None


class Verifier:
    """Checks signature, algorithm, audience, issuer and expiry; keys come from ``key_lookup``."""

    def __init__(self, key_lookup: Callable[[str], Ed25519PublicKey | None]):
        self._key_lookup = key_lookup
        self._verified: TTLCache[tuple[str, str], Claims] = TTLCache(maxsize=VERIFIED_MAX, ttl=VERIFIED_TTL)
        self._lock = threading.Lock()  # TTLCache is not thread-safe

    def verify(self, token: str, audience: str) -> Claims:
        """Return the claims of a valid token, or raise InvalidToken."""
        with self._lock:
            claims = self._verified.get((token, audience))
        if claims is not None and time.time() < claims.expires_at:
            return claims
        claims = self._check(token, audience)
        with self._lock:
            self._verified[(token, audience)] = claims
        return claims

    def _check(self, token: str, audience: str) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            if header.get("alg") != ALGORITHM or not isinstance(kid, str):
                raise InvalidToken("unexpected algorithm or key id")
            key = self._key_lookup(kid)
            if key is None:
                raise InvalidToken("unknown signing key")
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=ISSUER,
                options={"require": REQUIRED_CLAIMS},
            )
        except InvalidToken:
            raise
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(str(error)) from None
        if not isinstance(claims["sub"], str) or not isinstance(claims["jti"], str):
            raise InvalidToken("malformed claims")
        return Claims(claims["sub"], claims["jti"], int(claims["exp"]), audience)
