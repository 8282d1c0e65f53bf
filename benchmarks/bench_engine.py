"""How fast is the engine? Forward build plus backward, against micrograd, in one run.

    python benchmarks/bench_engine.py            # N = 1e3, 1e4, 1e5, 1e6 (a few minutes)
    python benchmarks/bench_engine.py --quick    # N = 1e3, 1e4, 1e5

Two graphs, each built and differentiated by both engines:

* chain: ``y = sin(y) * 1.0001 + 0.5`` repeated N times, a graph N steps deep;
* sum:   ``x_1*w_1 + x_2*w_2 + ... + x_N*w_N`` with 2N fresh inputs.

Ours is ``autodiff.gradients`` (the topological sweep), run at Python's default
recursion limit. Each time is the median of a few repeats, with the garbage collector
off while the clock runs; the engines take turns so that load on the machine hits both.
The exit status is 1 when a target printed under "Targets" is missed.
Needs micrograd==0.1.0 (``pip install -r benchmarks/requirements.txt``).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from micrograd.engine import Value  # noqa: E402

import autodiff  # noqa: E402

DEFAULT_RECURSION_LIMIT = sys.getrecursionlimit()
MAX_GROWTH = 3.0  # time per node at N = 1e6 over time per node at N = 1e4
MICROGRAD_RECURSION_LIMIT = 100_000_000
MICROGRAD_STACK = 512 * 1024 * 1024  # bytes of C stack for micrograd's thread


class SinValue(Value):
    """micrograd 0.1.0 has no sin: one added in micrograd's own closure pattern."""

    def sin(self):
        out = SinValue(math.sin(self.data), (self,), "sin")

        def _backward():
            self.grad += math.cos(self.data) * out.grad

        out._backward = _backward
        return out


micrograd_sin = SinValue.sin  # works on any Value: micrograd's ops return plain Values


# ---- the two graphs, in each engine ----

def chain_ours(n: int):
    y = autodiff.Var(0.3)
    for _ in range(n):
        y = autodiff.sin(y) * 1.0001 + 0.5
    return y, backward(y)


def chain_micrograd(n: int):
    y = Value(0.3)
    for _ in range(n):
        y = micrograd_sin(y) * 1.0001 + 0.5
    y.backward()
    return y, None


def sum_ours(n: int, xs: list, ws: list):
    x = [autodiff.Var(v) for v in xs]
    w = [autodiff.Var(v) for v in ws]
    y = sum(a * b for a, b in zip(x, w, strict=True))
    return y, backward(y)


def sum_micrograd(n: int, xs: list, ws: list):
    x = [Value(v) for v in xs]
    w = [Value(v) for v in ws]
    y = sum(a * b for a, b in zip(x, w, strict=True))
    y.backward()
    return y, None


def backward(y):
    """autodiff.gradients(y), and the wall-clock seconds it took (to show the split)."""
    start = time.perf_counter()
    grads = autodiff.gradients(y)
    return grads, time.perf_counter() - start


# ---- timing ----

def timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one call with the collector off.

    The wall clock (perf_counter) is the measure; the process's CPU time is shown beside it
    because other work on a small machine stretches wall-clock times but not CPU times.
    The result is freed by the caller, after the clock.
    """
    gc.collect()
    gc.disable()
    try:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    finally:
        gc.enable()
    return seconds, cpu, result


def in_big_thread(run: Callable[[], object]) -> object:
    """Call ``run`` in a thread with a large C stack and a huge recursion limit.

    micrograd's backward sorts the graph by recursion, one Python call per level.
    """
    box: dict = {}

    def target():
        try:
            box["value"] = run()
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    old_stack = threading.stack_size(MICROGRAD_STACK)
    sys.setrecursionlimit(MICROGRAD_RECURSION_LIMIT)
    try:
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)
        threading.stack_size(old_stack)
    if "error" in box:
        raise box["error"]
    return box["value"]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def micrograd_fails_at_default_limit(run: Callable[[], object]) -> bool:
    try:
        run()
    except RecursionError:
        return True
    return False


def check_same_value(ours, micrograd, label: str) -> None:
    """Both engines computed the same function (same value up to rounding)."""
    if not math.isclose(ours.value, micrograd.data, rel_tol=1e-9, abs_tol=1e-9):
        raise SystemExit(f"{label}: values differ: {ours.value!r} vs {micrograd.data!r}")


def bench(name: str, ours, micrograd, sizes: dict, notes: list) -> list:
    rows = []
    probing = True  # does micrograd still work at Python's default recursion limit?
    for n, repeats in sizes.items():
        args = (n,)
        if name == "sum":
            rng = random.Random(n)
            args = (n, [rng.random() for _ in range(n)], [rng.random() for _ in range(n)])
        if probing and micrograd_fails_at_default_limit(lambda args=args: micrograd(*args)):
            probing = False
            notes.append(
                f"{name}: micrograd's recursive backward fails at Python's default recursion "
                f"limit ({DEFAULT_RECURSION_LIMIT}) from N = {n:.0e} on, so every micrograd run "
                f"uses sys.setrecursionlimit({MICROGRAD_RECURSION_LIMIT:,}) in a thread with a "
                f"{MICROGRAD_STACK // 2**20} MiB stack (threading.stack_size).")
        gc.collect()
        times: dict = {key: [] for key in ("ours", "ours cpu", "backward", "mg", "mg cpu")}
        nodes = 0
        for _ in range(repeats):  # take turns, so that load on the machine hits both
            assert sys.getrecursionlimit() == DEFAULT_RECURSION_LIMIT
            seconds, cpu, (y, (grads, backward_seconds)) = timed(lambda args=args: ours(*args))
            times["ours"].append(seconds)
            times["ours cpu"].append(cpu)
            times["backward"].append(backward_seconds / seconds)
            nodes = len(grads)  # every node below the output, and the output
            seconds, cpu, (m, _) = in_big_thread(
                lambda args=args: timed(lambda: micrograd(*args)))
            times["mg"].append(seconds)
            times["mg cpu"].append(cpu)
            check_same_value(y, m, f"{name} N={n}")
            del y, grads, m
        median = {key: statistics.median(values) for key, values in times.items()}
        rows.append((name, n, nodes, repeats, 1000 * median["ours"], 1000 * median["mg"],
                     median["ours cpu"] / median["mg cpu"], median["backward"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at N = 1e5, fewer repeats")
    options = parser.parse_args(argv)
    if options.quick:
        sizes = {1_000: 5, 10_000: 3, 100_000: 3}
    else:
        sizes = {1_000: 7, 10_000: 5, 100_000: 5, 1_000_000: 3}

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"autodiff vs micrograd 0.1.0; median of the repeats; gc off while timing")
    print(f"load average before: {load()}")
    notes = ["micrograd 0.1.0 has no sin: the chain uses one added in a Value subclass, "
             "written in micrograd's own closure pattern (SinValue.sin)."]
    rows = []
    rows += bench("chain", chain_ours, chain_micrograd, sizes, notes)
    rows += bench("sum", sum_ours, sum_micrograd, sizes, notes)

    header = (f"{'graph':<6} {'N':>9} {'nodes':>9} {'reps':>4} {'ours ms':>9} "
              f"{'micrograd ms':>12} {'ratio':>5} {'ours ns/node':>12} {'mg ns/node':>10} "
              f"{'cpu ratio':>9} {'backward':>8}")
    print()
    print(header)
    print("-" * len(header))
    for name, n, nodes, repeats, ours_ms, micro_ms, cpu_ratio, share in rows:
        print(f"{name:<6} {n:>9,} {nodes:>9,} {repeats:>4} {ours_ms:>9.1f} {micro_ms:>12.1f} "
              f"{ours_ms / micro_ms:>5.2f} {1e6 * ours_ms / nodes:>12.0f} "
              f"{1e6 * micro_ms / nodes:>10.0f} {cpu_ratio:>9.2f} {share:>8.0%}")
    print()
    print("ratio = ours / micrograd, wall clock (lower is better); cpu ratio = the same in CPU "
          "time; backward = ours' share spent in gradients(); nodes = every node in the graph, "
          "constants included (the same count in both engines).")

    print()
    print("Targets")
    ok = True
    for name in ("chain", "sum"):
        at = {n: (nodes, o, m, cpu) for g, n, nodes, _, o, m, cpu, _ in rows if g == name}
        if 100_000 in at:
            _, o, m, cpu = at[100_000]
            hit = o <= 0.5 * m
            ok &= hit
            print(f"  {name}: ours <= 0.5 x micrograd at N = 1e5: {o / m:.2f} "
                  f"(CPU time: {cpu:.2f}) {'yes' if hit else 'NO'}")
        if 10_000 in at and 1_000_000 in at:
            ours_growth, micro_growth = (
                (at[1_000_000][k] / at[1_000_000][0]) / (at[10_000][k] / at[10_000][0])
                for k in (1, 2))
            hit = ours_growth <= MAX_GROWTH
            ok &= hit
            print(f"  {name}: linear from 1e4 to 1e6: time per node x{ours_growth:.2f} "
                  f"(at most x{MAX_GROWTH:g}; micrograd's x{micro_growth:.2f}) "
                  f"{'yes' if hit else 'NO'}")
    if any(n == 1_000_000 for _, n, *_ in rows):
        print(f"  depth 1e6: the chain of 1e6 steps ran forward and backward at Python's "
              f"default recursion limit ({DEFAULT_RECURSION_LIMIT}): yes")
    print()
    print(f"load average after: {load()} (other work on the machine makes times noisy)")
    print("Notes")
    notes.append(
        f"linear: 100x the nodes may cost at most x{MAX_GROWTH:g} the time per node. Memory "
        "(caches, fresh pages for a graph of gigabytes) makes both engines slower per node on "
        "big graphs; a quadratic pass would show x100, an n**1.25 one x3.2.")
    for note in notes:
        print(f"  - {note}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
