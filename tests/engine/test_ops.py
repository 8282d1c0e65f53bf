"""Each op: its value and its local derivatives as plain numbers, numbers on either side of an
operator, display names, counter ids and ordered inputs."""

from __future__ import annotations

import math

import pytest

import autodiff
from autodiff import (
    Abs,
    Add,
    Const,
    Cos,
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
    sin,
)
from autodiff.core import ops
from autodiff.core.registry import CLASSES, REGISTRY, exported_functions

X = 0.7

# op, x, its value, its local derivative: the textbook formulas, written out independently
UNARY_CASES = [
    (Neg, X, -X, -1),
    (Inv, X, 1 / X, -1 / X**2),
    (Sin, X, math.sin(X), math.cos(X)),
    (Cos, X, math.cos(X), -math.sin(X)),
    (Tan, X, math.tan(X), 1 / math.cos(X) ** 2),
    (Exp, X, math.exp(X), math.exp(X)),
    (Log, X, math.log(X), 1 / X),
    (Sqrt, X, math.sqrt(X), 1 / (2 * math.sqrt(X))),
    (Tanh, X, math.tanh(X), 1 / math.cosh(X) ** 2),
    (Sigmoid, X, 1 / (1 + math.exp(-X)), math.exp(-X) / (1 + math.exp(-X)) ** 2),
    (Sigmoid, -X, 1 / (1 + math.exp(X)), math.exp(X) / (1 + math.exp(X)) ** 2),
    (Relu, X, X, 1),
    (Relu, -X, 0, 0),
    (Abs, X, X, 1),
    (Abs, -X, X, -1),
]


@pytest.mark.parametrize(("op", "x", "value", "local"), UNARY_CASES,
                         ids=[f"{c[0].__name__}({c[1]})" for c in UNARY_CASES])
def test_unary_value_and_local_derivative(op, x, value, local):
    a = Var(x)
    node = op(a)
    assert node.value == pytest.approx(value, rel=1e-12)
    assert len(node.grad) == 1
    child, derivative = node.grad[0]
    assert child is a
    assert isinstance(derivative, (int, float))
    assert derivative == pytest.approx(local, rel=1e-12)
    assert node.inputs == (a,)
    assert node.local_derivatives == (derivative,)


def test_seed_ops_compute_as_the_post_writes_them():
    x = Var(0.3)
    assert Neg(x).value == -1 * 0.3 and Neg(x).grad == [(x, -1)]
    assert Inv(x).value == 1 / 0.3 and Inv(x).grad == [(x, -0.3 ** -2)]
    assert Sin(x).grad == [(x, math.cos(0.3))]
    assert Exp(x).grad == [(x, Exp(x).value)]
    assert Log(x).grad == [(x, 1.0 / 0.3)]


def test_add_and_mul_local_derivatives():
    a, b = Var(2.5), Var(-4.0)
    s, p = Add(a, b), Mul(a, b)
    assert s.value == -1.5 and s.grad == [(a, 1), (b, 1)]
    assert p.value == -10.0 and p.grad == [(a, -4.0), (b, 2.5)]


def test_relu_and_abs_at_zero_have_slope_zero():
    zero = Var(0.0)
    assert Relu(zero).value == 0 and Relu(zero).local_derivatives == (0,)
    assert Abs(zero).value == 0 and Abs(zero).local_derivatives == (0,)


def test_sigmoid_does_not_overflow_far_out():
    assert Sigmoid(Var(-800.0)).value == 0.0
    assert Sigmoid(Var(800.0)).value == 1.0
    assert Sigmoid(Var(800.0)).local_derivatives == (0.0,)


# ---- numbers on either side of an operator ----

def test_numbers_mix_on_either_side():
    a = Var(4.0)
    cases = {
        "2 * a": (2 * a, 8.0, Mul),
        "a * 2": (a * 2, 8.0, Mul),
        "a + 1": (a + 1, 5.0, Add),
        "1 + a": (1 + a, 5.0, Add),
        "a - 1": (a - 1, 3.0, Add),
        "1 - a": (1 - a, -3.0, Add),
        "a / 2": (a / 2, 2.0, Mul),
        "1 / a": (1 / a, 0.25, Mul),
        "-a": (-a, -4.0, Neg),
        "a ** 2": (a**2, 16.0, PowConst),
        "2 ** a": (2**a, 16.0, Pow),
    }
    for text, (node, value, op) in cases.items():
        assert node.value == value, text
        assert type(node) is op, text


def test_numbers_become_constant_leaves():
    a = Var(4.0)
    node = 2 * a
    const, var = node.inputs
    assert type(const) is Const and const.value == 2 and const.op == "const"
    assert var is a
    assert const.is_leaf and not const.grad
    # and the gradient still reaches the variable
    assert autodiff.gradients(node)[a] == 2


def test_unary_plus_and_abs_builtin():
    a = Var(-3.0)
    assert +a is a
    node = abs(a)
    assert type(node) is Abs and node.value == 3.0 and node.local_derivatives == (-1,)


def test_reverse_operators_keep_the_seeds_shape():
    a = Var(4.0)
    # 1 - a is 1 + Neg(a); 1 / a is 1 * Inv(a): the seed's way, whichever side the number is on
    rsub, rdiv = 1 - a, 1 / a
    assert type(rsub.inputs[1]) is Neg and rsub.inputs[1].inputs == (a,)
    assert type(rdiv.inputs[1]) is Inv and rdiv.inputs[1].inputs == (a,)
    assert rsub.inputs[0].value == 1 and rdiv.inputs[0].value == 1


# ---- powers ----

def test_power_with_a_constant_exponent():
    a = Var(3.0)
    for n, value, local in [(2, 9.0, 6.0), (3, 27.0, 27.0), (-1, 1 / 3, -1 / 9),
                            (0.5, math.sqrt(3), 0.5 / math.sqrt(3)), (0, 1.0, 0), (1, 3.0, 1)]:
        node = a**n
        assert type(node) is PowConst
        assert node.exponent == n
        assert node.value == pytest.approx(value, rel=1e-12), n
        assert node.local_derivatives == pytest.approx((local,), rel=1e-12), n
        assert node.inputs == (a,)  # the exponent is part of the op, not an input


def test_power_of_zero():
    zero = Var(0.0)
    assert (zero**0).value == 1.0 and (zero**0).local_derivatives == (0,)
    assert (zero**1).local_derivatives == (1,)
    assert (zero**2).value == 0.0 and (zero**2).local_derivatives == (0.0,)


def test_power_with_a_node_exponent():
    a, b = Var(2.0), Var(3.0)
    node = a**b
    assert type(node) is Pow
    assert node.value == 8.0
    (base, d_base), (exponent, d_exponent) = node.grad
    assert base is a and exponent is b
    assert d_base == pytest.approx(3 * 2.0**2)
    assert d_exponent == pytest.approx(8.0 * math.log(2.0))


def test_number_to_a_node_power():
    a = Var(3.0)
    node = 2**a
    const, exponent = node.inputs
    assert type(const) is Const and const.value == 2 and exponent is a
    assert node.local_derivatives[1] == pytest.approx(8.0 * math.log(2.0))


def test_zero_base_with_node_exponent():
    # 0 ** y for y >= 1: flat in y, slope y * 0**(y-1) in the base
    node = Pow(Var(0.0), Var(2.0))
    assert node.value == 0.0
    assert node.local_derivatives == (0.0, 0.0)


# ---- the lowercase functional forms ----

def test_every_op_class_and_lowercase_form_is_exported_by_name():
    assert {cls.__name__ for cls in CLASSES.values()} <= set(autodiff.__all__)
    assert set(exported_functions()) <= set(autodiff.__all__)
    assert all(getattr(autodiff, name) is getattr(ops, name)
               for name in [*exported_functions(), *(c.__name__ for c in CLASSES.values())])


@pytest.mark.parametrize(("function", "op"), [
    (getattr(autodiff, f), CLASSES[spec.name])
    for spec in REGISTRY.values() for f in spec.functions if f in autodiff.__all__
])
def test_lowercase_forms_build_the_same_op(function, op):
    a = Var(0.4)
    node = function(a)
    assert type(node) is op
    assert node.value == op(a).value
    assert node.local_derivatives == op(a).local_derivatives


def test_functions_take_plain_numbers():
    node = sin(0.5)
    assert node.value == math.sin(0.5)
    assert type(node.inputs[0]) is Const


# ---- names, ops, formulas ----

def test_display_names():
    a = Var(4, name="a")
    assert a.name == "a" and a.value == 4
    assert a.label() == "a"
    assert "name='a'" in repr(a) and "value=4" in repr(a)
    c = Add(a, Var(3), name="c")
    assert c.name == "c" and c.label() == "c"
    unnamed = Mul(a, c)
    assert unnamed.name is None
    assert unnamed.label() == f"mul#{unnamed.id}"


def test_every_op_has_a_short_name_and_one_formula_per_input():
    a, b = Var(0.5), Var(1.5)
    nodes = [Add(a, b), Mul(a, b), Neg(a), Inv(a), Sin(a), Cos(a), Tan(a), Exp(a), Log(a),
             Sqrt(a), Tanh(a), Sigmoid(a), Relu(a), Abs(a), Pow(a, b), PowConst(a, 2)]
    for node in nodes:
        assert len(node.formulas) == len(node.grad), node.op
        assert CLASSES[type(node).spec.name] is type(node)
        assert type(node).spec.node_op == node.op
    assert {type(n).spec.name for n in nodes} == set(REGISTRY)  # every op, each once
    assert Var(1.0).op == "var" and Const(2.0).op == "const" and Var(1.0).formulas == ()
    assert Mul(a, b).formulas == ("{1}", "{0}")
    assert PowConst(a, 3).formulas == ("3·{0}^2",)
    assert PowConst(a, 3).symbol == "**3"


def test_rebuild_applies_the_same_op_to_other_inputs():
    a, b = Var(2.0, name="a"), Var(3.0)
    node = Mul(a, b, name="m")
    other = node.rebuild([Var(5.0), Var(7.0)])
    assert type(other) is Mul and other.value == 35.0 and other.name == "m"
    power = PowConst(a, 3, name="p").rebuild([Var(2.0)])
    assert power.value == 8.0 and power.exponent == 3 and power.name == "p"
    leaf = a.rebuild([])
    assert leaf is not a and leaf.value == 2.0 and leaf.name == "a"


# ---- ids and inputs ----

def test_ids_come_from_a_counter():
    a = Var(1.0)
    b = Var(2.0)
    c = a * b
    d = Sin(c)
    assert b.id == a.id + 1
    # a number in an operator becomes a Const first, so it gets an id before the op
    e = a + 1
    assert e.inputs[1].id == d.id + 1 and e.id == d.id + 2
    assert [n.id for n in (a, b, c, d, e)] == sorted(n.id for n in (a, b, c, d, e))
    assert all(n.id != id(n) for n in (a, b, c, d, e))
    assert all(isinstance(n.id, int) for n in (a, b, c, d, e))


def test_inputs_have_smaller_ids_than_their_users():
    x = Var(0.5)
    y = x
    nodes = []
    for _ in range(10):
        y = sin(y) * y + 2
        nodes.append(y)
    stack, seen = [y], set()
    while stack:
        node = stack.pop()
        for child in node.inputs:
            assert child.id < node.id
            if child not in seen:
                seen.add(child)
                stack.append(child)


def test_inputs_are_ordered_and_repeat():
    x = Var(3.0)
    square = x * x
    assert square.grad == [(x, 3.0), (x, 3.0)]
    assert square.inputs == (x, x)
    a, b = Var(1.0), Var(2.0)
    assert (a - b).inputs[0] is a and (b - a).inputs[0] is b
    assert Add(b, a).inputs == (b, a)


def test_nodes_compare_by_identity():
    a, b = Var(1.0), Var(1.0)
    assert a != b and a == a
    assert len({a, b}) == 2


def test_leaf_values_must_be_real_numbers():
    with pytest.raises(TypeError, match="var needs a real number, got str"):
        Var("3")
    with pytest.raises(TypeError, match="got bool"):
        Var(True)
    assert Var(3).value == 3 and type(Var(3).value) is int
    assert Var(10**30).value == 10**30
