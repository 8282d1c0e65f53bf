"""The node: a value, its inputs with their local derivatives, a name and a stable id.

A node keeps the seed post's shape: ``.value`` and ``.grad``, the list of
``(input node, local derivative)`` pairs in the order the op lists its inputs
(a leaf's is an empty tuple: it has no inputs).
Every op is a subclass whose registry entry (``spec``) holds the rules for the value
and the local derivatives (see ``registry.py`` and ``ops.py``).
"""

from __future__ import annotations

import itertools

from .numbers import PLAIN, fmt

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
