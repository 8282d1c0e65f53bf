"""Central differences check every derivative rule, and the checker itself is checked."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autodiff import (
    Abs,
    Add,
    Const,
    Cos,
    DomainError,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Pow,
    PowConst,
    Relu,
    Sigmoid,
    Sin,
    Sqrt,
    Tan,
    Tanh,
    Var,
    check_gradients,
    evaluate,
    gradients,
    numerical_gradients,
)
from autodiff.core.registry import CLASSES
from autodiff.numeric import inputs_of

# ---- evaluate ----

def test_evaluate_replaces_values_and_rebuilds_above():
    a, b = Var(2.0), Var(3.0)
    c = a * b
    y = Sin(c) + a
    assert evaluate(y, {}) == y.value
    assert evaluate(y, {a: 1.0}) == math.sin(3.0) + 1.0
    assert evaluate(y, {c: 0.0}) == 2.0  # an inner node acts as a leaf
    assert y.value == math.sin(6.0) + 2.0  # the graph itself is untouched
    assert c.value == 6.0


def test_inputs_of_are_the_variables_in_build_order():
    b = Var(1.0)
    a = Var(2.0)
    y = a * b + 3 * a
    assert inputs_of(y) == [b, a]  # Const 3 is not an input


# ---- numerical_gradients ----

def test_central_differences_are_second_order():
    # f(x) = x**3 at 2: forward differences are off by ~3*2*h; central ones by h**2
    x = Var(2.0)
    y = x * x * x
    estimate = numerical_gradients(y, h=1e-4)[x]
    assert estimate == pytest.approx(12.0, abs=1e-6)
    assert abs(estimate - 12.0) < 1e-3 * abs(((2.0 + 1e-4) ** 3 - 8.0) / 1e-4 - 12.0)


def test_numerical_gradients_of_the_posts_third_example():
    a, b, c = Var(43.), Var(3.), Var(2.)
    f = Sin(a * b) + Exp(c - (a / b))
    y = Log(f * f) * c
    estimate = numerical_gradients(y)
    assert set(estimate) == {a, b, c}
    assert estimate[a] == pytest.approx(60.85353612046653, rel=1e-6)
    assert estimate[b] == pytest.approx(872.2331479536114, rel=1e-6)
    assert estimate[c] == pytest.approx(-3.2853671032530305, rel=1e-6)


def test_numerical_gradients_with_respect_to_an_inner_node():
    a = Var(0.5)
    s = Sin(a)
    y = s * s
    assert numerical_gradients(y, wrt=[s])[s] == pytest.approx(2 * math.sin(0.5), rel=1e-8)


def test_one_sided_difference_at_the_edge_of_a_domain():
    # sqrt(x) for x = 1e-7: x - h leaves the domain, so the estimate is one-sided
    x = Var(1e-7)
    y = Sqrt(x + 1e-7) * 1.0
    estimate = numerical_gradients(y, h=1e-6)[x]
    # x - h = -9e-7 leaves sqrt's domain, so only the forward side counts: (f(x+h) - f(x))/h
    forward = (math.sqrt(1e-7 + 1e-6 + 1e-7) - math.sqrt(2e-7)) / 1e-6
    assert estimate == pytest.approx(forward, rel=1e-9)
    assert estimate == pytest.approx(648.2, rel=1e-3)  # coarse: the slope there is 1118


def test_nan_when_both_sides_leave_the_domain():
    # sqrt(1e-13 - (z - 1)**2) at z = 1: both z + h and z - h make the argument negative
    z = Var(1.0)
    d = z - 1
    w = Sqrt(1e-13 - d * d)
    assert math.isnan(numerical_gradients(w, wrt=[z], h=1e-3)[z])


# ---- check_gradients, and the checker caught out ----

class WrongSin(Sin):
    """sin with a wrong local derivative: sin(x) instead of cos(x)."""

    __slots__ = ()
    spec = replace(Sin.spec, local=lambda m, x, out: (m.sin(x),))  # not registered


def test_checker_passes_a_right_rule():
    a, b = Var(0.9), Var(1.7)
    y = Sin(a) * b
    assert check_gradients(y) == []


def test_checker_catches_a_wrong_rule():
    a, b = Var(0.9), Var(1.7)
    y = WrongSin(a) * b
    wrong = check_gradients(y)
    assert len(wrong) == 1
    node, engine, numerical = wrong[0]
    assert node is a
    assert engine == pytest.approx(math.sin(0.9) * 1.7)  # what the wrong rule says
    assert numerical == pytest.approx(math.cos(0.9) * 1.7, rel=1e-6)  # the truth
    assert b not in [n for n, *_ in wrong]  # b's gradient does not go through the bad rule


def test_checker_catches_a_monkeypatched_rule(monkeypatch):
    x = Var(0.4)
    monkeypatch.setattr(Exp, "spec", replace(Exp.spec, local=lambda m, x, out: (2 * out,)))
    y = Exp(x) + x
    (node, engine, numerical), = check_gradients(y)
    assert node is x
    assert engine == pytest.approx(2 * math.exp(0.4) + 1)
    assert numerical == pytest.approx(math.exp(0.4) + 1, rel=1e-6)


@pytest.mark.parametrize("error, caught", [(0.9e-4, False), (1.1e-4, True)])
def test_checker_tolerance_is_the_one_named_in_numeric(monkeypatch, error, caught):
    # a rule off by a relative `error`: caught just past AGREE_RTOL, passed just inside it
    from autodiff.numeric import AGREE_RTOL, agree

    assert agree(1.0, 1.0 + 0.9 * AGREE_RTOL) and not agree(1.0, 1.0 + 1.1 * AGREE_RTOL)
    monkeypatch.setattr(Exp, "spec", replace(
        Exp.spec, local=lambda m, x, out: (out * (1 + error),)))
    x = Var(0.4)
    wrong = check_gradients(Exp(x) * 3.0)
    assert [node for node, *_ in wrong] == ([x] if caught else [])


def test_checker_catches_a_wrong_two_input_rule():
    class WrongMul(Mul):
        __slots__ = ()

        def __init__(self, a, b, name=None):
            super().__init__(a, b, name=name)
            self.grad = [(a, a.value), (b, b.value)]  # swapped: should be b, then a

    a, b = Var(2.0), Var(5.0)
    wrong = {node: (engine, numerical) for node, engine, numerical in
             check_gradients(WrongMul(a, b))}
    assert set(wrong) == {a, b}
    assert wrong[a][0] == 2.0 and wrong[a][1] == pytest.approx(5.0)


# ---- property: every op checks out on random expressions ----

def _safe_positive(v):
    return v * v + 0.5  # >= 0.5: in the domain of log, sqrt, inv, pow


# Each builder applies one op to an input that keeps the op in its domain and away from its
# kinks (where one-sided slopes differ, a central difference is not a derivative).
UNARY_BUILDERS = {
    "neg": Neg,
    "inv": lambda v: Inv(_safe_positive(v)),
    "sin": Sin,
    "cos": Cos,
    "tan": lambda v: Tan(Sin(v)),  # |sin| <= 1 < pi/2
    "exp": lambda v: Exp(Tanh(v) * 3),
    "log": lambda v: Log(_safe_positive(v)),
    "sqrt": lambda v: Sqrt(_safe_positive(v)),
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "relu": Relu,
    "abs": Abs,
    "pow2": lambda v: PowConst(v, 2),
    "pow3": lambda v: v**3,
    "pow-1": lambda v: _safe_positive(v) ** -1,
    "pow0.5": lambda v: _safe_positive(v) ** 0.5,
    "pow-1.5": lambda v: _safe_positive(v) ** -1.5,
}
BINARY_BUILDERS = {
    "add": Add,
    "mul": Mul,
    "sub": lambda u, v: u - v,
    "div": lambda u, v: u / _safe_positive(v),
    "pow": lambda u, v: Pow(_safe_positive(u), Sin(v)),
    "rpow": lambda u, v: 2 ** Tanh(v) + u,
    "const": lambda u, v: 0.5 * u + v / 3,
}
KINKED = {"relu", "abs"}


@st.composite
def expressions(draw):
    values = draw(st.lists(st.floats(-2, 2, allow_nan=False, allow_infinity=False),
                           min_size=1, max_size=3))
    nodes = [Var(v, name=f"x{i}") for i, v in enumerate(values)]
    used = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            name = draw(st.sampled_from(sorted(UNARY_BUILDERS)))
            operand = nodes[draw(st.integers(0, len(nodes) - 1))]
            if name in KINKED:
                assume(abs(operand.value) > 1e-3)
            node = UNARY_BUILDERS[name](operand)
        else:
            name = draw(st.sampled_from(sorted(BINARY_BUILDERS)))
            node = BINARY_BUILDERS[name](nodes[draw(st.integers(0, len(nodes) - 1))],
                                         nodes[draw(st.integers(0, len(nodes) - 1))])
        assume(abs(node.value) < 1e3)
        nodes.append(node)
        used.append(name)
    return nodes[-1], used


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_property_every_op_matches_central_differences(case):
    output, _ = case
    assume(not isinstance(output, Var))
    try:
        wrong = check_gradients(output, rtol=1e-4, atol=1e-5)
    except DomainError:  # a nudge left a domain on both sides: no estimate to compare
        assume(False)
    assert wrong == []


def test_the_property_reaches_every_op():
    # the builders above cover every op class the engine has
    a, b = Var(0.3), Var(0.6)
    built = [f(a) for f in UNARY_BUILDERS.values()] + [f(a, b) for f in BINARY_BUILDERS.values()]
    seen = set()
    for node in built:
        stack = [node]
        while stack:
            n = stack.pop()
            seen.add(type(n))
            stack.extend(n.inputs)
    assert seen >= {*CLASSES.values(), Var, Const}  # every registered op: add a builder


@pytest.mark.parametrize("name", sorted(UNARY_BUILDERS))
@pytest.mark.parametrize("x", [-1.3, -0.4, 0.25, 1.1])
def test_every_unary_op_at_fixed_points(name, x):
    v = Var(x)
    y = UNARY_BUILDERS[name](v)
    assert check_gradients(y) == []
    assert gradients(y)[v] == pytest.approx(numerical_gradients(y)[v], rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("name", sorted(BINARY_BUILDERS))
def test_every_binary_op_at_fixed_points(name):
    u, v = Var(0.8), Var(-0.6)
    y = BINARY_BUILDERS[name](u, v)
    assert check_gradients(y) == []
    grads, estimate = gradients(y), numerical_gradients(y)
    assert set(estimate) == {u, v}
    for node in (u, v):
        assert grads[node] == pytest.approx(estimate[node], rel=1e-5, abs=1e-7)


def test_constants_are_not_inputs_of_the_check():
    x = Var(1.5)
    y = x * 2 + Const(7.0)
    assert set(numerical_gradients(y)) == {x}
