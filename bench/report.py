"""The results as one plain-text table, the targets checked against them, and the JSON file."""

from __future__ import annotations

import json
from pathlib import Path

SERVICES = ("gateway", "rooms", "tasks")
RSS_LIMIT_MIB = 150


def _services_cpu(figures: dict) -> float:
    """CPU per request of the three services together (ms)."""
    return sum(figures["cpu_ms_per_request"].get(name, 0.0) for name in SERVICES)


def _database_cpu(figures: dict) -> float | None:
    """PostgreSQL's CPU per request, both databases; None on SQLite (inside the services)."""
    values = [v for k, v in figures["cpu_ms_per_request"].items() if k.startswith("postgres")]
    return sum(values) if values else None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def peak_processes(result: dict) -> dict[str, dict]:
    """Per service, the process with the highest RSS over the whole run."""
    worst: dict[str, dict] = {}
    for figures in result["scenarios"]:
        for group in SERVICES:
            for process in figures["processes"].get(group, {}).get("processes", []):
                if process["peak_rss_mib"] > worst.get(group, {}).get("peak_rss_mib", -1):
                    worst[group] = process
    return worst


def _peak_in(figures: dict, group: str) -> float:
    return max((p["peak_rss_mib"] for p in figures["processes"].get(group, {}).get("processes", [])), default=0.0)


def targets(result: dict) -> list[dict]:
    """The issue's targets, each with the measured value and PASS or FAIL."""
    by = {s["key"]: s for s in result["scenarios"]}
    read, reference = by["board_read"], result["reference"]["rps"]
    reference_p99 = result["reference"]["latency_ms"]["p99"]
    beside_slow = by["board_read_slow_clients"]
    largest = by["first_page_largest"]["label"].split(", ")[-1]
    regular = by["first_page_regular"]["label"].split(", ")[-1]
    short_history = by["room_activity"]["label"].split(", ")[-1]
    worst_rss = max((p["peak_rss_mib"] for p in peak_processes(result).values()), default=0.0)
    lost = sum(s["writes"]["lost"] for s in result["scenarios"] if "writes" in s)
    errors = sum(s["errors"] for s in result["scenarios"])
    read_cpu = _services_cpu(read) or float("nan")

    def ratio(key: str, to: str = "board_read") -> float:
        return by[key]["rps"] / by[to]["rps"] if by[to]["rps"] else 0.0

    def cpu_ratio(key: str, to: str) -> float:
        return _services_cpu(by[key]) / (_services_cpu(by[to]) or float("nan"))

    checks = [
        ("board read >= 0.75x reference", read["rps"] / reference if reference else 0.0, ">=", 0.75, "x"),
        ("board read p99 <= 60 ms", read["latency_ms"]["p99"], "<=", 60, " ms"),
        ("board read p99 <= the reference's p99 (same run)", read["latency_ms"]["p99"], "<=", reference_p99, " ms"),
        (
            "board read beside 200 slow clients: p99 <= the reference's p99",
            beside_slow["latency_ms"]["p99"],
            "<=",
            reference_p99,
            " ms",
        ),
        (
            "change check CPU/req <= 1/3 of board read's (gateway+rooms+tasks)",
            _services_cpu(by["change_check"]) / read_cpu,
            "<=",
            1 / 3,
            "x",
        ),
        (
            "change check CPU/req <= 1/3 of a board open's, per request (the full read a client polls instead of)",
            cpu_ratio("change_check", "board_open"),
            "<=",
            1 / 3,
            "x",
        ),
        (
            "change check CPU/req <= 1/3 of an uncached board read's",
            cpu_ratio("change_check", "board_read_uncached"),
            "<=",
            1 / 3,
            "x",
        ),
        ("create task >= 0.5x board read rate", ratio("create_task"), ">=", 0.5, "x"),
        ("move task >= 0.5x board read rate", ratio("move_task"), ">=", 0.5, "x"),
        (
            "board read of planning tasks (due dates, labels, checklists) >= 0.9x board read rate",
            ratio("board_read_planning"),
            ">=",
            0.9,
            "x",
        ),
        (
            f"{by['move_in_column']['label']} (after_id) >= 0.9x move task rate",
            ratio("move_in_column", "move_task"),
            ">=",
            0.9,
            "x",
        ),
        (
            "my tasks, member of 10 rooms >= reference",
            by["my_tasks"]["rps"] / reference if reference else 0.0,
            ">=",
            1,
            "x",
        ),
        (
            f"{by['room_activity']['label']} (first page of 50) >= reference",
            by["room_activity"]["rps"] / reference if reference else 0.0,
            ">=",
            1,
            "x",
        ),
        (
            f"{by['room_activity_long']['label']} within 20% of a {short_history}'s rate",
            ratio("room_activity_long", "room_activity"),
            ">=",
            0.8,
            "x",
        ),
        (
            f"first page, {largest}, within 20% of a {regular}'s rate",
            ratio("first_page_largest", "first_page_regular"),
            ">=",
            0.8,
            "x",
        ),
        (f"every service process RSS < {RSS_LIMIT_MIB} MiB", worst_rss, "<", RSS_LIMIT_MIB, " MiB"),
        ("every acknowledged write kept (lost writes)", lost, "==", 0, ""),
        ("no errors in any scenario (socket errors, statuses not 2xx/304)", errors, "==", 0, ""),
    ]
    due = result.get("reminders_due")
    if due and "skipped" not in due:
        many = f"{due['sizes'][1]:,}"
        checks.append(
            (f"due-reminder query at {many} armed <= 2x its time at {due['sizes'][0]:,}", due["ratio"], "<=", 2, "x")
        )
    return [_evaluate(*check) for check in checks] + [
        _evaluate(*check) | {"scenario": key} for key, check in live_checks(result)
    ]


_COMPARE = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: a == b}


def _evaluate(name: str, value: float, op: str, limit: float, unit: str) -> dict:
    return {
        "target": name,
        "value": round(value, 3),
        "limit": round(limit, 3),
        "unit": unit.strip(),
        "pass": bool(_COMPARE[op](value, limit)),
        "shown": f"{value:,.2f}{unit} (needs {op} {limit:,.2f}{unit})",
    }


def live_checks(result: dict) -> list[tuple[str, tuple]]:
    """The live events' targets, each with the key of its row (bench/live.py)."""
    by = {row["key"]: row for row in result.get("live", [])}
    checks: list[tuple[str, tuple]] = []
    if row := by.get("live_propagation"):
        p99 = (row["latency_ms"] or {}).get("p99", float("inf"))
        checks.append(
            (
                "live_propagation",
                (f"live propagation p99 <= 250 ms, {row['streams']:,} streams open", p99, "<=", 250, " ms"),
            )
        )
        measured = row["deliveries"] if row["missed"] == 0 else 0
        name = f"live propagation: at least {row['min_deliveries']:,} deliveries measured, none missed"
        checks.append(("live_propagation", (name, measured, ">=", row["min_deliveries"], "")))
    if row := by.get("live_capacity"):
        count = row["streams"]
        checks.append(("live_capacity", (f"{count:,} idle streams open at once", row["open_at_end"], ">=", count, "")))
        name = f"board read beside {count:,} idle streams >= 0.9x its rate alone"
        checks.append(("live_capacity", (name, row["beside_ratio"], ">=", 0.9, "x")))
    if row := by.get("polling_vs_streams"):
        name = f"server CPU of {row['boards']:,} boards polling every 3 s over that of as many idle streams >= 1x"
        checks.append(("polling_vs_streams", (name, row["ratio"] or 0.0, ">=", 1, "x")))
    for key, what in (("live_fanout", "one room's"), ("live_embedded", "the embedded setup's (SQLite, no Redis)")):
        if row := by.get(key):
            name = f"{what} {row['streams']:,} streams open, every write reaching each (streams not open + missed)"
            checks.append((key, (name, row["streams"] - row["open_at_end"] + row["missed"], "==", 0, "")))
    return checks


def _notes(figures: dict, read: dict) -> str:
    notes = []
    statuses = figures["statuses"]
    answered = sum(statuses.values()) or 1
    key = figures["key"]
    if key.startswith(("board_read", "first_page", "my_tasks")):
        notes.append(f"{figures['kib_per_response']:.1f} KiB/answer")
    if key == "board_read_planning":
        notes.append(f"{figures['rps'] / read['rps']:.2f}x board read" if read["rps"] else "")
    if key.startswith("board_open"):
        notes.append(f"{figures['operations_per_second']:,.0f} opens/s")
    if key == "change_check":
        notes.append(f"304: {100 * statuses.get('304', 0) / answered:.1f}%")
    if key.startswith("first_page"):
        notes.append(f"{figures['rps'] / read['rps']:.2f}x board read" if read["rps"] else "")
    if "writes" in figures:
        w = figures["writes"]
        kept = []
        if w["creates_acknowledged"] or key == "create_task":
            kept.append(f"{w['creates_kept']:,}/{w['creates_acknowledged']:,} creates")
        if w["moved_tasks_checked"] or key.startswith("move"):
            kept.append(f"{w['moved_tasks_kept']:,}/{w['moved_tasks_checked']:,} moved tasks")
        notes.append("kept " + ", ".join(kept))
        if "column_ties" in w:
            notes.append(f"{w['column_tasks_missing']} gone from columns, {w['column_ties']} ties")
            if w["columns_renumbered"] is not None:
                notes.append(f"{w['columns_renumbered']}/{w['columns_checked']} columns renumbered")
    odd = {s: n for s, n in statuses.items() if not (s.startswith("2") or s == "304")}
    odd.update({k: v for k, v in figures["socket_errors"].items() if v})
    if odd:
        notes.append("errors: " + ", ".join(f"{k}: {v}" for k, v in odd.items()))
    return "; ".join(n for n in notes if n)


def table(result: dict) -> str:
    """The plain-text table: one row per scenario, then the references."""
    head = (
        f"{'scenario':<34} {'req/s':>8} {'x ref':>6} {'p50':>7} {'p90':>7} {'p99':>7} {'errors':>6}  "
        f"{'CPU ms/req gw/rooms/tasks/pg/redis':<35} {'peak RSS MiB gw/rooms/tasks':<27} notes"
    )
    lines = [head, "-" * len(head)]
    read = next(s for s in result["scenarios"] if s["key"] == "board_read")
    for s in result["scenarios"]:
        cpu = s["cpu_ms_per_request"]
        groups = (cpu.get("gateway"), cpu.get("rooms"), cpu.get("tasks"), _database_cpu(s), cpu.get("redis"))
        cpu_text = "/".join(_ms(v) for v in groups)
        rss_text = "/".join(f"{_peak_in(s, g):.0f}" for g in SERVICES)
        lat = s["latency_ms"]
        lines.append(
            f"{s['label']:<34} {s['rps']:>8,.1f} {s['ratio_to_reference'] or 0:>6.2f} {lat['p50']:>7.1f} "
            f"{lat['p90']:>7.1f} {lat['p99']:>7.1f} {s['errors']:>6}  {cpu_text:<35} {rss_text:<27} {_notes(s, read)}"
        )
    lines.append("-" * len(head))
    ref = result["reference"]
    lat = ref["latency_ms"]
    app_cpu = ref["cpu_ms_per_request"].get("reference", 0)
    lines.append(
        f"{'reference: Flask+SQLAlchemy, 1 proc':<34} {ref['rps']:>8,.1f} {1:>6.2f} {lat['p50']:>7.1f} "
        f"{lat['p90']:>7.1f} {lat['p99']:>7.1f} {ref['errors']:>6}  "
        f"{f'app {app_cpu:.2f}, pg {_ms(_database_cpu(ref))}':<35} "
        f"{_peak_in(ref, 'reference'):<27.0f} {ref['config']}"
    )
    postgres = result["pgbench"]
    if "skipped" in postgres:
        lines.append(f"{'pgbench, 50-row query':<34} {'not run: ' + postgres['skipped']}")
    for mode, run in ({} if "skipped" in postgres else postgres).items():
        lat = run["latency_ms"]
        lines.append(
            f"{'pgbench, 50-row query, ' + mode:<34} {run['tps']:>8,.1f} {run['tps'] / ref['rps']:>6.2f} "
            f"{lat['p50']:>7.1f} {lat['p90']:>7.1f} {lat['p99']:>7.1f} {run['failed']:>6}  "
            f"{f'pg {_ms(_database_cpu(run))}':<35} {'':<27} PostgreSQL alone, {result['load']['connections']} clients"
        )
    lines.append(reminders_line(result.get("reminders_due")))
    if result.get("live"):
        lines += ["", *live_table(result)]
    return "\n".join(lines)


def reminders_line(due: dict | None) -> str:
    """The due-reminder query's line: its mean time at few and at many armed reminders."""
    if not due or "skipped" in due:
        return f"{'reminders_due':<34} not run{': ' + due['skipped'] if due else ''}"
    small, large = (due["runs"][str(size)] for size in due["sizes"])
    return (
        f"{'reminders_due, claim of ' + str(due['batch']):<34} {small['mean_ms']:.2f} ms at {due['sizes'][0]:,} armed,"
        f" {large['mean_ms']:.2f} ms at {due['sizes'][1]:,} armed: x{due['ratio']}"
    )


def _live_notes(row: dict) -> str:
    key, notes = row["key"], []
    if key == "live_propagation":
        writes = row["write_latency_ms"] or {}
        notes.append(
            f"{row['writes']:,} writes over {row['rooms']} rooms, answered p50 {writes.get('p50', 0):.0f} ms; "
            f"the client's loop {row['client_lag_ms']:.0f} ms late at most"
        )
    if key == "live_capacity":
        alone, beside = row["board_read_alone_rps"], row["board_read_beside"]["rps"]
        notes.append(
            f"{row['cpu_ms_per_stream_minute']:.3f} ms gateway CPU per stream-minute "
            f"({row['cpu_ms_per_stream_minute_gross']:.3f} before the workers' own idle CPU), "
            f"{row['rss_kib_per_stream']:.1f} KiB RSS per stream; board read beside {beside:,.0f} req/s, "
            f"alone {alone:,.0f} (mean of before and after): {row['beside_ratio']:.2f}x"
        )
    if key == "polling_vs_streams":
        notes.append(
            f"{row['polls_per_second']:,.0f} polls/s of {row['polls_per_second_asked']:,.0f} asked "
            f"({100 * row['not_modified_share']:.0f}% 304, {row['cpu_ms_per_poll']:.2f} ms CPU each): "
            f"{row['polling_cpu_s']:.2f} s server CPU over {row['window_s']} s, the streams "
            f"{row['streams_cpu_s']:.2f} s: polling costs {_times(row['ratio'])} "
            f"({_times(row['ratio_at_asked_pace'])} at the asked pace)"
        )
        if row["poll_errors"]:
            notes.append(f"poll errors: {row['poll_errors']}")
    if key == "live_fanout":
        last = ", ".join("-" if ms is None else f"{ms:,.0f}" for ms in row["last_ms"])
        notes.append(
            f"{row['members']} members; last stream had each write after {last} ms; "
            f"the client's loop {row['client_lag_ms']:.0f} ms late at most"
        )
    if key == "live_embedded":
        notes.append(f"{row['users']} users, {row['writes']} writes; stack up in {row['stack_start_s']:.0f} s")
    if "open_s" in row:
        notes.append(f"opened in {row['open_s']:.1f} s")
    failures = {
        **row.get("open_failures", {}),
        **({"write errors": row["write_errors"]} if row.get("write_errors") else {}),
    }
    if failures:
        notes.append("errors: " + ", ".join(f"{k}: {v}" for k, v in failures.items()))
    return "; ".join(notes)


def _times(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:,.1f}x"


def live_table(result: dict) -> list[str]:
    """The live events' block: one row per scenario of bench/live.py, with its targets' verdict."""
    verdicts: dict[str, bool] = {}
    for key, check in live_checks(result):
        verdicts[key] = verdicts.get(key, True) and _evaluate(*check)["pass"]
    head = (
        f"{'live events':<34} {'streams':>9} {'deliv.':>7} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7} "
        f"{'missed':>6}  {'target':<6}  notes"
    )
    lines = [head, "-" * len(head)]
    for row in result["live"]:
        latency = row.get("latency_ms") or {}
        cells = " ".join(f"{latency[p]:>7.1f}" if p in latency else f"{'-':>7}" for p in ("p50", "p90", "p99", "max"))
        deliveries = f"{row['deliveries']:,}" if "deliveries" in row else "-"
        missed = f"{row['missed']:,}" if "missed" in row else "-"
        verdict = "PASS" if verdicts.get(row["key"]) else "FAIL"
        streams = f"{row['opened']:,}/{row['streams']:,}"
        lines.append(
            f"{row['label']:<34} {streams:>9} {deliveries:>7} {cells} {missed:>6}  {verdict:<6}  {_live_notes(row)}"
        )
    return lines


def legend(result: dict) -> str:
    load = result["load"]
    worst = peak_processes(result)
    peaks = "; ".join(f"{g} {p['role']} {p['pid']}: {p['peak_rss_mib']:.1f} MiB" for g, p in worst.items())
    lines = [
        (
            f"load: {load['generator']}, {load['threads']} threads, {load['connections']} connections, "
            f"{load['warmup_s']} s warm-up + {load['duration_s']} s per scenario; latencies in ms; "
            "x ref = req/s over the reference's"
        ),
        (
            "CPU ms/req: gateway, rooms, tasks = gunicorn master + workers; pg = PostgreSQL backends of both "
            "databases; redis = redis-server (with anything else using it)"
        ),
        f"peak RSS, worst process per service over the run: {peaks}",
    ]
    if result.get("live"):
        lines.append(
            "live events: streams open/asked; deliv. = (write, stream of its room) pairs that arrived; p50 to max = "
            "from the write sent to its event on a stream, ms; missed = expected, not there 10 s after"
        )
    if load["limited_by_fallback"]:
        lines.append("WARNING: the Python fallback generator produced this load: it limits every figure (install wrk)")
    return "\n".join(lines)


def targets_text(checks: list[dict]) -> str:
    if not checks:
        return "targets: not checked (a run of some scenarios only)"
    lines = ["targets:"]
    lines += [f"  {'PASS' if c['pass'] else 'FAIL'}  {c['target']}: {c['shown']}" for c in checks]
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
