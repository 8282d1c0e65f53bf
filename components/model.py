"""Build once, step cheaply: the cached, read-only objects the page is drawn from.

A program at a set of values (and a derivative order) is prepared once: ``prepared`` gives
a ``Prepared`` (its graph, layout, central-difference estimates and both algorithms'
traces) that every panel reads, and ``Prepared.walk`` the ``Built`` the stepper steps.
Caches are keyed by primitives (program text, values tuple, derivative) with
``st.cache_resource``: the objects are shared by every session on the server and are never
mutated (traces extend their own private step cache, which is append-only, the same for
every reader, and extended by one thread at a time). A step only picks ``trace.state(k)``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import streamlit as st

from autodiff import DomainError, higher
from autodiff.core.graph import Graph, snapshot
from autodiff.placeholder import Plan, compile_plan
from autodiff.placeholder import numerical_gradients as plan_numerical
from autodiff.program import (
    Description,
    Program,
    ProgramError,
    compile_program,
    describe,
    read_inputs,
    unassigned_notices,
)
from autodiff.trace import ALGORITHMS, Trace, make_trace

from . import derivatives, what_if
from . import view_model as vm

__all__ = [
    "APP_MAX_STEPS", "Built", "Prepared", "derivative_plot", "derivative_table", "graph",
    "inputs_of", "jacobian", "notices", "numeric", "output_graph", "output_names", "own_output",
    "positions", "prepared", "prepared_output", "program", "unassigned", "what_if_table",
]

#: the most pops the app steps for the route stack; beyond it the trace says so and the
#: page offers the topological algorithm (which is one step per node)
APP_MAX_STEPS = 20_000
#: above this many nodes only the inputs get a central-difference estimate
NUMERIC_ALL_NODES = 60
#: node rebuilds the central-difference check may spend per program (two re-evaluations
#: of the graph per node checked): ~0.5 s on a quiet core, so 100 inputs on a 5,000-node
#: graph cannot take a server minute
NUMERIC_BUDGET = 60_000


@st.cache_resource(max_entries=32, show_spinner=False)
def inputs_of(text: str):
    """The inputs the program declares (parse only). Raises ProgramError."""
    return read_inputs(text)


@st.cache_resource(max_entries=32, show_spinner=False)
def description(text: str) -> Description:
    """The program as pass one describes it (parse only, so a new value never re-reads it)."""
    return describe(text)


def notices(text: str) -> tuple[str, ...]:
    """The notices of the lines the program skips (print, get_gradients, import)."""
    return description(text).notices


def unassigned(text: str, values: tuple) -> tuple[str, ...]:
    """What to say of the names the program uses but never gives a value (each became an
    input worth its number field's value), with the closest name when one is close."""
    return unassigned_notices(description(text), dict(values))


@st.cache_resource(max_entries=32, show_spinner=False)
def program(text: str, values: tuple) -> Program:
    """The compiled program for these input values. Raises ProgramError."""
    return compile_program(text, dict(values))


# ---- placeholders: a program's graph is built once per text, then re-evaluated ----

@st.cache_resource(max_entries=32, show_spinner=False)
def plan(text: str, _values: tuple) -> Plan:
    """The program's graph as a plan (autodiff/placeholder.py), compiled once per text from
    the first values it is asked with (kept out of the key by the underscore)."""
    return compile_plan(program(text, _values).graph)


@st.cache_resource(max_entries=64, show_spinner=False)
def graph(text: str, values: tuple, derivative: tuple = ()) -> Graph:
    """The graph the stepper steps at these values: the program's, re-evaluated from its
    plan (same keys, so the layout and the step stay), or with ``derivative = (order,
    input)`` and order ≥ 2, the graph of the (order-1)-th derivative with respect to that
    input, whose backward pass gives the order-th. Raises ProgramError (a value outside an
    op's domain is reported by a rebuild, which gives the line and column)."""
    nth, wrt = _nth(derivative)
    try:
        if not nth:
            return plan(text, values).snapshot(dict(values))
        return derivative_plan(text, values, nth, wrt).snapshot(dict(values))
    except DomainError as exc:
        program(text, values)  # the program's own error, with its line and column
        raise ProgramError(f"the derivative of order {nth + 1} with respect to {wrt} "
                           f"cannot be computed here: {exc}") from None


def _nth(derivative: tuple) -> tuple[int, str | None]:
    """(order, input) -> (order - 1, input): the derivative whose graph is stepped."""
    if not derivative or derivative[0] <= 1:
        return 0, None
    return derivative[0] - 1, derivative[1]


def derivative_plan(text: str, values: tuple, nth: int, wrt: str) -> Plan:
    """The plan of the ``nth`` derivative's graph (0: the program's own). Built once per
    text; per value too where relu, abs or a variable power make it depend on a sign."""
    if nth == 0:
        return plan(text, values)
    sided = higher.sign_dependent(plan(text, values).graph)
    return _derivative_plan(text, nth, wrt, values if sided else (), values)


@st.cache_resource(max_entries=32, show_spinner=False)
def _derivative_plan(text: str, nth: int, wrt: str, per_values: tuple, _values: tuple) -> Plan:
    # per_values is () unless the derivative depends on a sign: then it is the values
    built = program(text, _values)
    node = built.graph.engine.get(wrt)
    if node is None:
        raise ProgramError(f"`{wrt}` is not an input of the program's output")
    try:
        d = higher.derivative(built.output, node, nth, max_nodes=MAX_DERIVATIVE_NODES)
    except higher.DerivativeTooLarge as exc:
        raise ProgramError(str(exc)) from None
    if d.name is None and d not in built.graph.engine.values():
        d.name = higher.derivative_name(built.graph.output, wrt, nth)
    return compile_plan(d)


#: the most nodes a derivative's graph may have for the app to draw and step it
MAX_DERIVATIVE_NODES = 5_000


def positions(text: str, values: tuple, derivative: tuple = ()) -> dict:
    """Node positions. They depend on the graph's shape and constants only, never on input
    values or comments: a new value reuses the layout (10 s for the biggest program)."""
    return _layout(vm.shape_key(graph(text, values, derivative)), text, values, derivative)


@st.cache_resource(max_entries=32, show_spinner=False)
def _layout(shape: str, _text: str, _values: tuple, _derivative: tuple = ()) -> dict:
    # a leading underscore keeps an argument out of the cache key: the text and values
    # only say how to rebuild the graph on a miss
    return vm.layout(graph(_text, _values, _derivative))


def numeric(text: str, values: tuple, derivative: tuple = ()) -> dict[str, float]:
    """Central-difference estimate of d(output)/d(node) for the nodes ``vm.numeric_keys``
    picks within the budget; the others show no estimate. Evaluated on the plan: no node
    is built (for a derivative's graph: differences of that derivative, so the input's row
    estimates the next order)."""
    nth, wrt = _nth(derivative)
    shown = graph(text, values, derivative)
    keys = vm.numeric_keys(shown, all_nodes_up_to=NUMERIC_ALL_NODES, budget=NUMERIC_BUDGET)
    estimates = plan_numerical(derivative_plan(text, values, nth, wrt), dict(values), keys)
    return {k: (x if math.isfinite(x) else math.nan) for k, x in estimates.items()}


@dataclass(frozen=True, eq=False)
class Built:
    """What the stepper steps, made by any caller: ``ident`` names it (same ident, same
    payload: it keys the stepper's caches), the trace, the node positions, the
    central-difference estimates per node key (may be empty: the column shows "—") and each
    algorithm's exact step count (for the counter)."""

    ident: str
    trace: Trace
    positions: Mapping[str, tuple[int, int]]
    numeric: Mapping[str, float] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    #: node key -> the background a node gets once its gradient is complete (the gradient's
    #: size, ``what_if.gradient_shades``); empty: the usual look
    shades: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A program at one set of values (``derivative`` = (order, input) for the graph of a
    derivative, see ``graph``), prepared once and read by every panel."""

    text: str
    values: tuple
    derivative: tuple
    graph: Graph
    positions: Mapping[str, tuple[int, int]]
    numeric: Mapping[str, float]
    traces: Mapping[str, Trace]  # per algorithm
    #: the output stepped when the program names several and another than its own was
    #: chosen (``prepared_output``); "" for the program's own output
    stepped_output: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """Exact steps of each algorithm (the route count even when too many to step)."""
        return {algorithm: t.total_steps for algorithm, t in self.traces.items()}

    def walk(self, algorithm: str, shaded: bool = False) -> Built:
        """The stepper's input for one algorithm's walk through this graph; ``shaded``: each
        node shaded by the size of its gradient once complete (``what_if.gradient_shades``)."""
        raw = json.dumps([self.text, self.values, algorithm,
                          *([list(self.derivative)] if self.derivative else []),
                          *([self.stepped_output] if self.stepped_output else []),
                          *(["shaded"] if shaded else [])])
        trace = self.traces[algorithm]
        shades = what_if.gradient_shades(trace.final_gradients) if shaded else {}
        return Built(hashlib.sha1(raw.encode()).hexdigest()[:16], trace,
                     self.positions, self.numeric, self.counts, shades)


@st.cache_resource(max_entries=32, show_spinner=False)
def prepared(text: str, values: tuple, derivative: tuple = ()) -> Prepared:
    """The program ``text`` at ``values``, prepared once. Raises ProgramError (also when the
    derivative's graph cannot be made: the caller may fall back to the program's own)."""
    shown = graph(text, values, derivative)
    traces = {a: make_trace(shown, a, max_steps=APP_MAX_STEPS) for a in ALGORITHMS}
    return Prepared(text, values, derivative, shown, positions(text, values, derivative),
                    numeric(text, values, derivative), traces)


@st.cache_resource(max_entries=32, show_spinner=False)
def derivative_table(text: str, values: tuple, derivative: tuple, output: str) -> list[dict]:
    """The rows of f, f′, … up to the order (cached: a step report reruns the stage)."""
    order, wrt = derivative
    plans = [derivative_plan(text, values, k, wrt) for k in range(order + 1)]
    return derivatives.table_rows(plans, dict(values), output, wrt)


@st.cache_resource(max_entries=32, show_spinner=False)
def derivative_plot(text: str, values: tuple, derivative: tuple) -> tuple[list, dict]:
    """x values around the input's value and each derivative's curve (cached)."""
    order, wrt = derivative
    plans = [derivative_plan(text, values, k, wrt) for k in range(order + 1)]
    xs = derivatives.plot_range(dict(values)[wrt])
    return xs, derivatives.plot_series(plans, wrt, xs)


# ---- a program of several outputs ----

def output_names(text: str, values: tuple) -> tuple[str, ...]:
    """The outputs the program names, in order (one name: a program of one output)."""
    return program(text, values).output_names


def own_output(text: str, values: tuple) -> str:
    """The name of the output the stepper steps unless another is chosen."""
    built = program(text, values)
    return built.output_names[built.outputs.index(built.output)]


def output_graph(text: str, values: tuple, name: str = "") -> Graph:
    """The graph below the output ``name`` ("": the program's own), with its engine nodes
    (the what-if passes run on them). Raises ProgramError."""
    return _output_snapshot(text, values, name) if name else program(text, values).graph


@st.cache_resource(max_entries=32, show_spinner=False)
def _output_snapshot(text: str, values: tuple, name: str) -> Graph:
    built = program(text, values)
    return snapshot(dict(zip(built.output_names, built.outputs, strict=True))[name])


@st.cache_resource(max_entries=32, show_spinner=False)
def _output_plan(text: str, _values: tuple, name: str) -> Plan:
    """The plan of the graph below the output ``name``, compiled once per text (as ``plan``)."""
    return compile_plan(_output_snapshot(text, _values, name))


@st.cache_resource(max_entries=32, show_spinner=False)
def _output_layout(shape: str, _text: str, _values: tuple, name: str) -> dict:
    return vm.layout(_output_plan(_text, _values, name).snapshot(dict(_values)))


@st.cache_resource(max_entries=32, show_spinner=False)
def prepared_output(text: str, values: tuple, name: str) -> Prepared:
    """``prepared`` for another of the program's outputs than its own, the one named
    ``name``: its backward pass, stepped by the same stepper (order 1)."""
    plan_of = _output_plan(text, values, name)
    shown = plan_of.snapshot(dict(values))
    keys = vm.numeric_keys(shown, all_nodes_up_to=NUMERIC_ALL_NODES, budget=NUMERIC_BUDGET)
    estimates = plan_numerical(plan_of, dict(values), keys)
    traces = {a: make_trace(shown, a, max_steps=APP_MAX_STEPS) for a in ALGORITHMS}
    return Prepared(text, values, (), shown,
                    _output_layout(vm.shape_key(shown), text, values, name),
                    {k: (x if math.isfinite(x) else math.nan) for k, x in estimates.items()},
                    traces, stepped_output=name)


#: node re-evaluations the Jacobian's central-difference check may spend (two per entry and
#: node): as the stepper's check, so 20 outputs of 100 inputs cannot take a server minute
JACOBIAN_BUDGET = NUMERIC_BUDGET


@st.cache_resource(max_entries=32, show_spinner=False)
def jacobian(text: str, values: tuple) -> tuple[dict, dict | None]:
    """The Jacobian of the program's outputs (``Program.jacobian``: rows outputs, columns
    inputs) and its central-difference check, or None when that would cost more than
    ``JACOBIAN_BUDGET`` node re-evaluations."""
    built = program(text, values)
    nodes = sum(len(snapshot(o).nodes) for o in built.outputs)
    cost = 2 * len(built.inputs) * nodes
    return built.jacobian(), (built.numerical_jacobian() if cost <= JACOBIAN_BUDGET else None)


@st.cache_resource(max_entries=64, show_spinner=False)
def what_if_table(text: str, values: tuple, name: str, mistake: str,
                  _numeric: Mapping[str, float]) -> what_if.WhatIf:
    """The mistake's backward pass beside the right one for the output ``name`` ("": the
    program's own), checked against ``_numeric`` (the stepper's central differences for the
    same graph, so kept out of the key)."""
    return what_if.what_if_rows(output_graph(text, values, name), mistake, _numeric,
                                max_pops=APP_MAX_STEPS)  # the route stack's limit here too
