"""Private databases and Redis prefixes for tests: unique names, removed afterwards."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tasksync_common.config import database_url


def in_ci() -> bool:
    """True in CI, where a missing database, Redis, browser or load generator is a failure."""
    return os.environ.get("CI") == "true"


def missing(message: str):
    """A test's prerequisite (a browser, a server program) is absent: a failure in CI, where
    everything must run, and a skip on a developer's machine."""
    if in_ci():
        raise RuntimeError(message)
    import pytest  # only the tests call this; the bench imports this module too

    pytest.skip(message)


@contextmanager
def admin_connection(server_url: str):
    """An autocommit connection to the server, for CREATE and DROP DATABASE; no pool, so it
    survives a server restart."""
    admin = create_engine(database_url(server_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            yield connection
    finally:
        admin.dispose()


def postgres_base_url() -> str | None:
    """The server tests may create databases on; in CI its absence is an error, not a skip."""
    url = os.environ.get("TASKSYNC_TEST_POSTGRES_URL")
    if url:
        return database_url(url)
    if in_ci():
        raise RuntimeError("CI needs TASKSYNC_TEST_POSTGRES_URL: the PostgreSQL tests must run there")
    return url


def redis_url() -> str | None:
    """The Redis tests may use (with their own key prefix); required in CI."""
    url = os.environ.get("TASKSYNC_TEST_REDIS_URL")
    if not url and in_ci():
        raise RuntimeError("CI needs TASKSYNC_TEST_REDIS_URL: the Redis tests must run there")
    return url


@contextmanager
def temporary_postgres_database(base_url: str, label: str):
    """Create an empty database with a unique name; yield its URL; drop it."""
    name = f"tasksync_test_{label}_{uuid.uuid4().hex[:10]}"
    with admin_connection(base_url) as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_connection(base_url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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
