"""Gunicorn settings for every service; worker counts and timeouts come from the environment."""

import os

from gunicorn.workers.base import Worker

from tasksync_common import background, gunicorn_errors
from tasksync_common.logs import LOGGING

gunicorn_errors.install()

_service = os.environ.get("TASKSYNC_SERVICE", "")
_shared_store = bool(os.environ.get("REDIS_URL"))

# Without Redis the gateway's throttling counters live in its memory: one process keeps them exact.
workers = int(os.environ.get("WEB_CONCURRENCY") or (1 if _service == "gateway" and not _shared_store else 2))
# The gateway waits on clients: an event loop (gevent) holds each open connection as a greenlet of
# a few KiB, so slow clients (or, later, idle event streams) cost no thread each; with threads, eight
# clients trickling their headers held all eight and starved everyone else. The services behind it
# only hear from the gateway and spend their time in Python and the database: threads suit them.
worker_class = "gevent" if _service == "gateway" else "gthread"
# Open connections per gevent worker; beyond it the worker stops accepting until one closes.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS") or 4096)


def post_request(worker: Worker, req: object, environ: dict, resp: object) -> None:
    """Let every other connection of a gevent worker have its turn before this one reads its next
    request. A greenlet gives way only when it would block, so a keep-alive client whose next
    request is already waiting (a fast or pipelining one) was served again and again while the
    others, and new connections, waited (tests/test_keepalive_fairness.py). The wait is a timer,
    not sleep(0): sleep(0) resumes before the loop polls for I/O. Measured on a CPU-bound page,
    2 workers, 32 connections, one noisy day: p99 869 ms and 1.09 s without it, 296 and 322 ms
    with it; thread workers 423 and 495 ms.
    """
    if worker.cfg.worker_class_str == "gevent":  # the class running (GUNICORN_CMD_ARGS may differ)
        import gevent  # type: ignore[import-untyped]  # gevent ships no type information

        gevent.sleep(0.000_001)


def post_worker_init(worker: Worker) -> None:
    """Start the app's background work (the rooms service's activity relay) in this worker."""
    background.start(worker.wsgi)


threads = int(os.environ.get("GUNICORN_THREADS") or 4)  # gthread only
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 10)
# The gateway faces clients: an idle (or trickling) one is cut off soon. The services hear only
# from the gateway's and each other's connection pools, which reuse a connection as long as it is
# open: a service that closed an idle one just as a pool sent a request on it left that request
# unanswered (a POST, which is never resent: seen as a 503 on a join in the soak). Closing only
# after minutes makes that race as rare as the minutes-long idle gaps it needs.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or (5 if _service == "gateway" else 300))
# A listening socket per worker (SO_REUSEPORT): the kernel spreads new connections over the
# workers. With one shared socket, a gthread worker can accept most keep-alive connections of a
# burst and keep them, leaving the other workers idle (seen in `make bench`: half the throughput).
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "true").lower() != "false"
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
logconfig_dict = LOGGING
logger_class = "tasksync_common.logs.AccessLogger"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = f"tasksync-{_service}" if _service else "tasksync"
# The longest request line gunicorn allows: a 200-character `q` of non-ASCII text is up to 2,400
# bytes once percent-encoded; beyond this the answer is a 414 problem document.
limit_request_line = 8190
