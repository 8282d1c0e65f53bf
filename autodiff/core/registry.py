"""Every op, said once: its names, its value and its local derivatives as rules.

An op is one ``OpSpec``. Its two rules are plain functions of a small *namespace* ``m``
(the maths they may use: ``m.sin``, ``m.log``, ``m.pow``, ...) and of the inputs::

    value=lambda m, x: m.sin(x)            # the output
    local=lambda m, x, out: (m.cos(x),)    # one local derivative per input

The same rule, read with another namespace, says another thing:

* ``FLOAT`` (Python's ``math``): the seed's numbers, the ``.grad`` pairs of a node;
* ``TEXT`` (formulas as text): the hover and narration formula, ``cos(a)``, so the
  formula is derived from the rule and never written a second time;
* ``higher.NODES`` (engine nodes, above the op classes): the local derivative built as
  nodes, which ``higher.py`` sweeps for gradients of gradients;
* an array namespace (numpy): the rule applied elementwise.

An array engine registers its own rules (``array.ArraySpec``: the gradient passed to each
input) under the same names.

Everything that lists ops reads ``REGISTRY``: the node classes (``ops.py``), the parser's
function table (``FUNCTIONS``), the click builder, the CLI help and ``autodiff.__all__``.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .numbers import PLAIN, fmt

__all__ = [
    "CLASSES", "FLOAT", "FUNCTIONS", "Formula", "OpSpec", "REGISTRY", "TEXT", "class_names",
    "describe_functions", "exported_functions", "function_names", "register", "spec_of",
    "unregister",
]


@dataclass(frozen=True)
class OpSpec:
    """One op: names, arity, and its rules (see the module's docstring)."""

    name: str  # unique key in the registry, e.g. "sin" (and node.op unless `op` says else)
    arity: int  # number of node inputs
    value: Callable  # (m, *inputs, *params) -> output
    local: Callable  # (m, *inputs, out, *params) -> tuple: one local derivative per input
    aliases: tuple[str, ...] = ()  # names a program may call it by, e.g. ("Sin", "sin")
    symbol: str = ""  # infix operator, e.g. "+"; "" for a function
    shows: str = ""  # how a use reads, "{0} + {1}"; default: "name({0}, ...)"
    domain: Callable | None = None  # (*inputs, *params) -> why refused, or None
    kink: Callable | None = None  # (*inputs, *params) -> why no derivative there, or None
    op: str = ""  # node.op when it is not `name` (PowConst's is "pow")
    doc: str = ""  # one line, for help texts

    @property
    def node_op(self) -> str:
        return self.op or self.name

    @property
    def template(self) -> str:
        """The use of the op with ``{0}``, ``{1}`` for its inputs: ``{0} + {1}``, ``sin({0})``."""
        if self.shows:
            return self.shows
        return f"{self.node_op}({', '.join(f'{{{i}}}' for i in range(self.arity))})"

    @property
    def functions(self) -> tuple[str, ...]:
        """The lowercase names (``sin``): the functional forms a library user imports."""
        return tuple(a for a in self.aliases if a.islower())

    def formulas(self, params: tuple = ()) -> tuple[str, ...]:
        """The local derivatives as text, ``{0}``/``{1}`` standing for the inputs' labels."""
        return _formulas(self, params)


@lru_cache(maxsize=1024)
def _formulas(spec: OpSpec, params: tuple) -> tuple[str, ...]:
    inputs = [Formula(f"{{{i}}}") for i in range(spec.arity)]
    out = spec.value(TEXT, *inputs, *params)
    return tuple(str(Formula.of(d)) for d in spec.local(TEXT, *inputs, out, *params))


# ---- the registry ----

REGISTRY: dict[str, OpSpec] = {}  # name -> spec, in the order ops were registered
CLASSES: dict[str, type] = {}  # name -> the node class that applies the op


def register(cls: type) -> type:
    """Add a node class, whose ``spec`` says its op, to the registry (a class decorator).

    The class takes its ``op`` and ``symbol`` from the spec. A name or alias already
    taken by another op is refused, so one name means one op everywhere.
    """
    spec: OpSpec = cls.spec
    taken = {a for other in REGISTRY.values() if other.name != spec.name for a in other.aliases}
    clash = (set(spec.aliases) & taken) | ({spec.name} & set(REGISTRY))
    if clash:
        raise ValueError(f"op {spec.name!r}: {', '.join(sorted(clash))} already registered")
    for field, value in (("op", spec.node_op), ("symbol", spec.symbol)):
        if field not in vars(cls):  # a class may say its own (PowConst's symbol is "**n")
            setattr(cls, field, value)
    REGISTRY[spec.name] = spec
    CLASSES[spec.name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove an op (tests that register one clean up with this)."""
    REGISTRY.pop(name)
    CLASSES.pop(name)


def spec_of(op: str, arity: int) -> OpSpec | None:
    """The spec of a node's ``op`` name with ``arity`` inputs (``pow`` has two forms)."""
    for spec in REGISTRY.values():
        if spec.node_op == op and spec.arity == arity:
            return spec
    return None


class _FunctionTable(Mapping):
    """name -> (node class, arity) for every alias in the registry, read live."""

    def _table(self) -> dict:
        return {alias: (CLASSES[spec.name], spec.arity)
                for spec in REGISTRY.values() for alias in spec.aliases}

    def __getitem__(self, name: str) -> tuple[type, int]:
        return self._table()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __contains__(self, name: object) -> bool:
        return any(name in spec.aliases for spec in REGISTRY.values())


#: The parser's function table, the shape ``program.FUNCTIONS`` has: name -> (class, arity).
FUNCTIONS: Mapping[str, tuple[type, int]] = _FunctionTable()


def function_names(arity: int | None = None) -> list[str]:
    """The lowercase function names (``sin``, ``abs``, ...), of one arity if given."""
    return [f for spec in REGISTRY.values() if arity in (None, spec.arity)
            for f in spec.functions]


def class_names() -> list[str]:
    """The classes a program or a library user may call (``Add``, ``Sin``, ...)."""
    return [a for spec in REGISTRY.values() for a in spec.aliases if not a.islower()]


def exported_functions() -> list[str]:
    """Lowercase forms ``autodiff`` exports: all but those that shadow a builtin (``abs``,
    which works on nodes anyway through ``__abs__``)."""
    return [f for f in function_names() if not hasattr(builtins, f)]


def describe_functions() -> str:
    """Everything a program may call, for error messages and help: ``Var, Add, ..., sin``."""
    return ", ".join(["Var", *class_names(), *function_names()])


# ---- namespaces: what a rule's ``m`` is ----

class FloatMath:
    """Plain numbers: Python's math, plus the few functions the rules need beyond it."""

    sin, cos, tan, exp, log, sqrt, tanh = (math.sin, math.cos, math.tan, math.exp, math.log,
                                           math.sqrt, math.tanh)
    pow = staticmethod(math.pow)
    abs = staticmethod(abs)

    @staticmethod
    def sigmoid(x):
        if x >= 0:  # two forms so that exp never overflows
            return 1 / (1 + math.exp(-x))
        e = math.exp(x)
        return e / (1 + e)

    @staticmethod
    def relu(x):
        return x if x > 0 else 0

    @staticmethod
    def step(x):
        """1 where x > 0, else 0 (0 at x = 0, as micrograd)."""
        return 1 if x > 0 else 0

    @staticmethod
    def sign(x):
        return (x > 0) - (x < 0)

    @staticmethod
    def log_or_zero(x):
        """log(x), and 0 at x = 0 (where it is only ever multiplied by 0**y = 0)."""
        return math.log(x) if x > 0 else 0.0


FLOAT = FloatMath()


class Formula:
    """A formula as text, built by running a rule on formulas instead of numbers.

    ``rank`` is how tightly it binds (0 sum, 1 product, 2 sign, 3 power, 4 atom), so
    parentheses appear only where they are needed.
    """

    __slots__ = ("text", "rank")

    def __init__(self, text: str, rank: int = 4):
        self.text, self.rank = text, rank

    @staticmethod
    def of(x) -> Formula:
        if isinstance(x, Formula):
            return x
        text = fmt(x, PLAIN)
        return Formula(text, 2 if text.startswith("-") else 4)

    def _at(self, rank: int) -> str:
        return self.text if self.rank >= rank else f"({self.text})"

    def __str__(self) -> str:
        return self.text

    def __add__(self, other):
        other = Formula.of(other)
        if other.text.startswith("-") and other.rank == 2:
            return Formula(f"{self.text} - {other.text[1:]}", 0)
        return Formula(f"{self.text} + {other._at(1)}", 0)

    def __radd__(self, other):
        return Formula.of(other) + self

    def __sub__(self, other):
        return Formula(f"{self.text} - {Formula.of(other)._at(1)}", 0)

    def __rsub__(self, other):
        return Formula.of(other) - self

    def __mul__(self, other):
        other = Formula.of(other)
        if other.text == self.text:
            return Formula(f"{self._at(4)}²", 3)
        return Formula(f"{self._at(1)}·{other._at(1)}", 1)

    def __rmul__(self, other):
        return Formula.of(other) * self

    def __truediv__(self, other):
        return Formula(f"{self._at(1)}/{Formula.of(other)._at(2)}", 1)

    def __rtruediv__(self, other):
        return Formula.of(other) / self

    def __pow__(self, other):
        return Formula(f"{self._at(4)}^{Formula.of(other)._at(2)}", 3)

    def __rpow__(self, other):
        return Formula.of(other) ** self

    def __neg__(self):
        return Formula(f"-{self._at(2)}", 2)


class TextMath:
    """Formulas as text: ``m.cos(a)`` is the text ``cos(a)``."""

    def __getattr__(self, name: str) -> Callable:
        shown = {"sigmoid": "σ"}.get(name, name)
        return lambda *args: Formula(f"{shown}({', '.join(str(Formula.of(a)) for a in args)})")

    @staticmethod
    def pow(x, y):
        return Formula.of(x) ** y

    @staticmethod
    def step(x):
        return Formula(f"1 if {x} > 0 else 0", 0)

    @staticmethod
    def log_or_zero(x):
        return Formula(f"log({x})")


TEXT = TextMath()
