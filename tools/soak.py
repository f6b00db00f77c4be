"""The soak: many people working at once for minutes; nothing may fail, be lost, or leak.

    python -m tools.soak [--users 32] [--seconds 300]

Starts a private stack (the production configuration on PostgreSQL and Redis when they are
reachable, else SQLite), drives it with the Locust workload of bench/soak/locustfile.py, samples
the memory of every process, then checks every acknowledged write against what the server holds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import requests

from .databases import postgres_base_url
from .stack import ROOT, private_stack

LOCUSTFILE = ROOT / "bench" / "soak" / "locustfile.py"


def _rss_by_service(stack) -> dict[str, int]:
    """Resident memory of each service: its gunicorn master and workers, summed."""
    sizes = {}
    for label, process in stack.processes.items():
        try:
            root = psutil.Process(process.pid)
            members = [root, *root.children(recursive=True)]
            sizes[label] = sum(p.memory_info().rss for p in members if p.is_running())
        except psutil.Error:
            sizes[label] = 0
    return sizes


class MemorySampler(threading.Thread):
    """Samples every service's memory every ``interval`` seconds until stopped."""

    def __init__(self, stack, interval: float = 2.0):
        super().__init__(daemon=True)
        self.stack, self.interval = stack, interval
        self.samples: list[dict[str, int]] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(self.interval):
            self.samples.append(_rss_by_service(self.stack))


def memory_report(samples: list[dict[str, int]]) -> dict[str, dict]:
    """Per service: peak, and the median of the second quarter against that of the last quarter
    (the first quarter is warm-up)."""
    report = {}
    quarter = max(1, len(samples) // 4)
    for label in samples[0] if samples else []:
        series = [s.get(label, 0) for s in samples]
        early = statistics.median(series[quarter : 2 * quarter] or series)
        late = statistics.median(series[-quarter:])
        report[label] = {
            "peak_mib": round(max(series) / 2**20, 1),
            "after_warmup_mib": round(early / 2**20, 1),
            "at_end_mib": round(late / 2**20, 1),
            "growth_percent": round(100 * (late - early) / early, 1) if early else 0.0,
        }
    return report


def check_ledger(base_url: str, ledger: dict) -> list[str]:
    """Every acknowledged write is there: created tasks exist at their acknowledged version or
    later, deleted ones are gone. Returns what was lost."""
    session = requests.Session()
    session.trust_env = False
    name = f"checker_{uuid.uuid4().hex[:10]}"
    session.post(f"{base_url}/api/v1/auth/register", json={"username": name, "password": "checker password"})
    token = session.post(f"{base_url}/api/v1/auth/login", json={"username": name, "password": "checker password"})
    session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    held: dict[int, dict] = {}
    for room_id, code in ledger["rooms"]:
        session.post(f"{base_url}/api/v1/rooms/join", json={"code": code})
        cursor = None
        while True:
            query = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = session.get(f"{base_url}/api/v1/rooms/{room_id}/tasks", params=query).json()
            held.update({t["id"]: t for t in page["items"]})
            cursor = page["next_cursor"]
            if not cursor:
                break
    lost = []
    for task_id, entry in ((int(k), v) for k, v in ledger["tasks"].items()):
        task = held.get(task_id)
        if entry["deleted"]:
            if task is not None:
                lost.append(f"task {task_id}: deleted (acknowledged) but still there")
        elif task is None:
            lost.append(f"task {task_id}: created (acknowledged) but missing")
        elif task["version"] < entry["version"] or (
            task["version"] == entry["version"] and task["status"] != entry["status"]
        ):
            lost.append(f"task {task_id}: acknowledged version {entry['version']} ({entry['status']}), holds {task}")
    return lost


def soak(stack, users: int, seconds: int) -> dict:
    """Run the workload against ``stack`` and return the report."""
    with tempfile.TemporaryDirectory() as folder:
        ledger_path = Path(folder) / "ledger.json"
        sampler = MemorySampler(stack)
        sampler.start()
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--host",
                stack.url,
                "--only-summary",
                "--json",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            env={**stack.env, "SOAK_LEDGER": str(ledger_path)},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        elapsed = time.monotonic() - started
        sampler.done.set()
        sampler.join()
        ledger = json.loads(ledger_path.read_text())
    stats = json.loads(result.stdout or "[]")
    requests_total = sum(s["num_requests"] for s in stats)
    lost = check_ledger(stack.url, ledger)
    acknowledged = sum(1 for entry in ledger["tasks"].values() if not entry["deleted"])
    return {
        "backend": stack.backend,
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": requests_total,
        "requests_per_second": round(requests_total / elapsed, 1) if elapsed else 0,
        "failed_requests": sum(s["num_failures"] for s in stats),
        "server_errors": ledger["server_errors"],
        "violations": ledger["violations"],
        "acknowledged_tasks_kept": acknowledged,
        "acknowledged_deletes": sum(1 for entry in ledger["tasks"].values() if entry["deleted"]),
        "lost_writes": lost,
        "memory": memory_report(sampler.samples),
        "locust_exit_code": result.returncode,
        "locust_stderr_tail": result.stderr[-2000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--max-growth", type=float, default=10.0, help="memory growth after warm-up, percent")
    args = parser.parse_args()
    backend = "postgres" if postgres_base_url() else "sqlite"
    with tempfile.TemporaryDirectory() as data_dir, private_stack(Path(data_dir), backend) as stack:
        print(f"soak: {args.users} people for {args.seconds} s against {backend} at {stack.url}", flush=True)
        report = soak(stack, args.users, args.seconds)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    grown = {k: v for k, v in report["memory"].items() if v["growth_percent"] > args.max_growth}
    failed = report["server_errors"] or report["violations"] or report["lost_writes"] or grown
    print("soak: FAILED" if failed else "soak: passed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
