"""One class per op: its value and its local derivatives, computed together.

Each ``__init__`` sets ``value`` and ``grad``, the seed's list of
``(input, local derivative)`` pairs, as plain numbers so a stepper can show them.
``formulas`` says the same derivatives in words for the graph's hover text:
``{0}``/``{1}`` stand for the inputs' labels.

The seed post's classes are ``Var Add Mul Neg Inv Sin Exp Log``; the rest are the
ops a micrograd user expects. Values are checked as each node is built: an input
an op cannot take, or a result that is not a finite number, raises DomainError.
"""

from __future__ import annotations

import math
from numbers import Real

from .nodes import DomainError, Node, ids

_INF = math.inf
_TOO_LARGE = "the result is too large (not a finite number)"


def _leaf_value(value, op: str):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{op} needs a real number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DomainError(op, value, "a value must be a finite number")
    return value


def _checked(op: str, value, inputs):
    """``value`` if it is a finite number; else a DomainError that names the op."""
    if -_INF < value < _INF:  # false for inf, -inf and nan; works for ints of any size
        return value
    shown = inputs[0] if len(inputs) == 1 else inputs
    raise DomainError(op, shown, _TOO_LARGE)


def as_node(x) -> Node:
    """A node as it is; a Python number becomes a constant leaf."""
    if isinstance(x, Node):
        return x
    return Const(x)


class Var(Node):
    """A leaf: an input of the function, with no inputs of its own."""

    __slots__ = ()
    op = "var"

    def __init__(self, value, name: str | None = None):
        kind = type(value)
        if not (kind is float and -_INF < value < _INF or kind is int):  # the usual, fast
            value = _leaf_value(value, self.op)  # other real numbers, or a clear error
        self.value = value
        self.grad = ()  # no inputs; one shared empty tuple rather than a new list per leaf
        self.name = name
        self.id = next(ids)

    def rebuild(self, inputs) -> Node:
        return type(self)(self.value, name=self.name)


class Const(Var):
    """A leaf holding a number that appeared in the formula (the ``2`` in ``2 * a``)."""

    __slots__ = ()
    op = "const"


class Add(Node):
    """a + b: both local derivatives are 1."""

    __slots__ = ()
    op, symbol, formulas = "add", "+", ("1", "1")

    def __init__(self, a, b, name: str | None = None):
        if not isinstance(a, Node):
            a = Const(a)
        if not isinstance(b, Node):
            b = Const(b)
        value = a.value + b.value
        if not -_INF < value < _INF:
            _checked(self.op, value, (a.value, b.value))
        self.value = value
        self.grad = [(a, 1), (b, 1)]
        self.name = name
        self.id = next(ids)


class Mul(Node):
    """a * b: the local derivative for each input is the other input."""

    __slots__ = ()
    op, symbol, formulas = "mul", "*", ("{1}", "{0}")

    def __init__(self, a, b, name: str | None = None):
        if not isinstance(a, Node):
            a = Const(a)
        if not isinstance(b, Node):
            b = Const(b)
        value = a.value * b.value
        if not -_INF < value < _INF:
            _checked(self.op, value, (a.value, b.value))
        self.value = value
        self.grad = [(a, b.value), (b, a.value)]
        self.name = name
        self.id = next(ids)


class _Unary(Node):
    """An op of one input. Subclasses give ``rule(x) -> (value, local derivative)``."""

    __slots__ = ()

    def __init__(self, x, name: str | None = None):
        if not isinstance(x, Node):
            x = Const(x)
        try:
            value, local = self.rule(x.value)
        except (OverflowError, ZeroDivisionError):
            raise DomainError(self.op, x.value, _TOO_LARGE) from None
        if not (-_INF < value < _INF and -_INF < local < _INF):
            _checked(self.op, math.nan, (x.value,))
        self.value = value
        self.grad = [(x, local)]
        self.name = name
        self.id = next(ids)

    @staticmethod
    def rule(x):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class Neg(_Unary):
    """-x: the local derivative is -1."""

    __slots__ = ()
    op, symbol, formulas = "neg", "-", ("-1",)

    @staticmethod
    def rule(x):
        return -1 * x, -1


class Inv(_Unary):
    """1 / x: the local derivative is -1/x² (the seed writes it -x**-2)."""

    __slots__ = ()
    op, symbol, formulas = "inv", "1/", ("-1/{0}²",)

    @staticmethod
    def rule(x):
        if x == 0:
            raise DomainError("inv", x, "division by zero (1/x needs x ≠ 0)")
        return 1 / x, -x ** -2


class Sin(_Unary):
    """sin(x): the local derivative is cos(x)."""

    __slots__ = ()
    op, formulas = "sin", ("cos({0})",)

    @staticmethod
    def rule(x):
        return math.sin(x), math.cos(x)


class Cos(_Unary):
    """cos(x): the local derivative is -sin(x)."""

    __slots__ = ()
    op, formulas = "cos", ("-sin({0})",)

    @staticmethod
    def rule(x):
        return math.cos(x), -math.sin(x)


class Tan(_Unary):
    """tan(x): the local derivative is 1 + tan(x)²."""

    __slots__ = ()
    op, formulas = "tan", ("1 + tan({0})²",)

    @staticmethod
    def rule(x):
        t = math.tan(x)
        return t, 1 + t * t


class Exp(_Unary):
    """exp(x): the local derivative is exp(x) itself."""

    __slots__ = ()
    op, formulas = "exp", ("exp({0})",)

    @staticmethod
    def rule(x):
        y = math.exp(x)
        return y, y


class Log(_Unary):
    """log(x), the natural logarithm: the local derivative is 1/x."""

    __slots__ = ()
    op, formulas = "log", ("1/{0}",)

    @staticmethod
    def rule(x):
        if x <= 0:
            raise DomainError("log", x, "log needs a positive number")
        return math.log(x), 1.0 / x


class Sqrt(_Unary):
    """sqrt(x): the local derivative is 1/(2·sqrt(x))."""

    __slots__ = ()
    op, formulas = "sqrt", ("1/(2·sqrt({0}))",)

    @staticmethod
    def rule(x):
        if x < 0:
            raise DomainError("sqrt", x, "sqrt needs a number ≥ 0")
        if x == 0:
            raise DomainError("sqrt", x, "the derivative of sqrt is infinite at 0")
        y = math.sqrt(x)
        return y, 0.5 / y


class Tanh(_Unary):
    """tanh(x): the local derivative is 1 - tanh(x)²."""

    __slots__ = ()
    op, formulas = "tanh", ("1 - tanh({0})²",)

    @staticmethod
    def rule(x):
        t = math.tanh(x)
        return t, 1 - t * t


class Sigmoid(_Unary):
    """σ(x) = 1/(1 + exp(-x)): the local derivative is σ(x)·(1 - σ(x))."""

    __slots__ = ()
    op, formulas = "sigmoid", ("σ({0})·(1 - σ({0}))",)

    @staticmethod
    def rule(x):
        if x >= 0:  # two forms so that exp never overflows
            s = 1 / (1 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1 + e)
        return s, s * (1 - s)


class Relu(_Unary):
    """max(x, 0): the local derivative is 1 where x > 0, else 0 (0 at x = 0, as micrograd)."""

    __slots__ = ()
    op, formulas = "relu", ("1 if {0} > 0 else 0",)

    @staticmethod
    def rule(x):
        return (x, 1) if x > 0 else (0, 0)


class Abs(_Unary):
    """|x|: the local derivative is the sign of x (0 at x = 0)."""

    __slots__ = ()
    op, formulas = "abs", ("sign({0})",)

    @staticmethod
    def rule(x):
        return abs(x), (x > 0) - (x < 0)


class PowConst(_Unary):
    """x ** n for a number n: the local derivative is n·x^(n-1)."""

    __slots__ = ("exponent",)
    op = "pow"

    def __init__(self, x, exponent, name: str | None = None):
        self.exponent = _leaf_value(exponent, "pow")
        super().__init__(x, name=name)

    @property
    def formulas(self):
        n = self.exponent
        return (f"{_num(n)}·{{0}}^{_num(n - 1)}",)

    @property
    def symbol(self):
        return f"**{_num(self.exponent)}"

    def rule(self, x):
        n = self.exponent
        if x == 0 and n < 0:
            raise DomainError("pow", x, f"division by zero (0 to the power {_num(n)})")
        try:
            value = math.pow(x, n)
            # x**0 is flat and x**1 has slope 1 everywhere, 0 included
            local = n * math.pow(x, n - 1) if n != 0 and n != 1 else n
        except ValueError:
            reason = (f"x ** {_num(n)} has no finite derivative at 0" if x == 0 else
                      f"a negative number to the power {_num(n)} is not real")
            raise DomainError("pow", x, reason) from None
        return value, local

    def rebuild(self, inputs) -> Node:
        return PowConst(inputs[0], self.exponent, name=self.name)


class Pow(Node):
    """a ** b with b a node: local derivatives b·a^(b-1) and a^b·ln(a)."""

    __slots__ = ()
    op, symbol, formulas = "pow", "**", ("{1}·{0}^({1} - 1)", "{0}^{1}·ln({0})")

    def __init__(self, a, b, name: str | None = None):
        if not isinstance(a, Node):
            a = Const(a)
        if not isinstance(b, Node):
            b = Const(b)
        x, y = a.value, b.value
        if x < 0 or (x == 0 and y < 1):
            reason = ("a power with a variable exponent needs a base > 0" if x < 0 else
                      "0 to a variable power below 1 has no finite derivative")
            raise DomainError("pow", x, reason)
        try:
            value = math.pow(x, y)
            d_base = y * math.pow(x, y - 1)
            d_exponent = value * math.log(x) if x > 0 else 0.0  # 0**y is flat in y for y > 0
        except OverflowError:
            raise DomainError("pow", (x, y), _TOO_LARGE) from None
        _checked(self.op, value, (x, y))
        _checked(self.op, d_base, (x, y))
        _checked(self.op, d_exponent, (x, y))
        self.value = value
        self.grad = [(a, d_base), (b, d_exponent)]
        self.name = name
        self.id = next(ids)


def _num(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


# The operators, as in the seed: subtraction adds a negation and division multiplies
# by an inverse, so the graph (and every float rounding) is the post's.
def _pow(self, other):
    return Pow(self, other) if isinstance(other, Node) else PowConst(self, other)


Node.__add__ = lambda self, other: Add(self, other)
Node.__radd__ = lambda self, other: Add(other, self)
Node.__mul__ = lambda self, other: Mul(self, other)
Node.__rmul__ = lambda self, other: Mul(other, self)
Node.__sub__ = lambda self, other: Add(self, Neg(other))
Node.__rsub__ = lambda self, other: Add(other, Neg(self))
Node.__truediv__ = lambda self, other: Mul(self, Inv(other))
Node.__rtruediv__ = lambda self, other: Mul(other, Inv(self))
Node.__neg__ = lambda self: Neg(self)
Node.__pos__ = lambda self: self
Node.__pow__ = _pow
Node.__abs__ = lambda self: Abs(self)  # so the builtin abs(x) works on nodes
Node.__rpow__ = lambda self, other: Pow(other, self)

# Lowercase functional forms, next to the seed's classes: sin(x) is Sin(x).
sin, cos, tan, exp, log, sqrt = Sin, Cos, Tan, Exp, Log, Sqrt
tanh, sigmoid, relu = Tanh, Sigmoid, Relu

#: Every op class by its short name, for the parser and the views.
OPS = {cls.op: cls for cls in (Var, Const, Add, Mul, Neg, Inv, Sin, Cos, Tan, Exp, Log,
                               Sqrt, Tanh, Sigmoid, Relu, Abs, Pow)}
