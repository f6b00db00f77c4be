"""`make bench`: TaskSync under load, against the ceiling of its own stack, in one run.

    python -m bench                     full: 1,000 boards of 50 tasks, 15 s per scenario
    python -m bench --smoke             tiny data set, 1 s per scenario, private databases
    python -m bench --fresh             seed the full data set again instead of reusing it
    python -m bench --only board_read_slow_clients   some scenarios (and the board read) only:
                                        a tuning run, no targets, written to a temporary folder
    python -m bench --only live_propagation,live_capacity,polling_vs_streams,live_fanout,live_embedded
                                        the live events' scenarios (bench/live.py)

Prints one table and the targets (PASS/FAIL), and writes latest.json and latest.png (full run:
bench/results/; smoke run: --output, else a temporary folder). It reports; it does not gate: the
exit status is 0 whatever the figures, and non-zero only when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import RESULTS_DIR, chart, live, report
from .run import Options, run
from .scenarios import SCENARIOS


def parse(argv: list[str]) -> tuple[Options, Path]:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="a few seconds on a tiny private data set")
    parser.add_argument("--seconds", type=int, help="measured seconds per scenario (full 15, smoke 1)")
    parser.add_argument("--warmup", type=int, help="warm-up seconds per scenario (full 3, smoke 1)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--fresh", action="store_true", help="drop the full data set and seed it again")
    parser.add_argument("--output", type=Path, help="folder for latest.json and latest.png")
    parser.add_argument(
        "--only",
        help="comma-separated scenario keys to run, of bench/scenarios.py or bench/live.py "
        "(a tuning run: no targets, and never over bench/results)",
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    options = Options(
        smoke=smoke,
        seconds=args.seconds or (1 if smoke else 15),
        warmup=args.warmup if args.warmup is not None else (1 if smoke else 3),
        trial=1 if smoke else 5,
        connections=args.connections,
        fresh=args.fresh,
        only=tuple(key for key in (args.only or "").split(",") if key),
    )
    unknown = set(options.only) - {s.key for s in SCENARIOS} - set(live.KEYS) - {"reminders_due"}
    if unknown:
        parser.error(f"no such scenario: {', '.join(sorted(unknown))} (see bench/scenarios.py and bench/live.py)")
    # A smoke run's figures mean nothing, a partial run's are not all: never over the documented results.
    partial = smoke or options.only
    output = args.output or (Path(tempfile.mkdtemp(prefix="tasksync-bench-partial-")) if partial else RESULTS_DIR)
    return options, output


def main(argv: list[str] | None = None) -> int:
    options, output = parse(sys.argv[1:] if argv is None else argv)
    result = run(options)
    result["targets"] = [] if options.only else report.targets(result)
    print()
    print(report.table(result))
    print()
    print(report.legend(result))
    print()
    print(report.targets_text(result["targets"]))
    report.write_json(result, output / "latest.json")
    chart.write_png(result, output / "latest.png")
    print(
        f"\nwritten: {output / 'latest.json'}, {output / 'latest.png'} ({result['timings']['total_s']:.0f} s in all)",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
