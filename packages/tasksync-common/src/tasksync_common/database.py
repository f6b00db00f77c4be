"""Database set-up shared by the services that own tables (rooms, tasks)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from apiflask import APIFlask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from .config import database_url
from .problems import problem_response

log = logging.getLogger(__name__)


def engine_options(url: str) -> dict:
    """Engine settings: survive a database restart; let SQLite writers wait rather than fail."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5, "pool_recycle": 1800}


def _tune_sqlite(engine: Engine) -> None:
    """WAL for concurrent readers, and BEGIN IMMEDIATE so a read-then-write never fails midway."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app: APIFlask, db: SQLAlchemy, migrate: Migrate, url: str) -> None:
    """Bind ``db`` and ``migrate`` (the service's own) to ``url`` and its migration history,
    and serve /readyz from the database's state."""
    url = database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(url)
    db.init_app(app)
    package_dir = Path(app.root_path)
    # Each service keeps its own history, even when two services share one database.
    version_table = f"alembic_version_{app.import_name.removeprefix('tasksync_')}"
    migrate.init_app(
        app, db, directory=str(package_dir / "migrations"), render_as_batch=True, version_table=version_table
    )
    if url.startswith("sqlite"):
        with app.app_context():
            _tune_sqlite(db.engine)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        log.warning("database unavailable: %s", error.__class__.__name__)
        with contextlib.suppress(Exception):  # the connection is already gone; nothing to undo
            db.session.rollback()
        return problem_response(503, "The database is unavailable; try again shortly.")

    @app.get("/readyz")
    @app.doc(hide=True)
    def readyz():
        """Ready when the database answers."""
        if ping(db):
            return {"status": "ok"}
        return {"status": "unavailable", "database": "unreachable"}, 503


def ping(db: SQLAlchemy) -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True
    except Exception:  # any failure means "not ready", never an error page
        db.session.rollback()
        return False
