"""The web client's files, and the security headers every response carries."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, request, send_from_directory

WEB_DIR = Path(__file__).parent / "web"
bp = Blueprint("web", __name__)

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# Swagger UI sets inline styles; its page may, nothing else may.
DOCS_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.get("/")
def index():
    """The single page of the web client."""
    response = send_from_directory(WEB_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/assets/<path:filename>")
def assets(filename):
    """The client's scripts and styles; revalidated by ETag so a new release shows at once."""
    response = send_from_directory(WEB_DIR, filename, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def add_security_headers(response):
    """Headers every response carries; the policy of a page depends on which page."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    policy = DOCS_POLICY if request.path.startswith("/api/docs") else PAGE_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
