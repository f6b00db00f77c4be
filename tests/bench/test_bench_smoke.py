"""The benchmark's smoke run (`python -m bench --smoke`): it runs every scenario and reference and
writes its figures. Never a speed: the figures of a one-second run on a busy machine mean nothing."""

import json
import shutil
import subprocess
import sys

from bench import RESULTS_DIR, live
from bench.reference.serve import CONFIGS
from bench.scenarios import SCENARIOS
from tools.stack import ROOT

PERCENTILES = ("p50", "p90", "p99")


def _ran(figures: dict) -> None:
    assert figures["requests"] > 0, figures
    assert figures["rps"] > 0, figures
    assert all(figures["latency_ms"][p] > 0 for p in PERCENTILES), figures["latency_ms"]


def _mtime(path):
    return path.stat().st_mtime_ns if path.exists() else None


def test_smoke_run_measures_every_scenario_and_reference(tmp_path):
    """Every scenario of bench/scenarios.py and bench/live.py, both references and their targets."""
    documented = RESULTS_DIR / "latest.json"
    before = _mtime(documented)
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a loaded machine; the live events' scenarios start an embedded stack too
        check=False,
    )
    print(completed.stdout[-6000:], completed.stderr[-3000:])
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "targets:" in completed.stdout

    result = json.loads((tmp_path / "latest.json").read_text())
    assert (tmp_path / "latest.png").read_bytes().startswith(b"\x89PNG")
    assert _mtime(documented) == before, "a smoke run must not overwrite bench/results"
    assert result["mode"] == "smoke"
    assert result["load"]["generator"]

    # The due-reminder query was timed at both sizes, each claim a whole batch, and its plan kept.
    due = result["reminders_due"]
    assert [due["runs"][str(size)]["claimed"] for size in due["sizes"]] == [due["batch"]] * 2, due
    assert all(due["runs"][str(size)]["plan"] for size in due["sizes"]) and due["ratio"] > 0, due

    by_key = {s["key"]: s for s in result["scenarios"]}
    assert set(by_key) == {s.key for s in SCENARIOS}
    for figures in by_key.values():
        _ran(figures)
        assert {"gateway", "rooms", "tasks"} <= set(figures["cpu_ms_per_request"])
        assert all(figures["processes"][g]["processes"] for g in ("gateway", "rooms", "tasks"))
    assert by_key["create_task"]["writes"]["creates_acknowledged"] > 0
    assert by_key["move_task"]["writes"]["moved_tasks_checked"] > 0
    assert "lost" in by_key["mixed"]["writes"]
    # The planning scenarios: every move in a column and every read of my tasks answered 200, the
    # columns whole and in one order, and the planning boards carry their labels and checklists.
    in_column = by_key["move_in_column"]
    assert set(in_column["statuses"]) == {"200"}, in_column["statuses"]
    assert in_column["writes"]["moved_tasks_checked"] > 0
    assert in_column["writes"]["columns_checked"] > 0
    assert in_column["writes"]["column_tasks_missing"] == in_column["writes"]["column_ties"] == 0
    assert set(by_key["my_tasks"]["statuses"]) == {"200"}, by_key["my_tasks"]["statuses"]
    assert by_key["board_read_planning"]["kib_per_response"] > 1.5 * by_key["board_read"]["kib_per_response"]
    # The histories: read by members (200), full pages of seeded entries (a 50-entry page is
    # several KiB), from the short and the long history alike.
    for key in ("room_activity", "room_activity_long"):
        assert set(by_key[key]["statuses"]) == {"200"}, by_key[key]["statuses"]
        assert by_key[key]["kib_per_response"] > 5, by_key[key]["kib_per_response"]

    # The live events' scenarios: every stream opened and stayed open, every write was answered and
    # its event reached every stream of its room, and the figures each row's targets need are there.
    rows = {row["key"]: row for row in result["live"]}
    assert list(rows) == list(live.KEYS)
    for key in ("live_propagation", "live_capacity", "live_fanout", "live_embedded"):
        row = rows[key]
        assert row["opened"] == row["open_at_end"] == row["streams"] > 0, (key, row)
    for key in ("live_propagation", "live_fanout", "live_embedded"):
        row = rows[key]
        assert row["write_errors"] == 0 and row["missed"] == 0, (key, row)
        assert row["deliveries"] == row["expected"] >= row["streams"], (key, row)
        assert all(row["latency_ms"][p] > 0 for p in PERCENTILES), (key, row["latency_ms"])
    assert rows["live_propagation"]["deliveries"] >= rows["live_propagation"]["min_deliveries"]
    assert len(rows["live_fanout"]["last_ms"]) == rows["live_fanout"]["writes"]
    capacity = rows["live_capacity"]
    for read in ("board_read_alone_before", "board_read_beside", "board_read_alone_after"):
        assert capacity[read]["rps"] > 0 and capacity[read]["errors"] == 0, (read, capacity[read])
    assert capacity["gateway_rss_mib_with"] > 0 and "cpu_ms_per_stream_minute" in capacity
    polling = rows["polling_vs_streams"]
    assert polling["polls_per_second"] > 0 and polling["poll_errors"] == 0, polling
    assert polling["not_modified_share"] == 1.0, polling["poll_statuses"]  # unchanged boards: all 304
    assert polling["polling_cpu_s"] > 0
    assert {t.get("scenario") for t in result["targets"]} >= set(live.KEYS)

    reference = result["reference"]
    _ran(reference)
    assert reference["config"] in CONFIGS and set(reference["trials_rps"]) == set(CONFIGS)

    postgres = result["pgbench"]
    if result["backend"]["kind"].startswith("postgres") and shutil.which("pgbench"):
        for mode in ("simple", "prepared"):
            assert postgres[mode]["transactions"] > 0 and postgres[mode]["tps"] > 0
            assert all(p in postgres[mode]["latency_ms"] for p in PERCENTILES)
    else:
        assert postgres["skipped"]  # said, with the reason, in the table too
    assert {t["pass"] for t in result["targets"]} <= {True, False} and len(result["targets"]) >= 7
