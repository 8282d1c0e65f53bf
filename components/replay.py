"""The trace as the page replays it: a compact payload built once per (program, values,
algorithm) from what ``autodiff.trace`` computed, so every step is drawn in the browser
without asking the server. Pure: no Streamlit.

The payload is the persistent stack the trace itself uses, written as tables of numbers
and strings (columns, not one dict per row, to stay small):

* a **cell** is one entry the trace made: its node, the cell whose pop pushed it (its
  parent: following parents spells its route), the cell below it on the stack, its value
  (``fmt``), the same value as a later term of a ledger sum (``signed_term``: ``+ 4``,
  ``- 4``) and its route as people read it (cut to ``ROUTE_KEEP`` nodes, ``y→…→mul1→a``).
  Cell 0 is the output. Topological: a visit is a cell without a parent, its
  contributions are cells whose parent is the visit.
* a **step** is the cell popped (or visited; -1 at step 0), the stack's top cell after it
  (-1: empty), the first cell it pushed and how many, the stack's size, and its narration.
* a **ledger line** adds a cell's value into a node's gradient at a step, with the
  gradient after it (``fmt``). A node's gradient at step k is the total of
  its last line at or before k, so any step is drawn directly, with no replay from 0.
* a **mark** is what a node shows from a step on (``view_model.node_mark``: popped, on the
  stack ×n, complete, started…), sent for every node at step 0 and then only when it
  changes; a node's mark at step k is its last one at or before k, as for its gradient.

Steps come in windows: the first is sent with the page, the others on the page's request,
in order (``window_bounds``). Every number and route is a string made here, written the
one way the whole page writes it (``autodiff.core.numbers.DISPLAY``, ``trace.ROUTE_KEEP``); the
page formats nothing but integers, fills the view model's templates (``view_model.MARKS``)
and writes the ledger's lines (``ledger.mjs``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from autodiff.core.numbers import signed_term
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, Entry, Trace, fmt

from . import view_model as vm

__all__ = ["FIRST_WINDOW", "LEDGER_TERMS", "Replay", "WINDOW", "base_payload", "window_bounds"]

FIRST_WINDOW = 200  # steps sent with the page: first paint stays small
WINDOW = 2_000  # steps per window the page asks for when it gets near them
STACK_ROWS = 5  # stack rows beside the graph (the rest are counted)
TABLE_ROWS = 30  # ledger and gradient rows (the downloads have them all)
LEDGER_TERMS = 8  # routes written out per ledger line
MARK_CODES = {name: code for code, name in enumerate(vm.MARKS)}  # a mark's number in a window


def window_bounds(last_index: int) -> list[tuple[int, int]]:
    """[start, stop) of every window covering steps 0..last_index."""
    bounds, start = [], 0
    size = FIRST_WINDOW
    while start <= last_index:
        stop = min(start + size, last_index + 1)
        bounds.append((start, stop))
        start, size = stop, WINDOW
    return bounds


class Replay:
    """Builds the windows of one trace in order and keeps them (append-only: a cached
    Replay is shared by every session, one thread at a time extends it)."""

    def __init__(self, trace: Trace):
        self.trace = trace
        self.bounds = window_bounds(trace.last_index)
        self._windows: list[dict] = []
        self._lock = threading.Lock()
        graph = trace.graph
        self._index = {n.key: i for i, n in enumerate(graph.nodes)}
        out = graph.output
        # what decides each node's mark: its entries on the stack, its ledger lines so far;
        # the node popped at the step before, the mark last sent
        n = len(graph.nodes)
        self._keys = [node.key for node in graph.nodes]
        self._on_stack, self._lines = [0] * n, [0] * n
        self._last_popped = -1
        self._pushed_nodes: list[int] = []  # the nodes the step being built pushed
        self._marked: list[tuple[int, int] | None] = [None] * n
        # the replay's own stack of cell ids (route stack) and running totals (topological)
        self._cell_keys: list[str] = []  # node of every cell made so far (cell 0: the output)
        self._stack: list[int] = []
        self._totals = {n.key: 0 for n in graph.nodes}
        self._totals[out] = 1

    def window(self, i: int) -> dict:
        with self._lock:
            while len(self._windows) <= i:
                self._windows.append(self._build(*self.bounds[len(self._windows)]))
        return self._windows[i]

    def _build(self, start: int, stop: int) -> dict:
        cells = {"node": [], "parent": [], "below": [], "value": [], "term": [], "route": []}
        steps = {"pop": [], "head": [], "push": [], "pushn": [], "depth": [], "say": []}
        lines = {"step": [], "node": [], "cell": [], "total": []}
        marks = {"step": [], "node": [], "mark": [], "n": []}
        first_cell = len(self._cell_keys)
        if start == 0:
            out = self.trace.graph.output
            self._cell(cells, Entry(node=out, route=(out,), value=1, factors=()), -1)
        for k in range(start, stop):
            state = self.trace.state(k)
            first_line = len(lines["node"])
            if self.trace.algorithm == ROUTE_STACK:
                self._route_step(state, cells, steps, lines)
            else:
                self._visit_step(state, cells, steps, lines)
            steps["say"].append(state.narration)
            self._mark(marks, k, steps["pop"][-1], lines["node"][first_line:])
        return {"start": start, "stop": stop, "first_cell": first_cell,
                "cells": cells, "steps": steps, "lines": lines, "marks": marks}

    def _mark(self, marks: dict, k: int, pop: int, lined: list[int]) -> None:
        """The marks that change at step k: of every node at step 0, later of the nodes the
        step popped, pushed or added a line to, and of the node popped the step before."""
        popped = self._index[self._cell_keys[pop]] if pop >= 0 else -1
        if k == 0:
            touched = range(len(self._marked))
        else:
            touched = {popped, self._last_popped, *lined, *self._pushed_nodes} - {-1}
        for i in sorted(touched):
            complete = self.trace.completes(self._keys[i], self._lines[i])
            code = MARK_CODES[vm.node_mark(i == popped, self._on_stack[i], complete,
                                           self._lines[i] > 0)]
            if self._marked[i] != (code, self._on_stack[i]):
                self._marked[i] = (code, self._on_stack[i])
                marks["step"].append(k)
                marks["node"].append(i)
                marks["mark"].append(code)
                marks["n"].append(self._on_stack[i])
        self._last_popped = popped

    def _cell(self, cells: dict, entry: Entry, parent: int, below: int = -1) -> int:
        cells["node"].append(self._index[entry.node])
        cells["parent"].append(parent)
        cells["below"].append(below)
        cells["value"].append(fmt(entry.value))
        cells["term"].append(signed_term(entry.value))
        cells["route"].append(entry.short_route_text)
        self._cell_keys.append(entry.node)
        return len(self._cell_keys) - 1

    def _line(self, lines: dict, k: int, key: str, cell: int, total) -> None:
        self._lines[self._index[key]] += 1
        lines["step"].append(k)
        lines["node"].append(self._index[key])
        lines["cell"].append(cell)
        lines["total"].append(fmt(total))

    def _route_step(self, state, cells, steps, lines) -> None:
        """One pop: the top cell comes off the replay's stack, the pushed entries go on it
        as new cells whose parent is the popped cell."""
        parent = 0
        popped = -1
        if state.popped is not None:
            popped = self._stack.pop()
            if self._cell_keys[popped] != state.popped.node:
                raise RuntimeError(f"replay lost step {state.index}: the trace popped "
                                   f"{state.popped.node}")
            parent = popped
            self._on_stack[self._index[state.popped.node]] -= 1
            self._line(lines, state.index, state.popped.node, popped, state.gradient_after)
        first = len(self._cell_keys)
        self._pushed_nodes = [self._index[entry.node] for entry in state.pushed]
        for entry in state.pushed:  # in push order: the last one ends on top
            below = self._stack[-1] if self._stack else -1
            self._stack.append(self._cell(cells, entry, parent, below))
            self._on_stack[self._index[entry.node]] += 1
        steps["pop"].append(popped)
        steps["head"].append(self._stack[-1] if self._stack else -1)
        steps["push"].append(first)
        steps["pushn"].append(len(state.pushed))
        steps["depth"].append(len(self._stack))

    def _visit_step(self, state, cells, steps, lines) -> None:
        """One visit: a cell for the visited node, and one per contribution it passes."""
        visit = 0
        if state.popped is not None:
            visit = self._cell(cells, state.popped, -1)
        first = len(self._cell_keys)
        self._pushed_nodes = []  # a contribution's node gets a line, not a stack entry
        for entry in state.pushed:
            cell = self._cell(cells, entry, visit)
            # the same sum, in the same order, as the trace's own sweep
            self._totals[entry.node] = self._totals[entry.node] + entry.value
            self._line(lines, state.index, entry.node, cell, self._totals[entry.node])
        steps["pop"].append(visit if state.popped is not None else -1)
        steps["head"].append(-1)
        steps["push"].append(first)
        steps["pushn"].append(len(state.pushed))
        steps["depth"].append(0)


def base_payload(ident: str, trace: Trace, positions: Mapping[str, tuple[int, int]],
                 numeric: Mapping[str, float], counts: Mapping[str, int],
                 vis: tuple[list[dict], list[dict], dict]) -> dict:
    """What the page needs once per (program, values, algorithm): the vis nodes and edges
    at step 0, every look a node or edge can take, the static columns of the panels, the
    window bounds. ``vis`` is ``graph_view.to_vis`` at step 0."""
    graph = trace.graph
    nodes, edges, options = vis
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    looks: list[dict] = []
    node_looks = []
    for node in graph.nodes:
        row = {}
        for status in ("plain", "popped", "stack", "complete"):
            look = vm.node_look(node, graph.output, status)
            if look not in looks:
                looks.append(look)
            row[status] = looks.index(look)
        node_looks.append(row)
    state0 = trace.state(0)
    grad_rows = vm.gradient_rows(graph, state0, trace.final_gradients, numeric)
    index = {n.key: i for i, n in enumerate(graph.nodes)}
    return {
        "id": ident, "algorithm": trace.algorithm, "output": index[graph.output],
        "last": trace.last_index, "total": trace.total_steps, "steppable": trace.steppable,
        "counts": {"pops": counts.get(ROUTE_STACK, 0), "visits": counts.get(TOPOLOGICAL, 0)},
        "keys": [n.key for n in graph.nodes],
        "drawn": [n.key in positions for n in graph.nodes],
        "heads": [vm.label_head(n, consts) for n in graph.nodes],
        "tips": [vm.title_head(n, consts) for n in graph.nodes],
        "looks": looks, "node_looks": node_looks,
        "marks": [vm.MARKS[name]._asdict() for name in MARK_CODES], "edge_looks": vm.EDGE_LOOKS,
        "nodes": nodes, "edges": edges, "options": options,
        "gradients": [{"node": index[r["node"]], "engine": r["engine"],
                       "central": r["central difference"], "agree": r["agree"]}
                      for r in grad_rows],
        "kinks": vm.kink_notes(graph, grad_rows),
        "ledger": [index[n.key] for n in graph.nodes
                   if n.key != graph.output and n.op != "const"],
        "limits": {"stack": STACK_ROWS, "table": TABLE_ROWS, "terms": LEDGER_TERMS},
        "windows": [list(b) for b in window_bounds(trace.last_index)],
    }
