"""Where the data lives: PostgreSQL and Redis when they answer, else the embedded SQLite default.

The full benchmark keeps its databases (tasksync_bench_rooms, tasksync_bench_tasks) so that a
second run reuses the seeded data; the smoke run takes private ones and drops them afterwards.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from tasksync_common.config import database_url
from tools.databases import admin_connection, in_ci, temporary_postgres_database, temporary_redis_prefix

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
DATABASES = {"rooms": "tasksync_bench_rooms", "tasks": "tasksync_bench_tasks"}


@dataclass
class Backend:
    """The two databases and the cache the stack under test is given."""

    kind: str  # "postgres+redis", "postgres" (file cache) or "sqlite"
    rooms_url: str
    tasks_url: str
    redis_url: str | None = None
    cache_prefix: str | None = None

    @property
    def postgres(self) -> bool:
        return self.kind.startswith("postgres")

    def describe(self) -> str:
        where = {"rooms": _safe(self.rooms_url), "tasks": _safe(self.tasks_url)}
        cache = f"Redis {_safe(self.redis_url)} (prefix {self.cache_prefix})" if self.redis_url else "file cache"
        return f"{self.kind}: rooms {where['rooms']}, tasks {where['tasks']}, {cache}"


def _safe(url: str | None) -> str:
    return make_url(url).render_as_string(hide_password=True) if url and "://" in url else str(url)


def postgres_server_url() -> str:
    return (
        os.environ.get("TASKSYNC_BENCH_POSTGRES_URL")
        or os.environ.get("TASKSYNC_TEST_POSTGRES_URL")
        or DEFAULT_POSTGRES
    )


def redis_server_url() -> str:
    return os.environ.get("TASKSYNC_BENCH_REDIS_URL") or os.environ.get("TASKSYNC_TEST_REDIS_URL") or DEFAULT_REDIS


def postgres_answers(url: str) -> bool:
    """True when PostgreSQL at ``url`` accepts a connection within a few seconds."""
    engine = create_engine(database_url(url), poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:  # refused, unknown host, bad credentials: not there, so SQLite
        return False
    finally:
        engine.dispose()


def redis_answers(url: str) -> bool:
    """True when Redis at ``url`` answers PING."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):  # unreachable, refused, malformed URL: no Redis
        return False


def choose() -> tuple[str | None, str | None]:
    """The PostgreSQL server and Redis to use, each None when it does not answer. In CI both
    must answer: the benchmark there measures the production configuration or fails."""
    postgres, redis_url = postgres_server_url(), redis_server_url()
    postgres = postgres if postgres_answers(postgres) else None
    redis_url = redis_url if redis_answers(redis_url) else None
    if in_ci() and not (postgres and redis_url):
        raise RuntimeError("CI needs PostgreSQL and Redis for the benchmark (TASKSYNC_TEST_POSTGRES_URL/REDIS_URL)")
    return postgres, redis_url


def _ensure_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server unless it exists; its URL."""
    with admin_connection(server_url) as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(database_url(server_url)).set(database=name).render_as_string(hide_password=False)


def drop_persistent(server_url: str | None, data_dir: Path) -> None:
    """Forget the full benchmark's data set (``--fresh``)."""
    if server_url:
        with admin_connection(server_url) as connection:
            for name in DATABASES.values():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for path in (data_dir / "sqlite").glob("*.sqlite3*"):
        path.unlink()


@contextlib.contextmanager
def open_backend(persistent: bool, data_dir: Path, fresh: bool = False):
    """Yield the Backend: on the bench databases when ``persistent`` (dropped first when
    ``fresh``), else on private ones that are dropped afterwards. The Redis key prefix is always
    new, and emptied afterwards: a run never meets another run's cached answers (the data set may
    have been reset in between)."""
    postgres, redis_url = choose()
    if persistent and fresh:
        drop_persistent(postgres, data_dir)
    with contextlib.ExitStack() as resources:
        if postgres and persistent:
            urls = {label: _ensure_database(postgres, name) for label, name in DATABASES.items()}
        elif postgres:
            base = database_url(postgres)
            urls = {label: resources.enter_context(temporary_postgres_database(base, label)) for label in DATABASES}
        else:
            folder = data_dir / "sqlite"
            folder.mkdir(parents=True, exist_ok=True)
            urls = {label: f"sqlite:///{folder / f'{label}.sqlite3'}" for label in DATABASES}
        if postgres:
            backend = Backend("postgres+redis" if redis_url else "postgres", urls["rooms"], urls["tasks"])
            if redis_url:
                backend.redis_url = redis_url
                backend.cache_prefix = resources.enter_context(temporary_redis_prefix(redis_url))
        else:
            # The embedded default: SQLite and the file cache, whatever Redis says.
            backend = Backend("sqlite", urls["rooms"], urls["tasks"])
        yield backend
