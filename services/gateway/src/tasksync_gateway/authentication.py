"""The gateway's token check: the first of every service's, so a bad token never travels on."""

from flask import current_app, g, request

from tasksync_common.problems import Problem


def authenticate():
    """The caller's identity (checked once per request); 401 for a missing or invalid token."""
    if "identity" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        identity = None
        if scheme.lower() == "bearer" and token.strip():
            identity = current_app.extensions["tasksync_authenticator"].authenticate(token.strip())
        if identity is None:
            raise Problem(401, "A valid bearer token is required.")
        g.identity = identity
    return g.identity
