"""Fixtures' building blocks for one service's own tests: its app on a real database, and a
transaction per test that is rolled back afterwards."""

from __future__ import annotations

import contextlib
import threading
import uuid

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tasksync_common import config
from tasksync_common.cache import cache
from tasksync_common.signing import API_AUDIENCE, Signer

from .databases import postgres_base_url, temporary_postgres_database

TEST_SECRET = "test-secret-" + "x" * 40


def backends() -> list[str]:
    """SQLite always; PostgreSQL too when the tests have a server (always in CI)."""
    return ["sqlite", "postgres"] if postgres_base_url() else ["sqlite"]


@contextlib.contextmanager
def service_app(
    create_app, backend: str, tmp_path, label: str, env: dict | None = None, revision: str = "head", **kwargs
):
    """The service's app on a fresh database, migrated with the service's own history (up to
    ``revision``)."""
    with contextlib.ExitStack() as resources:
        if backend == "postgres":
            url = resources.enter_context(temporary_postgres_database(postgres_base_url(), label))
        else:
            url = f"sqlite:///{tmp_path / f'{label}.sqlite3'}"
        settings = config.load(
            {
                "TASKSYNC_DATA_DIR": str(tmp_path),
                "TASKSYNC_SECRET_KEY": TEST_SECRET,
                "TASKSYNC_PORT": "9",  # peers are unreachable: a test that needs one must say so
                "TASKSYNC_SERVICE_TIMEOUT": "2",
                **(env or {}),
            }
        )
        app = create_app({"TESTING": True, "DATABASE_URL": url}, settings=settings, **kwargs)
        with app.app_context():
            upgrade(revision=revision)
        yield app
        db = app.extensions["sqlalchemy"]
        with app.app_context():
            db.engine.dispose()


@contextlib.contextmanager
def upgraded_from(create_app, backend: str, tmp_path, env: dict, previous: str, fill, **kwargs):
    """A migration under test: the service's app on a database that its history up to
    ``previous`` built and ``fill(db)`` filled, then upgraded to the head; yields (app, db)
    inside an app context, with an empty cache."""
    with service_app(create_app, backend, tmp_path, "migrate", env, previous, **kwargs) as app:
        db = app.extensions["sqlalchemy"]
        with app.app_context():
            fill(db)
            upgrade()
            cache.clear()
            yield app, db


@contextlib.contextmanager
def rolled_back(app):
    """Run one test inside a transaction that is undone at the end; commits become savepoints."""
    db = app.extensions["sqlalchemy"]
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            cache.clear()
            yield db
        finally:
            db.session.remove()
            transaction.rollback()
            connection.close()
            engines[None] = engine


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def signer() -> Signer:
    """The signer the test apps' tokens come from (the rooms service's, with TEST_SECRET)."""
    return Signer(TEST_SECRET)


def token_for(user_id: int) -> tuple[str, dict]:
    """A valid people's token for ``user_id`` and its claims."""
    return signer().issue(str(user_id), API_AUDIENCE, 600, token_id=uuid.uuid4().hex)


# Fixtures every service's tests share; a service's conftest imports them next to its own `app`.
@pytest.fixture
def db(app):
    """The service's database inside a transaction that is rolled back after the test."""
    with rolled_back(app) as database:
        yield database


@pytest.fixture
def client(app, db):
    """Flask's test client for the service, inside the test's transaction."""
    return app.test_client()
