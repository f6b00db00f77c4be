"""Cache-Control of every API answer, so that nothing personal is kept where it should not be.

Every /api answer but the public OpenAPI document and docs page is about someone: their token,
their rooms, their tasks, or an error that a cache could otherwise keep (RFC 9111 lets a cache
reuse a 404 or 405 heuristically). So an answer is ``no-store`` unless it is a read with a
validator: then it is ``private, no-cache``, which lets the caller's own cache keep it but only
ever reuse it after revalidating with ``If-None-Match`` (a 304 carries the same header), while no
shared cache keeps it at all. A route that sets Cache-Control itself keeps its own.
"""

from __future__ import annotations

from flask import Response, request

NO_STORE = "no-store"
REVALIDATE = "private, no-cache"
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})  # and /api/docs..., the page and its files


def policy(method: str, status: int, has_etag: bool) -> str:
    """The Cache-Control an API answer gets."""
    if method in ("GET", "HEAD") and status in (200, 304) and has_etag:
        return REVALIDATE
    return NO_STORE


def apply(response: Response) -> Response:
    """after_request: the policy, on every /api answer that has not chosen one."""
    path = request.path
    if (path == "/api" or path.startswith("/api/")) and path not in PUBLIC_PATHS and not path.startswith("/api/docs"):
        response.headers.setdefault(
            "Cache-Control", policy(request.method, response.status_code, "ETag" in response.headers)
        )
    return response
