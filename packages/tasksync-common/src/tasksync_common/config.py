"""Configuration from environment variables (12-factor); defaults serve the embedded way."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    """Read an integer variable, naming the variable when it is not one."""
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


def database_url(url: str) -> str:
    """Plain postgres URLs use psycopg2 (the driver we ship), whatever SQLAlchemy's default."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url.removeprefix(plain)
    return url


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    """Read a positive number of seconds, naming the variable when it is not one."""
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from None
    if not 0 < value < 3600:
        raise SystemExit(f"{name} must be between 0 and 3600 seconds, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything a TaskSync process reads from its environment."""

    host: str
    gateway_port: int
    rooms_port: int
    tasks_port: int
    data_dir: Path
    rooms_url: str
    tasks_url: str
    rooms_database_url: str
    tasks_database_url: str
    redis_url: str | None
    cache_prefix: str
    secret_key: str | None
    previous_secret_keys: tuple[str, ...]
    token_ttl: int
    service_timeout: float
    login_failure_limit: str
    join_failure_limit: str
    join_failure_limit_per_address: str
    join_failure_limit_global: str
    signup_limit_per_address: str
    cors_origins: tuple[str, ...]
    trusted_proxies: int
    production: bool
    # Seconds an event stream stays silent before it sends a keep-alive comment (the gateway's).
    events_heartbeat: float = 15.0


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from ``environ`` (the process environment by default)."""
    env = os.environ if environ is None else environ
    host = env.get("TASKSYNC_HOST") or "127.0.0.1"
    gateway_port = _int(env, "TASKSYNC_PORT", 8000)
    rooms_port = _int(env, "ROOMS_PORT", gateway_port + 1)
    tasks_port = _int(env, "TASKS_PORT", gateway_port + 2)
    data_dir = Path(env.get("TASKSYNC_DATA_DIR") or "./var").resolve()
    # Internal services are reached on loopback unless told otherwise (compose, Kubernetes).
    internal_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    previous = env.get("TASKSYNC_PREVIOUS_SECRET_KEYS") or ""
    return Settings(
        host=host,
        gateway_port=gateway_port,
        rooms_port=rooms_port,
        tasks_port=tasks_port,
        data_dir=data_dir,
        rooms_url=(env.get("ROOMS_URL") or f"http://{internal_host}:{rooms_port}").rstrip("/"),
        tasks_url=(env.get("TASKS_URL") or f"http://{internal_host}:{tasks_port}").rstrip("/"),
        rooms_database_url=database_url(env.get("ROOMS_DATABASE_URL") or f"sqlite:///{data_dir / 'rooms.sqlite3'}"),
        tasks_database_url=database_url(env.get("TASKS_DATABASE_URL") or f"sqlite:///{data_dir / 'tasks.sqlite3'}"),
        redis_url=env.get("REDIS_URL") or None,
        cache_prefix=env.get("TASKSYNC_CACHE_PREFIX") or "tasksync:",
        secret_key=env.get("TASKSYNC_SECRET_KEY") or None,
        previous_secret_keys=tuple(k for k in (p.strip() for p in previous.split(",")) if k),
        token_ttl=_int(env, "TASKSYNC_TOKEN_TTL", 12 * 3600),
        service_timeout=float(env.get("TASKSYNC_SERVICE_TIMEOUT") or 5),
        login_failure_limit=env.get("TASKSYNC_LOGIN_FAILURE_LIMIT") or "10 per 15 minutes",
        join_failure_limit=env.get("TASKSYNC_JOIN_FAILURE_LIMIT") or "20 per 15 minutes",
        join_failure_limit_per_address=env.get("TASKSYNC_JOIN_FAILURE_LIMIT_PER_ADDRESS") or "60 per 15 minutes",
        join_failure_limit_global=env.get("TASKSYNC_JOIN_FAILURE_LIMIT_GLOBAL") or "1000 per 15 minutes",
        signup_limit_per_address=env.get("TASKSYNC_SIGNUP_LIMIT_PER_ADDRESS") or "30 per hour",
        cors_origins=tuple(o.strip() for o in (env.get("TASKSYNC_CORS_ORIGINS") or "").split(",") if o.strip()),
        trusted_proxies=_int(env, "TASKSYNC_TRUSTED_PROXIES", 0),
        production=(env.get("TASKSYNC_ENV") or "").lower() == "production",
        events_heartbeat=_number(env, "TASKSYNC_EVENTS_HEARTBEAT", 15.0),
    )
