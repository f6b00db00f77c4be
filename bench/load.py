"""Load generation: wrk with the Lua scripts of bench/wrk/, or the Python fallback when wrk is missing.

Both are given the same LoadData (written for wrk as a tab-separated file) and give back the same
LoadResult, so the rest of the benchmark does not care which one ran; the report says which.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tools.databases import in_ci

from . import BENCH_DIR

WRK_DIR = BENCH_DIR / "wrk"
THREADS = 2  # one per core: wrk shares the machine with the stack it measures
TIMEOUT_S = 5  # a request unanswered this long counts as an error (the services' own timeout)


@dataclass
class Room:
    id: int
    members: list[int]  # user ids, owner first
    etag: str | None = None  # for the change check: the ETag of the page the client holds


@dataclass
class MoveTask:
    room: int
    id: int
    version: int
    status: str
    member: int  # whose token moves it
    # A move within its column: the ids of that column's tasks, first to last (0: not such a move)
    first: int = 0
    last: int = 0


@dataclass
class LoadData:
    """What a load run draws its requests from."""

    tokens: dict[int, str]
    rooms: list[Room]
    tasks: list[MoveTask] = field(default_factory=list)
    users: list[int] = field(default_factory=list)  # whose own reads (my tasks) are made

    def write(self, path: Path) -> Path:
        """The tab-separated file bench/wrk/common.lua reads."""
        rows = [("token", user, token) for user, token in self.tokens.items()]
        rows += [("room", r.id, ",".join(map(str, r.members)), r.etag or "") for r in self.rooms]
        rows += [("task", t.room, t.id, t.version, t.status, t.member, t.first, t.last) for t in self.tasks]
        rows += [("user", user) for user in self.users]
        fields = [str(f) for row in rows for f in row]
        if not all(f.isprintable() for f in fields):  # no tab, no newline: one row per line
            raise ValueError("a token, ETag or status with a tab or control character cannot go to wrk")
        path.write_text("".join("\t".join(map(str, row)) + "\n" for row in rows))
        return path


@dataclass
class LoadResult:
    generator: str
    requests: int
    seconds: float
    latency_ms: dict[str, float]  # p50, p90, p99, mean, max
    statuses: dict[int, int]
    socket_errors: dict[str, int]  # connect, read, write, timeout
    received_bytes: int = 0  # headers included (wrk); bodies only (the fallback)
    created: dict[int, int] = field(default_factory=dict)  # room id -> acknowledged creates
    moved: dict[int, tuple[int, str]] = field(default_factory=dict)  # task id -> last acknowledged (version, status)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Socket errors, and every answer that is neither 2xx nor 304."""
        bad = sum(n for status, n in self.statuses.items() if not (200 <= status < 300 or status == 304))
        return bad + sum(self.socket_errors.values())


def wrk_path() -> str | None:
    return shutil.which("wrk")


def generator_name() -> str:
    """What generates the load; in CI a missing wrk is an error, not a fallback."""
    if wrk_path():
        first = subprocess.run(
            [wrk_path(), "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()
        return first[0].split(" [")[0] if first else "wrk"
    if in_ci():
        raise RuntimeError("CI needs wrk for the benchmark (.ci/run installs it)")
    return "python fallback"


def run(
    base_url: str, script: str, data: LoadData, seconds: int, connections: int, work_dir: Path, on_start=None
) -> LoadResult:
    """Drive ``base_url`` for ``seconds`` with ``connections`` keep-alive connections, requests
    made by bench/wrk/``script``.lua (or its Python twin). ``on_start(pid)`` learns the generator's
    process, for the CPU accounting."""
    if wrk_path():
        return _wrk(base_url, script, data, seconds, connections, work_dir, on_start)
    from .fallback import python_load

    if on_start:
        on_start(os.getpid())
    return python_load(base_url, script, data, seconds, connections)


def _wrk(base_url, script, data, seconds, connections, work_dir, on_start) -> LoadResult:
    data_file = data.write(work_dir / f"{script}.tsv")
    command = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={TIMEOUT_S}s",
        "--latency",
        "-s",
        str(WRK_DIR / f"{script}.lua"),
        base_url,
        "--",
        str(data_file),
        str(THREADS),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BENCH_WRK_DIR": str(WRK_DIR)},
    )
    if on_start:
        on_start(process.pid)
    out, err = process.communicate(timeout=seconds + 60)
    line = next((x for x in out.splitlines() if x.startswith("BENCH_JSON ")), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"wrk {script} failed ({process.returncode}): {err.strip()[-1000:]} {out[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    created: dict[int, int] = {}
    moved: dict[int, tuple[int, str]] = {}
    for report in raw["reports"].values():
        for room, count in (report.get("created") or {}).items():
            created[int(room)] = created.get(int(room), 0) + count
        statuses = report.get("moved_status") or {}
        for task, version in (report.get("moved_version") or {}).items():
            moved[int(task)] = (int(version), statuses[task])
    socket_errors = {k: int(v) for k, v in raw["socket_errors"].items() if k != "status"}  # statuses: counted below
    return LoadResult(
        generator="wrk",
        requests=int(raw["requests"]),
        seconds=raw["duration_us"] / 1e6,
        latency_ms={k: v / 1000 for k, v in raw["latency_us"].items()},
        statuses={int(k): int(v) for k, v in raw["statuses"].items()},
        socket_errors=socket_errors,
        received_bytes=int(raw["bytes"]),
        created=created,
        moved=moved,
    )
