"""The production reverse proxy (deploy/nginx) run on this machine: the repository's nginx.conf with
its container paths and ports moved to a folder and loopback ports of its own, nothing else
changed. tests/deploy/test_proxy.py puts it in front of a real stack.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .stack import ROOT, free_port

NGINX_DIR = ROOT / "deploy" / "nginx"
WEB_DIR = ROOT / "services" / "gateway" / "src" / "tasksync_gateway" / "web"
# What the container has, and where it is here ("/tmp/" first: the folder may be under /tmp).
CONTAINER_PATHS = {
    "/tmp/": "{folder}/",
    "/etc/nginx/tasksync-static.conf": "{folder}/tasksync-static.conf",
    "/usr/share/tasksync/web": str(WEB_DIR),
    "/dev/stdout": "{folder}/access.log",
    "/dev/stderr": "{folder}/error.log",
}


def nginx_binary() -> str | None:
    """Debian's nginx (what .ci/run installs), or one on PATH."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def adapted_config(folder: Path, gateway: str, port: int) -> Path:
    """nginx.conf for ``folder``: listening on 127.0.0.1:``port``, forwarding to ``gateway``
    (host:port); the other lines as the container runs them."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (NGINX_DIR / "nginx.conf").read_text()
    for container, local in CONTAINER_PATHS.items():
        text = text.replace(container, local.format(folder=folder))
    replacements = {"server gateway:8000;": f"server {gateway};", "listen 8080 ": f"listen 127.0.0.1:{port} "}
    for production, local in replacements.items():
        assert production in text, f"deploy/nginx/nginx.conf no longer has {production!r}"
        text = text.replace(production, local)
    shutil.copy(NGINX_DIR / "tasksync-static.conf", folder / "tasksync-static.conf")
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


def check_config(config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on ``config``."""
    folder = config.parent
    return subprocess.run(
        [nginx_binary(), "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class ProxyURL(str):
    """A running proxy's base URL, and the folder its logs are in (access.log, error.log)."""

    folder: Path


@contextlib.contextmanager
def running_proxy(gateway: str):
    """nginx in the foreground in front of ``gateway`` (host:port); yields its base URL (a
    ProxyURL); stops it after. Its folder is one of its own under /tmp that its workers' user can
    enter (started as root, nginx hands its temp folders to that user, as in the container)."""
    folder = Path(tempfile.mkdtemp(prefix="tasksync-proxy-"))
    folder.chmod(0o755)
    port = free_port()
    config = adapted_config(folder, gateway, port)
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if process.poll() is not None:
                log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                raise RuntimeError(f"nginx exited with {process.returncode}: {log[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError("nginx did not listen")
            time.sleep(0.1)
        url = ProxyURL(f"http://127.0.0.1:{port}")
        url.folder = folder
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)  # nginx's fast shutdown; workers follow their master
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
