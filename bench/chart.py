"""The results as a PNG: req/s per scenario against the reference, and p99 against its target."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt

P99_TARGET_MS = 60


def write_png(result: dict, path: Path) -> None:
    """Two panels: throughput (the reference and 0.75x of it as lines) and p99 latency."""
    scenarios = result["scenarios"]
    labels = [s["label"] for s in scenarios] + [f"reference\n({result['reference']['config']})"]
    rps = [s["rps"] for s in scenarios] + [result["reference"]["rps"]]
    p99 = [s["latency_ms"]["p99"] for s in scenarios] + [result["reference"]["latency_ms"]["p99"]]
    colours = ["#3b6ea5"] * len(scenarios) + ["#9a9a9a"]
    reference = result["reference"]["rps"]

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    positions = range(len(labels))
    top.bar(positions, rps, color=colours)
    top.axhline(reference, color="#555555", linestyle="--", linewidth=1, label=f"reference ({reference:,.0f} req/s)")
    top.axhline(0.75 * reference, color="#c0392b", linestyle=":", linewidth=1, label="target: 0.75x reference")
    for x, value in zip(positions, rps, strict=True):
        top.annotate(f"{value:,.0f}", (x, value), ha="center", va="bottom", fontsize=8)
    top.set_ylabel("requests per second")
    top.legend(loc="upper right", fontsize=8)
    load = result["load"]
    top.set_title(
        f"TaskSync {result['mode']} bench, {result['backend']['kind']}, {load['generator']} "
        f"({load['connections']} connections, {load['duration_s']} s), {result['machine']['nproc']} cores, "
        f"{result['date']}",
        fontsize=9,
    )
    bottom.bar(positions, p99, color=colours)
    bottom.axhline(P99_TARGET_MS, color="#c0392b", linestyle=":", linewidth=1, label=f"target: {P99_TARGET_MS} ms")
    bottom.set_ylabel("p99 latency, ms")
    bottom.legend(loc="upper right", fontsize=8)
    bottom.set_xticks(list(positions), labels, rotation=30, ha="right", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
