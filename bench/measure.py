"""CPU and memory of every process taking part in a load run, with psutil.

CPU: each process's user + system time at the end minus at the start (a process born during the
run counts from zero; one that dies keeps its last sample). Memory: each process's RSS sampled
every 0.25 s; the peak per process is reported.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

import psutil

INTERVAL = 0.25


@dataclass
class Group:
    """Processes measured together: one service's master and workers, say."""

    label: str
    find: Callable[[], list[psutil.Process]]
    role: Callable[[psutil.Process], str]


def _child_pids(pid: int) -> list[int]:
    """Children of ``pid``: from /proc/PID/task/*/children (microseconds), else psutil's scan of
    every process (milliseconds, too slow to repeat four times a second)."""
    try:
        pids = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as file:
                pids += [int(p) for p in file.read().split()]
        return pids
    except OSError:
        return [p.pid for p in psutil.Process(pid).children()]


def _tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        pending += _child_pids(current)
    return pids


def _processes(pids) -> list[psutil.Process]:
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):  # ended meanwhile
            found.append(psutil.Process(pid))
    return found


def service_group(label: str, master_pid: int) -> Group:
    """A gunicorn master and its workers."""
    return Group(label, lambda: _processes(_tree(master_pid)), lambda p: "master" if p.pid == master_pid else "worker")


def workers_group(label: str, master_pid: int) -> Group:
    """A gunicorn master's workers only: the processes that hold the connections."""
    return Group(label, lambda: _processes(_tree(master_pid)[1:]), lambda _p: "worker")


def rss_bytes(group: Group) -> int:
    """The RSS of ``group``'s processes now, summed."""
    total = 0
    for process in group.find():
        with contextlib.suppress(psutil.Error):  # ended meanwhile
            total += process.memory_info().rss
    return total


def pids_group(label: str, pids: list[int], role: Callable[[psutil.Process], str] | None = None) -> Group:
    """Processes known by pid (the load generator); ``pids`` may be filled in later."""
    return Group(label, lambda: _processes(pids), role or (lambda p: p.name()))


def postgres_group(label: str, database: str) -> Group:
    """PostgreSQL's backends serving ``database``: children of the postmaster whose title names it."""
    postmasters = [
        p
        for p in psutil.process_iter(["name", "ppid"])
        if p.info["name"] == "postgres" and _name(p.info["ppid"]) != "postgres"
    ]
    serves: dict[int, bool] = {}  # pid -> whether its title names the database (read once per backend)

    def find():
        found = []
        for postmaster in postmasters:
            for pid in _child_pids(postmaster.pid):
                if pid not in serves:
                    try:
                        serves[pid] = f" {database} " in " ".join(psutil.Process(pid).cmdline()) + " "
                    except psutil.Error:
                        continue
                if serves[pid]:
                    found.append(pid)
        return _processes(found)

    return Group(label, find, lambda _p: "backend")


def redis_group() -> Group:
    """redis-server, whoever else uses it."""
    servers = [p for p in psutil.process_iter(["name"]) if p.info["name"] == "redis-server"]
    return Group("redis", lambda: servers, lambda _p: "redis-server")


def _name(pid: int) -> str:
    try:
        return psutil.Process(pid).name()
    except psutil.Error:
        return ""


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


class Sampler:
    """``with Sampler(groups) as sampler: ...run the load...``; then ``sampler.usage()``."""

    def __init__(self, groups: list[Group]):
        self.groups = groups
        self.start_cpu: dict[tuple[str, int], float] = {}
        self.last_cpu: dict[tuple[str, int], float] = {}
        self.peak_rss: dict[tuple[str, int], int] = {}
        self.roles: dict[tuple[str, int], str] = {}
        self.members: dict[str, list[psutil.Process]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _find(self, group: Group) -> list[psutil.Process]:
        try:
            found = group.find()
        except psutil.Error:  # a process ended while being found: the next sample sees the rest
            found = []
        known = {p.pid: p for p in self.members.get(group.label, [])}
        # Keep the Process objects already held: psutil checks them against pid reuse.
        self.members[group.label] = [known.get(p.pid, p) for p in found]
        return self.members[group.label]

    def _sample(self, group: Group, processes: list[psutil.Process], baseline: bool = False) -> None:
        for process in processes:
            key = (group.label, process.pid)
            try:
                cpu, rss = _cpu(process), process.memory_info().rss
                if key not in self.roles:
                    self.roles[key] = group.role(process)
            except psutil.Error:
                continue
            if baseline:
                self.start_cpu[key] = cpu
            self.last_cpu[key] = cpu
            self.peak_rss[key] = max(self.peak_rss.get(key, 0), rss)

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            for group in self.groups:
                self._sample(group, self._find(group))

    def __enter__(self) -> Self:
        for group in self.groups:
            self._sample(group, self._find(group), baseline=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        for group in self.groups:
            self._sample(group, self._find(group))

    def usage(self) -> dict[str, dict]:
        """Per group: CPU seconds used during the run, and every process's peak RSS."""
        report = {}
        for group in self.groups:
            keys = [key for key in self.last_cpu if key[0] == group.label]
            cpu = sum(max(0.0, self.last_cpu[k] - self.start_cpu.get(k, 0.0)) for k in keys)
            processes = sorted(
                (
                    {"pid": k[1], "role": self.roles.get(k, "?"), "peak_rss_mib": round(self.peak_rss[k] / 2**20, 1)}
                    for k in keys
                ),
                key=lambda p: -p["peak_rss_mib"],
            )
            report[group.label] = {"cpu_seconds": round(cpu, 3), "processes": processes}
        return report
