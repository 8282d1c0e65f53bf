"""Properties on random graphs: ledgers sum to the engine's gradients, pops equal
count_routes, stepping is reversible, and both algorithms end the same."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autodiff import Add, Mul, Neg, Sin, Tanh, Var, count_pops, gradients
from autodiff.core.graph import snapshot
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace

BINARY = [Add, Mul]
UNARY = [Neg, Sin, Tanh]


@st.composite
def random_graphs(draw):
    """A DAG built by applying random ops to random earlier nodes (sharing is common)."""
    leaves = draw(st.integers(1, 3))
    nodes = [Var(draw(st.floats(-1.5, 1.5)), name=f"x{i}") for i in range(leaves)]
    for _ in range(draw(st.integers(1, 9))):
        if draw(st.booleans()):
            op = draw(st.sampled_from(BINARY))
            a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            nodes.append(op(a, b))
        else:
            nodes.append(draw(st.sampled_from(UNARY))(draw(st.sampled_from(nodes))))
    return snapshot(nodes[-1])


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_every_ledger_sums_to_the_engines_gradient(graph):
    trace = make_trace(graph, ROUTE_STACK)
    end = trace.state(trace.last_index)
    for key, lines in end.ledgers.items():
        if key == graph.output:
            continue
        exact = trace.final_gradients[key]
        assert math.isclose(sum(e.value for e in lines), exact, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(end.gradients[key], exact, rel_tol=1e-9, abs_tol=1e-12)
        for entry in lines:  # a route's value is the product of its factors
            assert math.isclose(math.prod(entry.factors), entry.value, rel_tol=1e-12, abs_tol=1e-15)
    assert end.complete == set(end.gradients)


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_number_of_pops_equals_count_routes(graph):
    trace = make_trace(graph)
    pops = sum(1 for s in trace.states() if s.popped is not None)
    assert pops == trace.total_steps == count_pops(graph.engine[graph.output])


@settings(max_examples=40, deadline=None)
@given(random_graphs(), st.data())
def test_a_step_forward_is_one_pop_and_stepping_back_gives_the_same_state(graph, data):
    trace = make_trace(graph)
    k = data.draw(st.integers(0, trace.last_index - 1))  # a step with one after it
    before = trace.state(k)
    snapshot_before = (before.popped, before.stack, before.gradients, before.complete,
                       {key: before.ledgers[key] for key in before.ledgers})
    ahead = trace.state(k + 1)  # one step forward: the top of the stack is popped
    top, *below = before.stack
    assert ahead.popped == top
    node = graph[top.node]
    pushed = len(node.inputs)  # the popped node's inputs go on top, the rest stays
    assert list(ahead.stack[pushed:]) == below
    pairs = zip(node.inputs, node.local_derivatives, strict=True)  # pushed in order: last on top
    assert [(e.node, e.value) for e in ahead.stack[:pushed]] == [
        (key, local * top.value) for key, local in reversed(list(pairs))]
    assert all(e.route == (*top.route, e.node) for e in ahead.stack[:pushed])
    assert ahead.gradients[top.node] == before.gradients[top.node] + top.value
    trace.state(trace.last_index)  # run to the end, then come back
    again = trace.state(k)
    assert (again.popped, again.stack, again.gradients, again.complete,
            {key: again.ledgers[key] for key in again.ledgers}) == snapshot_before


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_both_algorithms_end_with_the_same_gradients(graph):
    stack = make_trace(graph, ROUTE_STACK)
    topo = make_trace(graph, TOPOLOGICAL)
    a = stack.state(stack.last_index).gradients
    b = topo.state(topo.last_index).gradients
    assert a.keys() == b.keys()
    for key in a:
        assert math.isclose(a[key], b[key], rel_tol=1e-9, abs_tol=1e-12)
    engine = gradients(graph.engine[graph.output])
    assert b == {graph.key_of(n): g for n, g in engine.items()}
