"""The backward pass as a sequence of states a person can step through.

Three algorithms share one vocabulary (``Entry``, ``State``):

* the seed's **route stack**: one step per pop. A stack entry is a route from the
  output down to a node, with its value (the product of the local derivatives along
  it); popping it adds that value into the node's gradient and pushes the node's
  inputs. One pop per route, so shared subexpressions multiply the work.
* the **topological** sweep: one step per node other than the output, in reverse
  topological order. A visited node's gradient is final; it passes gradient × local
  derivative to each input. One visit per node.
* **forward** mode, to set beside them: tangents carried up from the inputs, one **pass**
  per input (``autodiff.forward``). A pass's first step seeds its input (tangent 1, every
  other leaf 0); each later step visits one node and adds up local derivative × input's
  tangent, one term per edge into it. At a pass's end the output's tangent is the
  derivative with respect to the seeded input: a whole gradient takes one pass per input.

Both write what they do once, in one format, ``Tables``: a **cell** (``Cell``) is a stack
entry (or a visit, or what it passes down): its node, its parent cell (the entry whose pop
pushed it, so parents spell its route), the cell below it and its route value; a **step**
(``Step``) is the cell it popped, the cells it pushed, the stack's top and size after it and
the ledger lines it added (a line adds a cell's value into its node, with the total after
it). Every stack is thus a persistent linked list: step k keeps one cell id for its stack,
and a node's gradient at any step is a binary search in the list of that node's lines.
Going forward, back or to any step never recomputes from the start, and no step copies the
whole stack. A forward trace starts every node's ledger again at each pass
(``Tables.pass_starts``): its tangents are those of the pass the step is in. ``State``
reads the tables into ``Entry`` objects (routes spelled out) for the narration, the
exports and the tests; the page's replay (components/replay.py) sends the same tables as
they are. Route-stack steps and forward passes are made lazily, as they are asked for.
"""

from __future__ import annotations

import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import NamedTuple

from ..core.backward import (
    count_routes,
    gradients,
    route_stack,
    sweep_all,
    topological_sweep,
    user_counts,
)
from ..core.graph import Graph, GraphNode
from ..core.numbers import (  # fmt: DISPLAY by default, the page's one precision
    MINUS,
    fmt,
    signed_term,
)
from ..core.registry import spec_of
from ..forward import tangent_sweep

__all__ = [
    "ALGORITHMS", "BACKWARD", "Cell", "Entry", "FORWARD", "ForwardTrace", "MAX_ROUTE_STEPS",
    "ROUTE_KEEP", "ROUTE_STACK", "State", "Step", "TOPOLOGICAL", "Tables", "Trace", "describe",
    "dotted", "fmt", "formula", "make_trace", "route_text",
]

ROUTE_STACK, TOPOLOGICAL, FORWARD = "route-stack", "topological", "forward"
ALGORITHMS = (ROUTE_STACK, TOPOLOGICAL, FORWARD)
#: the backward passes: what a graph of the array engine (whose local derivatives are rules
#: applied to a gradient) can be stepped by, and what predict mode asks about
BACKWARD = (ROUTE_STACK, TOPOLOGICAL)
#: The most pops a route-stack trace will step; beyond it only a prefix is stepped.
MAX_ROUTE_STEPS = 1_000_000


@dataclass(frozen=True)
class Entry:
    """A stack entry, a ledger line, or (topological) one contribution along an edge."""

    node: str  # key of the node the entry is for
    route: tuple[str, ...]  # keys from the output (or the passing node) down to ``node``
    value: float  # upstream × product of factors
    factors: tuple[float, ...]  # the local derivative of each edge on the route
    upstream: float = 1  # gradient at the route's start: 1 for the output

    @property
    def route_text(self) -> str:
        return route_text(self.route)

    @property
    def short_route_text(self) -> str:
        return route_text(self.route, ROUTE_KEEP)


ROUTE_SEP = "→"
#: The most nodes a route is written with where people read it (the narration, the stack,
#: the route ledger): past it, the first, "…", the last ``ROUTE_KEEP - 2``. Eight keeps
#: whole nearly every route of the presets, whose edges a student multiplies along; a deep
#: chain's 60-node route reads ``x_30→…→sin3→x_2→sin2→x_1→sin1→x``. Exports write every node.
ROUTE_KEEP = 8


def route_text(route: tuple[str, ...], keep: int | None = None) -> str:
    """A route as people read it, ``d→c→a``; with ``keep``, at most that many nodes are
    written (the first, "…", the last ``keep - 2``: ``y→…→mul1→a``). The page's one
    rule for cutting a route (``ROUTE_KEEP``): the stepper is sent the cut text."""
    if keep is None or len(route) <= keep:
        return ROUTE_SEP.join(route)
    return ROUTE_SEP.join((route[0], "…", *route[-(keep - 2):]))


# ---- formatting numbers and formulas for people ----

def node_label(node: GraphNode) -> str:
    """How a node is named in a formula: constants by their value (``mul1 = 2 × x``)."""
    return fmt(node.value) if node.is_constant else node.key


def formula(node: GraphNode, args: list[str]) -> str:
    """The right-hand side of a node's definition, given its inputs' labels: ``a + b``."""
    spec = spec_of(node.op, len(args))
    if spec is None:
        if node.symbol and len(args) == 2:  # an op of the array engine only: x @ W, y - p
            return f"{args[0]} {node.symbol} {args[1]}"
        return f"{node.op}({', '.join(args)})"
    return spec.template.format(*args, symbol=node.symbol)


def describe(graph: Graph, key: str) -> str:
    """The node's defining formula in words, e.g. ``c = a + b``."""
    node = graph[key]
    if node.op == "var":
        return f"{key} is an input"
    if node.op == "const":  # named by its key, as its node and the stack name it
        return f"{key} is the constant {fmt(node.value)}"
    return f"{key} = {formula(node, [node_label(graph[k]) for k in node.inputs])}"


# ---- the tables a trace is made of: cells, steps, ledger lines ----

class Cell(NamedTuple):
    """One row of a trace's cell table: a stack entry (route stack), or a visit or one
    contribution it passes down (topological), or (forward) a visit, its tangent the value,
    and one term per edge into it, whose parent is the input's visit in the same pass. Cell
    0 of a backward trace is the output, with value 1."""

    node: int  # the node's index in ``graph.nodes``
    parent: int  # the cell whose pop (or visit) made this one, -1 at a route's start:
    #              following parents up spells the route
    below: int  # the cell under it on the stack, -1 at the bottom (topological: always)
    value: object  # the route's value: upstream × the product of its factors
    factor: object  # the local derivative of the edge from the parent's node (None: no parent)


class Step(NamedTuple):
    """One row of a trace's step table: what step k did."""

    pop: int  # the cell popped (topological: the visit), -1 at step 0
    pushed: range  # the cells it pushed (topological: passed down), in push order
    head: int  # the top of the stack after it, -1 when empty
    depth: int  # how many entries the stack holds after it
    lines: range  # the ledger lines it added: each adds a cell's value into its node


class Tables:
    """Everything a trace computed, once, as columns (a million steps: a few arrays):
    ``cell_*`` (``Cell``), ``step_*`` (``Step``: ``step_push`` is its first pushed cell,
    ``step_count`` how many, ``step_line`` its first ledger line, ``step_lines`` how many)
    and ``line_*`` (a ledger line: its step, its cell, the node's gradient after it). Rows
    are only appended, so a reader never sees a row change; ``cell(i)`` and ``step(k)``
    read one row by name."""

    def __init__(self, nodes: int):
        ids = lambda: array("q")  # noqa: E731 (machine integers: 8 bytes a row)
        self.cell_node, self.cell_parent, self.cell_below = ids(), ids(), ids()
        self.cell_value: list = []
        self.cell_factor: list = []
        self.step_pop, self.step_push, self.step_count, self.step_head = ids(), ids(), ids(), ids()
        self.step_depth, self.step_line, self.step_lines = ids(), ids(), ids()
        self.line_step, self.line_cell = ids(), ids()
        self.line_total: list = []
        # per node, the index a step's gradient is read from: the steps of its lines, and
        # the lines (a node's gradient at step k is the total of its last line at or before k)
        self.node_line_steps = [ids() for _ in range(nodes)]
        self.node_lines = [ids() for _ in range(nodes)]
        # the first step of each pass after the first (forward mode: one pass per input): a
        # node's ledger and gradient start again from nothing there. Empty: one pass.
        self.pass_starts = ids()

    def cell(self, i: int) -> Cell:
        return Cell(self.cell_node[i], self.cell_parent[i], self.cell_below[i],
                    self.cell_value[i], self.cell_factor[i])

    def step(self, k: int) -> Step:
        first, line = self.step_push[k], self.step_line[k]
        return Step(self.step_pop[k], range(first, first + self.step_count[k]),
                    self.step_head[k], self.step_depth[k], range(line, line + self.step_lines[k]))

    @property
    def steps(self) -> int:
        """How many steps are made (a route-stack trace makes them as they are asked for)."""
        return len(self.step_pop)

    def add_cell(self, node: int, parent: int, below: int, value, factor) -> int:
        self.cell_node.append(node)
        self.cell_parent.append(parent)
        self.cell_below.append(below)
        self.cell_value.append(value)
        self.cell_factor.append(factor)
        return len(self.cell_node) - 1

    def add_step(self, pop: int, push: int, head: int, depth: int, line: int) -> None:
        """The next step, once its cells and lines are made: its cells are those made since
        ``push``, its lines those since ``line``. Its row comes last (``steps`` counts it)."""
        self.step_push.append(push)
        self.step_count.append(len(self.cell_node) - push)
        self.step_head.append(head)
        self.step_depth.append(depth)
        self.step_line.append(line)
        self.step_lines.append(len(self.line_cell) - line)
        self.step_pop.append(pop)

    def add_line(self, step: int, cell: int, total) -> None:
        """Step ``step`` adds ``cell``'s value into its node, whose gradient is now ``total``."""
        line = len(self.line_cell)
        self.line_step.append(step)
        self.line_cell.append(cell)
        self.line_total.append(total)
        node = self.cell_node[cell]
        self.node_line_steps[node].append(step)
        self.node_lines[node].append(line)

    def pass_start(self, k: int) -> int:
        """The first step of the pass step k belongs to (0 for a trace of one pass)."""
        starts = self.pass_starts
        if not starts:
            return 0
        n = bisect_right(starts, k)
        return starts[n - 1] if n else 0

    def span(self, node: int, k: int) -> tuple[int, int]:
        """[first, stop): node ``node``'s lines after step k, in the pass of step k, as
        places in its own list of lines."""
        steps = self.node_line_steps[node]
        start = self.pass_start(k)
        return (bisect_left(steps, start) if start else 0), bisect_right(steps, k)

    def lines_by(self, node: int, k: int) -> array:
        """The lines node ``node`` has after step k (in step k's pass), in order."""
        first, stop = self.span(node, k)
        return self.node_lines[node][first:stop]

    def ledger_size(self, node: int, k: int) -> int:
        """How many lines node ``node`` has after step k (in step k's pass)."""
        first, stop = self.span(node, k)
        return stop - first

    def total(self, node: int, k: int):
        """Node ``node``'s gradient after step k: the total of its last line (0 before any)."""
        first, n = self.span(node, k)
        return self.line_total[self.node_lines[node][n - 1]] if n > first else 0

    def route(self, cell: int) -> list[int]:
        """The cells from the route's start down to ``cell``, following parents."""
        cells = [cell]
        parent = self.cell_parent
        while parent[cell] >= 0:
            cell = parent[cell]
            cells.append(cell)
        cells.reverse()
        return cells

    def stack(self, k: int, limit: int | None = None) -> list[int]:
        """The cells on the stack after step k, top first (at most ``limit``)."""
        cells, cell, below = [], self.step_head[k], self.cell_below
        while cell >= 0 and (limit is None or len(cells) < limit):
            cells.append(cell)
            cell = below[cell]
        return cells


# ---- a state: everything about one step, read from the tables when asked ----

class State:
    """Everything about step ``index`` of a trace. Fields are computed when read."""

    def __init__(self, trace: Trace, index: int):
        self.trace, self.index, self.algorithm = trace, index, trace.algorithm

    @cached_property
    def step(self) -> Step:
        return self.trace.tables.step(self.index)

    @cached_property
    def popped(self) -> Entry | None:
        pop = self.step.pop
        return None if pop < 0 else self.trace.entry(pop)

    @cached_property
    def pushed(self) -> tuple[Entry, ...]:
        return tuple(self.trace.entry(c) for c in self.step.pushed)

    @cached_property
    def stack(self) -> tuple[Entry, ...]:
        return tuple(self.trace.entry(c) for c in self.trace.tables.stack(self.index))

    @cached_property
    def stack_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.stack:
            counts[entry.node] = counts.get(entry.node, 0) + 1
        return counts

    @property
    def popped_key(self) -> str | None:
        """The popped (or visited) node's key, without building its route."""
        tables = self.trace.tables
        pop = tables.step_pop[self.index]
        return None if pop < 0 else self.trace.keys[tables.cell_node[pop]]

    @property
    def gradient_after(self):
        """The popped node's gradient after this step (None at step 0)."""
        return self._popped_gradient(self.index)

    @cached_property
    def gradient_before(self):
        """The popped node's gradient before this step (a visit changes nothing)."""
        return self._popped_gradient(self.index - 1)

    def _popped_gradient(self, k: int):
        tables = self.trace.tables
        pop = tables.step_pop[self.index]
        return None if pop < 0 else tables.total(tables.cell_node[pop], k)

    @cached_property
    def gradients(self) -> dict[str, float]:
        return {key: self.trace.gradient(i, self.index) for i, key in enumerate(self.trace.keys)}

    @cached_property
    def ledger_sizes(self) -> dict[str, int]:
        size, k = self.trace.tables.ledger_size, self.index
        return {key: size(i, k) for i, key in enumerate(self.trace.keys)}

    @cached_property
    def ledgers(self) -> Mapping[str, tuple[Entry, ...]]:
        return _Ledgers(self)

    @cached_property
    def complete(self) -> frozenset[str]:
        return frozenset(k for k, size in self.ledger_sizes.items()
                         if self.trace.completes(k, size))

    @cached_property
    def narration(self) -> str:
        return self.trace._narrate(self)

    def __repr__(self) -> str:
        return f"State({self.algorithm}, index={self.index}, popped={self.popped})"


class _Ledgers(Mapping):
    """A node's ledger is built only when asked for (a node may have a million routes)."""

    def __init__(self, state: State):
        self._state = state

    def __getitem__(self, key: str) -> tuple[Entry, ...]:
        trace = self._state.trace
        tables = trace.tables
        lines = tables.lines_by(trace.index[key], self._state.index)
        return tuple(trace.entry(tables.line_cell[line]) for line in lines)

    def __iter__(self):
        return iter(self._state.trace.keys)

    def __len__(self) -> int:
        return len(self._state.trace.keys)


# ---- the traces ----

class Trace:
    """Shared shape of both traces: ``state(k)`` for any k in 0..``last_index``, read from
    ``tables`` (``Tables``), which the page's replay (components/replay.py) also reads."""

    algorithm = ""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.keys = [n.key for n in graph.nodes]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.tables = Tables(len(self.keys))
        # every edge as (input index, local derivative), in the op's order
        index = self.index
        self._inputs = [tuple((index[k], d)
                              for k, d in zip(n.inputs, n.local_derivatives, strict=True))
                        for n in graph.nodes]
        self._out = self.index[graph.output]
        engine_out = graph.engine.get(graph.output)
        if engine_out is not None:
            self.final_gradients = {graph.key_of(n): g for n, g in gradients(engine_out).items()}
        else:  # a re-evaluated graph (placeholder.py): the same sweep on the plain data
            final = sweep_all(self._out, self._inputs.__getitem__, 1.0)
            self.final_gradients = {self.keys[i]: g for i, g in final.items()}

    total_steps = 0
    max_steps: int | None = None

    @property
    def steppable(self) -> bool:
        return self.max_steps is None or self.total_steps <= self.max_steps

    def completes(self, key: str, ledger_size: int) -> bool:
        """Whether ``key``'s gradient is final once its ledger holds ``ledger_size`` lines:
        every route to it counted (the output's is final from the start)."""
        return key == self.graph.output or ledger_size == self.needed[key]

    @property
    def last_index(self) -> int:
        return self.total_steps if self.steppable else self.max_steps

    @property
    def limit_message(self) -> str | None:
        if self.steppable:
            return None
        return (f"The route stack would pop {self.total_steps:,} times here, one pop per route "
                f"from {self.graph.output} to each node; only the first {self.max_steps:,} pops "
                "can be stepped. The topological algorithm visits each node once: "
                f"{len(self.graph.nodes) - 1:,} steps.")

    def make(self, k: int) -> None:
        """Make the tables' rows up to step k (a route-stack trace makes them when asked)."""

    def state(self, k: int) -> State:
        if not 0 <= k <= self.last_index:
            raise IndexError(f"step {k} is outside 0..{self.last_index}")
        self.make(k)
        return State(self, k)

    def states(self) -> Iterator[State]:
        for k in range(self.last_index + 1):
            if k >= self.tables.steps:  # make steps in batches, not one call per step
                self.make(min(k + 4095, self.last_index))
            yield State(self, k)

    def __len__(self) -> int:
        return self.last_index + 1

    def gradient(self, node: int, k: int):
        """Node ``node``'s gradient after step k (the output's is 1 from the start)."""
        return 1 if node == self._out else self.tables.total(node, k)

    def entry(self, cell: int) -> Entry:
        """The entry a cell stands for: its route is spelled by following parents up to
        the route's start, whose value is the route's upstream (the output's: 1)."""
        keys, node_of, parent_of = self.keys, self.tables.cell_node, self.tables.cell_parent
        factor_of, value_of = self.tables.cell_factor, self.tables.cell_value
        value, nodes, factors = value_of[cell], [], []
        start = cell
        while parent_of[start] >= 0:
            nodes.append(keys[node_of[start]])
            factors.append(factor_of[start])
            start = parent_of[start]
        nodes.append(keys[node_of[start]])
        return Entry(node=nodes[0], route=tuple(reversed(nodes)), value=value,
                     factors=tuple(reversed(factors)),
                     upstream=value_of[start] if start != cell else 1)

    def ledger_size(self, key: str, k: int) -> int:
        """How many lines ``key``'s ledger holds after step k."""
        return self.tables.ledger_size(self.index[key], k)


class RouteStackTrace(Trace):
    """The seed's algorithm, one pop per step, made lazily."""

    algorithm = ROUTE_STACK

    def __init__(self, graph: Graph, max_steps: int = MAX_ROUTE_STEPS):
        super().__init__(graph)
        engine_out = graph.engine.get(graph.output)
        if engine_out is not None:
            self.needed = {graph.key_of(n): c for n, c in count_routes(engine_out).items()}
        else:  # a re-evaluated graph: count on the plain data (every local 1)
            units = [tuple((j, 1) for j, _ in pairs) for pairs in self._inputs]
            self.needed = {self.keys[i]: c
                           for i, c in sweep_all(self._out, units.__getitem__, 1).items()}
        self.total_steps = sum(self.needed.values()) - 1
        self.max_steps = max_steps
        # The engine's walk, run on the graph by index: each item is one pop and the stack
        # after it, a linked list whose top cells are the ones that pop pushed.
        self._walk = route_stack(self._out, self._inputs.__getitem__)
        _, head = next(self._walk)  # step 0: the copy of the output's pairs
        tables = self.tables
        tables.add_cell(self._out, -1, -1, 1, None)  # the output's root cell, 0
        self._steps([(None, head)])
        # A trace may be shared (the app caches one per program for every session):
        # one thread at a time makes pops. Readers need no lock: every column is only
        # appended to, a step's row comes after its cells and lines, and a step reads
        # nothing past its own index.
        self._lock = threading.Lock()

    def make(self, k: int) -> None:
        """Make pops until step k exists (the seed's loop, one iteration a pop)."""
        if k < self.tables.steps:
            return
        with self._lock:
            self._steps(islice(self._walk, max(0, k + 1 - self.tables.steps)))

    def _steps(self, walk) -> None:
        """Write the next steps of the engine's walk into the tables. The walk's item is
        (popped, stack after the pop): it pops the top cell (none at step 0) and pushes the
        node's inputs, so the stack's top cells are the ones pushed, the last pushed on top,
        each the walk's (node, local, value, parent, below). One loop, names bound once: it
        runs once per pop, a million times for a big trace."""
        tables, inputs = self.tables, self._inputs
        node_of, below_of, value_of = tables.cell_node, tables.cell_below, tables.cell_value
        heads, depths, lines_of = tables.step_head, tables.step_depth, tables.node_lines
        totals, add_cell, add_line = tables.line_total, tables.add_cell, tables.add_line
        add_step = tables.add_step
        step = tables.steps
        for _, head in walk:
            line = len(tables.line_cell)
            if step:
                pop = heads[step - 1]  # the walk pops the stack's top cell
                node, below = node_of[pop], below_of[pop]
                mine = lines_of[node]
                add_line(step, pop, (totals[mine[-1]] if mine else 0) + value_of[pop])
                parent, depth = pop, depths[step - 1] - 1
            else:
                pop, parent, below, depth = -1, 0, -1, 0
            pushed = []
            for _ in range(len(inputs[node_of[parent]])):
                pushed.append(head)
                head = head[4]
            first = len(node_of)
            for node, local, value, _, _ in reversed(pushed):
                below = add_cell(node, parent, below, value, local)
            add_step(pop, first, below, depth + len(pushed), line)
            step += 1

    def _narrate(self, state: State) -> str:
        return narrate_route_stack(self, state)


class TopologicalTrace(Trace):
    """The topological sweep: step k visits the k-th node after the output."""

    algorithm = TOPOLOGICAL

    def __init__(self, graph: Graph):
        super().__init__(graph)
        edges, tables = self._inputs.__getitem__, self.tables
        uses = user_counts(self._out, edges)
        self.needed = {key: uses[i] for i, key in enumerate(self.keys)}
        visit = tables.add_cell(self._out, -1, -1, 1, None)  # the output's, at step 0
        # The engine's sweep, run on the graph by index: the same visits in the same
        # order, so every sum is added up as gradients() adds it. A visit is a cell with
        # no parent (its value the node's final gradient); what it passes down, one cell
        # each, whose parent is the visit and whose value is added into its node.
        for step, (node, grad, passes) in enumerate(topological_sweep(self._out, edges, 1)):
            if step:
                visit = tables.add_cell(node, -1, -1, grad, None)
            first, line = len(tables.cell_node), len(tables.line_cell)
            for child, local, value, total in passes:
                tables.add_line(step, tables.add_cell(child, visit, -1, value, local), total)
            tables.add_step(visit if step else -1, first, -1, 0, line)
        self.total_steps = tables.steps - 1

    def _narrate(self, state: State) -> str:
        return narrate_topological(self, state)


class ForwardTrace(Trace):
    """Forward mode: one pass per input (the graph's inputs in build order), each made when
    a step of it is first asked for. A pass's first step seeds every leaf (a cell and a
    ledger line each: 1 for the seeded input, 0 for the others and the constants); each
    later step visits one node (build order), a cell whose value is its tangent, and adds one
    term per edge into it: a cell whose parent is the input's visit in this pass (so its
    route reads ``a→d``), valued local derivative × the input's tangent, and a ledger line
    into the visited node. ``final_gradients`` stay the reverse ones (the gradients check
    sets the passes' results beside them); ``results`` holds each pass's output tangent."""

    algorithm = FORWARD

    def __init__(self, graph: Graph, max_steps: int = MAX_ROUTE_STEPS):
        super().__init__(graph)
        self.seeds = [i for i, n in enumerate(graph.nodes) if n.op == "var"]
        self._leaves = [i for i, pairs in enumerate(self._inputs) if not pairs]
        self._ops = [i for i, pairs in enumerate(self._inputs) if pairs]
        self.pass_steps = 1 + len(self._ops)  # the seeding step, then one visit per op
        self.total_steps = len(self.seeds) * self.pass_steps
        self.max_steps = max_steps
        # a node's tangent is final once its visit added its lines: one a term, a leaf's one
        self.needed = {key: max(len(self._inputs[i]), 1) for i, key in enumerate(self.keys)}
        self.tables.pass_starts.extend(1 + p * self.pass_steps
                                       for p in range(1, len(self.seeds)))
        self.results: list = []  # the output's tangent at the end of each pass made
        self.tables.add_step(-1, 0, -1, 0, 0)  # step 0: the start, nothing seeded yet
        self._lock = threading.Lock()  # shared like a route-stack trace: one maker at a time

    @property
    def limit_message(self) -> str | None:
        if self.steppable:
            return None
        return (f"Forward mode would take {self.total_steps:,} steps here: {len(self.seeds):,} "
                f"passes, one per input, of {self.pass_steps:,} steps each; only the first "
                f"{self.max_steps:,} can be stepped. Reverse mode gets the whole gradient in "
                f"one pass: the topological algorithm visits each node once, "
                f"{len(self.keys) - 1:,} steps.")

    def completes(self, key: str, ledger_size: int) -> bool:
        """Whether ``key``'s tangent is final in this pass: it has been visited."""
        return ledger_size == self.needed[key]

    def gradient(self, node: int, k: int):
        """Node ``node``'s tangent after step k, in step k's pass (0 before its visit)."""
        return self.tables.total(node, k)

    def pass_of(self, k: int) -> int:
        """The pass step k belongs to, counted from 1 (0: the start)."""
        return 0 if k <= 0 else (k - 1) // self.pass_steps + 1

    def make(self, k: int) -> None:
        if k < self.tables.steps:
            return
        with self._lock:
            while self.tables.steps <= k and len(self.results) < len(self.seeds):
                self._pass(self.seeds[len(self.results)])

    def _pass(self, seed: int) -> None:
        """Write one pass into the tables: the engine's tangent sweep, run on the graph by
        index (``autodiff.forward.tangent_sweep``), every sum added as forward_pass adds it."""
        tables = self.tables
        step = tables.steps
        visit: dict[int, int] = {}  # node -> its visit's cell in this pass
        first, line = len(tables.cell_node), len(tables.line_cell)
        sweep = tangent_sweep([*self._leaves, *self._ops], seed, self._inputs.__getitem__)
        for node, tangent, terms in sweep:
            if not terms:  # a leaf: seeded in the pass's first step, with the others
                visit[node] = cell = tables.add_cell(node, -1, -1, tangent, None)
                tables.add_line(step, cell, tangent)
                if node == self._out:
                    self.results.append(tangent)
                continue
            if node == self._ops[0]:  # the leaves are seeded: their step is done
                tables.add_step(visit[seed], first, -1, 0, line)
                step += 1
            visit[node] = cell = tables.add_cell(node, -1, -1, tangent, None)
            first, line, total = len(tables.cell_node), len(tables.line_cell), 0
            for child, local, child_tangent in terms:
                value = local * child_tangent
                total = total + value
                tables.add_line(step, tables.add_cell(node, visit[child], -1, value, local), total)
            tables.add_step(cell, first, -1, 0, line)
            step += 1
            if node == self._out:
                self.results.append(tangent)
        if not self._ops:  # no op at all: the output is a leaf, seeded with the others
            tables.add_step(visit[seed], first, -1, 0, line)

    def _narrate(self, state: State) -> str:
        return narrate_forward(self, state)


def make_trace(graph: Graph, algorithm: str = ROUTE_STACK,
               max_steps: int = MAX_ROUTE_STEPS) -> Trace:
    """The trace of ``graph``'s backward pass by ``algorithm`` (route-stack or topological),
    or its forward passes (forward)."""
    if algorithm == ROUTE_STACK:
        return RouteStackTrace(graph, max_steps=max_steps)
    if algorithm == TOPOLOGICAL:
        return TopologicalTrace(graph)
    if algorithm == FORWARD:
        return ForwardTrace(graph, max_steps=max_steps)
    raise ValueError(f"unknown algorithm {algorithm!r}: use one of {', '.join(ALGORITHMS)}")


# ---- narration: one sentence per step, for a lecturer to say or a screen reader to read ----

def _operand(x) -> str:
    """A number to the right of ×: negatives in parentheses, so "1 × (-4)" reads clearly."""
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


def _times(local, carried) -> str:
    """local × carried, as a sentence says it. An array op's local derivative is a rule
    applied to the gradient carried down, ``g``: ``xᵀ @ g with g = 10 [-7.9, …]``."""
    if getattr(local, "is_vjp", False):
        return f"{fmt(local)} with g = {fmt(carried)}"
    return f"{fmt(local)} × {_operand(carried)}"


def _pair(entry: Entry) -> str:
    return f"({entry.node}, {fmt(entry.value)})"


def _pushes(trace: Trace, entries: tuple[Entry, ...], carried) -> str:
    parts = []
    for entry in entries:
        local = entry.factors[-1]
        parts.append(f"({entry.node}, {_times(local, carried)} = {fmt(entry.value)})")
    if len(parts) == 1:
        return f"push {parts[0]}, now on top"
    return "push " + ", then ".join(parts) + ", which is now on top"


def narrate_route_stack(trace: RouteStackTrace, state: State) -> str:
    graph = trace.graph
    if state.popped is None:
        if not state.pushed:
            return f"Start: {describe(graph, graph.output)}, so there is nothing to pop."
        pairs = ", then ".join(_pair(e) for e in state.pushed)
        top = " on top" if len(state.pushed) > 1 else ""
        return (f"Start: {describe(graph, graph.output)}. The stack holds a copy of "
                f"{graph.output}'s pairs (input, local derivative): {pairs}{top}.")
    popped = state.popped
    key = popped.node
    before, after = state.gradient_before, state.gradient_after
    route = f" along {popped.short_route_text}" if len(popped.route) > 2 else ""
    size = trace.ledger_size(key, state.index)  # one node's, not every node's ledger
    if size == 1:
        grows = f"{key}'s gradient becomes {fmt(after)}"
    else:
        grows = (f"{key}'s gradient becomes {fmt(before)} {signed_term(popped.value)} = "
                 f"{fmt(after)}")
    text = f"Pop {_pair(popped)}{route}: {grows}."
    if state.pushed:
        text += f" {describe(graph, key)}, so {_pushes(trace, state.pushed, popped.value)}."
    else:
        text += f" {describe(graph, key)}, so nothing is pushed."
    if trace.completes(key, size):
        routes = trace.needed[key]
        many = f"All {routes:,} routes" if routes > 1 else "The only route"
        text += f" {many} to {key} counted: its gradient is final."
    if state.index == trace.last_index and trace.steppable:
        text += " The stack is empty: done."
    return text


def narrate_topological(trace: TopologicalTrace, state: State) -> str:
    graph = trace.graph
    if state.popped is None:
        key, grad = graph.output, 1
        head = f"Start: {key}'s gradient is 1."
    else:
        key, grad = state.popped.node, state.popped.value
        uses = trace.needed[key]
        why = ("its only use has passed its share" if uses == 1 else
               f"all {uses} uses of it have passed their share")
        head = f"Visit {key}: its gradient {fmt(grad)} is final ({why})."
    if not state.pushed:
        return f"{head} {describe(graph, key)}, so there is nothing to pass on."
    passes = ", and ".join(f"{_times(e.factors[0], grad)} = {fmt(e.value)} to {e.node}"
                           for e in state.pushed)
    return f"{head} {describe(graph, key)}, so pass {passes}."


def dotted(key: str) -> str:
    """A node's tangent as forward mode writes it: its key with a dot over the first
    letter, ``ȧ``, ``ẋ1``, ``ṁul1`` (composed where Unicode has the letter: ``ḋ``)."""
    return unicodedata.normalize("NFC", key[0] + "\u0307" + key[1:])


def narrate_forward(trace: ForwardTrace, state: State) -> str:
    graph, k = trace.graph, state.index
    out, passes = graph.output, len(trace.seeds)
    if state.popped is None:
        if not passes:
            return f"Start: {out} depends on no input, so forward mode has nothing to seed."
        names = ", ".join(trace.keys[i] for i in trace.seeds)
        many = f"{passes} passes, one per input ({names})" if passes > 1 else f"one pass ({names})"
        return (f"Start: forward mode carries tangents up from the inputs, {many}. A pass "
                "seeds one input's tangent with 1 and every other leaf's with 0; a node's "
                "tangent is the sum of local derivative × its input's tangent, so at the "
                f"pass's end {out}'s tangent is ∂{out}/∂(the seeded input).")
    p = trace.pass_of(k)
    seed = trace.keys[trace.seeds[p - 1]]
    key = state.popped.node
    node = graph[key]
    if node.is_leaf:
        others = [trace.keys[i] for i in trace._leaves if trace.keys[i] != seed]
        rest = ""
        if others:
            shown = ", ".join(dotted(o) for o in others[:ROUTE_KEEP])
            more = f" and {len(others) - ROUTE_KEEP:,} more" if len(others) > ROUTE_KEEP else ""
            rest = f"; {shown}{more} = 0 (not seeded)"
        text = f"Pass {p} of {passes}, seeded at {seed}: {dotted(seed)} = 1{rest}."
    else:
        # a term's route is (input, node): its local derivative times the input's tangent
        terms = state.pushed
        symbols = " + ".join(f"∂{key}/∂{e.route[0]}·{dotted(e.route[0])}" for e in terms)
        numbers = " + ".join(f"{fmt(e.factors[0])}·{_operand(e.upstream)}" for e in terms)
        text = (f"Pass {p} (seed {seed}): visit {describe(graph, key)}: {dotted(key)} = "
                f"{symbols} = {numbers} = {fmt(state.popped.value)}.")
    if key == out and k == p * trace.pass_steps:  # the pass's last step
        text += f" Pass {p} done: ∂{out}/∂{seed} = {fmt(state.popped.value)}."
        if p == passes and passes > 1:
            text += (f" All {passes} passes done, one per input; reverse mode gets the whole "
                     "gradient from one backward pass.")
    return text
