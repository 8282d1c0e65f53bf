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
    return vm.layout(program(text, values).graph)


@st.cache_resource(max_entries=64, show_spinner=False)
def trace(text: str, values: tuple, algorithm: str) -> Trace:
    return make_trace(program(text, values).graph, algorithm, max_steps=APP_MAX_STEPS)


def step_counts(text: str, values: tuple) -> dict[str, int]:
    """Exact steps of each algorithm (the route count even when too many to step)."""
    return {a: trace(text, values, a).total_steps for a in ALGORITHMS}


@st.cache_resource(max_entries=32, show_spinner=False)
def numeric(text: str, values: tuple) -> dict[str, float]:
    """Central-difference estimate of d(output)/d(node) per node key."""
    graph = program(text, values).graph
    keys = [n.key for n in graph.nodes if n.op == "var"]
    if len(graph.nodes) <= NUMERIC_ALL_NODES:
        keys += [n.key for n in graph.nodes
                 if n.op not in ("var", "const") and n.key != graph.output]
    output = graph.engine[graph.output]
    estimates = numerical_gradients(output, wrt=[graph.engine[k] for k in keys])
    return {graph.key_of(node): (x if math.isfinite(x) else math.nan)
            for node, x in estimates.items()}
