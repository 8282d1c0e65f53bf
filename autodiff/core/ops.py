"""The node and its classes: one per op, each with its one registry entry (``spec``).

A node keeps the seed post's shape: ``.value`` and ``.grad``, the list of ``(input node,
local derivative)`` pairs in the order the op lists its inputs (a leaf's is empty), a
name and a stable id; its operators (``a + b``, ``a * b``, ...) build the op nodes below.

A class's ``spec`` (see ``registry.py``) holds the op's names and its two rules, the
value and the local derivatives; building a node runs them with plain numbers, so
``.value`` and ``.grad`` (the seed's list of ``(input, local derivative)`` pairs) are
numbers a stepper can show. The hover formulas are the same rules read as text.

The seed post's classes are ``Var Add Mul Neg Inv Sin Exp Log``; the rest are the
ops a micrograd user expects. Values are checked as each node is built: an input
an op cannot take, or a result that is not a finite number, raises DomainError.
A new op is one ``define(OpSpec(...))`` (or one class like those below): the parser,
the builder, the formulas and the exports read the registry.
"""

from __future__ import annotations

import itertools
import math
from numbers import Real
from types import FunctionType

from .numbers import PLAIN, fmt
from .registry import FLOAT, OpSpec, register

__all__ = [
    "Abs", "Add", "Const", "Cos", "DomainError", "Exp", "Inv", "Log", "Mul", "Neg", "Node",
    "Pow", "PowConst", "Relu", "Sigmoid", "Sin", "Sqrt", "Tan", "Tanh", "Var", "checked_rules",
    "cos", "define", "exp", "ids", "log", "relu", "sigmoid", "sin", "sqrt", "tan", "tanh",
]

# A process-wide counter. Ids only grow, so an input always has a smaller id than
# every node built from it. Ids are for ordering and debugging; per-build display
# keys (stable across reruns) come from ``graph.snapshot``.
ids = itertools.count(1)  # next(ids) is the next id: one C call, taken for every node built


class DomainError(ValueError):
    """An op was given a value it cannot take, or its result is not a finite number.

    Raised when the node is built, naming the op and the offending value, instead of
    letting a numpy warning or a silent nan through.
    """

    def __init__(self, op: str, value: float, reason: str):
        self.op, self.value, self.reason = op, value, reason
        super().__init__(f"{op} of {fmt(value, PLAIN)}: {reason}")


class Node:
    """Base class of every node. Subclasses set ``value``, ``grad``, ``name``, ``id`` and
    ``uses`` in ``__init__``, and add one to each input's ``uses``."""

    # uses: how many edges come into the node from the ops built on it so far, counted
    # as they are built, so that a sweep knows when all its users have passed their share
    __slots__ = ("value", "grad", "name", "id", "uses")
    op = "node"  # short op name, e.g. "mul"; shown in the graph and the traces
    symbol = ""  # how the op reads in a formula, e.g. "*"
    formulas: tuple[str, ...] = ()  # local derivative per input; {0}, {1} name the inputs

    def __init_subclass__(cls, **kwargs):
        # Python (3.11 on) specializes each attribute access in a function's bytecode for
        # the class it meets there, and falls back to the slow generic lookup when the
        # class keeps changing: a constructor shared by many op classes (Binary's runs
        # for every Add and Mul) would never stay specialized. So each class gets its own
        # copy of its constructor: the same code, with caches of its own. A small shared
        # graph builds 10-15% faster, measured cold (benchmarks/bench_engine.py --shared).
        super().__init_subclass__(**kwargs)
        init = cls.__init__
        if isinstance(init, FunctionType):
            own = FunctionType(init.__code__.replace(), init.__globals__, init.__name__,
                               init.__defaults__, init.__closure__)
            own.__kwdefaults__, own.__doc__ = init.__kwdefaults__, init.__doc__
            cls.__init__ = own

    @property
    def inputs(self) -> tuple[Node, ...]:
        return tuple(child for child, _ in self.grad)

    @property
    def local_derivatives(self) -> tuple[float, ...]:
        return tuple(local for _, local in self.grad)

    @property
    def is_leaf(self) -> bool:
        return not self.grad

    def rebuild(self, inputs) -> Node:
        """The same op applied to other inputs (for re-evaluation; names are kept)."""
        return type(self)(*inputs, name=self.name)

    def label(self) -> str:
        return self.name if self.name is not None else f"{self.op}#{self.id}"

    def __repr__(self) -> str:
        named = f", name={self.name!r}" if self.name is not None else ""
        return f"{type(self).__name__}(id={self.id}, value={fmt(self.value, PLAIN)}{named})"

    # The operators, as in the seed: subtraction adds a negation and division multiplies
    # by an inverse, so the graph (and every float rounding) is the post's. The op classes
    # are defined below; a name is looked up when the operator runs.
    def __add__(self, other):
        return Add(self, other)

    def __radd__(self, other):
        return Add(other, self)

    def __mul__(self, other):
        return Mul(self, other)

    def __rmul__(self, other):
        return Mul(other, self)

    def __sub__(self, other):
        return Add(self, Neg(other))

    def __rsub__(self, other):
        return Add(other, Neg(self))

    def __truediv__(self, other):
        return Mul(self, Inv(other))

    def __rtruediv__(self, other):
        return Mul(other, Inv(self))

    def __neg__(self):
        return Neg(self)

    def __pos__(self):
        return self

    def __pow__(self, other):
        return Pow(self, other) if isinstance(other, Node) else PowConst(self, other)

    def __rpow__(self, other):
        return Pow(other, self)

    def __abs__(self):  # so the builtin abs(x) works on nodes
        return Abs(self)


_INF, _NEG_INF = math.inf, -math.inf
_TOO_LARGE = "the result is too large (not a finite number)"


def _leaf_value(value, op: str):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{op} needs a real number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DomainError(op, value, "a value must be a finite number")
    return value


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
        if not (kind is float and _NEG_INF < value < _INF or kind is int):  # the usual, fast
            value = _leaf_value(value, self.op)  # other real numbers, or a clear error
        self.value = value
        self.grad = ()  # no inputs: one shared empty tuple rather than a new list per leaf
        self.name = name
        self.id = next(ids)
        self.uses = 0

    def rebuild(self, inputs) -> Node:
        return type(self)(self.value, name=self.name)


class Const(Var):
    """A leaf holding a number that appeared in the formula (the ``2`` in ``2 * a``)."""

    __slots__ = ()
    op = "const"


def checked_rules(spec: OpSpec, values, params: tuple, with_locals: bool = True):
    """The op's value and local derivatives at ``values``, as checked plain numbers (the
    derivatives left out, ``()``, when not ``with_locals``: a plan evaluating values only)."""
    if spec.domain is not None:
        reason = spec.domain(*values, *params)
        if reason:
            raise DomainError(spec.node_op, values[0], reason)
    try:
        value = spec.value(FLOAT, *values, *params)
        local = spec.local(FLOAT, *values, value, *params) if with_locals else ()
    except (OverflowError, ZeroDivisionError):
        value, local = math.nan, ()
    except ValueError:  # a domain the spec did not say: refuse it all the same
        raise DomainError(spec.node_op, values[0], "outside the op's domain") from None
    if not (-_INF < value < _INF and all(-_INF < d < _INF for d in local)):
        shown = values[0] if len(values) == 1 else tuple(values)
        raise DomainError(spec.node_op, shown, _TOO_LARGE)
    return value, local


class Op(Node):
    """A node made by an op: its class's ``spec`` (the registry entry) gives the rules."""

    __slots__ = ()
    spec: OpSpec
    params: tuple = ()  # constants of the op (PowConst's exponent), passed to its rules

    @property
    def formulas(self) -> tuple[str, ...]:
        return self.spec.formulas(self.params)


# The three constructors (Var, Unary, Binary) set the four fields themselves: a shared
# method for it cost 15% of building a graph (one more call per node, measured A/B).
# Their first branch is the usual case kept short, because it is hot; anything unusual
# (a domain to check, a constant, an error) goes through checked_rules.
class Unary(Op):
    """An op of one input."""

    __slots__ = ()

    def __init__(self, x, name: str | None = None):
        if not isinstance(x, Node):
            x = Const(x)
        spec, v, value = self.spec, x.value, None
        if spec.domain is None and not self.params:
            try:
                value = spec.value(FLOAT, v)
                (local,) = spec.local(FLOAT, v, value)
            except (ArithmeticError, ValueError):
                value = None
        if value is None or not (_NEG_INF < value < _INF and _NEG_INF < local < _INF):
            value, (local,) = checked_rules(spec, (v,), self.params)  # or the error that says why
        self.value = value
        self.grad = [(x, local)]
        self.name = name
        self.id = next(ids)
        self.uses = 0
        x.uses += 1


class Binary(Op):
    """An op of two inputs."""

    __slots__ = ()

    def __init__(self, a, b, name: str | None = None):
        if not isinstance(a, Node):
            a = Const(a)
        if not isinstance(b, Node):
            b = Const(b)
        x, y, kind = a.value, b.value, type(self)
        # The seed's two ops, which most graphs are made of, are their specs' rules written
        # inline: calling the two rules cost a fifth of building a graph (test_fast_paths
        # checks that both ways agree). Their locals are their inputs' values, finite
        # already: only the value can overflow. Any other op takes checked_rules.
        try:
            if kind is Mul:
                value, d_a, d_b = x * y, y, x
            elif kind is Add:
                value, d_a, d_b = x + y, 1, 1
            else:
                value = math.nan
        except ArithmeticError:  # an int too large for a float
            value = math.nan
        if not _NEG_INF < value < _INF:
            value, (d_a, d_b) = checked_rules(self.spec, (x, y), self.params)  # or why not
        self.value = value
        self.grad = [(a, d_a), (b, d_b)]
        self.name = name
        self.id = next(ids)
        self.uses = 0
        a.uses += 1
        b.uses += 1


def define(spec: OpSpec, doc: str | None = None) -> type:
    """A node class for ``spec``, registered: the one step that adds an op."""
    base = {1: Unary, 2: Binary}[spec.arity]
    name = next((a for a in spec.aliases if not a.islower()), spec.name.capitalize())
    cls = type(name, (base,), {"__slots__": (), "spec": spec, "__doc__": doc or spec.doc,
                               "__module__": __name__})
    return register(cls)


# ---- the ops: one registry entry each ----

def _inv_domain(x):
    return "division by zero (1/x needs x ≠ 0)" if x == 0 else None


def _sqrt_domain(x):
    if x < 0:
        return "sqrt needs a number ≥ 0"
    return "the derivative of sqrt is infinite at 0" if x == 0 else None


def _power_domain(x, n):
    if x == 0 and n < 0:
        return f"division by zero (0 to the power {fmt(n, PLAIN)})"
    if x < 0 and n % 1:
        return f"a negative number to the power {fmt(n, PLAIN)} is not real"
    if x == 0 and 0 < n < 1:
        return f"x ** {fmt(n, PLAIN)} has no finite derivative at 0"
    return None


def _variable_power_domain(x, y):
    if x < 0:
        return "a power with a variable exponent needs a base > 0"
    return "0 to a variable power below 1 has no finite derivative" if x == 0 and y < 1 else None


def _no_derivative_at_zero(op: str, choice: str):
    """The kink of relu and abs: no derivative at 0 (the slopes left and right of it
    differ), where the engine's rule uses 0 all the same, for the reason ``choice``."""
    def kink(x):
        if x != 0:
            return None
        return f"{op} has no derivative at 0; the engine uses 0 there ({choice})"
    return kink


@register
class Add(Binary):
    """a + b: both local derivatives are 1."""

    __slots__ = ()
    spec = OpSpec("add", 2, aliases=("Add",), symbol="+", shows="{0} + {1}",
                  value=lambda m, x, y: x + y,
                  local=lambda m, x, y, out: (1, 1))


@register
class Mul(Binary):
    """a * b: the local derivative for each input is the other input."""

    __slots__ = ()
    spec = OpSpec("mul", 2, aliases=("Mul",), symbol="*", shows="{0} × {1}",
                  value=lambda m, x, y: x * y,
                  local=lambda m, x, y, out: (y, x))


@register
class Neg(Unary):
    """-x: the local derivative is -1."""

    __slots__ = ()
    spec = OpSpec("neg", 1, aliases=("Neg",), symbol="-", shows="-{0}",
                  value=lambda m, x: -1 * x,
                  local=lambda m, x, out: (-1,))


@register
class Inv(Unary):
    """1 / x: the local derivative is -1/x² (the seed writes it -x**-2)."""

    __slots__ = ()
    spec = OpSpec("inv", 1, aliases=("Inv",), symbol="1/", shows="1/{0}", domain=_inv_domain,
                  value=lambda m, x: 1 / x,
                  local=lambda m, x, out: (-x ** -2,))


@register
class Sin(Unary):
    """sin(x): the local derivative is cos(x)."""

    __slots__ = ()
    spec = OpSpec("sin", 1, aliases=("Sin", "sin"),
                  value=lambda m, x: m.sin(x),
                  local=lambda m, x, out: (m.cos(x),))


@register
class Cos(Unary):
    """cos(x): the local derivative is -sin(x)."""

    __slots__ = ()
    spec = OpSpec("cos", 1, aliases=("Cos", "cos"),
                  value=lambda m, x: m.cos(x),
                  local=lambda m, x, out: (-m.sin(x),))


@register
class Tan(Unary):
    """tan(x): the local derivative is 1 + tan(x)²."""

    __slots__ = ()
    spec = OpSpec("tan", 1, aliases=("Tan", "tan"),
                  value=lambda m, x: m.tan(x),
                  local=lambda m, x, out: (1 + out * out,))


@register
class Exp(Unary):
    """exp(x): the local derivative is exp(x) itself."""

    __slots__ = ()
    spec = OpSpec("exp", 1, aliases=("Exp", "exp"),
                  value=lambda m, x: m.exp(x),
                  local=lambda m, x, out: (out,))


@register
class Log(Unary):
    """log(x), the natural logarithm: the local derivative is 1/x."""

    __slots__ = ()
    spec = OpSpec("log", 1, aliases=("Log", "log"),
                  domain=lambda x: "log needs a positive number" if x <= 0 else None,
                  value=lambda m, x: m.log(x),
                  local=lambda m, x, out: (1.0 / x,))


@register
class Sqrt(Unary):
    """sqrt(x): the local derivative is 1/(2·sqrt(x))."""

    __slots__ = ()
    spec = OpSpec("sqrt", 1, aliases=("Sqrt", "sqrt"), domain=_sqrt_domain,
                  value=lambda m, x: m.sqrt(x),
                  local=lambda m, x, out: (0.5 / out,))


@register
class Tanh(Unary):
    """tanh(x): the local derivative is 1 - tanh(x)²."""

    __slots__ = ()
    spec = OpSpec("tanh", 1, aliases=("Tanh", "tanh"),
                  value=lambda m, x: m.tanh(x),
                  local=lambda m, x, out: (1 - out * out,))


@register
class Sigmoid(Unary):
    """σ(x) = 1/(1 + exp(-x)): the local derivative is σ(x)·(1 - σ(x))."""

    __slots__ = ()
    spec = OpSpec("sigmoid", 1, aliases=("Sigmoid", "sigmoid"),
                  value=lambda m, x: m.sigmoid(x),
                  local=lambda m, x, out: (out * (1 - out),))


@register
class Relu(Unary):
    """max(x, 0): the local derivative is 1 where x > 0, else 0 (0 at x = 0, as micrograd)."""

    __slots__ = ()
    spec = OpSpec("relu", 1, aliases=("Relu", "relu"),
                  value=lambda m, x: m.relu(x),
                  local=lambda m, x, out: (m.step(x),),
                  kink=_no_derivative_at_zero("relu", "as micrograd does"))


@register
class Abs(Unary):
    """|x|: the local derivative is the sign of x (0 at x = 0)."""

    __slots__ = ()
    spec = OpSpec("abs", 1, aliases=("Abs", "abs"),
                  value=lambda m, x: m.abs(x),
                  local=lambda m, x, out: (m.sign(x),),
                  kink=_no_derivative_at_zero("abs", "the sign of 0"))


@register
class PowConst(Unary):
    """x ** n for a number n: the local derivative is n·x^(n-1)."""

    __slots__ = ("exponent",)
    # x**0 is flat and x**1 has slope 1 everywhere, 0 included
    spec = OpSpec("powconst", 1, op="pow", shows="{0} {symbol}", domain=_power_domain,
                  value=lambda m, x, n: m.pow(x, n),
                  local=lambda m, x, out, n: (n * m.pow(x, n - 1) if n != 0 and n != 1 else n,))

    def __init__(self, x, exponent, name: str | None = None):
        self.exponent = _leaf_value(exponent, "pow")
        super().__init__(x, name=name)

    @property
    def params(self) -> tuple:
        return (self.exponent,)

    @property
    def symbol(self):
        return f"**{fmt(self.exponent, PLAIN)}"

    def rebuild(self, inputs) -> Node:
        return PowConst(inputs[0], self.exponent, name=self.name)


@register
class Pow(Binary):
    """a ** b with b a node: local derivatives b·a^(b-1) and a^b·ln(a)."""

    __slots__ = ()
    spec = OpSpec("pow", 2, aliases=("Pow",), symbol="**", shows="{0} ** {1}",
                  domain=_variable_power_domain,
                  value=lambda m, x, y: m.pow(x, y),
                  local=lambda m, x, y, out: (y * m.pow(x, y - 1), out * m.log_or_zero(x)))


# Lowercase functional forms, next to the seed's classes: sin(x) is Sin(x) (all of the
# registry's but `abs`, which would shadow the builtin; abs(node) works anyway). Written out
# so that an editor finds them; tests/engine/test_ops.py checks them against the registry.
sin, cos, tan, exp, log, sqrt = Sin, Cos, Tan, Exp, Log, Sqrt
tanh, sigmoid, relu = Tanh, Sigmoid, Relu
