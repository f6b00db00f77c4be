"""Start the three TaskSync services as real processes, each through its boot.sh.

`make run` uses it in the foreground; the test suites use ``Stack`` to get a private stack on
free ports with its own data folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("rooms", "tasks", "gateway")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """The gateway, rooms and tasks services, started with ``env`` added to this environment."""

    def __init__(self, env: dict | None = None, log_dir: Path | None = None):
        self.env = {**os.environ, **(env or {})}
        # boot.sh runs `python`: make it this interpreter's (the project's virtual environment).
        self.env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + self.env.get("PATH", "")
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}
        port = int(self.env.get("TASKSYNC_PORT") or 8000)
        host = self.env.get("TASKSYNC_HOST") or "127.0.0.1"
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
        self.service_urls = {
            "gateway": self.url,
            "rooms": f"http://127.0.0.1:{self.env.get('ROOMS_PORT') or port + 1}",
            "tasks": f"http://127.0.0.1:{self.env.get('TASKS_PORT') or port + 2}",
        }

    def start_service(self, name: str, replica: str | None = None, **env) -> None:
        """Start (or restart) one service; a named ``replica`` is an extra process of it, with
        ``env`` added to its environment (its own port, say)."""
        label = f"{name}-{replica}" if replica else name
        port_variable = {"rooms": "ROOMS_PORT", "tasks": "TASKS_PORT", "gateway": "TASKSYNC_PORT"}[name]
        if port_variable in env:
            self.service_urls[label] = f"http://127.0.0.1:{env[port_variable]}"
        with contextlib.ExitStack() as files:
            output = None
            if self.log_dir:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                output = files.enter_context(open(self.log_dir / f"{label}.log", "ab"))
            self.processes[label] = subprocess.Popen(
                ["sh", str(ROOT / "services" / name / "boot.sh")],
                env={**self.env, **env},
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,  # its own process group: stopping it stops its workers
            )

    def wait_ready(self, timeout: float = 90) -> None:
        """Block until every service answers /healthz and the gateway's /readyz says ready."""
        deadline = time.monotonic() + timeout
        pending = [f"{url}/healthz" for url in self.service_urls.values()] + [f"{self.url}/readyz"]
        while pending:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"the {name} service exited with {process.returncode}; see its log")
            if _answers(pending[0]):
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"TaskSync did not become ready: {pending[0]} does not answer")
            time.sleep(0.2)

    def start(self, timeout: float = 90) -> Stack:
        """Start all three services and wait until they serve."""
        for name in SERVICES:
            self.start_service(name)
        try:
            self.wait_ready(timeout)
        except Exception:
            self.stop()
            raise
        return self

    def stop_service(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        """Stop one service and all its workers."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """Stop every service: signal all, then wait for each."""
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name in list(self.processes):
            self.stop_service(name)


@contextlib.contextmanager
def private_stack(data_dir: Path, backend: str, extra_env: dict | None = None):
    """A stack on free ports with ``data_dir`` of its own; ``backend`` "postgres" is the production
    configuration (PostgreSQL, Redis when the tests have one, several workers, a strong secret)
    on databases and a Redis key prefix created for it and removed afterwards."""
    from .databases import postgres_base_url, redis_url, temporary_postgres_database, temporary_redis_prefix

    env = {
        "TASKSYNC_PORT": str(free_port()),
        "ROOMS_PORT": str(free_port()),
        "TASKS_PORT": str(free_port()),
        "TASKSYNC_DATA_DIR": str(data_dir),
        "GUNICORN_GRACEFUL_TIMEOUT": "2",  # idle keep-alive connections must not hold up a restart
        # The suites sign up hundreds of people from one address; a test of the limit sets its own.
        "TASKSYNC_SIGNUP_LIMIT_PER_ADDRESS": "100000 per hour",
        # Likewise verification mails and wrong codes (the fuzzer sends many); test_email sets its own.
        "TASKSYNC_EMAIL_CODE_LIMIT": "100000 per hour",
        "TASKSYNC_EMAIL_VERIFY_FAILURE_LIMIT": "100000 per 15 minutes",
    }
    with contextlib.ExitStack() as resources:
        if backend == "postgres":
            base = postgres_base_url()
            env["ROOMS_DATABASE_URL"] = resources.enter_context(temporary_postgres_database(base, "rooms"))
            env["TASKS_DATABASE_URL"] = resources.enter_context(temporary_postgres_database(base, "tasks"))
            env["TASKSYNC_ENV"] = "production"
            env["TASKSYNC_SECRET_KEY"] = secrets.token_urlsafe(48)
            env["WEB_CONCURRENCY"] = "2"
            if redis_url():
                env["REDIS_URL"] = redis_url()
                env["TASKSYNC_CACHE_PREFIX"] = resources.enter_context(temporary_redis_prefix(redis_url()))
        stack = Stack({**env, **(extra_env or {})}, log_dir=data_dir / "logs")
        stack.backend = backend
        stack.start()
        resources.callback(stack.stop)
        yield stack


def main() -> None:
    """`make run`: start everything in the foreground until Ctrl-C."""
    stack = Stack()
    stopping = False

    def on_signal(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
    except (RuntimeError, TimeoutError) as error:
        raise SystemExit(f"TaskSync could not start: {error}") from None
    print(f"\nTaskSync is running at {stack.url}  (API docs: {stack.url}/api/docs). Ctrl-C stops it.\n", flush=True)
    while not stopping and all(p.poll() is None for p in stack.processes.values()):
        time.sleep(0.5)
    stack.stop()
    print("TaskSync stopped.", flush=True)


if __name__ == "__main__":
    main()
