"""The trace as the page replays it: a compact payload built once per (program, values,
algorithm) from what ``autodiff.trace`` computed, so every step is drawn in the browser
without asking the server. Pure: no Streamlit.

The payload is the trace's own tables (``autodiff.trace.Tables``), cut into windows and
written as columns of numbers and strings (not one dict per row, to stay small):

* a **cell** is one entry the trace made: its node, the cell whose pop pushed it (its
  parent: following parents spells its route), the cell below it on the stack, its value
  (``fmt``) and its route as people read it (cut to ``ROUTE_KEEP`` nodes, ``y→…→mul1→a``).
  Cell 0 is the output. Topological: a visit is a cell without a parent, its
  contributions are cells whose parent is the visit.
* a **step** is the cell popped (or visited; -1 at step 0), the stack's top cell after it
  (-1: empty), the first cell it pushed and how many, the stack's size, and its narration.
* a **ledger line** adds a cell's value into a node's gradient at a step, with the
  gradient after it (``fmt``) and the number it is written with in the node's line
  (``autodiff.trace.ledger.route_number``: ``4`` first, ``+ 7`` later). A node's
  gradient at step k is the total of its last line at or before k, so any step is drawn
  directly, with no replay from 0.
* a **mark** is what a node shows from a step on (``view_model.node_mark``: popped, on the
  stack ×n, complete, started…), sent for every node at step 0 and then only when it
  changes; a node's mark at step k is its last one at or before k, as for its gradient.
* an **edge state** is what an edge shows from a step on (``view_model.edge_states``: on the
  popped route, just pushed; plain when none was sent), sent the same way as the marks
  (an edge is numbered by its place in the base payload's edges, ``view_model.edge_ends``).
* a **question** is what predict mode asks before a step is shown
  (``autodiff.trace.questions``): its prompt, the right answer's text and the interval a
  typed answer must fall in, the four choices (each "right", a mistake's name or ""), each
  named mistake's interval, and how the answer is made. The page only compares a number
  with those bounds (``quiz.mjs``).
* a **task** is what practice mode asks of a pop (``questions.practice``, route stack
  only): which parts (the route value, the gradient, the pushed entries), each number
  part in a question's shape (so the page marks it with predict mode's rule), the nodes
  the pop pushes and the hint (the local derivatives along the route). The first pops are
  worked, then the parts fade in (``fading``).
* an **equation** is the chain rule of a step written out (``autodiff.trace.chain``), TeX
  the page typesets with KaTeX.

Forward mode (``autodiff.trace.ForwardTrace``) is sent the same way: a visit is a cell
without a parent, its terms cells whose parent is the input's visit (their route reads
``a→d``), each a ledger line into the visited node; ``passes`` (the first step of each pass
after the first) tell the page where every node's ledger starts again, as the trace's
``Tables.pass_starts`` tell ``State``.

Steps come in windows: the first is sent with the page, the others on the page's request,
in order (``window_bounds``). Every number and route is a string made here, written the
one way the whole page writes it (``autodiff.core.numbers.DISPLAY``, ``trace.ROUTE_KEEP``); the
page formats nothing but integers, fills the view model's templates (``view_model.MARKS``),
draws the states it is sent and picks a node's ledger lines at a step (``ledger.mjs``; the
line's rule, its words and its limit are ``autodiff.trace.ledger``'s).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from autodiff.trace import (
    BACKWARD,
    FORWARD,
    ROUTE_KEEP,
    ROUTE_STACK,
    TOPOLOGICAL,
    Trace,
    fmt,
    route_text,
)
from autodiff.trace.chain import written_out
from autodiff.trace.export import forward_results
from autodiff.trace.ledger import LEDGER_TERMS, LINE_WORDS, line_route, route_number
from autodiff.trace.questions import MISTAKES, Question, Task, practice, question_at

from . import view_model as vm

__all__ = ["FIRST_WINDOW", "LEDGER_TERMS", "Replay", "WINDOW", "base_payload", "fading",
           "task_payload", "window_bounds"]

FIRST_WINDOW = 200  # steps sent with the page: first paint stays small
WINDOW = 2_000  # steps per window the page asks for when it gets near them
STACK_ROWS = 5  # stack rows beside the graph (the rest are counted)
TABLE_ROWS = 30  # ledger and gradient rows (the downloads have them all)
#: predict mode's questions and the chain rule's equations are sent for a walk of up to
#: TEACHING_STEPS steps on a graph of up to TEACHING_NODES nodes: what a class works through
#: by hand (a 20,000-step walk's first window would more than double with them)
TEACHING_NODES = 200
TEACHING_STEPS = 2_000
MARK_CODES = {name: code for code, name in enumerate(vm.MARKS)}  # a mark's number in a window
EDGE_CODES = {name: code for code, name in enumerate(vm.EDGE_LOOKS)}  # an edge state's number


def fading(pops: int) -> tuple[int, int]:
    """Practice's fading for a walk of ``pops`` pops: (pops worked first, pops per part
    added). A short walk gets one worked pop and a part more at each pop, so that a three-node
    exercise (two pops) still asks, and a long one two of each."""
    return (1 if pops <= 4 else 2), (1 if pops <= 8 else 2)


def _asked(q: Question) -> dict:
    """A question as the page marks it (``quiz.mjs``): its answer's text and interval, its
    choices, its named mistakes' intervals, and why."""
    return {"step": q.step, "prompt": q.prompt, "right": fmt(q.right.value),
            "low": q.right.low, "high": q.right.high,
            "choices": [[fmt(c.value), "right" if c is q.right else c.mistake] for c in q.choices],
            "mistakes": [[m.mistake, m.low, m.high] for m in q.mistakes], "why": q.why}


def task_payload(task: Task) -> dict:
    """A practice pop that asks something, as the page marks it: each number part asked in
    a question's shape (``_asked``, less its choices: the student types), the nodes pushed
    with their route values, the hint."""
    parts = {"route": task.route_value, "gradient": task.gradient}
    return {"step": task.step, "asks": list(task.asks), "node": task.node,
            "route": route_text(task.route, ROUTE_KEEP),
            "parts": {part: {name: value for name, value in _asked(parts[part]).items()
                             if name != "choices"}
                      for part in task.asks if part in parts},
            "pushed": [[node, fmt(a.value)] for node, a in task.pushed], "hint": task.hint}


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
    """Cuts one trace's tables into windows in order and keeps them (append-only: a cached
    Replay is shared by every session, one thread at a time extends it). ``last``: cut the
    windows at this step (a file of the first steps, ``frozen``), else the trace's last."""

    def __init__(self, trace: Trace, last: int | None = None):
        self.trace = trace
        self.bounds = window_bounds(trace.last_index if last is None else last)
        self._windows: list[dict] = []
        self._lock = threading.Lock()
        n = len(trace.keys)
        # what decides each node's mark: its entries on the stack, its ledger lines so far;
        # the node popped at the step before, the mark last sent
        self._on_stack, self._lines = [0] * n, [0] * n
        self._last_popped = -1
        self._marked: list[tuple[int, int] | None] = [None] * n
        # each edge's number by its ends, and the edge states last sent (plain ones left out)
        self._edges_of: dict[tuple[str, str], list[int]] = {}
        for number, ends in enumerate(vm.edge_ends(trace.graph)):
            self._edges_of.setdefault(ends, []).append(number)
        self._edge_codes: dict[int, int] = {}
        # each node's lines so far in the pass, the pass's first step (``_numbers``)
        self._ordinal, self._pass = [0] * n, 0

    def window(self, i: int) -> dict:
        with self._lock:
            while len(self._windows) <= i:
                self._windows.append(self._build(*self.bounds[len(self._windows)]))
        return self._windows[i]

    def _build(self, start: int, stop: int) -> dict:
        trace, tables = self.trace, self.trace.tables
        trace.make(stop - 1)
        first_cell, end_cell = self._cells_made(start - 1), self._cells_made(stop - 1)
        first_line = tables.step_line[start]
        end_line = tables.step_line[stop - 1] + tables.step_lines[stop - 1]
        values = tables.cell_value[first_cell:end_cell]
        cells = {"node": tables.cell_node[first_cell:end_cell].tolist(),
                 "parent": tables.cell_parent[first_cell:end_cell].tolist(),
                 "below": tables.cell_below[first_cell:end_cell].tolist(),
                 "value": [fmt(v) for v in values],
                 "route": [line_route(trace, c) for c in range(first_cell, end_cell)]}
        steps = {"pop": tables.step_pop[start:stop].tolist(),
                 "head": tables.step_head[start:stop].tolist(),
                 "push": tables.step_push[start:stop].tolist(),
                 "pushn": tables.step_count[start:stop].tolist(),
                 "depth": tables.step_depth[start:stop].tolist(),
                 "say": [trace.state(k).narration for k in range(start, stop)]}
        line_cells = tables.line_cell[first_line:end_line].tolist()
        lines = {"step": tables.line_step[first_line:end_line].tolist(),
                 "node": [tables.cell_node[c] for c in line_cells], "cell": line_cells,
                 "total": [fmt(t) for t in tables.line_total[first_line:end_line]],
                 "number": self._numbers(first_line, end_line)}
        marks = {"step": [], "node": [], "mark": [], "n": []}
        edges = {"step": [], "edge": [], "state": []}
        for k in range(start, stop):
            step = tables.step(k)
            self._mark(marks, k, step)
            self._edge_states(edges, k, step)
        return {"start": start, "stop": stop, "first_cell": first_cell,
                "cells": cells, "steps": steps, "lines": lines, "marks": marks, "edges": edges,
                "quiz": self._questions(start, stop), "tasks": self._tasks(start, stop),
                "chain": self._equations(start, stop)}

    def _teaching_steps(self, start: int, stop: int) -> range:
        """The steps of [start, stop) that get a question and equations (``teaching``)."""
        return range(start, stop) if teaching(self.trace) else range(0)

    def _questions(self, start: int, stop: int) -> dict:
        """Predict mode's question of each step that asks one, as columns."""
        quiz = {"step": [], "prompt": [], "right": [], "low": [], "high": [], "choices": [],
                "mistakes": [], "why": []}
        for k in self._teaching_steps(start, stop):
            q = question_at(self.trace, k)
            if q is None:
                continue
            for name, value in _asked(q).items():
                quiz[name].append(value)
        return quiz

    def _tasks(self, start: int, stop: int) -> list[dict]:
        """Practice mode's task of each step that asks one (the route stack's; a worked
        pop, none)."""
        trace = self.trace
        steps = self._teaching_steps(start, stop)
        if trace.algorithm != ROUTE_STACK or not steps:
            return []
        return [task_payload(t) for t in practice(trace, *fading(trace.last_index), steps=steps)
                if t and t.asks]

    def _equations(self, start: int, stop: int) -> dict:
        """The chain rule of each step that has one: [what, TeX] per equation."""
        chain = {"step": [], "equations": []}
        for k in self._teaching_steps(start, stop):
            written = written_out(self.trace.state(k))
            if written:
                chain["step"].append(k)
                chain["equations"].append([[w.what, w.tex] for w in written])
        return chain

    def _cells_made(self, k: int) -> int:
        """How many cells the steps up to k made (cells are numbered as they are made)."""
        tables = self.trace.tables
        return tables.step_push[k] + tables.step_count[k] if k >= 0 else 0

    def _numbers(self, first_line: int, end_line: int) -> list[str]:
        """Each line's number as its node's line writes it (``route_number``): its place
        in the node's ledger counts from 0 again at each pass (forward mode)."""
        tables, numbers = self.trace.tables, []
        for line in range(first_line, end_line):
            start = tables.pass_start(tables.line_step[line])
            if start != self._pass:
                self._pass, self._ordinal = start, [0] * len(self._ordinal)
            cell = tables.line_cell[line]
            node = tables.cell_node[cell]
            numbers.append(route_number(self._ordinal[node], tables.cell_value[cell]))
            self._ordinal[node] += 1
        return numbers

    def _route(self, cell: int) -> list[str]:
        """The keys along a cell's route, from its start down to its own node."""
        keys, node = self.trace.keys, self.trace.tables.cell_node
        return [keys[node[c]] for c in self.trace.tables.route(cell)]

    def _mark(self, marks: dict, k: int, step) -> None:
        """The marks that change at step k: of every node at step 0, later of the nodes the
        step popped, pushed or added a line to, and of the node popped the step before."""
        trace, node_of = self.trace, self.trace.tables.cell_node
        popped = node_of[step.pop] if step.pop >= 0 else -1
        pushed = [node_of[c] for c in step.pushed] if trace.algorithm == ROUTE_STACK else []
        lined = [node_of[trace.tables.line_cell[line]] for line in step.lines]
        if popped >= 0 and trace.algorithm == ROUTE_STACK:
            self._on_stack[popped] -= 1
        for i in pushed:
            self._on_stack[i] += 1
        new_pass = k and trace.tables.pass_start(k) == k  # every ledger starts again
        if new_pass:
            self._lines = [0] * len(self._lines)
        for i in lined:
            self._lines[i] += 1
        if k == 0 or new_pass:
            touched = range(len(self._marked))
        else:
            touched = {popped, self._last_popped, *lined, *pushed} - {-1}
        for i in sorted(touched):
            complete = trace.completes(trace.keys[i], self._lines[i])
            code = MARK_CODES[vm.node_mark(i == popped, self._on_stack[i], complete,
                                           self._lines[i] > 0)]
            if self._marked[i] != (code, self._on_stack[i]):
                self._marked[i] = (code, self._on_stack[i])
                marks["step"].append(k)
                marks["node"].append(i)
                marks["mark"].append(code)
                marks["n"].append(self._on_stack[i])
        self._last_popped = popped

    def _edge_states(self, edges: dict, k: int, step) -> None:
        """The edge states that change at step k (``view_model.edge_states`` decides them)."""
        trace = self.trace
        route = self._route(step.pop) if step.pop >= 0 else []
        if trace.algorithm == FORWARD:
            states = ({} if not route else
                      vm.tangent_edge_states(route[-1], trace.graph[route[-1]].inputs))
        else:
            pushed_from = route[-1] if route else trace.graph.output
            pushed = [trace.keys[trace.tables.cell_node[c]] for c in step.pushed]
            states = vm.edge_states(route, pushed_from, pushed)
        codes = {number: EDGE_CODES[state] for ends, state in states.items()
                 for number in self._edges_of[ends]}
        plain = EDGE_CODES["plain"]
        for number in sorted(codes.keys() | self._edge_codes.keys()):
            code = codes.get(number, plain)
            if self._edge_codes.get(number, plain) != code:
                edges["step"].append(k)
                edges["edge"].append(number)
                edges["state"].append(code)
        self._edge_codes = {n: c for n, c in codes.items() if c != plain}


def teaching(trace: Trace) -> bool:
    """Whether the walk gets predict mode's questions and the chain rule (TEACHING_*):
    a backward pass of a small enough walk."""
    return (trace.algorithm in BACKWARD and len(trace.keys) <= TEACHING_NODES
            and trace.last_index <= TEACHING_STEPS)


#: why forward mode has no predict mode and no chain rule panel (the page says it)
FORWARD_TEACHING = ("Predict mode and the chain rule panel follow the backward passes; in "
                    "forward mode the narration writes each node's sum of local derivative × "
                    "input's tangent.")


def _forward_gradients(trace: Trace, numeric: Mapping[str, float], index: dict) -> list[dict]:
    """Forward mode's Gradients check: each input's pass's result, shown from the pass's
    last step on (``done``), beside the reverse gradient and the central difference."""
    results = forward_results(trace)
    done = {trace.keys[i]: (p + 1) * trace.pass_steps for p, i in enumerate(trace.seeds)}
    rows = vm.forward_gradient_rows(trace.graph, results, done, trace.final_gradients, numeric)
    return [{"node": index[r["node"]], "forward": r["forward"], "done": r["done"],
             "engine": r["engine"], "central": r["central difference"], "agree": r["agree"]}
            for r in rows]


def base_payload(ident: str, trace: Trace, positions: Mapping[str, tuple[int, int]],
                 numeric: Mapping[str, float], counts: Mapping[str, int],
                 vis: tuple[list[dict], list[dict], dict],
                 shades: Mapping[str, str] | None = None) -> dict:
    """What the page needs once per (program, values, algorithm): the vis nodes and edges
    at step 0, every look a node or edge can take, the static columns of the panels, the
    window bounds. ``vis`` is ``graph_view.to_vis`` at step 0; ``shades``: a complete node's
    background per key (``view_model.node_look``), for the gradients' sizes."""
    graph = trace.graph
    nodes, edges, options = vis
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    marks = vm.marks_of(trace.algorithm)
    looks: list[dict] = []
    node_looks = []
    for node in graph.nodes:
        row = {}
        for status in ("plain", "popped", "stack", "complete"):
            look = vm.node_look(node, graph.output, status, (shades or {}).get(node.key))
            if look not in looks:
                looks.append(look)
            row[status] = looks.index(look)
        node_looks.append(row)
    index = {n.key: i for i, n in enumerate(graph.nodes)}
    grad_rows = vm.gradient_rows(graph, trace.state(0), trace.final_gradients, numeric)
    forward = trace.algorithm == FORWARD
    # forward mode's ledger: every tangent but the constants' (0), the output's the result
    ledger = [index[n.key] for n in graph.nodes
              if n.op != "const" and (forward or n.key != graph.output)]
    return {
        "id": ident, "algorithm": trace.algorithm, "output": index[graph.output],
        # the node whose number is 1 from the start: the output's gradient, backwards
        "one": -1 if forward else index[graph.output],
        "last": trace.last_index, "total": trace.total_steps, "steppable": trace.steppable,
        "counts": {"pops": counts.get(ROUTE_STACK, 0), "visits": counts.get(TOPOLOGICAL, 0)},
        "passes": [k for k in trace.tables.pass_starts if k <= trace.last_index],
        "seeds": [index[trace.keys[i]] for i in getattr(trace, "seeds", ())],
        "words": vm.PANEL_WORDS[trace.algorithm],
        "keys": [n.key for n in graph.nodes],
        "drawn": [n.key in positions for n in graph.nodes],
        "heads": [vm.label_head(n, consts) for n in graph.nodes],
        "tips": [vm.title_head(n, consts) for n in graph.nodes],
        "looks": looks, "node_looks": node_looks,
        "marks": [marks[name]._asdict() for name in MARK_CODES], "edge_looks": vm.EDGE_LOOKS,
        "edge_states": list(EDGE_CODES),
        "nodes": nodes, "edges": edges, "options": options,
        "gradients": _forward_gradients(trace, numeric, index) if forward else [
            {"node": index[r["node"]], "engine": r["engine"],
             "central": r["central difference"], "agree": r["agree"]} for r in grad_rows],
        "kinks": [] if forward else vm.kink_notes(graph, grad_rows),
        "ledger": ledger,
        "limits": {"stack": STACK_ROWS, "table": TABLE_ROWS, "terms": LEDGER_TERMS},
        "line_words": LINE_WORDS,
        "mistakes": {code: list(words) for code, words in MISTAKES.items()},
        "teaching": {"on": teaching(trace), "nodes": TEACHING_NODES, "steps": TEACHING_STEPS,
                     "note": FORWARD_TEACHING if forward else ""},
        "windows": [list(b) for b in window_bounds(trace.last_index)],
    }
