"""A trace as documents: JSON (the command line's and the app's download), the route
ledger as CSV, a Markdown table for handouts, and a plain-text table for terminals."""

from __future__ import annotations

import csv
import io

from ..core.numbers import FULL
from ..forward import graph_operation_counts
from . import FORWARD, ROUTE_STACK, Trace, fmt

__all__ = ["forward_results", "ledger_csv", "trace_to_json", "trace_to_markdown",
           "trace_to_text"]


def _steps(trace: Trace, max_steps: int | None):
    last = trace.last_index if max_steps is None else min(trace.last_index, max_steps)
    for k in range(1, last + 1):
        yield trace.state(k)


def trace_to_json(trace: Trace, max_steps: int | None = None) -> dict:
    """The trace as the JSON document of ``python -m autodiff trace --json``.

    ``total_steps`` is exact even when ``max_steps`` (or the trace's own limit) cuts
    the list of steps. ``gradients`` are the engine's final ones (output included), for
    every algorithm. Forward mode adds ``passes`` (each pass's seeded input and the output's
    tangent at its end, the derivative with respect to that input) and ``operation_counts``
    (``autodiff.forward.operation_counts`` of both modes). Every value is a float (``0.0``
    after a relu, never ``0``); counts are integers.
    """
    graph = trace.graph
    nodes = [{"id": n.key, "name": n.name, "op": n.op, "value": float(n.value),
              "inputs": [{"node": k, "local_derivative": float(d)}
                         for k, d in zip(n.inputs, n.local_derivatives, strict=True)]}
             for n in graph.nodes]
    steps = [{"index": s.index, "popped": s.popped.node, "route": list(s.popped.route),
              "route_value": float(s.popped.value), "gradient": float(s.gradient_after)}
             for s in _steps(trace, max_steps)]
    document = {"algorithm": trace.algorithm, "output": graph.output, "nodes": nodes,
                "total_steps": trace.total_steps, "steps": steps,
                "gradients": {k: float(g) for k, g in trace.final_gradients.items()}}
    if trace.algorithm == FORWARD:
        document["passes"] = [{"seed": seed, "derivative": float(d)}
                              for seed, d in forward_results(trace).items()]
        document["operation_counts"] = graph_operation_counts(trace.graph)
    return document


def forward_results(trace: Trace) -> dict[str, float]:
    """Forward mode's answer: each input's key -> the output's tangent at the end of its
    pass, for the passes that can be stepped (all of them unless the trace is cut)."""
    trace.make(trace.last_index)
    return {trace.keys[i]: d for i, d in zip(trace.seeds, trace.results, strict=False)}


def ledger_csv(trace: Trace, k: int) -> str:
    """Every route counted up to step ``k``, one row each, grouped by node."""
    state = trace.state(k)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["node", "line", "route", "factors", "route_value", "running_total"])
    for node in trace.graph.nodes:
        total = 0
        for line, entry in enumerate(state.ledgers[node.key], start=1):
            total = total + entry.value
            # a route's value is its product of local derivatives; a topological
            # contribution also carries the passing node's gradient
            parts = entry.factors if trace.algorithm == ROUTE_STACK else (entry.upstream,
                                                                         *entry.factors)
            # (forward mode's seeded leaf has no edge: its line is its seed, 1 or 0)
            factors = " × ".join(fmt(f) for f in parts) if entry.factors else fmt(entry.value)
            writer.writerow([node.key, line, entry.route_text, factors,
                             fmt(entry.value, FULL), fmt(total, FULL)])
    return out.getvalue()


def _rows(trace: Trace, max_steps: int | None):
    if trace.algorithm == FORWARD:
        yield from _forward_rows(trace, max_steps)
        return
    state0 = trace.state(0)
    yield ("0", "", "", "", "", state0.narration)
    for s in _steps(trace, max_steps):
        yield (str(s.index), s.popped.node, s.popped.route_text, fmt(s.popped.value),
               fmt(s.gradient_after), s.narration)


def _forward_rows(trace: Trace, max_steps: int | None):
    """Forward mode's rows: the pass's seeded input, the node visited and its tangent."""
    yield ("0", "", "", "", "", trace.state(0).narration)
    for s in _steps(trace, max_steps):
        seed = trace.keys[trace.seeds[trace.pass_of(s.index) - 1]]
        yield (str(s.index), str(trace.pass_of(s.index)), seed, s.popped.node,
               fmt(s.popped.value), s.narration)


def _header(trace: Trace) -> str:
    if trace.algorithm == FORWARD:
        noun = f"steps ({len(trace.seeds):,} passes, one per input)"
    else:
        noun = "pops" if trace.algorithm == "route-stack" else "node visits"
    text = f"{trace.algorithm}: {trace.total_steps:,} {noun} for output {trace.graph.output}"
    return text if trace.steppable else text + f". {trace.limit_message}"


_COLUMNS = ("step", "popped", "route", "route value", "gradient", "what happens")
_FORWARD_COLUMNS = ("step", "pass", "seed", "visited", "tangent", "what happens")


def _count(n: int, what: str) -> str:
    """``1 pass``, ``8 multiplications``: a count and its noun (the key, a plural)."""
    if n == 1:
        what = what[:-2] if what.endswith("sses") else what[:-1]
    return f"{n:,} {what}"


def _columns(trace: Trace) -> tuple[str, ...]:
    return _FORWARD_COLUMNS if trace.algorithm == FORWARD else _COLUMNS


def _finals(trace: Trace) -> list[str]:
    """The closing lines: the reverse gradients, and forward mode's results beside them."""
    finals = ", ".join(f"{k} = {fmt(v)}" for k, v in trace.final_gradients.items())
    lines = [f"final gradients: {finals}"]
    if trace.algorithm == FORWARD:
        out = trace.graph.output
        results = ", ".join(f"∂{out}/∂{x} = {fmt(d)}" for x, d in forward_results(trace).items())
        counts = graph_operation_counts(trace.graph)
        lines = [f"forward mode, one pass per input: {results or 'no input'}",
                 f"reverse gradients, one backward pass: {finals}",
                 "work: " + "; ".join(
                     f"{mode} " + ", ".join(_count(n, what) for what, n in c.items())
                     for mode, c in counts.items())]
    return lines


def trace_to_markdown(trace: Trace, max_steps: int | None = None) -> str:
    """A handout: one table row per step, with its narration."""
    columns = _columns(trace)
    lines = [f"**{_header(trace)}**", "", "| " + " | ".join(columns) + " |",
             "|" + "---|" * len(columns)]
    for row in _rows(trace, max_steps):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    lines += [""] + [f"{line[0].upper()}{line[1:]}." for line in _finals(trace)]
    return "\n".join(lines) + "\n"


def trace_to_text(trace: Trace, max_steps: int | None = None) -> str:
    """A plain-text table for a terminal (the narration on its own line under each step)."""
    rows = [row[:5] for row in _rows(trace, max_steps)]
    columns = _columns(trace)[:5]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()  # noqa: E731
    out = [_header(trace), "", line(columns), line(["-" * w for w in widths])]
    for row, full in zip(rows, _rows(trace, max_steps), strict=True):
        out.append(line(row))
        out.append("    " + full[5])
    shown = len(rows) - 1
    if shown < trace.total_steps:
        out.append(f"... {trace.total_steps - shown:,} more steps not shown")
    out += ["", *_finals(trace)]
    return "\n".join(out) + "\n"
