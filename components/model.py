"""Build once, step cheaply: the cached, read-only objects the page is drawn from.

Everything is keyed by primitives (program text, values tuple, algorithm) and cached
with ``st.cache_resource``: the objects are shared by every session on the server and
are never mutated (traces extend their own private step cache, which is append-only,
the same for every reader, and extended by one thread at a time). A step only picks
``trace.state(k)``.
"""

from __future__ import annotations

import math

import streamlit as st

from autodiff import numerical_gradients
from autodiff.program import Program, compile_program, read_inputs
from autodiff.trace import ALGORITHMS, Trace, make_trace

from . import view_model as vm

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
def program(text: str, values: tuple) -> Program:
    """The compiled program for these input values. Raises ProgramError."""
    return compile_program(text, dict(values))


@st.cache_resource(max_entries=32, show_spinner=False)
def positions(text: str, values: tuple) -> dict:
    """Node positions. They depend on the graph's shape and constants only, never on input
    values or comments: a new value reuses the layout (10 s for the biggest program)."""
    return _layout(vm.shape_key(program(text, values).graph), text, values)


@st.cache_resource(max_entries=32, show_spinner=False)
def _layout(shape: str, _text: str, _values: tuple) -> dict:
    # a leading underscore keeps an argument out of the cache key: the text and values
    # only say how to rebuild the graph on a miss
    return vm.layout(program(_text, _values).graph)


@st.cache_resource(max_entries=64, show_spinner=False)
def trace(text: str, values: tuple, algorithm: str) -> Trace:
    return make_trace(program(text, values).graph, algorithm, max_steps=APP_MAX_STEPS)


def step_counts(text: str, values: tuple) -> dict[str, int]:
    """Exact steps of each algorithm (the route count even when too many to step)."""
    return {a: trace(text, values, a).total_steps for a in ALGORITHMS}


@st.cache_resource(max_entries=32, show_spinner=False)
def numeric(text: str, values: tuple) -> dict[str, float]:
    """Central-difference estimate of d(output)/d(node) for the nodes ``vm.numeric_keys``
    picks within the budget; the others show no estimate."""
    graph = program(text, values).graph
    keys = vm.numeric_keys(graph, all_nodes_up_to=NUMERIC_ALL_NODES, budget=NUMERIC_BUDGET)
    output = graph.engine[graph.output]
    estimates = numerical_gradients(output, wrt=[graph.engine[k] for k in keys])
    return {graph.key_of(node): (x if math.isfinite(x) else math.nan)
            for node, x in estimates.items()}
