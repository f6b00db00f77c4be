"""The TaskSync stack under test, started the production way: tools.stack.Stack runs each service's
boot.sh (migrations, then gunicorn) with TASKSYNC_ENV=production on free ports."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

import psutil

from tools.stack import SERVICES, Stack, free_port

WORKER_SETTINGS = ("WEB_CONCURRENCY", "GUNICORN_THREADS")


def secret_key(data_dir: Path) -> str:
    """The bench's signing secret, kept in its data folder so that saved tokens stay valid."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def stack_env(backend, data_dir: Path, secret: str) -> dict:
    """The production configuration on ``backend``; worker counts come from this environment
    (WEB_CONCURRENCY, GUNICORN_THREADS) when set, else the services' defaults."""
    env = {
        "TASKSYNC_PORT": str(free_port()),
        "ROOMS_PORT": str(free_port()),
        "TASKS_PORT": str(free_port()),
        "TASKSYNC_DATA_DIR": str(data_dir / "var"),
        "TASKSYNC_ENV": "production",
        "TASKSYNC_SECRET_KEY": secret,
        "ROOMS_DATABASE_URL": backend.rooms_url,
        "TASKS_DATABASE_URL": backend.tasks_url,
        "GUNICORN_GRACEFUL_TIMEOUT": "2",  # wrk's idle keep-alive connections must not hold up the stop
    }
    if backend.redis_url:
        env["REDIS_URL"] = backend.redis_url
        env["TASKSYNC_CACHE_PREFIX"] = backend.cache_prefix
    return env


@contextlib.contextmanager
def running_stack(backend, data_dir: Path, secret: str):
    """Start the three services; yield the Stack; stop them."""
    logs = data_dir / "logs"
    shutil.rmtree(logs, ignore_errors=True)  # access logs of earlier runs: megabytes, and not this run's
    # The file cache (no Redis) would outlive the run; the data set may have been reset since.
    shutil.rmtree(data_dir / "var", ignore_errors=True)
    stack = Stack(stack_env(backend, data_dir, secret), log_dir=logs)
    try:
        stack.start(timeout=120)
    except (RuntimeError, TimeoutError) as error:
        raise RuntimeError(f"TaskSync did not start: {error} (logs in {logs})") from None
    try:
        yield stack
    finally:
        stack.stop()


def master_pids(stack) -> dict[str, int]:
    """Each service's gunicorn master (boot.sh and serve exec into it)."""
    return {name: stack.processes[name].pid for name in SERVICES}


def worker_settings(stack) -> dict[str, dict]:
    """Per service: the worker settings asked for, and the worker processes actually running."""
    asked = {name: os.environ.get(name) or "service default" for name in WORKER_SETTINGS}
    report = {}
    for name, pid in master_pids(stack).items():
        try:
            workers = len(psutil.Process(pid).children())
        except psutil.Error:
            workers = 0
        report[name] = {**asked, "worker_processes": workers}
    return report
