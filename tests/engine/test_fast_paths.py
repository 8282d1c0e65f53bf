"""The engine's fast paths do what the general ones do: the seed's Add and Mul, built inline,
give the numbers and errors of their specs' rules; every node class runs its own copy of its
constructor (so Python's per-class attribute caches stay warm), which behaves as the one it
copies."""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace

import pytest

from autodiff import Add, DomainError, Mul, PowConst, Sin, Var
from autodiff.array import Array
from autodiff.core.backward import engine_edges, gradients, sweep_all
from autodiff.core.ops import Binary, Const, Node, Unary, checked_rules
from autodiff.core.registry import CLASSES


def _operands():
    """Numbers of every kind an input holds: ints, floats, signed zeros, tiny and huge."""
    rng = random.Random(19)
    fixed = [0, 1, -3, 7, 0.0, -0.0, 0.1, -2.5, 1e-300, -1e300, 1e154, 2**60, 10**30]
    return fixed + [rng.uniform(-1e3, 1e3) for _ in range(40)]


@pytest.mark.parametrize("op", [Add, Mul])
def test_the_seeds_ops_give_their_rules_numbers_bit_for_bit(op):
    for x in _operands():
        for y in _operands():
            a, b = Var(x), Var(y)
            try:
                expected = checked_rules(op.spec, (x, y), ())
            except DomainError as error:
                with pytest.raises(DomainError, match=re.escape(str(error))):
                    op(a, b)
                continue
            node = op(a, b)
            value, locals_ = expected
            assert repr(node.value) == repr(value) and type(node.value) is type(value)
            assert node.grad == [(a, locals_[0]), (b, locals_[1])]
            assert [type(d) for _, d in node.grad] == [type(d) for d in locals_]


@pytest.mark.parametrize("x, y, op, message", [
    (1e200, 1e200, Mul, "mul of 1e+200 and 1e+200: the result is too large"),
    (1.5e308, 1.5e308, Add, "add of 1.5e+308 and 1.5e+308: the result is too large"),
    (10**400, 0.5, Mul, "the result is too large"),  # an int no float can hold
    (10**400, 0.5, Add, "the result is too large"),
])
def test_an_overflow_in_the_seeds_ops_is_a_domain_error(x, y, op, message):
    with pytest.raises(DomainError, match=re.escape(message)):
        op(Var(x), Var(y))


def test_numbers_on_either_side_become_constants_as_before():
    x = Var(2.0)
    for node, inputs in ((x * 3, (x, 3)), (3 * x, (3, x)), (x + 0.5, (x, 0.5)),
                         (0.5 + x, (0.5, x))):
        assert [type(child) for child in node.inputs] == [
            Var if v is x else Const for v in inputs]
        assert [child.value for child in node.inputs] == [
            2.0 if v is x else v for v in inputs]
    assert x.uses == 4  # one edge from each op


def test_a_subclass_of_mul_takes_the_general_path():
    class Doubled(Mul):  # another class: its spec's rules, not Mul's inline ones
        __slots__ = ()
        spec = replace(Mul.spec, value=lambda m, x, y: 2 * x * y)

    node = Doubled(Var(3.0), Var(4.0))
    assert node.value == 24.0 and node.local_derivatives == (4.0, 3.0)


# ---- every class its own constructor ----

def test_every_node_class_runs_its_own_copy_of_its_constructor():
    classes = [Var, Const, *CLASSES.values()]
    codes = [cls.__init__.__code__ for cls in classes]
    assert len({id(code) for code in codes}) == len(classes)
    # copies of the same source: Add and Mul run Binary's constructor, Sin runs Unary's
    assert Add.__init__.__code__ == Binary.__init__.__code__ == Mul.__init__.__code__
    assert Sin.__init__.__code__ == Unary.__init__.__code__


def test_a_class_defined_later_gets_its_copy_too():
    class Twice(Var):  # a user's subclass, with a constructor of its own
        __slots__ = ()

        def __init__(self, value, name=None, *, factor=2):
            super().__init__(value * factor, name=name)

    class Loud(Twice):  # and one that inherits it
        __slots__ = ()

    assert Loud.__init__.__code__ is not Twice.__init__.__code__
    assert Loud.__init__.__code__ == Twice.__init__.__code__
    assert Loud(1.5).value == 3.0 and Loud(1.5, factor=3).value == 4.5  # kw default kept
    assert isinstance(Loud(1.0), Node)


def test_the_copies_keep_defaults_and_super():
    assert PowConst(Var(3.0), 2).value == 9.0  # PowConst's copy calls Unary's through super()
    assert Array([1.0, 2.0]).op == "var" and Array.const([1.0]).op == "const"  # kw-only default
    assert Var(1.0).name is None and Var(1.0, "x").name == "x"
    assert math.isclose(Sin(Var(0.5)).value, math.sin(0.5))


# ---- the sweep's shortcut through an Add ----

def test_a_gradient_passes_through_an_add_bit_for_bit():
    # gradients() passes a gradient through an Add's local 1 without multiplying: the same
    # numbers, signs of zero included, as the general sweep that multiplies every edge
    a, b, zero = Var(0.25), Var(-3.0), Var(-0.0)
    s = a + b
    y = (s * zero + s * 0.5) + (a - b) * s  # -0.0 and 0.5 reach s; a - b is Add(a, Neg(b))
    expected = sweep_all(y, engine_edges, 1.0)
    result = gradients(y)
    assert list(result) == list(expected)
    assert [repr(result[n]) for n in expected] == [repr(expected[n]) for n in expected]
    assert repr(gradients(s * zero)[a]) == "0.0"  # 0.0 + (-0.0): a first route is never -0.0
