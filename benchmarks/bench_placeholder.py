"""Placeholders: re-evaluating a compiled graph against rebuilding it from the program text.

    python benchmarks/bench_placeholder.py            # median of 30 runs each
    python benchmarks/bench_placeholder.py --runs 5   # a smoke run

What the app does when a number field changes, two ways, on the post's third example and
on a 1,000-node program: *rebuild* = ``compile_program(text, values)`` (read the text,
build the nodes, snapshot them); *re-evaluate* = ``plan.snapshot(values)`` (the plan was
compiled once; the registered rules run on plain numbers and no node is built). Also the
output's value alone (``plan.value``), what a central difference or a plot needs. Runs
alternate A/B in one process so that a noisy machine slows both alike. Target (issue 14):
re-evaluation at least 5× cheaper on both programs; exits 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autodiff.placeholder import compile_plan  # noqa: E402
from autodiff.program import compile_program  # noqa: E402
from components.presets import POST_3  # noqa: E402

TARGET = 5.0


def thousand_node_program() -> str:
    """A program of about 1,000 nodes: a chain of lines that mix every kind of op."""
    lines = ["x = 0.5", "w = 1.5", "h0 = x * w"]
    for i in range(1, 251):  # four nodes a line
        lines.append(f"h{i} = tanh(h{i - 1} * w + sin(x))")
    return "\n".join(lines)


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def measure(text: str, values: dict, runs: int) -> dict:
    plan = compile_plan(compile_program(text).graph)
    assert plan.snapshot(values) == compile_program(text, values).graph  # same graph first
    rebuild, snap, value = [], [], []
    for _ in range(runs):  # interleaved: A, B, C, A, B, C, ...
        rebuild.append(_median_ms(lambda: compile_program(text, values), 1))
        snap.append(_median_ms(lambda: plan.snapshot(values), 1))
        value.append(_median_ms(lambda: plan.value(values), 1))
    return {"nodes": len(plan.graph.nodes), "rebuild": statistics.median(rebuild),
            "snapshot": statistics.median(snap), "value": statistics.median(value)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    cases = {"post's example 3": (POST_3, {"a": 40.0, "b": 2.5, "c": 1.5}),
             "1,000-node program": (thousand_node_program(), {"x": 0.7, "w": 1.2})}
    print(f"{'program':20} {'nodes':>6} {'rebuild ms':>11} {'re-evaluate ms':>15} "
          f"{'ratio':>6} {'value only ms':>14} {'ratio':>6}")
    missed = False
    for name, (text, values) in cases.items():
        m = measure(text, values, args.runs)
        ratio, ratio_value = m["rebuild"] / m["snapshot"], m["rebuild"] / m["value"]
        missed |= ratio < TARGET
        print(f"{name:20} {m['nodes']:>6,} {m['rebuild']:>11.3f} {m['snapshot']:>15.3f} "
              f"{ratio:>5.1f}× {m['value']:>14.3f} {ratio_value:>5.1f}×")
    print(f"target: re-evaluation ≥ {TARGET:g}× cheaper than a rebuild: "
          + ("missed" if missed else "met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
