"""Start one TaskSync service the production way: migrations first, then gunicorn.

    python -m tasksync_common.serve rooms|tasks|gateway

Every way of running TaskSync (make run, the tests, docker compose, Kubernetes) starts a service
with this command, through the service's boot.sh.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import zlib
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import Engine

from . import config

SERVICES = {"gateway": "tasksync_gateway", "rooms": "tasksync_rooms", "tasks": "tasksync_tasks"}


def bind_address(name: str, settings: config.Settings) -> str:
    """host:port a service listens on (the gateway on TASKSYNC_HOST, the others internally)."""
    if name == "gateway":
        return f"{settings.host}:{settings.gateway_port}"
    host = os.environ.get("TASKSYNC_SERVICE_HOST") or "127.0.0.1"
    port = settings.rooms_port if name == "rooms" else settings.tasks_port
    return f"{host}:{port}"


def apply_migrations(module_name: str) -> None:
    """Upgrade the service's database to its newest migration, waiting (bounded) for it to accept us."""
    from flask_migrate import upgrade
    from sqlalchemy.exc import OperationalError

    app = importlib.import_module(module_name).create_app()
    deadline = time.monotonic() + float(os.environ.get("TASKSYNC_DB_WAIT", "60"))
    with app.app_context():
        while True:
            try:
                with _migration_lock(app.extensions["sqlalchemy"].engine, module_name):
                    upgrade()
                return
            except OperationalError as error:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{module_name}: the database did not accept connections: {error}") from None
                print(f"{module_name}: waiting for the database…", file=sys.stderr, flush=True)
                time.sleep(1)


@contextlib.contextmanager
def _migration_lock(engine: Engine, module_name: str) -> Iterator[None]:
    """On PostgreSQL, replicas starting together migrate one after the other (advisory lock);
    SQLite serialises writers by itself."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = zlib.crc32(module_name.encode())
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[1] not in SERVICES:
        raise SystemExit("usage: python -m tasksync_common.serve gateway|rooms|tasks")
    name = argv[1]
    module_name = SERVICES[name]
    settings = config.load()
    # Kubernetes runs migrations once per release in a Job and turns this off in the Deployments.
    if name != "gateway" and os.environ.get("TASKSYNC_MIGRATE_ON_START", "true").lower() != "false":
        apply_migrations(module_name)
    os.environ["TASKSYNC_SERVICE"] = name
    # glibc raises its mmap threshold after a large block is freed, so the next 19 MiB argon2
    # buffer comes from the heap and stays there: a fixed threshold gives such blocks back.
    os.environ.setdefault("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=262144")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:tasksync_common.gunicorn_config",
        "--bind",
        bind_address(name, settings),
        f"{module_name}:create_app()",
    ]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main(sys.argv)
