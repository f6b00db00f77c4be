"""The live scenarios: event streams (docs/api.md, "Live events") on the bench's stack, measured
with bench/streams.py's client, each a row of the table's "live events" block.

- live_propagation: 200 streams over 10 rooms, a task created every 100-200 ms in those rooms in
  turn; per delivery (a write, and a stream of its room), from the write sent to its event
  arrived: p50, p90, p99.
- live_capacity: 1,000 idle streams, one per board: the gateway workers' CPU per stream and
  minute over a quiet window (net of the same workers' CPU without streams), their RSS per
  stream, and the board read's rate (wrk) beside the streams against alone (the mean of a run
  just before they open and one just after they close, every page built anew before each run).
- polling_vs_streams: the server's CPU (every service, PostgreSQL, Redis) of 1,000 boards polling
  every 3 s with If-None-Match, as the web client does today, against that of 1,000 idle streams
  over a window as long.
- live_fanout: 1,000 streams on one room (every user of the data set a member, ten streams
  each), a few writes one after the other: when the last stream has each.
- live_embedded: the embedded setup of `make run` (SQLite, no Redis, one gateway worker) started
  beside it: 300 streams on one room, each write reaching all of them.

The bench talks to the gateway directly, as its other scenarios do: no nginx in front.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import redis
import requests

from tasksync_common import board_access
from tools.stack import private_stack

from . import load, measure, product, scenarios
from .fallback import percentile
from .streams import PlannedWrite, Stream, StreamClient, Target, Write, raise_open_file_limit, wait_for

WRITE_SPACING_S = (0.1, 0.2)  # between two writes of the propagation: a pace, not a burst
DELIVERY_WAIT_S = 10  # after its write, an event that has not come by then is missed
POLL_INTERVAL_S = 3  # the web client's, start to start (bench/wrk/poll_boards.lua)
CLOSE_BATCH = 100  # streams closed at once, every CLOSE_PAUSE_S: tabs close one by one, not all together
CLOSE_PAUSE_S = 0.1
EMBEDDED_PASSWORD = "live bench password 1"
# `make run`'s data wherever this shell points the production stack: SQLite in the data folder
# and no Redis (an empty value is the default, tasksync_common.config). Worker counts follow this
# environment, as `make run`'s do.
EMBEDDED_ENV = {name: "" for name in ("REDIS_URL", "ROOMS_DATABASE_URL", "TASKS_DATABASE_URL", "TASKSYNC_ENV")}


@dataclass(frozen=True)
class Sizes:
    propagation_streams: int
    propagation_rooms: int
    min_deliveries: int
    idle_streams: int  # live_capacity's streams, and polling_vs_streams' boards
    fanout_streams: int
    fanout_writes: int
    embedded_streams: int
    embedded_users: int  # each holding embedded_streams / embedded_users of them
    embedded_writes: int
    poll_ramp_s: float  # the polls' first interval, as they spread over it: not measured


FULL_SIZES = Sizes(
    propagation_streams=200,
    propagation_rooms=10,
    min_deliveries=500,
    idle_streams=1000,
    fanout_streams=1000,
    fanout_writes=5,
    embedded_streams=300,
    embedded_users=25,
    embedded_writes=3,
    poll_ramp_s=3,
)
# Tens of streams, seconds: the smoke run checks that each scenario works, its figures mean nothing.
SMOKE_SIZES = Sizes(
    propagation_streams=20,
    propagation_rooms=4,
    min_deliveries=20,
    idle_streams=40,
    fanout_streams=40,
    fanout_writes=2,
    embedded_streams=30,
    embedded_users=3,
    embedded_writes=1,
    poll_ramp_s=0,
)


@dataclass(frozen=True)
class LiveScenario:
    key: str
    label: str  # formatted with the sizes


LIVE_SCENARIOS = (
    LiveScenario("live_propagation", "propagation, {propagation_streams:,} streams"),
    LiveScenario("live_capacity", "{idle_streams:,} idle streams"),
    LiveScenario("polling_vs_streams", "{idle_streams:,} polling boards vs streams"),
    LiveScenario("live_fanout", "one write to {fanout_streams:,} streams"),
    LiveScenario("live_embedded", "embedded, {embedded_streams:,} streams"),
)
KEYS = tuple(s.key for s in LIVE_SCENARIOS)


def sizes(smoke: bool) -> Sizes:
    return SMOKE_SIZES if smoke else FULL_SIZES


def label(key: str, smoke: bool) -> str:
    scenario = next(s for s in LIVE_SCENARIOS if s.key == key)
    return scenario.label.format(**sizes(smoke).__dict__)


def run(ctx, keys: list[str]) -> list[dict]:
    """The rows of the live scenarios in ``keys``, in LIVE_SCENARIOS' order."""
    size = sizes(ctx.options.smoke)
    raise_open_file_limit(2 * max(size.idle_streams, size.fanout_streams) + 256)  # streams, and wrk's pollers
    rows: dict[str, dict] = {}
    with StreamClient(ctx.stack.url) as client:
        if "live_propagation" in keys:
            rows["live_propagation"] = _propagation(ctx, client, size)
        if "live_capacity" in keys or "polling_vs_streams" in keys:
            rows.update(_idle(ctx, client, size, "live_capacity" in keys, "polling_vs_streams" in keys))
        if "live_fanout" in keys:
            rows["live_fanout"] = _fanout(ctx, client, size)
    if "live_embedded" in keys:
        rows["live_embedded"] = _embedded(ctx, size)
    for key, row in rows.items():
        row["key"], row["label"] = key, label(key, ctx.options.smoke)
    return [rows[key] for key in KEYS if key in rows]


# What the rows share


def _latency(values: list[float]) -> dict[str, float] | None:
    """p50, p90, p99 and max of ``values`` (seconds) in ms; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    shares = {"p50": 0.50, "p90": 0.90, "p99": 0.99}
    figures = {name: percentile(ordered, share) for name, share in shares.items()}
    return {name: round(1000 * value, 1) for name, value in {**figures, "max": ordered[-1]}.items()}


def _spread(spec, tokens: dict[int, str], rooms: list[int], count: int) -> list[Target]:
    """``count`` streams over ``rooms`` in turn, each room's streams over its members in turn."""
    targets = []
    for index in range(count):
        room = rooms[index % len(rooms)]
        members = spec.members(room)
        user = members[(index // len(rooms)) % len(members)]
        targets.append(Target(room, user, tokens[user]))
    return targets


def _opened(streams: list[Stream], open_s: float) -> dict:
    """What the row says of the opening; asked before the streams are closed."""
    failures = Counter(f"not opened ({s.error or 'no answer'})" for s in streams if not s.opened_at)
    failures.update(f"ended early ({s.error or 'by the server'})" for s in streams if s.opened_at and s.closed)
    figures = {
        "streams": len(streams),
        "opened": sum(bool(s.opened_at) for s in streams),
        "open_at_end": sum(s.live for s in streams),
        "open_s": round(open_s, 2),
        "keep_alive_comments": sum(s.comments for s in streams),
    }
    return figures | ({"open_failures": dict(failures)} if failures else {})


def _close_gradually(client: StreamClient, streams: list[Stream]) -> None:
    """Close ``streams`` a batch at a time, as tabs close."""
    for start in range(0, len(streams), CLOSE_BATCH):
        client.close(streams[start : start + CLOSE_BATCH])
        time.sleep(CLOSE_PAUSE_S)


def _create(room: int, token: str, serial: int) -> PlannedWrite:
    """A task created in ``room``: the write whose event the streams wait for."""
    return PlannedWrite(room, "POST", f"/api/v1/rooms/{room}/tasks", token, {"title": f"Live bench task {serial}"})


def _pairs(writes: list[Write], streams: list[Stream]) -> tuple[list[tuple[Write, Stream]], int]:
    """The deliveries expected: each answered write with each stream of its room that was live
    when it was sent; and how many writes failed (no event expected of them)."""
    by_room: dict[int | None, list[Stream]] = {}
    for stream in streams:
        by_room.setdefault(stream.target.room, []).append(stream)
    pairs, failed = [], 0
    for write in writes:
        if write.status != 201:
            failed += 1
            continue
        pairs += [(write, s) for s in by_room.get(write.room, []) if s.opened_at and s.opened_at <= write.sent]
    return pairs, failed


def _deliveries(writes: list[Write], streams: list[Stream]) -> tuple[list[float], int, int]:
    """The delays of the deliveries that came, how many were expected, how many writes failed."""
    pairs, failed = _pairs(writes, streams)
    delays = [s.arrivals[w.request_id] - w.sent for w, s in pairs if w.request_id in s.arrivals]
    return delays, len(pairs), failed


def _wait_delivered(writes: list[Write], streams: list[Stream]) -> None:
    """Wait until every expected delivery has come, DELIVERY_WAIT_S at most. The check drops
    what has come as it goes, so that it stays cheap: the client's thread, which notes the
    arrivals, shares the interpreter with this one."""
    pending, _failed = _pairs(writes, streams)

    def done() -> bool:
        nonlocal pending
        pending = [(w, s) for w, s in pending if w.request_id not in s.arrivals]
        return not pending

    wait_for(done, DELIVERY_WAIT_S, interval=0.02)


def _delivery_figures(writes: list[Write], streams: list[Stream]) -> dict:
    delays, expected, failed = _deliveries(writes, streams)
    answered = [w.answered - w.sent for w in writes if w.status]
    return {
        "writes": len(writes),
        "write_errors": failed,
        "write_statuses": dict(Counter(str(w.status or w.error) for w in writes)),
        "write_latency_ms": _latency(answered),
        "deliveries": len(delays),
        "expected": expected,
        "missed": expected - len(delays),
        "latency_ms": _latency(delays),
    }


# The scenarios


def _propagation(ctx, client: StreamClient, size: Sizes) -> dict:
    """Writes at a steady pace over several rooms, each reaching the streams of its room."""
    spec, tokens = ctx.spec, ctx.tokens
    rooms = list(spec.room_ids[: size.propagation_rooms])
    streams, open_s = client.open(_spread(spec, tokens, rooms, size.propagation_streams))
    live_per_room = max(1, sum(s.live for s in streams) // len(rooms))
    # The scenario's seconds at the pace, and at least enough writes for the deliveries asked for.
    count = max(
        math.ceil(ctx.options.seconds / (sum(WRITE_SPACING_S) / 2)), math.ceil(size.min_deliveries / live_per_room)
    )
    in_turn = [rooms[n % len(rooms)] for n in range(count)]
    planned = [_create(room, tokens[spec.members(room)[0]], n) for n, room in enumerate(in_turn)]
    ctx.say(f"  live propagation: {sum(s.live for s in streams)} streams open in {open_s:.1f} s, {count} writes")
    client.reset_lag()
    writes = client.writes(planned, WRITE_SPACING_S)
    _wait_delivered(writes, streams)
    figures = _opened(streams, open_s) | {"rooms": len(rooms), "min_deliveries": size.min_deliveries}
    figures["client_lag_ms"] = round(1000 * client.lag, 1)
    _close_gradually(client, streams)
    figures |= _delivery_figures(writes, streams)
    _say(ctx, "propagation", figures)
    return figures


def _idle(ctx, client: StreamClient, size: Sizes, capacity: bool, polling: bool) -> dict[str, dict]:
    """Idle streams, one per board: what they cost the gateway and the server, what the board
    read does beside them; then as many boards polling instead."""
    spec, tokens, url, seconds = ctx.spec, ctx.tokens, ctx.stack.url, ctx.options.seconds
    quiet_s = 2 * seconds  # the quiet window: every stream's keep-alive and presence refresh in it
    rooms = list(spec.room_ids)
    gateway = measure.workers_group("gateway workers", product.master_pids(ctx.stack)["gateway"])
    board_read = next(s for s in scenarios.SCENARIOS if s.key == "board_read")
    board_data = scenarios.load_data(board_read, spec, tokens)
    rows: dict[str, dict] = {}

    fresh: list[int] = []  # pages dropped and built again before each run

    def read_alone() -> load.LoadResult:
        fresh.append(_fresh_pages(ctx, rooms))
        result = ctx.load(url, "board_read", board_data, seconds)
        scenarios.drain(url, spec, tokens)
        return result

    # The board read alone just before the streams open and again once they are closed: their
    # mean is what the read beside them compares with, so a machine whose speed drifts (other
    # work on it) moves both sides alike.
    alone: list[load.LoadResult] = []
    if capacity:
        if ctx.options.warmup and not ctx.options.smoke:  # a smoke run's board read was warm-up enough
            ctx.load(url, "board_read", board_data, ctx.options.warmup)
        alone.append(read_alone())
    rss_without = measure.rss_bytes(gateway)
    baseline_s = min(5.0, max(1.0, quiet_s / 3))  # their CPU without streams: next to nothing
    with measure.Sampler([gateway]) as sampler:
        time.sleep(baseline_s)
    cpu_without = sampler.usage()[gateway.label]["cpu_seconds"] / baseline_s  # CPU seconds per second

    streams, open_s = client.open(_spread(spec, tokens, rooms, size.idle_streams))
    ctx.say(f"  live idle: {sum(s.live for s in streams)} streams open in {open_s:.1f} s; quiet for {quiet_s} s")
    time.sleep(1)  # the opens' own work (replays, presence) is over
    with measure.Sampler([gateway, *ctx.product_groups()]) as sampler:
        time.sleep(quiet_s)
    quiet = sampler.usage()
    rss_with = measure.rss_bytes(gateway)
    beside = read_alone() if capacity else None
    opened = _opened(streams, open_s)
    _close_gradually(client, streams)
    if capacity:
        alone.append(read_alone())
    live = max(opened["opened"], 1)
    streams_cpu = _server_cpu(quiet)

    if capacity:
        assert beside is not None
        alone_rps = sum(r.rps for r in alone) / len(alone)
        worker_cpu = quiet[gateway.label]["cpu_seconds"]
        net = max(0.0, worker_cpu - cpu_without * quiet_s)
        rows["live_capacity"] = opened | {
            "quiet_s": quiet_s,
            "gateway_workers_cpu_s": round(worker_cpu, 3),
            "gateway_workers_cpu_s_without_streams": round(cpu_without * quiet_s, 3),
            "cpu_ms_per_stream_minute": round(1000 * net / live * 60 / quiet_s, 3),
            "cpu_ms_per_stream_minute_gross": round(1000 * worker_cpu / live * 60 / quiet_s, 3),
            "gateway_rss_mib_without": round(rss_without / 2**20, 1),
            "gateway_rss_mib_with": round(rss_with / 2**20, 1),
            "rss_kib_per_stream": round((rss_with - rss_without) / live / 1024, 1),
            "board_read_alone_before": _read_figures(alone[0]),
            "board_read_beside": _read_figures(beside),
            "board_read_alone_after": _read_figures(alone[1]),
            "board_read_alone_rps": round(alone_rps, 1),
            "beside_ratio": round(beside.rps / alone_rps, 3) if alone_rps else 0.0,
            "pages_built_before_each_read": fresh,
            "server_cpu_s": streams_cpu,
        }
        _say(ctx, "capacity", rows["live_capacity"])
    if polling:
        rows["polling_vs_streams"] = _polling(ctx, size, quiet_s) | {
            "streams": size.idle_streams,
            "opened": opened["opened"],
            "streams_cpu_s": streams_cpu,
            "streams_processes": _server_groups(quiet),
        }
        row = rows["polling_vs_streams"]
        row["ratio"] = round(row["polling_cpu_s"] / streams_cpu, 2) if streams_cpu else None
        at_pace = row["polling_cpu_s_at_asked_pace"]
        row["ratio_at_asked_pace"] = round(at_pace / streams_cpu, 2) if streams_cpu else None
        _say(ctx, "polling vs streams", row)
    return rows


def _fresh_pages(ctx, rooms: list[int]) -> int:
    """Every board's first page built anew, just before a board read run, so that the runs
    compared read pages equally young. A page stays in the cache PAGE_TTL from when it was built
    (board_access), so pages built together (by the priming, or refilled together after that)
    leave it together, and the run in which they do rebuilds them all: that run would be slower
    for a reason that has nothing to do with the streams beside it. With the file cache (no
    Redis) the pages are only read, not dropped first. How many pages were dropped."""
    spec, url, tokens = ctx.spec, ctx.stack.url, ctx.tokens
    etags = scenarios.board_etags(url, spec, tokens, rooms, query="")  # the board read's page
    if not ctx.backend.redis_url:
        return 0
    client = redis.Redis.from_url(ctx.backend.redis_url)
    try:
        dropped = client.delete(*(f"{ctx.backend.cache_prefix}{board_access.page_key(r, e)}" for r, e in etags.items()))
    finally:
        client.close()
    scenarios.board_etags(url, spec, tokens, rooms, query="")
    return int(dropped)


def _polling(ctx, size: Sizes, window_s: float) -> dict:
    """As many boards polling as there were streams: wrk holds them (one connection each) for
    the ramp and ``window_s``, the server's CPU is measured over the window."""
    spec, tokens, url = ctx.spec, ctx.tokens, ctx.stack.url
    boards = [spec.room_ids[i % spec.rooms] for i in range(size.idle_streams)]
    etags = scenarios.board_etags(url, spec, tokens, sorted(set(boards)))  # the boards as they are now
    data = load.LoadData(tokens=tokens, rooms=[load.Room(r, spec.members(r), etags[r]) for r in boards])
    outcome: dict[str, load.LoadResult] = {}
    failure: list[Exception] = []

    def poll() -> None:
        try:
            seconds = math.ceil(size.poll_ramp_s + window_s + 1)
            outcome["result"] = load.run(url, "poll_boards", data, seconds, size.idle_streams, ctx.scratch)
        except Exception as error:  # raised again below, in the caller's thread
            failure.append(error)

    pollers = threading.Thread(target=poll, name="bench-pollers")
    pollers.start()
    time.sleep(size.poll_ramp_s)
    with measure.Sampler(ctx.product_groups()) as sampler:
        time.sleep(window_s)
    pollers.join()
    if failure:
        raise failure[0]
    result = outcome["result"]
    usage = sampler.usage()
    answered = max(sum(result.statuses.values()), 1)
    cpu = _server_cpu(usage)
    return {
        "boards": size.idle_streams,
        "window_s": window_s,
        # Over wrk's whole run, the ramp included; the web client's pace is boards / 3 s.
        "polls_per_second": round(result.rps, 1),
        "polls_per_second_asked": round(size.idle_streams / POLL_INTERVAL_S, 1),
        "poll_latency_ms": {k: round(v, 2) for k, v in result.latency_ms.items()},
        "poll_statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "poll_socket_errors": result.socket_errors,
        "not_modified_share": round(result.statuses.get(304, 0) / answered, 3),
        "poll_errors": result.errors,
        "polling_cpu_s": cpu,
        # Server CPU per poll, and what the window's polls would have cost at the asked pace
        # (a loaded machine answers slower, so its boards poll less often than every 3 s).
        "cpu_ms_per_poll": round(1000 * cpu / max(result.rps * window_s, 1), 3),
        "polling_cpu_s_at_asked_pace": round(cpu * size.idle_streams / POLL_INTERVAL_S / max(result.rps, 0.1), 3),
        "polling_processes": _server_groups(usage),
    }


def _server_cpu(usage: dict[str, dict]) -> float:
    """CPU seconds of the server: every service, PostgreSQL and Redis (not the load generator)."""
    return round(sum(u["cpu_seconds"] for u in _server_groups(usage).values()), 3)


def _server_groups(usage: dict[str, dict]) -> dict[str, dict]:
    """The server's groups of a Sampler's usage (the gateway's workers are in its own group too)."""
    return {label: u for label, u in usage.items() if label not in ("gateway workers", "load generator")}


def _read_figures(result: load.LoadResult) -> dict:
    return {
        "rps": round(result.rps, 1),
        "latency_ms": {k: round(v, 2) for k, v in result.latency_ms.items()},
        "errors": result.errors,
    }


@contextlib.contextmanager
def _crowd_room(base_url: str, owner_token: str, joiners: list[str]):
    """A room every one of ``joiners`` (tokens) joins by its code, deleted afterwards: as many
    members as a thousand streams need (the gateway caps each user's open streams)."""
    session = _session()
    answer = session.post(
        f"{base_url}/api/v1/rooms", json={"name": "Live bench crowd"}, headers=_auth(owner_token), timeout=30
    )
    answer.raise_for_status()
    room = answer.json()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            joined = list(pool.map(lambda token: _join(base_url, token, room["code"]), joiners))
        if not all(joined):
            raise RuntimeError(f"{joined.count(False)} of {len(joiners)} members could not join the crowd room")
        yield room["id"]
    finally:
        with contextlib.suppress(requests.RequestException):  # best effort: a later run makes its own
            session.delete(f"{base_url}/api/v1/rooms/{room['id']}", headers=_auth(owner_token), timeout=30)
        session.close()


def _fanout(ctx, client: StreamClient, size: Sizes) -> dict:
    """A room's many streams, one write at a time: when does the last one have it?"""
    users = list(ctx.spec.all_user_ids)
    owner, others = users[0], users[1:]
    with _crowd_room(ctx.stack.url, ctx.tokens[owner], [ctx.tokens[u] for u in others]) as room:
        members = [owner, *others]
        holders = [members[i % len(members)] for i in range(size.fanout_streams)]
        targets = [Target(room, user, ctx.tokens[user]) for user in holders]
        streams, open_s = client.open(targets)
        ctx.say(f"  live fan-out: {sum(s.live for s in streams)} streams open on one room in {open_s:.1f} s")
        writes, last = [], []
        client.reset_lag()
        for n in range(size.fanout_writes):
            write = client.write(_create(room, ctx.tokens[owner], n))
            writes.append(write)
            _wait_delivered([write], streams)
            delays, _expected, _failed = _deliveries([write], streams)
            last.append(round(1000 * max(delays), 1) if delays else None)
            time.sleep(0.3)  # the next write finds the streams idle again
        figures = _opened(streams, open_s) | {"members": len(members), "client_lag_ms": round(1000 * client.lag, 1)}
        _close_gradually(client, streams)
    figures |= _delivery_figures(writes, streams)
    figures["last_ms"] = last  # per write: when its last stream had it
    _say(ctx, "fan-out", figures)
    return figures


def _embedded(ctx, size: Sizes) -> dict:
    """The embedded setup beside the production stack: its own stack on SQLite, no Redis, one
    gateway worker (tools.stack.private_stack, as the contract tests start it; `make run` is the
    same on port 8000), its own users, one room, ``embedded_streams`` streams on it."""
    folder = ctx.scratch / "embedded"
    started = time.perf_counter()
    with private_stack(folder, "sqlite", EMBEDDED_ENV) as stack:
        start_s = time.perf_counter() - started
        tokens = _sign_up(stack.url, size.embedded_users)
        with _crowd_room(stack.url, tokens[0], tokens[1:]) as room, StreamClient(stack.url) as client:
            targets = [Target(room, i % len(tokens), tokens[i % len(tokens)]) for i in range(size.embedded_streams)]
            streams, open_s = client.open(targets)
            ctx.say(f"  live embedded: {sum(s.live for s in streams)} streams open in {open_s:.1f} s")
            writes = []
            for n in range(size.embedded_writes):
                writes.append(client.write(_create(room, tokens[0], n)))
                _wait_delivered(writes, streams)
            figures = _opened(streams, open_s) | {"users": len(tokens), "stack_start_s": round(start_s, 1)}
            client.close(streams)
    figures |= _delivery_figures(writes, streams)
    _say(ctx, "embedded", figures)
    return figures


# HTTP for the set-up


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only: never a proxy from the environment
    return session


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json, application/problem+json"}


def _join(base_url: str, token: str, code: str) -> bool:
    with _session() as session:
        answer = session.post(f"{base_url}/api/v1/rooms/join", json={"code": code}, headers=_auth(token), timeout=30)
        return answer.status_code == 200


def _sign_up(base_url: str, count: int) -> list[str]:
    """``count`` new users of the embedded stack, signed up and logged in: their tokens."""

    def one(n: int) -> str:
        with _session() as session:
            credentials = {"username": f"live_bench_{n:03d}", "password": EMBEDDED_PASSWORD}
            session.post(f"{base_url}/api/v1/auth/register", json=credentials, timeout=60).raise_for_status()
            answer = session.post(f"{base_url}/api/v1/auth/login", json=credentials, timeout=60)
            answer.raise_for_status()
            return answer.json()["access_token"]

    with ThreadPoolExecutor(max_workers=4) as pool:  # argon2 (~50 ms a hash) keeps two cores busy
        return list(pool.map(one, range(count)))


def _say(ctx, name: str, figures: dict) -> None:
    latency = figures.get("latency_ms") or {}
    parts = [f"{figures.get('opened', 0)}/{figures.get('streams', 0)} streams opened"]
    if "deliveries" in figures:
        parts.append(f"{figures['deliveries']}/{figures['expected']} deliveries")
    if latency:
        parts.append(f"p50 {latency['p50']:.1f} ms, p99 {latency['p99']:.1f} ms, max {latency['max']:.1f} ms")
    if "cpu_ms_per_stream_minute" in figures:
        parts.append(
            f"{figures['cpu_ms_per_stream_minute']:.2f} ms CPU per stream-minute, "
            f"{figures['rss_kib_per_stream']:.1f} KiB per stream, "
            f"board read beside {figures['beside_ratio']:.2f}x alone"
        )
    if "ratio" in figures:
        parts.append(
            f"polling {figures['polling_cpu_s']:.2f} s CPU vs streams {figures['streams_cpu_s']:.2f} s: "
            f"{figures['ratio']}x"
        )
    ctx.say(f"  live {name}: " + ", ".join(parts))
