"""Run the reference app under gunicorn: one process, in one of two worker configurations."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import ROOT
from tools.stack import free_port

# One process either way: the ceiling of a single Flask process, not of a worker pool.
CONFIGS = {
    "1 sync worker": ["--worker-class", "sync"],
    "1 gthread worker, 4 threads": ["--worker-class", "gthread", "--threads", "4"],
}


def _wait(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the reference app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the reference app did not answer /healthz")
        time.sleep(0.2)


@contextlib.contextmanager
def reference_server(database_url: str, config: str, log: Path):
    """Yield (url, master pid) of the reference app running with ``config``; stop it afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "1",
        *CONFIGS[config],
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--graceful-timeout",
        "2",
        "bench.reference.app:create_app()",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command,
            env={**os.environ, "REFERENCE_DATABASE_URL": database_url},
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process)
        yield url, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
