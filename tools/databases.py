"""Private databases and Redis prefixes for tests: unique names, removed afterwards."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tasksync_common.config import database_url


def postgres_base_url() -> str | None:
    """The server tests may create databases on; in CI its absence is an error, not a skip."""
    url = os.environ.get("TASKSYNC_TEST_POSTGRES_URL")
    if url:
        return database_url(url)
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs TASKSYNC_TEST_POSTGRES_URL: the PostgreSQL tests must run there")
    return url


def redis_url() -> str | None:
    """The Redis tests may use (with their own key prefix); required in CI."""
    url = os.environ.get("TASKSYNC_TEST_REDIS_URL")
    if not url and os.environ.get("CI") == "true":
        raise RuntimeError("CI needs TASKSYNC_TEST_REDIS_URL: the Redis tests must run there")
    return url


@contextmanager
def temporary_postgres_database(base_url: str, label: str):
    """Create an empty database with a unique name; yield its URL; drop it."""
    name = f"tasksync_test_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)  # survives a server restart
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_redis_prefix(url: str):
    """A unique key prefix; every key under it is deleted afterwards."""
    import redis

    prefix = f"tasksync-test-{uuid.uuid4().hex[:10]}:"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
