"""`make bench`: TaskSync under load against the ceiling of its own stack, measured in one run.

    python -m bench            the full benchmark (persistent data set under .bench/)
    python -m bench --smoke    a few seconds on a tiny, private data set: checks that it works

See bench/__main__.py for the options and bench/run.py for the order of the steps.
"""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = ROOT / ".bench"  # the persistent data set's secret, tokens, SQLite files and logs
RESULTS_DIR = BENCH_DIR / "results"
