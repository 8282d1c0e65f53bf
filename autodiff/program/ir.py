"""The plain description of a checked program: what pass one makes and pass two builds.

A ``Description`` is the program with everything resolved: every function call inlined,
every alias (``z = c``) replaced by the step it names, every ``a - b`` written as the
engine's ``Add(a, Neg(b))``. It is a straight list of steps, one per engine node, in the
order the nodes are built; a step's arguments are ``Ref``s to earlier steps. Nothing in
it depends on the values of the inputs, so the same description can be built again and
again with new values (placeholders), and building it needs no limits: they were all
checked when it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.ops import Node
from .text import ProgramError

__all__ = [
    "Call", "Description", "Expression", "Input", "Number", "ReadInput", "Ref", "Step",
    "Unassigned", "Where",
]


@dataclass(frozen=True, slots=True)
class Input:
    """An input leaf: ``a = 4`` / ``a = Var(4)`` (default 4.0), or a free name (no default)."""

    name: str
    default: float | None


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A name the program reads but never gives a value (so it is an input the caller
    gives), where it is first read, and the closest name the program does give a value
    (``bb`` beside ``b``: a likely typo), or None when no such name is close."""

    name: str
    line: int  # 1-based
    closest: str | None


@dataclass(frozen=True, slots=True)
class Ref:
    """The value of an earlier step, by its index in ``Description.steps``."""

    index: int


@dataclass(frozen=True, slots=True)
class Number:
    """A number written in the program: a ``Const`` node."""

    value: float


@dataclass(frozen=True, slots=True)
class ReadInput:
    """The value of the input ``name``: a ``Var`` node (its value is given when building)."""

    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """An engine op applied to earlier steps, e.g. ``Call(Mul, (Ref(0), Ref(1)))``.

    ``PowConst`` is the one op whose second argument is read as a plain number: its
    ``Ref`` is a step built from numbers only, and the builder passes that step's value.
    """

    op: Callable[..., Node]
    args: tuple[Ref, ...]


Expression = Number | ReadInput | Call


@dataclass(frozen=True, slots=True)
class Where:
    """The expression a step comes from, for errors found while building (``log(-1)``)."""

    line: int  # 1-based
    column: int  # 1-based, in characters as typed
    end_line: int
    end_column: int  # 1-based column of its last character
    calls: tuple[tuple[str, int], ...] = ()  # (function, line of its call), innermost first


@dataclass(frozen=True, slots=True)
class Step:
    """One engine node: how it is computed, the program's name for it, and where it is."""

    expression: Expression
    name: str | None
    where: Where


@dataclass(frozen=True, slots=True)
class Description:
    """A checked program: its steps, the output step, its inputs and its skip notices.

    A program may name several outputs (a last line ``outputs = y, z``, or ``get_gradients``
    called on several names): ``outputs`` holds them all in order and ``output`` is the one
    the stepper and ``grad`` show (the first listed; the last ``get_gradients`` call, as
    before). When the program is over a limit (too many nodes or steps, too deep through calls),
    ``steps`` end where the limit was reached, ``output`` is None and ``stopped`` is the
    error, which building raises once it has built those steps."""

    lines: tuple[str, ...]  # the program as typed, one entry per line (for carets)
    steps: tuple[Step, ...]
    output: Ref | None
    inputs: tuple[Input, ...]  # in order of first appearance
    notices: tuple[str, ...]  # "line 3: print(...) skipped (...)", in line order
    stopped: ProgramError | None = None
    unassigned: tuple[Unassigned, ...] = ()  # the inputs no line gives a value, in order
    outputs: tuple[Ref, ...] = ()  # every output in order, ``output`` among them (empty
    # when ``stopped``)
    output_names: tuple[str, ...] = ()  # their names as written, when there are several
