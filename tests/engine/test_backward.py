"""The two backward passes, and counting the routes of the first.

``get_gradients`` must be the seed's route stack, pop for pop; ``gradients`` must be one
topological sweep that agrees with it on every graph; ``count_routes``/``count_pops`` must
say exactly how much work the route stack does.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autodiff import (
    Add,
    Exp,
    Log,
    Mul,
    RouteLimitError,
    Var,
    cos,
    count_pops,
    count_routes,
    get_gradients,
    gradients,
    sigmoid,
    sin,
    tanh,
    topological_order,
)
from autodiff.core import backward

# ---- helpers ----


def seed_get_gradients(parent_node):
    """The post's get_gradients, line for line, recording every pop in order."""
    pops = []
    gradients = defaultdict(lambda: 0)
    stack = parent_node.grad.copy()  # list of (node, route_value) tuples.
    while stack:
        node, route_value = stack.pop()
        pops.append((node, route_value))
        gradients[node] += route_value  # "Add together the different routes."
        if node.grad:  # the post asks "not isinstance(node, Var)"; here leaves have no inputs
            for child_node, child_route_value in node.grad:
                stack.append((child_node, child_route_value * route_value))
    return dict(gradients), pops


class CountingGrad(list):
    """A node's grad list that counts how often it is walked (once per pop of its node)."""

    def __init__(self, pairs, log, node):
        super().__init__(pairs)
        self.log, self.node = log, node

    def __iter__(self):
        self.log.append(self.node)
        return super().__iter__()


def instrument(output):
    """Swap every node's grad for a CountingGrad; returns the log of walks, in order.

    The output is left as it is: its pairs are read once at the start (the seed's
    ``.copy()``), and it is never popped."""
    log = []
    for node in list(topological_order(output))[1:]:
        node.grad = CountingGrad(node.grad, log, node)
    log.clear()
    return log


def repeated_square_plus(x, times):
    """y = x; then `y = y*y + y` `times` times: 3**times routes down to x."""
    y = x
    for _ in range(times):
        y = y * y + y
    return y


def diamond():
    a = Var(1.5, name="a")
    b = sin(a)
    c = cos(a)
    d = b * c
    e = d + a * b
    return a, e


def assert_agree(output, rel=1e-9, abs_=1e-12):
    """gradients() and get_gradients() agree to rounding on every node below the output."""
    topo = gradients(output)
    seed = get_gradients(output)
    assert set(topo) == set(seed) | {output}
    assert topo[output] == 1.0
    for node, value in seed.items():
        assert math.isclose(topo[node], value, rel_tol=rel, abs_tol=abs_), node


# ---- the seed's route stack ----

def test_get_gradients_pops_in_the_seeds_order():
    a, e = diamond()
    expected, seed_pops = seed_get_gradients(e)
    log = instrument(e)
    result = get_gradients(e)
    # every pop walks the popped node's grad once, so the walks are the pops, in order
    assert log == [node for node, _ in seed_pops]
    assert result == expected
    assert list(result) == list(expected)  # same first-reached order as the seed's dict
    assert all(result[n] == expected[n] for n in expected)  # bit for bit


def test_get_gradients_excludes_the_output_and_covers_every_node_below():
    a, e = diamond()
    result = get_gradients(e)
    below = set(topological_order(e)) - {e}
    assert set(result) == below
    assert e not in result


def test_a_leaf_alone():
    x = Var(2.0)
    assert get_gradients(x) == {}  # nothing below it
    assert gradients(x) == {x: 1.0}  # the output itself


def test_route_values_multiply_and_routes_add():
    # d = a * (a + b): two routes to a, 7 and 4*1
    a, b = Var(4), Var(3)
    c = Add(a, b)
    d = Mul(a, c)
    _, pops = seed_get_gradients(d)
    assert [(n, v) for n, v in pops] == [(c, 4), (b, 4), (a, 4), (a, 7)]
    assert get_gradients(d) == {c: 4, b: 4, a: 11}


def test_max_pops_refuses_before_starting():
    x = Var(0.01)
    y = repeated_square_plus(x, 12)
    with pytest.raises(RouteLimitError) as caught:
        get_gradients(y, max_pops=1000)
    pops = count_pops(y)
    assert caught.value.pops == pops and caught.value.limit == 1000
    assert f"{pops:,} pops" in str(caught.value)
    assert "gradients()" in str(caught.value)
    assert get_gradients(y, max_pops=pops)[x] == pytest.approx(gradients(y)[x])


# ---- the topological sweep ----

def test_gradients_includes_the_output_as_one():
    a, e = diamond()
    result = gradients(e)
    assert result[e] == 1.0
    assert set(result) == set(topological_order(e))


def test_gradients_value_on_a_diamond():
    a, e = diamond()
    # e = sin(a) cos(a) + a sin(a)
    x = a.value
    exact = math.cos(2 * x) + math.sin(x) + x * math.cos(x)
    assert gradients(e)[a] == pytest.approx(exact, rel=1e-12)
    assert_agree(e)


@pytest.mark.parametrize("times", [1, 2, 5, 10])
def test_agree_on_repeated_square_plus(times):
    x = Var(0.3)
    y = repeated_square_plus(x, times)
    assert_agree(y)
    # d/dx of y -> y*y + y is (2y + 1) per line
    expected, value = 1.0, 0.3
    for _ in range(times):
        expected *= 2 * value + 1
        value = value * value + value
    assert gradients(y)[x] == pytest.approx(expected, rel=1e-12)


def test_agree_on_the_posts_examples():
    a, b = Var(230.3), Var(33.2)
    y = (a / b - a) * (b / a + a + b) * (a - b)
    assert_agree(y)
    a, b, c = Var(43.), Var(3.), Var(2.)
    f = sin(a * b) + Exp(c - (a / b))
    y = Log(f * f) * c
    assert_agree(y)
    assert gradients(y)[a] == pytest.approx(60.85353612046653, rel=1e-12)


def test_repeated_input_counts_twice():
    x = Var(3.0)
    square = x * x
    assert gradients(square)[x] == 6.0
    assert get_gradients(square)[x] == 6.0


def test_topological_order_puts_users_first_and_each_node_once():
    a, e = diamond()
    order = list(topological_order(e))
    assert order[0] is e
    assert len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for child in node.inputs:
            assert position[child] > position[node]


def test_topological_order_is_deterministic():
    x = Var(0.5)
    y = repeated_square_plus(x, 6) * sin(x)
    first = [n.id for n in topological_order(y)]
    assert first == [n.id for n in topological_order(y)]


def replayed_gradients(output):
    """The sweep done naively over topological_order(): the order the stepper shows."""
    grads = {output: 1.0}
    for node in topological_order(output):
        for child, local in node.grad:
            grads[child] = grads.get(child, 0.0) + local * grads[node]
    return grads


def assert_same_as_replay(output):
    # gradients() must add up each node's contributions in topological_order()'s order,
    # bit for bit, and list the nodes in the same order
    expected = replayed_gradients(output)
    result = gradients(output)
    assert result == expected
    assert list(result) == list(expected)
    assert all(math.copysign(1, result[n]) == math.copysign(1, expected[n]) for n in result)


def test_gradients_sums_in_topological_order():
    x = Var(0.7)
    assert_same_as_replay(repeated_square_plus(x, 8) + sin(x) * cos(x) * x)


def no_counting(monkeypatch):
    """Make the counting pass fail, to prove the one-pass sweep answered alone."""
    def refuse(*args):
        raise AssertionError("counted: the graph was not taken for a tree")
    monkeypatch.setattr(backward, "user_counts", refuse)


def test_a_tree_of_ops_needs_no_counting_pass(monkeypatch):
    xs = [Var(0.2 + 0.1 * i) for i in range(6)]
    ws = [Var(1.0 - 0.1 * i) for i in range(6)]
    y = sum(sin(x) * w for x, w in zip(xs, ws, strict=True)) * xs[0]  # xs[0]: a shared leaf
    expected = replayed_gradients(y)
    no_counting(monkeypatch)
    assert gradients(y) == expected and list(gradients(y)) == list(expected)
    # y = S * x0 with S = sum of sin(x_i) w_i: two routes reach x0, and its gradient is
    # their sum, S (through the last product) + x0 cos(x0) w0 (through sin(x0)), both > 0.1
    total = sum(math.sin(0.2 + 0.1 * i) * (1.0 - 0.1 * i) for i in range(6))
    through_sin = 0.2 * math.cos(0.2) * 1.0
    assert gradients(y)[xs[0]] == pytest.approx(total + through_sin, rel=1e-12)
    assert min(total, through_sin) > 0.1  # dropping either route changes the answer
    for x, w in zip(xs[1:], ws[1:], strict=True):  # the other leaves: one route each
        assert gradients(y)[x] == pytest.approx(math.cos(x.value) * w.value * 0.2, rel=1e-12)


def test_an_op_used_twice_is_counted(monkeypatch):
    x = Var(0.4)
    s = sin(x)
    a = x + 1
    graphs = (s * s, s + cos(s), a * a * 2)
    for y in graphs:
        assert_same_as_replay(y)
    # counted as ops are built on them (issue 19): s by four edges, in two graphs; a by two
    assert (s.uses, a.uses) == (4, 2)
    # s has users outside each of its graphs, so the counts kept do not fit: counted again
    for y in graphs[:2]:
        with monkeypatch.context() as patch:
            no_counting(patch)
            with pytest.raises(AssertionError, match="counted"):
                gradients(y)
    # every user of a is below a * a * 2: the counts kept are the sweep's, no counting pass
    expected = replayed_gradients(graphs[2])
    no_counting(monkeypatch)
    assert gradients(graphs[2]) == expected


def test_a_shared_graph_built_once_needs_no_counting_pass(monkeypatch):
    x = Var(0.7)
    y = repeated_square_plus(x, 8) + sin(x) * cos(x) * x  # a student's graph: swept once
    expected = replayed_gradients(y)
    no_counting(monkeypatch)
    result = gradients(y)
    assert result == expected and list(result) == list(expected)  # bit for bit, same order


def test_an_edge_no_op_counted_still_gives_the_counted_answer():
    x = Var(0.3)
    s = sin(x)
    y = s * 2.0
    y.grad.append((s, 5.0))  # s reached twice from y, where one use was counted
    assert s.uses == 1
    expected = replayed_gradients(y)
    assert gradients(y) == expected and list(gradients(y)) == list(expected)


def test_sharing_found_late_still_gives_the_counted_answer():
    # a long tree above, and the only shared op at the very bottom
    x = Var(0.3)
    shared = sin(x)
    left, right = shared * 2, shared + 1
    y = left
    for i in range(200):
        y = y * 1.001 + cos(Var(0.01 * i))
    y = y * right
    assert_same_as_replay(y)


@pytest.mark.slow
def test_a_chain_a_million_deep_at_the_default_recursion_limit():
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default, whatever the test runner set
    try:
        x = Var(0.5)
        y = x
        for _ in range(1_000_000):
            y = sin(y)
        grads = gradients(y)
        assert len(grads) == 1_000_001
        order = topological_order(y)
        assert next(order) is y
        assert count_routes(y)[x] == 1
        assert count_pops(y) == 1_000_000
        seed = get_gradients(y)  # a chain has one route per node: the seed's way is linear too
        assert seed[x] == grads[x]
    finally:
        sys.setrecursionlimit(old_limit)
    # the chain rule by hand, down from the top, in the same order
    expected, node = 1.0, y
    while node is not x:
        (child, local), = node.grad
        expected = local * expected
        node = child
    assert grads[x] == expected
    assert 0 < abs(grads[x]) < 1  # |cos| < 1 a million times over, but sin(y) -> 0 slowly


@pytest.mark.slow
def test_a_shared_chain_a_million_nodes_deep_at_the_default_recursion_limit():
    # every y is used twice, so this takes the counted sweep, not the tree one
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        x = Var(0.5)
        y = x
        for _ in range(250_000):
            y = y * 0.25 + sin(y)  # 4 nodes a step: Const, Mul, Sin, Add
        grads = gradients(y)
        assert len(grads) == 1_000_001
        assert_same_as_replay(y)
    finally:
        sys.setrecursionlimit(old_limit)


# ---- counting routes ----

def routes_by_recurrence(times):
    """(routes down to x, every pop) for `y = y*y + y` repeated, counted line by line.

    Walking down one line y_k = add(mul_k, y_{k-1}) with mul_k = mul(y_{k-1}, y_{k-1}):
    every route to y_k goes on to mul_k once, and to y_{k-1} three times (add -> y_{k-1},
    and add -> mul_k -> y_{k-1} through either input). A pop is a route to a node other
    than the output, so the pops add up every node's routes, less the output's one."""
    routes_y = 1  # routes to the output, y_times: the empty one
    total = routes_y
    for _ in range(times):
        routes_mul = routes_y
        routes_y = routes_y + 2 * routes_mul
        total += routes_mul + routes_y
    return routes_y, total - 1


def test_count_routes_of_a_thousand_repetitions_is_exact():
    x = Var(0.0001)
    y = repeated_square_plus(x, 1000)
    routes = count_routes(y)
    routes_to_x, pops = routes_by_recurrence(1000)
    assert routes[x] == routes_to_x
    assert routes[x] == 3**1000 > 2**1000
    assert type(routes[x]) is int
    assert routes[y] == 1
    assert count_pops(y) == pops


def test_count_pops_of_twenty_repetitions():
    x = Var(0.0001)
    y = repeated_square_plus(x, 20)
    assert count_pops(y) == 6_973_568_800
    assert routes_by_recurrence(20) == (3**20, 6_973_568_800)
    # the closed form: y_k and mul_k each have 3**(20 - k) routes
    assert sum(3**j for j in range(21)) + sum(3**j for j in range(20)) - 1 == 6_973_568_800


def _two_inputs():
    x, z = Var(0.3), Var(-1.2)
    return repeated_square_plus(x * z, 3) + z * sin(z) * tanh(x * z)


def _shared():
    x, z = Var(0.3), Var(-1.2)
    w = sigmoid(x + z)
    return (w * w + w) * (w - x) / (w + 2)


SMALL_GRAPHS = {  # fresh nodes for every test: instrument() changes the nodes it is given
    "leaf": lambda: Var(0.3),
    "square": lambda: Var(0.3) * Var(0.3),
    "diamond": lambda: diamond()[1],
    **{f"square-plus x{k}": (lambda k=k: repeated_square_plus(Var(0.3), k)) for k in range(1, 7)},
    "two inputs": _two_inputs,
    "shared": _shared,
}


@pytest.mark.parametrize("label", list(SMALL_GRAPHS))
def test_count_pops_equals_the_pops_get_gradients_makes(label):
    output = SMALL_GRAPHS[label]()
    log = instrument(output)
    get_gradients(output)
    pops = list(log)  # before anything else walks the graph
    assert len(pops) == count_pops(output)
    # and count_routes says how often each node was popped
    routes = count_routes(output)
    popped = defaultdict(int)
    for node in pops:
        popped[node] += 1
    assert popped == {node: n for node, n in routes.items() if node is not output}
    assert routes[output] == 1


def test_count_routes_on_the_first_example():
    a, b = Var(4), Var(3)
    c = Add(a, b)
    d = Mul(a, c)
    assert count_routes(d) == {d: 1, a: 2, b: 1, c: 1}
    assert count_pops(d) == 4


# ---- property: both passes agree on random graphs ----

UNARY = [sin, cos, tanh, sigmoid, lambda v: -v, lambda v: v * v, lambda v: 1 / (v * v + 1)]
BINARY = [lambda u, v: u + v, lambda u, v: u * v, lambda u, v: u - v,
          lambda u, v: u / (v * v + 0.5)]


@st.composite
def random_dags(draw):
    """A random graph with shared subexpressions: each new node takes its inputs from any
    earlier node, the recent ones more often, so diamonds and fan-out are common."""
    n_inputs = draw(st.integers(1, 3))
    values = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=n_inputs,
                           max_size=n_inputs))
    nodes = [Var(v, name=f"x{i}") for i, v in enumerate(values)]

    def pick():
        last = len(nodes) - 1
        low = max(0, last - 3) if draw(st.booleans()) else 0
        return nodes[draw(st.integers(low, last))]

    for _ in range(draw(st.integers(1, 14))):
        if draw(st.booleans()):
            nodes.append(draw(st.sampled_from(UNARY))(pick()))
        else:
            nodes.append(draw(st.sampled_from(BINARY))(pick(), pick()))
        assume(abs(nodes[-1].value) < 1e6)
    return nodes[-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_dags())
def test_property_both_passes_agree_on_random_dags(output):
    assume(count_pops(output) <= 200_000)
    assert_same_as_replay(output)
    topo = gradients(output)
    seed = get_gradients(output)
    assert set(topo) == set(seed) | {output}
    scale = max([1.0, *map(abs, seed.values())])
    for node, value in seed.items():
        assert math.isclose(topo[node], value, rel_tol=1e-9, abs_tol=1e-12 * scale)


@settings(max_examples=100, deadline=None)
@given(random_dags())
def test_property_count_pops_matches_instrumented_pops(output):
    assume(count_pops(output) <= 50_000)
    log = instrument(output)
    get_gradients(output)
    pops = len(log)
    assert pops == count_pops(output)
