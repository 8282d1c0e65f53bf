"""How long the parser takes on hostile programs: the worst case a visitor can cause.

    python benchmarks/bench_parser.py           # every case, best of 3 runs each
    python benchmarks/bench_parser.py --runs 1  # a smoke run

Times what the app does with a typed program (``read_inputs`` then ``compile_program``)
for every case in tests/parser/test_program_hostile.py (refused, or computed safely) and
for programs right at the parser's limits, which do the most work it allows. The tests
check what each case gives; this checks how long it takes. Target: the slowest case under
0.5 s (issue 12: timings live in benchmarks, not tests). Exits 1 when the target is missed.
Prints the slowest cases side by side with the median, and their ratio to the target.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autodiff import program as prog  # noqa: E402
from autodiff.program import ProgramError, compile_program, read_inputs  # noqa: E402

TARGET_S = 0.5
HOSTILE = REPO / "tests" / "parser" / "test_program_hostile.py"


def hostile_cases() -> dict[str, str]:
    """The test file's cases, read from it so that the two lists are one."""
    spec = importlib.util.spec_from_file_location("hostile_cases", HOSTILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = {f"refused: {name}": text for name, text in module.REFUSED.items()}
    cases.update({f"computed: {name}": text for name, (text, _) in module.COMPUTED.items()})
    return cases


def at_the_limits() -> dict[str, str]:
    """Programs just inside each limit: the most work the parser lets one program cause."""
    depth = prog.MAX_DEPTH - 2
    line = "x = x * 0.5 + sin(x) * 0.25 + 1.5\n"  # 6 nodes, 34 characters
    return {
        "limit: a flat chain of 1,000 terms": "y = " + "+".join(["x"] * 1_000),
        "limit: most lines and characters": "x = 1\n" + line * (prog.MAX_LINES - 2) + "y = x",
        "limit: deepest brackets": "y = " + "(" * depth + "x" + ")" * depth,
        "limit: most nodes (a function called often)": (  # 3 nodes a call, 4 calls a line
            "def f(t):\n    return sin(t) * t + t\n" + "y = x\n"
            + "y = f(f(f(f(y))))\n" * ((prog.MAX_NODES - 10) // 12)),
        "limit: most steps (calls of calls)": "def f0(t):\n    return t\n" + "".join(
            f"def f{i}(t):\n    return f{i - 1}(f{i - 1}(t))\n" for i in range(1, 13))
            + "y = f12(x)",
        "limit: most inputs": "".join(f"a{i} = {i}\n" for i in range(prog.MAX_INPUTS))
            + "y = " + " + ".join(f"a{i}" for i in range(prog.MAX_INPUTS)),
    }


def time_once(text: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        read_inputs(text)
        result = compile_program(text, {"x": 3.0, "y": 2.0})
        outcome = f"computed, {len(result.graph.nodes):,} nodes"
    except ProgramError as exc:
        outcome = "refused: " + exc.message[:50]
    return time.perf_counter() - start, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the best counts")
    parser.add_argument("--show", type=int, default=8, help="how many of the slowest to list")
    args = parser.parse_args(argv)
    cases = {**hostile_cases(), **at_the_limits()}
    results = []
    for name, text in cases.items():
        runs = [time_once(text) for _ in range(max(1, args.runs))]
        results.append((min(t for t, _ in runs), name, runs[0][1]))
    results.sort(reverse=True)
    median = statistics.median(t for t, *_ in results)
    print(f"{len(results)} programs, best of {args.runs} each; median {median * 1000:.2f} ms")
    print(f"\n{'case':52} {'ms':>9} {'× median':>9} {'× target':>9}  outcome")
    for seconds, name, outcome in results[:args.show]:
        print(f"{name[:52]:52} {seconds * 1000:9.2f} {seconds / median:9.1f} "
              f"{seconds / TARGET_S:9.3f}  {outcome}")
    worst, name, _ = results[0]
    verdict = "ok" if worst < TARGET_S else "OVER"
    print(f"\nslowest: {name} in {worst * 1000:.1f} ms [target < {TARGET_S * 1000:.0f} ms: "
          f"{verdict}]")
    if verdict == "OVER":
        print("missed: the parser's worst case")
        return 1  # a missed target exits 1, as the other benchmarks do
    print("every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
