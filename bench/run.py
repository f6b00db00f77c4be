"""The benchmark from start to end: backend, stack, data set, tokens, references, scenarios."""

from __future__ import annotations

import contextlib
import os
import platform
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from sqlalchemy.engine import make_url

from tools.slow_clients import SlowClients, wait_settled

from . import DATA_DIR, live, load, logins, measure, pgbench, product, reminders, scenarios, seed, verify
from . import backend as backends
from .dataset import FULL, SMOKE, Spec
from .reference.serve import CONFIGS, reference_server

WRITE_SETTLE_S = 0.5  # after wrk stops, requests it cut off may still be finishing on the server


@dataclass
class Options:
    smoke: bool = False
    seconds: int = 15
    warmup: int = 3
    trial: int = 5  # seconds per worker configuration of the reference, to pick the faster
    connections: int = 32
    fresh: bool = False
    only: tuple[str, ...] = ()  # scenario keys to run (a tuning run); empty: all of them


@dataclass
class Context:
    """What every load run needs: where to send it, what to measure, where to write scratch files."""

    options: Options
    spec: Spec
    backend: backends.Backend
    stack: object
    scratch: Path
    generator: str
    tokens: dict[int, str] = field(default_factory=dict)
    tasks_engine: object = None

    def say(self, message: str) -> None:
        print(message, flush=True)

    def database_groups(self, tasks_only: bool = False) -> list[measure.Group]:
        """PostgreSQL's backends per database, and Redis."""
        if not self.backend.postgres:
            return []  # SQLite runs inside the services' own processes
        databases = (("tasks", self.backend.tasks_url),) + (() if tasks_only else (("rooms", self.backend.rooms_url),))
        groups = [measure.postgres_group(f"postgres ({label} db)", _database_name(url)) for label, url in databases]
        if self.backend.redis_url and not tasks_only:
            groups.append(measure.redis_group())
        return groups

    def product_groups(self) -> list[measure.Group]:
        services = [measure.service_group(name, pid) for name, pid in product.master_pids(self.stack).items()]
        return services + self.database_groups()

    def measured(self, groups, run) -> tuple[object, dict]:
        """``run(on_start)`` under the Sampler, the load generator's process measured too."""
        generator: list[int] = [os.getpid()] if self.generator == "python fallback" else []
        groups = [*groups, measure.pids_group("load generator", generator)]
        with measure.Sampler(groups) as sampler:
            result = run(lambda pid: pid in generator or generator.append(pid))
        return result, sampler.usage()

    def load(self, url, script, data, seconds, on_start=None) -> load.LoadResult:
        return load.run(url, script, data, seconds, self.options.connections, self.scratch, on_start)


def _database_name(url: str) -> str:
    return make_url(url).database


def _figures(result: load.LoadResult, usage: dict, per_operation: int = 1) -> dict:
    """What the report shows of one measured run."""
    requests = max(result.requests, 1)
    return {
        "generator": result.generator,
        "requests": result.requests,
        "seconds": round(result.seconds, 2),
        "rps": round(result.rps, 1),
        "operations_per_second": round(result.rps / per_operation, 1),
        "latency_ms": {k: round(v, 2) for k, v in result.latency_ms.items()},
        "kib_per_response": round(result.received_bytes / requests / 1024, 2),
        "errors": result.errors,
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "socket_errors": result.socket_errors,
        "cpu_ms_per_request": {g: round(1000 * u["cpu_seconds"] / requests, 3) for g, u in usage.items()},
        "processes": usage,
    }


def _reference(ctx: Context) -> dict:
    """The reference app: a short trial of each worker configuration (both servers up at once,
    each warmed by its own trial), then the faster one warmed up and measured."""
    data = load.LoadData(tokens={}, rooms=[load.Room(r, []) for r in ctx.spec.room_ids])
    log = ctx.scratch / "reference.log"
    with contextlib.ExitStack() as servers:
        started = {
            config: servers.enter_context(reference_server(ctx.backend.tasks_url, config, log)) for config in CONFIGS
        }
        trials = {}
        for config, (url, _pid) in started.items():
            if not ctx.options.smoke:
                ctx.load(url, "reference", data, 1)  # first connections, first queries
            trials[config] = round(ctx.load(url, "reference", data, ctx.options.trial).rps, 1)
            ctx.say(f"  reference trial, {config}: {trials[config]:,.0f} req/s")
        best = max(trials, key=trials.get)
        url, pid = started[best]
        if ctx.options.warmup and not ctx.options.smoke:  # a smoke run's trial was warm-up enough
            ctx.load(url, "reference", data, ctx.options.warmup)
        groups = [measure.service_group("reference", pid), *ctx.database_groups(tasks_only=True)]
        result, usage = ctx.measured(
            groups, lambda on_start: ctx.load(url, "reference", data, ctx.options.seconds, on_start)
        )
    figures = _figures(result, usage)
    ctx.say(f"  reference ({best}): {figures['rps']:,.0f} req/s, p99 {figures['latency_ms']['p99']:.1f} ms")
    return {"config": best, "trials_rps": trials, **figures}


def _pgbench(ctx: Context) -> dict:
    """PostgreSQL alone, the 50-row query: simple and prepared protocol."""
    reason = pgbench.unavailable(ctx.backend)
    if reason:
        ctx.say(f"  pgbench: not run, {reason}")
        return {"skipped": reason}
    work = ctx.scratch / "pgbench"
    work.mkdir(exist_ok=True)
    url, rooms, clients = ctx.backend.tasks_url, ctx.spec.rooms, ctx.options.connections
    if ctx.options.warmup and not ctx.options.smoke:
        pgbench.run(url, rooms, "simple", ctx.options.warmup, clients, work)
    results = {}
    for mode in ("simple", "prepared"):
        groups = ctx.database_groups(tasks_only=True)
        figures, usage = ctx.measured(
            groups,
            lambda on_start, mode=mode: pgbench.run(url, rooms, mode, ctx.options.seconds, clients, work, on_start),
        )
        transactions = max(figures["transactions"], 1)
        figures["cpu_ms_per_request"] = {g: round(1000 * u["cpu_seconds"] / transactions, 3) for g, u in usage.items()}
        figures["processes"] = usage
        results[mode] = figures
        ctx.say(f"  pgbench {mode}: {figures['tps']:,.0f} tps, p99 {figures['latency_ms'].get('p99', 0):.1f} ms")
    return results


def _reminders_due(ctx: Context) -> dict:
    """The reminder worker's due-reminder query at few and at many armed reminders (see bench/reminders.py)."""
    figures = reminders.run(ctx.tasks_engine, ctx.options.smoke)
    if "skipped" in figures:
        ctx.say(f"  reminders_due: not run, {figures['skipped']}")
        return figures
    small, large = (figures["runs"][str(size)] for size in figures["sizes"])
    ctx.say(
        f"  reminders_due: claim of {figures['batch']} at {figures['sizes'][0]:,} armed {small['mean_ms']:.2f} ms, "
        f"at {figures['sizes'][1]:,} armed {large['mean_ms']:.2f} ms (x{figures['ratio']})"
    )
    return figures


def _scenario(ctx: Context, scenario: scenarios.Scenario, etags: dict[int, str] | None) -> dict:
    """One scenario's figures; with the slow clients it asks for open all along."""
    with contextlib.ExitStack() as beside:
        if scenario.slow_clients:
            parts = urlsplit(ctx.stack.url)
            slow = beside.enter_context(SlowClients(parts.hostname, parts.port, count=scenario.slow_clients))
            wait_settled(slow)
        figures = _measured_scenario(ctx, scenario, etags)
        if scenario.slow_clients:
            figures["slow_clients"] = {"open_at_end": slow.open_count, "reopened": slow.reopened}
    scenarios.drain(ctx.stack.url, ctx.spec, ctx.tokens)
    latency = figures["latency_ms"]
    ctx.say(
        f"  {figures['label']}: {figures['rps']:,.0f} req/s, p50 {latency['p50']:.1f} ms, "
        f"p99 {latency['p99']:.1f} ms, errors {figures['errors']}"
    )
    return figures


def _measured_scenario(ctx: Context, scenario: scenarios.Scenario, etags: dict[int, str] | None) -> dict:
    """Warm-up, then the measured run; for writes, the check that every acknowledged one is kept."""
    spec, url = ctx.spec, ctx.stack.url
    pool = scenarios.move_pool(scenario, spec, ctx.options.connections) if scenario.writes else []
    rooms = scenarios.room_ids(scenario, spec)
    before = verify.room_counts(ctx.tasks_engine, rooms) if scenario.writes else None
    columns = {room: (first, last) for room, _task, _member, first, last in pool if last}
    anchors = verify.anchors(ctx.tasks_engine, columns)  # to count the renumberings

    def data():  # the moves need the versions as they are now
        moves = verify.current_moves(ctx.tasks_engine, pool) if scenario.writes else None
        return scenarios.load_data(scenario, spec, ctx.tokens, etags if scenario.etags else None, moves)

    created: dict[int, int] = {}
    moved: dict[int, tuple[int, str]] = {}
    if scenario.script == "room_activity":
        scenarios.read_histories(url, spec, ctx.tokens, rooms)  # built, as the boards' pages are
    if ctx.options.warmup:
        warm = ctx.load(url, scenario.script, data(), ctx.options.warmup)
        created, moved = warm.created, warm.moved
        # What the warm-up cut off is answered before the measured run: not counted in it.
        scenarios.drain(url, spec, ctx.tokens)
        if scenario.writes:
            # Moves the warm-up cut off may still be written: the measured run's versions must
            # come after them, or its first moves of those tasks answer 412.
            verify.wait_settled(ctx.tasks_engine, pool, WRITE_SETTLE_S, load.TIMEOUT_S + WRITE_SETTLE_S)
    measured_data = data()
    result, usage = ctx.measured(
        ctx.product_groups(),
        lambda on_start: ctx.load(url, scenario.script, measured_data, ctx.options.seconds, on_start),
    )
    figures = {
        "key": scenario.key,
        "label": scenarios.label(scenario, spec),
        "script": scenario.script,
        "per_operation": scenario.per_operation,
        **_figures(result, usage, scenario.per_operation),
    }
    if scenario.writes:
        time.sleep(WRITE_SETTLE_S)
        for room, count in result.created.items():
            created[room] = created.get(room, 0) + count
        figures["writes"] = verify.check(ctx.tasks_engine, before, created, {**moved, **result.moved}, columns, anchors)
    return figures


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:  # not Linux: the platform's own, vaguer answer
        pass
    return platform.processor()


def _machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def run(options: Options) -> dict:
    """Run the whole benchmark; the results (the report prints and writes them)."""
    started = time.monotonic()
    spec = SMOKE if options.smoke else FULL
    generator = load.generator_name()
    if generator == "python fallback":
        print(
            "WARNING: wrk is not installed; the Python fallback generator shares the GIL and the cores with "
            "the stack, so it limits every figure below (apt-get install wrk).",
            flush=True,
        )
    timings: dict[str, float] = {}
    with contextlib.ExitStack() as resources:
        scratch = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="tasksync-bench-")))
        data_dir = scratch / "data" if options.smoke else DATA_DIR
        backend = resources.enter_context(backends.open_backend(not options.smoke, data_dir, options.fresh))
        print(f"backend: {backend.describe()}", flush=True)
        marker = None if options.smoke else seed.reusable(backend, spec)
        if marker:
            removed = seed.reset_extras(backend, marker)
            print(
                f"data set: reusing the {spec.name} data set seeded {marker['seeded_at']} "
                f"({removed:,} tasks of earlier runs removed)",
                flush=True,
            )
        step = time.monotonic()
        stack = resources.enter_context(product.running_stack(backend, data_dir, product.secret_key(data_dir)))
        timings["stack_start_s"] = round(time.monotonic() - step, 1)
        print(f"stack: TaskSync at {stack.url} (production configuration, {generator} load)", flush=True)
        step = time.monotonic()
        if not marker:
            marker = seed.seed(backend, spec)
        timings["seed_s"] = round(time.monotonic() - step, 1)
        step = time.monotonic()
        saved = None if options.smoke else data_dir / "tokens.json"
        tokens, fresh_logins = logins.tokens(stack.url, spec, marker["dataset_id"], saved)
        timings["login_s"] = round(time.monotonic() - step, 1)
        print(f"tokens: {len(tokens)} users, {fresh_logins} logged in now, the rest reused", flush=True)
        ctx = Context(options, spec, backend, stack, scratch, generator, tokens, seed.engine(backend.tasks_url))
        resources.callback(ctx.tasks_engine.dispose)

        print("references:", flush=True)
        step = time.monotonic()
        reference = _reference(ctx)
        postgres = _pgbench(ctx)
        timings["references_s"] = round(time.monotonic() - step, 1)
        step = time.monotonic()
        print(
            f"scenarios: {options.warmup} s warm-up, then {options.seconds} s at {options.connections} "
            "connections each",
            flush=True,
        )
        step_prime = time.monotonic()
        etags = scenarios.prime(stack.url, spec, tokens)
        ctx.say(f"  every member read every board once ({time.monotonic() - step_prime:.1f} s): the cache is warm")
        # The board read always runs: the table and every ratio are about it.
        chosen = [s for s in scenarios.SCENARIOS if not options.only or s.key in (*options.only, "board_read")]
        results = [_scenario(ctx, scenario, etags) for scenario in chosen]
        due_reminders = _reminders_due(ctx) if not options.only or "reminders_due" in options.only else None
        timings["scenarios_s"] = round(time.monotonic() - step, 1)
        step = time.monotonic()
        live_keys = [key for key in live.KEYS if not options.only or key in options.only]
        if live_keys:
            print("live events: streams held by bench/streams.py, straight to the gateway (no nginx)", flush=True)
        live_rows = live.run(ctx, live_keys) if live_keys else []
        timings["live_s"] = round(time.monotonic() - step, 1)
        workers = product.worker_settings(stack)
    for figures in results:
        figures["ratio_to_reference"] = round(figures["rps"] / reference["rps"], 3) if reference["rps"] else None
    timings["total_s"] = round(time.monotonic() - started, 1)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": spec.name,
        "machine": _machine(),
        "backend": {"kind": backend.kind, "description": backend.describe()},
        "load": {
            "generator": generator,
            "limited_by_fallback": generator == "python fallback",
            "threads": options.connections if generator == "python fallback" else load.THREADS,
            "connections": options.connections,
            "warmup_s": options.warmup,
            "duration_s": options.seconds,
        },
        "workers": workers,
        "dataset": {
            **spec.__dict__,
            "big_rooms": list(spec.big_rooms),
            "total_tasks": spec.total_tasks,
            "seeded_at": str(marker["seeded_at"]),
        },
        "timings": timings,
        "reference": reference,
        "pgbench": postgres,
        "scenarios": results,
        "reminders_due": due_reminders,
        "live": live_rows,
    }
