"""The Jacobian of several outputs: rows outputs, columns inputs, one reverse pass per row.

A backward pass from one output gives its derivative with respect to every input at once:
a whole row. So reverse mode needs one pass per output, where forward mode (``forward.py``)
needs one per input, a whole column each; with few outputs and many inputs, as in
training, reverse mode is the cheap way. An input an output does not depend on gets 0.

``numerical_jacobian`` is the same table by central differences (``numeric.py``): the
check on every entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from .core.backward import gradients
from .core.ops import Node
from .numeric import inputs_of, numerical_gradients

__all__ = ["jacobian", "jacobian_inputs", "numerical_jacobian"]


def jacobian_inputs(outputs: Sequence[Node]) -> list[Node]:
    """The inputs (non-constant leaves) below any of ``outputs``, in the order they were
    built: the Jacobian's columns when none are given."""
    leaves = {leaf for output in outputs for leaf in inputs_of(output)}
    return sorted(leaves, key=lambda n: n.id)


def jacobian(outputs: Sequence[Node], inputs: Sequence[Node] | None = None,
             ) -> list[dict[Node, float]]:
    """One row per output, in order: d(output)/d(input) for each of ``inputs`` (default
    ``jacobian_inputs(outputs)``), each row from one backward pass (the topological
    sweep)."""
    columns = jacobian_inputs(outputs) if inputs is None else list(inputs)
    rows = []
    for output in outputs:
        row = gradients(output)
        rows.append({x: row.get(x, 0.0) for x in columns})
    return rows


def numerical_jacobian(outputs: Sequence[Node], inputs: Sequence[Node] | None = None,
                       h: float = 1e-6) -> list[dict[Node, float]]:
    """``jacobian`` estimated by central differences, output by output."""
    columns = jacobian_inputs(outputs) if inputs is None else list(inputs)
    return [numerical_gradients(output, h=h, wrt=columns) for output in outputs]
