"""The web client's files, and the security headers every response carries.

The files are compressed (Flask-Compress: brotli or gzip, whichever the browser takes), each
version of each file once per process, and keep their validators: the compressed representation
has an ETag of its own (the file's, with the coding appended) and Last-Modified, and a revisit
that still holds it is a 304. Behind the production proxy (deploy/nginx) the proxy serves these
files itself; this is what the embedded setup and Kubernetes get.
"""

from __future__ import annotations

from pathlib import Path

from cachelib import SimpleCache
from flask import Blueprint, Flask, Request, Response, request, send_from_directory
from flask_compress import Compress
from werkzeug.security import safe_join

WEB_DIR = Path(__file__).parent / "web"
bp = Blueprint("web", __name__)
compress = Compress()


def _file_version(req: Request) -> str:
    """The compressed-bytes cache key: the file's path, size and change time (an edited file,
    in `make run`, is compressed anew)."""
    name = (req.view_args or {}).get("filename", "index.html")
    path = safe_join(str(WEB_DIR), name)
    stat = Path(path).stat() if path else None
    return f"{name}:{stat.st_size}:{stat.st_mtime_ns}" if stat else name


def init_app(app: Flask) -> None:
    """Compress the web client's files, and only them: API answers keep their bytes and their
    strong ETags (If-Match compares strongly), and cost no compression on the hot path."""
    app.config.setdefault("COMPRESS_REGISTER", False)  # the views below ask for it themselves
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_LEVEL", 9)  # once per file and process: the smallest is worth it
    app.config.setdefault("COMPRESS_BR_LEVEL", 9)
    app.config.setdefault("COMPRESS_CACHE_KEY", _file_version)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", lambda: SimpleCache(threshold=1000, default_timeout=0))
    compress.init_app(app)


def _file(filename: str) -> Response:
    """A file of the client, revalidated by its ETag on every use so that a new release shows at
    once; read whole (not streamed) so that its compressed bytes can be cached and validated."""
    response = send_from_directory(WEB_DIR, filename, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.direct_passthrough = False
    response.make_sequence()
    response.close()  # the file: its bytes are in the response now
    return response


PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# Swagger UI sets inline styles; its page may, nothing else may.
DOCS_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@bp.get("/")
@compress.compressed()
def index():
    """The single page of the web client."""
    return _file("index.html")


@bp.get("/assets/<path:filename>")
@compress.compressed()
def assets(filename):
    """The client's scripts, styles, icons and web app manifest."""
    return _file(filename)


@bp.get("/sw.js", defaults={"filename": "sw.js"})  # the default names the file for the cache key
@compress.compressed()
def service_worker(filename):
    """The service worker, from the root so that its scope is the whole client (a worker controls
    only the paths under its own)."""
    return _file(filename)


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
