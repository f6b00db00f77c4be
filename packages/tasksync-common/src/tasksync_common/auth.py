"""Bearer-token authentication, the same in every service.

A token is valid when its signature and claims verify and the rooms service has not revoked it
(logout, password change). Revocation state is read through the shared cache; on a miss each
service asks the source of truth through ``token_state``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from apiflask import HTTPTokenAuth
from flask import Flask, current_app

from .cache import ACTIVE, REVOKED, read_through, token_key
from .errors import Unauthenticated
from .signing import API_AUDIENCE, INTERNAL_AUDIENCE, Claims, InvalidToken, Verifier

EXTENSION = "tasksync_authenticator"


@dataclass(frozen=True)
class Identity:
    """Who a request speaks for, and the token it came with (forwarded on calls to peers)."""

    claims: Claims
    token: str

    @property
    def user_id(self) -> int:
        """The user a people's token stands for; no route reads it from a service's token."""
        user_id = self.claims.user_id
        if user_id is None:
            raise Unauthenticated()
        return user_id

    @property
    def authorization(self) -> dict:
        """The header that carries this identity to a peer service."""
        return {"Authorization": f"Bearer {self.token}"}


class Authenticator:
    """Verifies tokens; ``token_state(token, claims)`` tells whether an issued token is still active."""

    def __init__(self, verifier: Verifier, token_state: Callable[[str, Claims], bool]):
        self.verifier = verifier
        self.token_state = token_state

    def authenticate(self, token: str, audience: str = API_AUDIENCE) -> Identity | None:
        """Return the identity behind ``token``, or None when it is not valid (or was revoked)."""
        identity = self.verify(token, audience)
        if identity is None or (audience == API_AUDIENCE and not self.is_active(identity)):
            return None
        return identity

    def verify(self, token: str, audience: str = API_AUDIENCE) -> Identity | None:
        """The identity behind a token whose signature and claims are valid, not asking whether
        it was revoked since; None otherwise."""
        if not token or len(token) > 4096:
            return None
        try:
            return Identity(self.verifier.verify(token, audience), token)
        except InvalidToken:
            return None

    def is_active(self, identity: Identity, state: str | None = None) -> bool:
        """Whether the token was not revoked; ``state`` is its cached state when the caller has
        already read it (see ``state_key``), else it is read through the cache."""
        if state is None:
            claims = identity.claims
            state = read_through(
                self.state_key(identity),
                lambda: ACTIVE if self.token_state(identity.token, claims) else REVOKED,
                timeout=max(1, min(claims.expires_at - int(time.time()), 3600)),
            )
        return state == ACTIVE

    @staticmethod
    def state_key(identity: Identity) -> str:
        """The shared cache key of the token's state (ACTIVE or REVOKED)."""
        return token_key(identity.claims.token_id)


def init_app(app: Flask, authenticator: Authenticator) -> None:
    """Install the service's authenticator, used by ``user_auth`` and ``service_auth``."""
    app.extensions[EXTENSION] = authenticator


def authenticator() -> Authenticator:
    """The current app's authenticator."""
    return current_app.extensions[EXTENSION]


def _verifier_for(audience: str) -> Callable[[str], Identity | None]:
    def verify(token: str) -> Identity | None:
        return authenticator().authenticate(token, audience)

    return verify


class _BearerAuth(HTTPTokenAuth):
    """APIFlask's bearer token check, saying what it lets through."""

    @property
    def current_user(self) -> Identity:
        """Who the request speaks for, in a route that requires this check."""
        return cast(Identity, super().current_user)


# People's tokens (the public API, and peers calling on a person's behalf).
user_auth = _BearerAuth(scheme="Bearer", security_scheme_name="BearerAuth")
user_auth.verify_token(_verifier_for(API_AUDIENCE))

# Short-lived tokens that the rooms service gives itself to call peers (never seen by people).
service_auth = _BearerAuth(scheme="Bearer", security_scheme_name="ServiceAuth")
service_auth.verify_token(_verifier_for(INTERNAL_AUDIENCE))
