"""The backward pass as a sequence of states a person can step through.

Two algorithms share one vocabulary (``Entry``, ``State``):

* the seed's **route stack**: one step per pop. A stack entry is a route from the
  output down to a node, with its value (the product of the local derivatives along
  it); popping it adds that value into the node's gradient and pushes the node's
  inputs. One pop per route, so shared subexpressions multiply the work.
* the **topological** sweep: one step per node other than the output, in reverse
  topological order. A visited node's gradient is final; it passes gradient × local
  derivative to each input. One visit per node.

Steps are made lazily and stored compactly: every stack is a persistent linked list
(a pushed entry points at the entry it came from, which *is* its route, and at the
entry below it), so step k keeps one pointer to its stack, and a node's gradient at
any step is a binary search in the list of that node's pops. Going forward, back or
to any step never recomputes from the start, and no step copies the whole stack.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

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

__all__ = [
    "ALGORITHMS", "Entry", "MAX_ROUTE_STEPS", "ROUTE_KEEP", "ROUTE_STACK", "State",
    "TOPOLOGICAL", "Trace", "describe", "fmt", "formula", "make_trace", "route_text",
]

ROUTE_STACK, TOPOLOGICAL = "route-stack", "topological"
ALGORITHMS = (ROUTE_STACK, TOPOLOGICAL)
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


# ---- a state: everything about one step, computed on demand ----

class State:
    """Everything about step ``index`` of a trace. Fields are computed when read."""

    def __init__(self, trace: Trace, index: int):
        self.trace, self.index, self.algorithm = trace, index, trace.algorithm

    @cached_property
    def popped(self) -> Entry | None:
        return self.trace._popped(self.index)

    @cached_property
    def pushed(self) -> tuple[Entry, ...]:
        return self.trace._pushed(self.index)

    @cached_property
    def stack(self) -> tuple[Entry, ...]:
        return self.trace._stack(self.index)

    @cached_property
    def stack_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.stack:
            counts[entry.node] = counts.get(entry.node, 0) + 1
        return counts

    @property
    def popped_key(self) -> str | None:
        """The popped (or visited) node's key, without building its route."""
        return self.trace._popped_key(self.index)

    @property
    def gradient_after(self):
        """The popped node's gradient after this step (None at step 0)."""
        return self.trace._gradient_after(self.index)

    @cached_property
    def gradient_before(self):
        return None if self.popped_key is None else self.trace._gradient_before(self.index)

    @cached_property
    def gradients(self) -> dict[str, float]:
        return {n.key: self.trace._gradient(n.key, self.index) for n in self.trace.graph.nodes}

    @cached_property
    def ledger_sizes(self) -> dict[str, int]:
        return {n.key: self.trace._ledger_size(n.key, self.index) for n in self.trace.graph.nodes}

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
        return self._state.trace._ledger(key, self._state.index)

    def __iter__(self):
        return (n.key for n in self._state.trace.graph.nodes)

    def __len__(self) -> int:
        return len(self._state.trace.graph.nodes)


# ---- the traces ----

class Trace:
    """Shared shape of both traces: ``state(k)`` for any k in 0..``last_index``."""

    algorithm = ""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._index = {n.key: i for i, n in enumerate(graph.nodes)}
        self._keys = [n.key for n in graph.nodes]
        # every edge as (input index, local derivative), in the op's order
        index = self._index
        self._inputs = [tuple((index[k], d)
                              for k, d in zip(n.inputs, n.local_derivatives, strict=True))
                        for n in graph.nodes]
        self._out = self._index[graph.output]
        engine_out = graph.engine.get(graph.output)
        if engine_out is not None:
            self.final_gradients = {graph.key_of(n): g for n, g in gradients(engine_out).items()}
        else:  # a re-evaluated graph (placeholder.py): the same sweep on the plain data
            final = sweep_all(self._out, self._inputs.__getitem__, 1.0)
            self.final_gradients = {self._keys[i]: g for i, g in final.items()}

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

    def state(self, k: int) -> State:
        if not 0 <= k <= self.last_index:
            raise IndexError(f"step {k} is outside 0..{self.last_index}")
        return State(self, k)

    def states(self) -> Iterator[State]:
        for k in range(self.last_index + 1):
            yield State(self, k)

    def __len__(self) -> int:
        return self.last_index + 1

    # -- shared by both: a node's gradient is the total after its last ledger line --
    def _ledger_size(self, key: str, k: int) -> int:
        return bisect_right(self._line_steps[self._index[key]], k)

    def _gradient(self, key: str, k: int):
        i = self._index[key]
        if i == self._out:
            return 1
        n = bisect_right(self._line_steps[i], k)
        return self._line_totals[i][n - 1] if n else 0


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
            self.needed = {self._keys[i]: c
                           for i, c in sweep_all(self._out, units.__getitem__, 1).items()}
        self.total_steps = sum(self.needed.values()) - 1
        self.max_steps = max_steps
        # The engine's walk, run on the graph by index: a cell is one stack entry,
        # (node, factor, value, parent cell, cell below); parents spell its route.
        self._walk = route_stack(self._out, self._inputs.__getitem__)
        _, head = next(self._walk)  # step 0: the copy of the output's pairs
        self._heads = [head]  # stack after step k
        self._popped_cells = [None]  # the cell popped at step k
        self._after = [None]  # the popped node's gradient after step k
        n = len(graph.nodes)
        self._line_steps = [[] for _ in range(n)]  # per node: the steps that popped it
        self._line_totals = [[] for _ in range(n)]  # per node: its gradient after each
        self._line_cells = [[] for _ in range(n)]
        # A trace may be shared (the app caches one per program for every session):
        # one thread at a time makes pops. Readers need no lock: every list is only
        # appended to, and a step reads nothing past its own index.
        self._lock = threading.Lock()

    def _extend(self, k: int) -> None:
        """Make pops until step k exists (the seed's loop, one iteration a pop)."""
        if k < len(self._heads):
            return
        with self._lock:
            self._make_pops(k)

    def _make_pops(self, k: int) -> None:
        heads, popped, after = self._heads, self._popped_cells, self._after
        steps, totals, cells = self._line_steps, self._line_totals, self._line_cells
        step = len(heads) - 1
        for cell, head in islice(self._walk, max(0, k - step)):
            step += 1
            node = cell[0]
            mine = totals[node]
            total = (mine[-1] if mine else 0) + cell[2]  # add together the routes
            mine.append(total)
            after.append(total)
            steps[node].append(step)
            cells[node].append(cell)
            heads.append(head)
            popped.append(cell)

    def state(self, k: int) -> State:
        state = super().state(k)
        self._extend(k)
        return state

    def states(self) -> Iterator[State]:
        made = self._heads
        for k in range(self.last_index + 1):
            if k >= len(made):  # make pops in batches, not one call per step
                self._extend(min(k + 4095, self.last_index))
            yield State(self, k)

    def _cell_entry(self, cell) -> Entry:
        """The entry a cell stands for; its route is spelled by following parents."""
        value = cell[2]
        nodes, factors = [], []
        while cell[3] is not None:
            nodes.append(self._keys[cell[0]])
            factors.append(cell[1])
            cell = cell[3]
        nodes.append(self._keys[cell[0]])
        return Entry(node=nodes[0], route=tuple(reversed(nodes)), value=value,
                     factors=tuple(reversed(factors)))

    def _popped_key(self, k: int) -> str | None:
        cell = self._popped_cells[k]
        return None if cell is None else self._keys[cell[0]]

    def _gradient_after(self, k: int):
        return self._after[k]

    def _popped(self, k: int) -> Entry | None:
        cell = self._popped_cells[k]
        return None if cell is None else self._cell_entry(cell)

    def _pushed(self, k: int) -> tuple[Entry, ...]:
        cell = self._popped_cells[k]
        count = len(self._inputs[cell[0]]) if cell is not None else len(self._inputs[self._out])
        top = self._stack_cells(k, count)
        return tuple(self._cell_entry(c) for c in reversed(top))

    def _stack_cells(self, k: int, limit: int | None = None) -> list:
        cells, cell = [], self._heads[k]
        while cell is not None and (limit is None or len(cells) < limit):
            cells.append(cell)
            cell = cell[4]
        return cells

    def _stack(self, k: int) -> tuple[Entry, ...]:
        return tuple(self._cell_entry(c) for c in self._stack_cells(k))

    def _gradient_before(self, k: int):
        node = self._popped_cells[k][0]
        n = bisect_right(self._line_steps[node], k)
        return self._line_totals[node][n - 2] if n >= 2 else 0

    def _ledger(self, key: str, k: int) -> tuple[Entry, ...]:
        i = self._index[key]
        n = bisect_right(self._line_steps[i], k)
        return tuple(self._cell_entry(c) for c in self._line_cells[i][:n])

    def _narrate(self, state: State) -> str:
        return narrate_route_stack(self, state)


class TopologicalTrace(Trace):
    """The topological sweep: step k visits the k-th node after the output."""

    algorithm = TOPOLOGICAL

    def __init__(self, graph: Graph):
        super().__init__(graph)
        n, keys, edges = len(graph.nodes), self._keys, self._inputs.__getitem__
        uses = user_counts(self._out, edges)
        self.needed = {keys[i]: uses[i] for i in range(n)}
        self._line_steps = [[] for _ in range(n)]
        self._line_totals = [[] for _ in range(n)]
        self._line_entries = [[] for _ in range(n)]
        self._passed = []  # per step: the contributions passed down
        self._final = [0] * n
        visits = []
        # The engine's sweep, run on the graph by index: the same visits in the same
        # order, so every sum is added up as gradients() adds it.
        for step, (node, grad, passes) in enumerate(topological_sweep(self._out, edges, 1)):
            visits.append(node)
            self._final[node] = grad  # final when visited
            passed = []
            for child, local, value, total in passes:
                entry = Entry(node=keys[child], route=(keys[node], keys[child]),
                              value=value, factors=(local,), upstream=grad)
                self._line_steps[child].append(step)
                self._line_totals[child].append(total)
                self._line_entries[child].append(entry)
                passed.append(entry)
            self._passed.append(tuple(passed))
        self.visits = visits[1:]  # step k visits visits[k - 1]
        self.total_steps = len(self.visits)

    def _popped_key(self, k: int) -> str | None:
        return None if k == 0 else self._keys[self.visits[k - 1]]

    def _gradient_after(self, k: int):
        return None if k == 0 else self._final[self.visits[k - 1]]

    def _popped(self, k: int) -> Entry | None:
        if k == 0:
            return None
        node = self.visits[k - 1]
        key = self._keys[node]
        return Entry(node=key, route=(key,), value=self._final[node], factors=())

    def _pushed(self, k: int) -> tuple[Entry, ...]:
        return self._passed[k]

    def _stack(self, k: int) -> tuple[Entry, ...]:
        return ()

    def _gradient_before(self, k: int):
        return self._final[self.visits[k - 1]]  # final when visited: the visit changes nothing

    def _ledger(self, key: str, k: int) -> tuple[Entry, ...]:
        i = self._index[key]
        return tuple(self._line_entries[i][:bisect_right(self._line_steps[i], k)])

    def _narrate(self, state: State) -> str:
        return narrate_topological(self, state)


def make_trace(graph: Graph, algorithm: str = ROUTE_STACK,
               max_steps: int = MAX_ROUTE_STEPS) -> Trace:
    """The trace of ``graph``'s backward pass by ``algorithm`` (route-stack or topological)."""
    if algorithm == ROUTE_STACK:
        return RouteStackTrace(graph, max_steps=max_steps)
    if algorithm == TOPOLOGICAL:
        return TopologicalTrace(graph)
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
    if state.ledger_sizes[key] == 1:
        grows = f"{key}'s gradient becomes {fmt(after)}"
    else:
        grows = (f"{key}'s gradient becomes {fmt(before)} {signed_term(popped.value)} = "
                 f"{fmt(after)}")
    text = f"Pop {_pair(popped)}{route}: {grows}."
    if state.pushed:
        text += f" {describe(graph, key)}, so {_pushes(trace, state.pushed, popped.value)}."
    else:
        text += f" {describe(graph, key)}, so nothing is pushed."
    if key in state.complete:
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
