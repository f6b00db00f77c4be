"""PostgreSQL's own limit for the board's query: pgbench, in simple and prepared mode."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

THREADS = 2
SAMPLING = 0.1  # log one transaction in ten: enough for percentiles, little disk traffic
COLUMNS = "id, room_id, user_id, created_by, title, description, status, version, created_at, updated_at"


def unavailable(backend) -> str | None:
    """Why pgbench cannot run here, or None when it can."""
    if not backend.postgres:
        return "the backend is SQLite"
    if not shutil.which("pgbench"):
        return "pgbench is not installed"
    return None


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _percentiles(logs: list[Path]) -> dict[str, float]:
    """p50/p90/p99/mean/max in ms from pgbench's per-transaction logs (3rd field: latency, µs)."""
    latencies = sorted(int(line.split()[2]) / 1000 for log in logs for line in log.read_text().splitlines() if line)
    if not latencies:
        return {}

    def at(share):
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {
        "p50": at(0.5),
        "p90": at(0.9),
        "p99": at(0.99),
        "mean": sum(latencies) / len(latencies),
        "max": latencies[-1],
    }


def run(tasks_url: str, rooms: int, mode: str, seconds: int, clients: int, work_dir: Path, on_start=None) -> dict:
    """One pgbench run of the 50-row query on a random room among ``rooms``; tps and latencies."""
    script = work_dir / "board_query.sql"
    script.write_text(
        f"\\set r random(1, {rooms})\nSELECT {COLUMNS} FROM tasks WHERE room_id = :r ORDER BY id LIMIT 51;\n"
    )
    prefix = work_dir / f"pgbench_{mode}"
    for old in work_dir.glob(f"{prefix.name}.*"):
        old.unlink()
    command = [
        "pgbench",
        "-n",
        "-c",
        str(clients),
        "-j",
        str(THREADS),
        "-T",
        str(seconds),
        "-M",
        mode,
        "-f",
        str(script),
        "-l",
        f"--sampling-rate={SAMPLING}",
        f"--log-prefix={prefix}",
        _libpq_url(tasks_url),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work_dir)
    if on_start:
        on_start(process.pid)
    out, err = process.communicate(timeout=seconds + 60)
    tps = re.search(r"^tps = ([\d.]+)", out, re.MULTILINE)
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if process.returncode != 0 or not tps or not processed:
        raise RuntimeError(f"pgbench {mode} failed ({process.returncode}): {err.strip()[-1000:]}")
    return {
        "mode": mode,
        "transactions": int(processed.group(1)),
        "tps": float(tps.group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "latency_ms": _percentiles(sorted(work_dir.glob(f"{prefix.name}.*"))),
    }
