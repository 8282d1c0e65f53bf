"""Gradients as graphs: derivatives of any order and mixed partials, against closed forms,
central differences of the first derivative, and random programs."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from autodiff import Var, exp, gradients, sin, tanh
from autodiff.core.ops import Node
from autodiff.higher import derivative, derivatives, gradient_graphs, hessian
from autodiff.placeholder import compile_plan
from autodiff.placeholder import numerical_gradients as plan_numerical
from autodiff.program import compile_program
from components.presets import POST_1, POST_2, POST_3

ORDERS = range(1, 7)


def _tanh_closed(k: int, x: float) -> float:
    """d^k tanh/dx^k as a polynomial in t = tanh(x): p_{k+1}(t) = p_k'(t)·(1 - t²)."""
    p = np.polynomial.Polynomial([0, 1])  # tanh itself
    for _ in range(k):
        p = p.deriv() * np.polynomial.Polynomial([1, 0, -1])
    return float(p(math.tanh(x)))


CLOSED_FORMS = {
    "tanh": (tanh, _tanh_closed),
    "sin": (sin, lambda k, x: math.sin(x + k * math.pi / 2)),
    "exp(2x)": (lambda x: exp(2 * x), lambda k, x: 2 ** k * math.exp(2 * x)),
    "x**5": (lambda x: x ** 5,
             lambda k, x: math.perm(5, k) * x ** (5 - k) if k <= 5 else 0.0),
}


@pytest.mark.parametrize("name", CLOSED_FORMS)
@pytest.mark.parametrize("x0", [-1.3, 0.4, 2.1])
def test_derivatives_1_to_6_match_closed_forms(name, x0):
    f, closed = CLOSED_FORMS[name]
    x = Var(x0, name="x")
    chain = derivatives(f(x), x, 6)
    for k in ORDERS:
        assert isinstance(chain[k], Node)
        # the rules are exact and only a few dozen roundings deep: close to the last bits
        assert chain[k].value == pytest.approx(closed(k, x0), rel=1e-10, abs=1e-10), k


def test_second_derivative_is_the_gradient_of_the_gradient_graph():
    x = Var(0.7, name="x")
    y = tanh(x) * x
    first = gradients(y, create_graph=True)
    assert all(isinstance(g, Node) for g in first.values())
    assert first[x].value == gradients(y)[x]  # the same first derivative, as a node
    second = gradients(first[x])[x]
    assert second == pytest.approx(derivative(y, x, 2).value, rel=1e-15)
    t = math.tanh(0.7)  # (x tanh x)'' = 2(1 - t²) - 2 x t (1 - t²)
    assert second == pytest.approx(2 * (1 - t * t) - 2 * 0.7 * t * (1 - t * t), rel=1e-12)


def test_without_the_flag_gradients_are_numbers_as_before():
    a, b = Var(4, name="a"), Var(3, name="b")
    d = a * (a + b)
    assert gradients(d) == {d: 1.0, a: 11.0, b: 4.0, d.grad[1][0]: 4.0}
    assert gradients(d, create_graph=False) == gradients(d)


def test_constants_of_the_rules_are_multiplied_out():
    a, b = Var(4, name="a"), Var(3, name="b")
    graphs = gradient_graphs(a + b)
    assert graphs[a].op == "const" and graphs[a].value == 1.0
    assert gradient_graphs(a * b)[a] is b  # d(ab)/da is the node b itself


def test_hessian_of_the_first_example_and_mixed_partials_agree():
    a, b = Var(4, name="a"), Var(3, name="b")
    d = a * (a + b)  # a² + ab: d²/da² = 2, d²/da db = 1, d²/db² = 0
    h = hessian(d, [a, b])
    assert h == {(a, a): 2.0, (a, b): 1.0, (b, a): 1.0, (b, b): 0.0}
    x, y = Var(0.3, name="x"), Var(1.1, name="y")
    f = sin(x * y) * exp(y)
    h = hessian(f, [x, y])
    assert h[(x, y)] == pytest.approx(h[(y, x)], rel=1e-12)


def _second_by_differences(text: str, values=None) -> tuple[dict, dict]:
    """The Hessian from create_graph, and central differences of the first derivative's
    graph (evaluated as a plan: no rebuild)."""
    program = compile_program(text, values)
    graph = program.graph
    inputs = [i.name for i in program.inputs if i.name in graph.engine]  # the output's
    first = gradient_graphs(program.output)
    exact, estimate = {}, {}
    for a in inputs:
        node_a = graph.engine[a]
        plan = compile_plan(first[node_a])
        row = gradients(first[node_a])
        numeric = plan_numerical(plan, keys=[k for k in inputs if k in plan.inputs])
        for b in inputs:
            exact[(a, b)] = row.get(graph.engine[b], 0.0)
            estimate[(a, b)] = numeric.get(b, 0.0)
    return exact, estimate


@pytest.mark.parametrize("text", [POST_1, POST_2, POST_3], ids=["post1", "post2", "post3"])
def test_the_posts_examples_second_derivatives_match_differences_of_the_first(text):
    exact, estimate = _second_by_differences(text)
    for pair, value in exact.items():
        # central difference, h = 1e-6 relative: truncation h²·f'''' and rounding
        # ~1e-16·|f'|/h; on these examples both are below 1e-6 relative to the row's size
        scale = max(1.0, max(abs(v) for (a, _), v in exact.items() if a == pair[0]))
        assert math.isclose(value, estimate[pair], rel_tol=1e-5, abs_tol=1e-6 * scale), pair


def _random_program(rng: random.Random) -> str:
    lines = [f"a = {rng.uniform(0.5, 1.5):.3f}", f"b = {rng.uniform(0.5, 1.5):.3f}"]
    names = ["a", "b"]
    for i in range(rng.randint(3, 8)):
        x, y = rng.choice(names), rng.choice(names)
        form = rng.choice(["{x} * {y}", "{x} + {y}", "sin({x})", "tanh({x}) * {y}",
                           "{x} / ({y} * {y} + 1)", "exp({x} * 0.3)", "{x} ** 3",
                           "log({x} * {x} + 1)", "sqrt({x} * {x} + 1)", "{x} - {y}"])
        lines.append(f"v{i} = " + form.format(x=x, y=y))
        names.append(f"v{i}")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(25))
def test_random_programs_second_derivative_vs_differences_of_the_first(seed):
    text = _random_program(random.Random(seed))
    exact, estimate = _second_by_differences(text)
    for pair, value in exact.items():
        # Tolerance: inputs in [0.5, 1.5] and smooth ops keep f' and its derivatives within
        # a few orders of magnitude; a central difference with h = 1e-6 then has truncation
        # error ~1e-12·|f''''| and rounding error ~1e-10·|f'|; 1e-5 relative (plus 1e-5
        # absolute for entries near zero) is far above both and far below any wrong rule
        # (a missing term changes an entry by O(1) relative).
        assert math.isclose(value, estimate[pair], rel_tol=1e-5, abs_tol=1e-5), (text, pair)
