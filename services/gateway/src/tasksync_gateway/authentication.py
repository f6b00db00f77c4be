"""The gateway's token check: the first of every service's, so a forged or expired token never
travels on.

Whether a well-signed token was revoked (logout, password change) is asked where the request
is answered: by the service that owns the route, or by board_edge when the gateway answers
from the shared cache itself. Asking here too would cost every request one more cache read.
"""

from flask import g, request

from tasksync_common import auth
from tasksync_common.problems import Problem


def authenticate():
    """The caller's identity (checked once per request); 401 for a missing or invalid token."""
    if "identity" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        identity = None
        if scheme.lower() == "bearer" and token.strip():
            identity = auth.authenticator().verify(token.strip())
        if identity is None:
            raise Problem(401, "A valid bearer token is required.")
        g.identity = identity
    return g.identity
