"""Benchmark of the stepper (autodiff/trace/__init__.py): walking, jumping, memory, huge graphs.

    python benchmarks/bench_trace.py          # the issue's sizes: 1,000,000 pops
    python benchmarks/bench_trace.py --quick  # 100,000 pops, for a smoke run

Compares, side by side in one run, the trace (persistent stack, states made lazily)
with the obvious way to step the seed's algorithm: record every step's whole stack
and gradients as lists (what a first UI would do), and prints the ratios.
Targets (issue 5): 1,000,000 pops walked end to end in under 5 s, holding under
300 MB; then any step's full state in under 10 ms; the first step of a graph with
2^1000 routes at once, with the exact total known.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff import Add, Mul, Var  # noqa: E402
from autodiff.core.graph import snapshot  # noqa: E402
from autodiff.trace import TOPOLOGICAL, make_trace  # noqa: E402


def rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4096 / 1e6


def doubling_chain(lines: int, x0: float = 0.001):
    """y = x; then `y = y*y + y` ``lines`` times: routes triple at every line."""
    y = Var(x0, name="x")
    for _ in range(lines):
        y = Add(Mul(y, y), y, name="y")
    return snapshot(y)


def walk_trace(graph, pops: int):
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    trace = make_trace(graph, max_steps=pops)
    count, seen = 0, []
    for state in trace.states():  # what a "play to the end" does per step
        seen.append((state.popped_key, state.gradient_after))
        seen.clear()
        count += 1
    seconds = time.perf_counter() - start
    return trace, count - 1, seconds, rss_mb() - before


def walk_naive(graph, pops: int):
    """The obvious stepper: run the seed's loop and keep a copy of each step's state."""
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    index = {n.key: i for i, n in enumerate(graph.nodes)}
    inputs = [[(index[k], d) for k, d in zip(n.inputs, n.local_derivatives, strict=True)]
              for n in graph.nodes]
    out = index[graph.output]
    stack = [(c, d, (out, c)) for c, d in inputs[out]]
    grads = [0.0] * len(inputs)
    history = [(list(stack), list(grads))]
    while stack and len(history) <= pops:
        node, value, route = stack.pop()
        grads[node] += value
        for child, local in inputs[node]:
            stack.append((child, local * value, (*route, child)))
        history.append((list(stack), list(grads)))
    seconds = time.perf_counter() - start
    return len(history) - 1, seconds, rss_mb() - before


def jump_times(trace, samples: int = 200) -> list[float]:
    rng = random.Random(0)
    times = []
    for _ in range(samples):
        k = rng.randrange(trace.last_index + 1)
        start = time.perf_counter()
        state = trace.state(k)
        read = (state.popped, state.pushed, state.stack, state.stack_counts, state.gradients,
                state.ledger_sizes, state.complete, state.narration)
        times.append(time.perf_counter() - start)
        assert read[-1]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 pops instead of 1,000,000")
    args = parser.parse_args()
    pops = 100_000 if args.quick else 1_000_000
    naive_pops = min(pops, 100_000)  # the naive way needs gigabytes beyond this
    graph = doubling_chain(12)  # 1,062,880 routes; the walk stops at `pops`

    trace, walked, seconds, mb = walk_trace(graph, pops)
    naive_walked, naive_seconds, naive_mb = walk_naive(graph, naive_pops)
    _, small_walked, small_seconds, small_mb = walk_trace(graph, naive_pops)
    jumps = sorted(jump_times(trace))

    start = time.perf_counter()
    huge = make_trace(doubling_chain(1000))
    first = huge.state(1)
    assert first.narration and first.stack
    huge_seconds = time.perf_counter() - start

    print(f"stepper benchmark (python {sys.version.split()[0]})")
    print(f"graph: y = y*y + y, 12 lines, {len(graph.nodes)} nodes, "
          f"{trace.total_steps:,} routes")
    print()
    print(f"{'what':46} {'trace':>12} {'naive':>12} {'ratio':>7}")
    print(f"{f'walk {naive_pops:,} pops, s':46} {small_seconds:12.2f} {naive_seconds:12.2f} "
          f"{small_seconds / naive_seconds:7.2f}")
    print(f"{f'memory held after {naive_pops:,} pops, MB':46} {small_mb:12.1f} {naive_mb:12.1f} "
          f"{small_mb / max(naive_mb, 1e-9):7.2f}")
    print()
    target = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
    print(f"walk {walked:,} pops end to end: {seconds:.2f} s "
          f"(target < 5 s: {target(seconds < 5)})")
    print(f"memory held by that trace: {mb:.0f} MB (target < 300 MB: {target(mb < 300)})")
    median, worst = statistics.median(jumps) * 1e3, jumps[-1] * 1e3
    print(f"full state of a random step after the walk: median {median:.2f} ms, "
          f"max {worst:.2f} ms over {len(jumps)} (target < 10 ms: {target(worst < 10)})")
    print(f"graph with 2^1000+ routes ({len(huge.graph.nodes):,} nodes): trace + first step "
          f"in {huge_seconds * 1e3:.1f} ms; exact total has {len(str(huge.total_steps))} "
          f"digits; topological: {make_trace(huge.graph, TOPOLOGICAL).total_steps:,} visits")
    assert walked == pops and naive_walked == small_walked == naive_pops


if __name__ == "__main__":
    main()
