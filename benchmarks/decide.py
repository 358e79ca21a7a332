"""Benchmark of the DECIDE stage: durable_rules against the reference evaluator.

Decisions per second and p50/p99 latency of ``rules.decide`` (normalisation, evaluation and
the explained decision) on one process and on two, for both engines in the same run; the
service's default, durable_rules in a worker process (``rules.isolated``), on one; then RSS
before, half-way through and after 100,000 durable_rules decisions, and the crashes.

    python benchmarks/decide.py [--dataset DIR] [--cases 4000] [--decisions 20000] [--soak 100000]

``--dataset DIR`` reads case files (``*.json``, the replay format) instead of generating
cases. Ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import time
from array import array
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from extractors.facts import FactRecord
from rules import CaseContext, EngineError, decide, load_policy, read_replay_cases
from rules.isolated import IsolatedDecider
from rules.sampling import MIXED, REALISTIC, RandomChooser, sample_case

Case = tuple[FactRecord, CaseContext | None]

ISOLATED = "durable-isolated"


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cases(dataset: str | None, count: int, seed: int, mix: str) -> list[Case]:
    policy = load_policy()
    if dataset:
        return [(case.facts, case.context) for case in read_replay_cases(Path(dataset))]
    chooser = RandomChooser(seed)
    statuses = REALISTIC if mix == "realistic" else MIXED
    return [sample_case(chooser, policy, statuses) for _ in range(count)]


def _run(task: dict[str, Any]) -> dict[str, Any]:
    """Decide ``decisions`` cases (cycling) in this process; latencies in microseconds."""
    cases = _cases(task["dataset"], task["cases"], task["seed"], task["mix"])
    policy = load_policy()
    if task["engine"] == ISOLATED:
        isolated = IsolatedDecider(policy)

        def decide_one(facts: FactRecord, context: CaseContext | None) -> None:
            isolated.decide(facts, context)
    else:

        def decide_one(facts: FactRecord, context: CaseContext | None) -> None:
            decide(facts, policy=policy, context=context, engine=task["engine"])

    for facts, context in cases[:200]:  # warm caches before measuring
        decide_one(facts, context)
    # Raw doubles allocated up front: a list of 100,000 float objects would itself grow
    # the process by 3 MB and pass for a leak in the memory figures.
    latencies = array("d", bytes(8 * task["decisions"]))
    errors = 0
    rss_before = _rss_kib()
    # Memory at the half-way mark too: a flat run grows no more in its second half than
    # allocator noise, while a leak keeps growing.
    rss_half = rss_before
    started = time.perf_counter()
    for index in range(task["decisions"]):
        if index == task["decisions"] // 2:
            rss_half = _rss_kib()
        facts, context = cases[index % len(cases)]
        begin = time.perf_counter()
        try:
            decide_one(facts, context)
        except EngineError:
            errors += 1
        latencies[index] = time.perf_counter() - begin
    elapsed = time.perf_counter() - started
    rss_after = _rss_kib()  # before sorting: the sorted copy is the benchmark's own memory
    if task["engine"] == ISOLATED:
        isolated.close()
    ordered = sorted(latencies)
    return {
        "decisions": task["decisions"],
        "elapsed": elapsed,
        "p50_us": ordered[len(ordered) // 2] * 1e6,
        "p99_us": ordered[int(len(ordered) * 0.99)] * 1e6,
        "errors": errors,
        "rss_before_kib": rss_before,
        "rss_half_kib": rss_half,
        "rss_after_kib": rss_after,
        "fired_mean": statistics.mean(
            len(decide(f, policy=policy, context=c, engine="reference").fired_rules)
            for f, c in cases[:500]
        ),
    }


def _measure(pool_context: Any, task: dict[str, Any], processes: int) -> dict[str, Any]:
    with pool_context.Pool(processes) as pool:
        results = pool.map(_run, [task] * processes)
    total = sum(result["decisions"] for result in results)
    return {
        "engine": task["engine"],
        "processes": processes,
        "decisions_per_s": total / max(result["elapsed"] for result in results),
        "p50_us": statistics.median(result["p50_us"] for result in results),
        "p99_us": max(result["p99_us"] for result in results),
        "errors": sum(result["errors"] for result in results),
        "fired_mean": results[0]["fired_mean"],
    }


def _soak(pool_context: Any, task: dict[str, Any]) -> dict[str, Any]:
    """100,000 durable decisions in a child process: memory before/after and crashes."""
    with pool_context.Pool(1) as pool:
        try:
            result = pool.apply(_run, (task,))
        except Exception as error:  # a dead worker is a crash
            return {
                "crashes": 1,
                "error": repr(error),
                "rss_before_kib": 0,
                "rss_half_kib": 0,
                "rss_after_kib": 0,
            }
    return {
        "crashes": result["errors"],
        "rss_before_kib": result["rss_before_kib"],
        "rss_half_kib": result["rss_half_kib"],
        "rss_after_kib": result["rss_after_kib"],
    }


def main() -> None:
    """Run the benchmark and print a table, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", help="directory of case files (*.json) instead of generated cases"
    )
    parser.add_argument("--cases", type=int, default=4000, help="distinct generated cases")
    parser.add_argument(
        "--decisions", type=int, default=20000, help="decisions per process and engine"
    )
    parser.add_argument(
        "--soak", type=int, default=100_000, help="durable decisions for the memory/crash run"
    )
    parser.add_argument(
        "--mix",
        choices=["realistic", "mixed"],
        default="realistic",
        help="how often terms are present",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    base = {
        "dataset": args.dataset,
        "cases": args.cases,
        "seed": args.seed,
        "mix": args.mix,
        "decisions": args.decisions,
    }
    rows = [
        _measure(context, {**base, "engine": engine}, processes)
        for processes in (1, 2)
        for engine in ("durable", "reference")
    ]
    # The service's default: durable_rules in a worker process, one IPC round trip a case.
    # Measured from this process (pool workers cannot start processes of their own).
    isolated = _run({**base, "engine": ISOLATED, "decisions": min(args.decisions, 5000)})
    rows.append(
        {
            "engine": ISOLATED,
            "processes": 1,
            "decisions_per_s": isolated["decisions"] / isolated["elapsed"],
            "p50_us": isolated["p50_us"],
            "p99_us": isolated["p99_us"],
            "errors": isolated["errors"],
            "fired_mean": isolated["fired_mean"],
        }
    )
    soak = _soak(context, {**base, "engine": "durable", "decisions": args.soak})

    policy = load_policy()
    table = Table(
        title=f"decide: {len(policy.rules)} rules "
        f"({policy.durable.engine_rule_count} engine rules), "
        + (
            f"dataset {args.dataset}"
            if args.dataset
            else f"{args.cases} generated cases ({args.mix})"
        )
    )
    for column in ("engine", "processes", "decisions/s", "p50 µs", "p99 µs", "errors"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row["engine"],
            str(row["processes"]),
            f"{row['decisions_per_s']:.0f}",
            f"{row['p50_us']:.0f}",
            f"{row['p99_us']:.0f}",
            str(row["errors"]),
        )
    console = Console()
    console.print(table)

    def rate(engine: str, processes: int) -> float:
        found = [
            r["decisions_per_s"]
            for r in rows
            if r["engine"] == engine and r["processes"] == processes
        ]
        return float(found[0])

    figures = {
        "rules": len(policy.rules),
        "engine_rules": policy.durable.engine_rule_count,
        "cases": args.cases if not args.dataset else None,
        "mix": args.mix,
        "fired_rules_mean": round(rows[0]["fired_mean"], 2),
        "results": [
            {
                key: (round(value, 1) if isinstance(value, float) else value)
                for key, value in row.items()
            }
            for row in rows
        ],
        "durable_vs_reference": round(rate("durable", 1) / rate("reference", 1), 2),
        "durable_two_process_speedup": round(rate("durable", 2) / rate("durable", 1), 2),
        "soak_decisions": args.soak,
        "soak_rss_before_kib": soak["rss_before_kib"],
        "soak_rss_half_kib": soak["rss_half_kib"],
        "soak_rss_after_kib": soak["rss_after_kib"],
        "crashes": soak["crashes"],
    }
    console.print(
        f"durable/reference {figures['durable_vs_reference']}×, durable 2-process speed-up "
        f"{figures['durable_two_process_speedup']}×; {args.soak} durable decisions: RSS "
        f"{soak['rss_before_kib']} → {soak['rss_half_kib']} (half-way) → "
        f"{soak['rss_after_kib']} KiB, "
        f"crashes {soak['crashes']}"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
