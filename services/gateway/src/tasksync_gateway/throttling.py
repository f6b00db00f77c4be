"""Throttling of sign-ups, failed logins, failed joins, verification mails, wrong verification
codes and guessed secret addresses (Flask-Limiter; Redis when REDIS_URL is set).

For logins and joins only failures are counted (``deduct_when``), but once the limit is reached
every attempt is refused until the window passes, even one with the right password or code.
Every sign-up attempt counts (see ``limit_sign_ups``).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit

from tasksync_common.problems import problem_response
from tasksync_common.request_body import read_body

from .authentication import authenticate

limiter = Limiter(key_func=lambda: request.remote_addr or "", headers_enabled=False)
THROTTLED_ENDPOINTS = frozenset(
    {
        "api.register",
        "api.login",
        "api.join_room",
        "api.update_me",
        "api.verify_email",
        "api.calendar_feed",
        "api.unsubscribe",
    }
)


@limiter.request_filter
def _not_throttled() -> bool:
    """Only the endpoints above have limits: every other request skips the limiter's lookups."""
    return request.endpoint not in THROTTLED_ENDPOINTS


def _settings():
    return current_app.config["SETTINGS"]


def _refusal(what: str) -> Callable[[RequestLimit], Response]:
    """An ``on_breach`` that answers 429 with the real wait, saying what there were too many of."""

    def too_many(limit: RequestLimit) -> Response:
        wait = max(1, math.ceil(limit.reset_at - time.time()))
        return problem_response(
            429, f"Too many {what}; try again in {wait} seconds.", headers={"Retry-After": str(wait)}
        )

    return too_many


_too_many = _refusal("failed attempts")


# A login body is a username and a password; one larger than this is not parsed here (a body
# built to be costly to parse would cost the gateway as much as the rooms service) and counts
# against the client address's one counter for large bodies: never a looser limit.
LOGIN_KEY_BODY_BYTES = 64 * 1024


def _login_key() -> str:
    """One counter per client address and username (in any letter case)."""
    body = read_body()
    if len(body) > LOGIN_KEY_BODY_BYTES:
        return f"login:{request.remote_addr}:large-body"
    try:
        username = json.loads(body or b"{}").get("username", "")
    except (ValueError, RecursionError, AttributeError):
        username = ""
    if not isinstance(username, str):
        username = ""
    # Hashed: any string a body can carry (a lone surrogate, say) makes a valid store key.
    digest = hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"login:{request.remote_addr}:{digest}"


def _join_key() -> str:
    """One counter per signed-in user (the token was already checked to reach a 404)."""
    return f"join:{authenticate().user_id}"


limit_failed_logins = limiter.limit(
    lambda: _settings().login_failure_limit,
    key_func=_login_key,
    deduct_when=lambda response: response.status_code == 401,
    on_breach=_too_many,
    methods=["POST"],
)


# Every attempt counts, not only the accounts made: each one that is well formed costs an argon2
# hash (made before the name is known to be free), a 409 tells whether a name is taken (counting
# only successes would leave that enumeration and the hashing unlimited), and the web client
# checks the form before it sends, so a person rarely spends an attempt on a typo.
limit_sign_ups = limiter.limit(
    lambda: _settings().signup_limit_per_address,
    key_func=lambda: f"signup:{request.remote_addr}",
    on_breach=_refusal("sign-ups from this address"),
    methods=["POST"],
)


def _failed_joins(limit, key_func):
    return limiter.limit(
        limit,
        key_func=key_func,
        deduct_when=lambda response: response.status_code == 404,
        on_breach=_too_many,
        methods=["POST"],
    )


def limit_failed_joins(view):
    """Failed joins are counted per user, per client address, and for everyone together, so
    that neither one account nor many accounts at once can guess codes."""
    for limit, key_func in (
        (lambda: _settings().join_failure_limit, _join_key),
        (lambda: _settings().join_failure_limit_per_address, lambda: f"join-address:{request.remote_addr}"),
        (lambda: _settings().join_failure_limit_global, lambda: "join-everyone"),
    ):
        view = _failed_joins(limit, key_func)(view)
    return view


def _names_an_address() -> bool:
    """True for a PATCH of users/me whose body sets an address (each such one may send a code)."""
    body = read_body()
    if len(body) > LOGIN_KEY_BODY_BYTES:
        return True  # not parsed here (see LOGIN_KEY_BODY_BYTES): counted, never a looser limit
    try:
        return isinstance(json.loads(body or b"{}").get("email"), str)
    except (ValueError, RecursionError, AttributeError):
        return False


# Each address set (a new one, or the same one again for a new code) sends a verification mail:
# so many per user, so that nobody can make TaskSync mail a stranger's address without end.
limit_verification_mails = limiter.limit(
    lambda: _settings().email_code_limit,
    key_func=lambda: f"email-code:{authenticate().user_id}",
    exempt_when=lambda: not _names_an_address(),
    deduct_when=lambda response: response.status_code == 200,
    on_breach=_refusal("verification mails"),
    methods=["PATCH"],
)

# An 8-character code is guessed only by trying: wrong codes (a 422) are counted per user.
limit_wrong_codes = limiter.limit(
    lambda: _settings().email_verify_failure_limit,
    key_func=lambda: f"email-verify:{authenticate().user_id}",
    deduct_when=lambda response: response.status_code == 422,
    on_breach=_refusal("wrong codes"),
    methods=["POST"],
)

# An address that is its own secret (a calendar feed, an unsubscribe link) answers 404 when it is
# wrong: those are counted per client address, whatever the method (a HEAD finds a feed as well as
# a GET), so that nobody can try secrets at speed.
limit_secret_guesses = limiter.limit(
    lambda: _settings().secret_guess_limit_per_address,
    key_func=lambda: f"secret-guess:{request.remote_addr}",
    deduct_when=lambda response: response.status_code == 404,
    on_breach=_too_many,
)


def init_app(app: Flask) -> None:
    """Use Redis for the counters when configured, so every worker and replica counts together."""
    settings = app.config["SETTINGS"]
    if settings.redis_url:
        app.config.setdefault("RATELIMIT_STORAGE_URI", settings.redis_url)
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"key_prefix": settings.cache_prefix + "limits"})
    else:
        app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def throttled(error):
        """The problem document ``_too_many`` built, with the real wait."""
        return error.response or problem_response(429)
