"""Typed programs: a small, safe subset of Python turned into engine nodes.

The seed post's own snippets paste as they are::

    a = Var(230.3)
    b = Var(33.2)
    def f(a, b):
        return (a / b - a) * (b / a + a + b) * (a - b)
    y = f(a, b)

The text is never run. It goes through gates that need no parser (length, plain ASCII,
bracket depth; ``text``), then ``ast.parse``, then two passes:

1. ``describe`` (``check`` and ``expressions``) accepts only the node types
   in its tables (an allow-list, as simpleeval does) and turns the program into a plain
   ``Description`` (``ir``): a list of steps, one per engine node, with every call
   inlined, plus the inputs, the output and the notices of skipped lines. Every refusal
   is one ``ProgramError`` with a line, a column and plain words; every limit is a named
   constant with its own message, so no input can make the walk slow or deep.
2. ``build_program`` (``build``) builds engine nodes from a description and a set
   of input values; it can be called again with new values without reading the text.

Rules, in short: one ``name = expression`` per line; ``a = 4`` or ``a = Var(4)`` at the
top level makes an input with a default; a name that is read but never assigned is an
input whose value the caller gives; ``def`` bodies are inlined at each call, see only
their parameters and their own lines, and can call only functions defined above them;
``print(...)``, ``get_gradients(...)`` and imports are skipped with a notice; the output
is the name given to ``get_gradients(y)`` (as the post does, whatever lines follow it),
else the last assigned name, else a bare expression on the last line. A program may name
several outputs, for a Jacobian: a last line ``outputs = y, z``, or ``get_gradients``
called on several names (``Program.outputs``; ``output`` is the first listed, or the last
name given to ``get_gradients``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

from ..core import registry
from ..core.graph import Graph, snapshot
from ..core.numbers import PLAIN, fmt
from ..core.ops import Node
from ..jacobian import jacobian, jacobian_inputs, numerical_jacobian
from .build import build_nodes
from .check import check_program
from .expressions import Vocabulary
from .ir import Description, Input, Unassigned  # noqa: F401  (Unassigned: API)
from .text import (  # noqa: F401  (the limits are part of this module's API)
    MAX_ABS_NUMBER,
    MAX_DEPTH,
    MAX_INPUTS,
    MAX_LINES,
    MAX_NAME_CHARS,
    MAX_NODES,
    MAX_OUTPUTS,
    MAX_PROGRAM_CHARS,
    MAX_SIGN_RUN,
    MAX_STEPS,
    ProgramError,
    prepare,
)

__all__ = [
    "Description", "FUNCTIONS", "Input", "MAX_ABS_NUMBER", "MAX_DEPTH", "MAX_INPUTS",
    "MAX_LINES", "MAX_NAME_CHARS", "MAX_NODES", "MAX_OUTPUTS", "MAX_PROGRAM_CHARS",
    "MAX_SIGN_RUN", "MAX_STEPS", "Program", "ProgramError", "Unassigned", "build_program",
    "compile_program", "describe", "read_inputs", "unassigned_notices",
]

# ---- what the language knows ----

#: What a program may call, read from the op registry each time (an op registered later is
#: known at once): name -> (op class, arity).
FUNCTIONS = registry.FUNCTIONS


def vocabulary() -> Vocabulary:
    """The functions a program may call now, and how messages list them."""
    return Vocabulary(FUNCTIONS, registry.describe_functions())


@dataclass(frozen=True)
class Program:
    """A compiled program: engine nodes, their plain-data graph, inputs and notices."""

    text: str
    output: Node
    graph: Graph
    inputs: tuple[Input, ...]
    values: dict[str, float]
    notices: tuple[str, ...]  # "line 9: print(...) skipped (...)": for the app to show
    description: Description | None = None  # what it was built from (build it again
    # with new values: ``build_program(program.description, values)``)
    outputs: tuple[Node, ...] = ()  # every output in order, ``output`` among them: more
    # than one when the program names several (``outputs = y, z``)
    output_names: tuple[str, ...] = ()  # their names: as written, or the graph's key of
    # the one output

    def jacobian(self) -> dict[str, dict[str, float]]:
        """d(output)/d(input) for every output (rows, by name, in order) and every input
        (columns, in the program's order), by reverse mode: one backward pass per output.
        An input an output does not depend on gets 0.0."""
        return self._by_name(jacobian)

    def numerical_jacobian(self) -> dict[str, dict[str, float]]:
        """``jacobian()`` by central differences: the check on every entry."""
        return self._by_name(numerical_jacobian)

    def _by_name(self, table) -> dict[str, dict[str, float]]:
        leaves = {leaf.name: leaf for leaf in jacobian_inputs(self.outputs)}
        rows = table(self.outputs, list(leaves.values()))
        return {name: {i.name: float(row.get(leaves.get(i.name), 0.0)) for i in self.inputs}
                for name, row in zip(self.output_names, rows, strict=True)}

    @property
    def unused_inputs(self) -> tuple[str, ...]:
        """The inputs the output does not depend on (its graph never reaches them, as `b`
        in `a = 4`, `b = 3`, `c = a * 2`): the gradient with respect to each is 0."""
        return tuple(i.name for i in self.inputs if i.name not in self.graph.engine)


def describe(text: str) -> Description:
    """Pass one: check ``text`` and describe it (a ProgramError for anything refused,
    except values an op cannot take, which only building finds)."""
    source, tree = prepare(text)
    return check_program(source, tree, vocabulary())


def read_inputs(text: str) -> tuple[Input, ...]:
    """The inputs of a program in order of first appearance, without computing anything."""
    return describe(text).inputs


def compile_program(text: str, values: Mapping[str, float] | None = None) -> Program:
    """Build the engine graph of ``text``; ``values`` override defaults and give free names.

    Names in ``values`` that are not inputs of the program are ignored (a caller may keep
    values from an earlier version of the text).
    """
    given = _check_values(values)
    return build_program(describe(text), given, text)


def build_program(description: Description, values: Mapping[str, float] | None = None,
                  text: str | None = None) -> Program:
    """Pass two: the program of ``description`` built with ``values`` (checked as in
    ``compile_program``); ``text`` defaults to the described lines."""
    given = _check_values(values)
    chosen = {i.name: given.get(i.name, i.default) for i in description.inputs}
    nodes = build_nodes(description, chosen)
    output = nodes[description.output.index]
    graph = snapshot(output)
    return Program(
        text="\n".join(description.lines) if text is None else text, output=output,
        graph=graph, inputs=description.inputs,
        values={name: value for name, value in chosen.items() if value is not None},
        notices=description.notices, description=description,
        outputs=tuple(nodes[ref.index] for ref in description.outputs or (description.output,)),
        output_names=description.output_names or (graph.output,))


def unassigned_notices(description: Description,
                       values: Mapping[str, float]) -> tuple[str, ...]:
    """What to say about the names the program reads but never gives a value, each of which
    became an input worth ``values[name]``: its name, its line and the closest name the
    program does give a value (``c = a * bb`` beside ``b = 3``). Nothing when every input is
    such a name and none is close to another: then they are the inputs on purpose, as in
    the single line ``(a / b - a) * (b / a + a + b) * (a - b)``."""
    declares = any(item.default is not None for item in description.inputs)
    said = []
    for item in description.unassigned:
        if item.closest is None and not declares:
            continue
        text = (f"line {item.line}: `{item.name}` is used but never given a value, so it "
                f"became an input worth {fmt(values[item.name])}.")
        said.append(text + (f" Did you mean `{item.closest}`?" if item.closest else ""))
    return tuple(said)


def _check_values(values: Mapping[str, float] | None) -> dict[str, float]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ProgramError("values must be a mapping from input names to numbers")
    checked = {}
    for name, value in values.items():
        if not isinstance(name, str):
            raise ProgramError(f"input names must be text, got {name!r}")
        checked[name] = _check_number(value, f"the value of `{name}`")
    return checked


def _check_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ProgramError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (OverflowError, ValueError):
        number = math.inf
    if not abs(number) <= MAX_ABS_NUMBER:  # also false for nan
        raise ProgramError(f"{what} is {value!r}: numbers must be between "
                           f"-{fmt(MAX_ABS_NUMBER, PLAIN)} and {fmt(MAX_ABS_NUMBER, PLAIN)}")
    return number
