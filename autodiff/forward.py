"""Forward mode, to set beside reverse mode: tangents (dual numbers) carried upwards from one
input at a time.

A pass seeds one input's tangent with 1 (every other leaf 0) and visits the nodes from the
inputs up, in the order they were built: a node's tangent is the sum over its inputs of the
local derivative times that input's tangent (``ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ``). The output's
tangent is then the derivative with respect to the seeded input, so the whole gradient
takes one pass per input, where reverse mode takes one pass per output: the reason
frameworks, whose loss is one number of millions of inputs, go backwards.

``operation_counts`` counts the work both ways on a graph's shape: multiplications of a
local derivative, additions of two products, and passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.backward import topological_order
from .core.ops import Node
from .numeric import inputs_of

__all__ = ["Tangent", "forward_gradients", "forward_pass", "operation_counts"]


@dataclass(frozen=True)
class Tangent:
    """A node's tangent in one pass, and the terms it is the sum of: (input, local
    derivative, the input's tangent) per edge into it (none for a leaf)."""

    node: Node
    tangent: float
    terms: tuple[tuple[Node, float, float], ...] = ()


def forward_pass(output: Node, wrt: Node) -> list[Tangent]:
    """One pass seeded at ``wrt``: every node below ``output``, inputs first."""
    tangents: dict[Node, float] = {}
    visited = []
    for node in reversed(list(topological_order(output))):  # inputs first
        if node.is_leaf:
            tangents[node] = 1.0 if node is wrt else 0.0
            visited.append(Tangent(node, tangents[node]))
            continue
        terms = tuple((child, local, tangents[child]) for child, local in node.grad)
        tangents[node] = sum(local * t for _, local, t in terms)
        visited.append(Tangent(node, tangents[node], terms))
    return visited


def forward_gradients(output: Node) -> dict[Node, float]:
    """d(output)/d(input) for every input, one forward pass each."""
    return {x: forward_pass(output, x)[-1].tangent for x in inputs_of(output)}


def operation_counts(output: Node, outputs: int = 1) -> dict[str, dict[str, int]]:
    """The work of the whole gradient (the Jacobian, for ``outputs`` outputs of this shape),
    by forward mode (one pass per input) and by reverse mode's topological sweep (one pass
    per output): per pass, one multiplication per edge and one addition per edge beyond the
    first into a node (forward: a node sums over its inputs; reverse: over its users)."""
    nodes = list(topological_order(output))
    edges = sum(len(n.grad) for n in nodes)
    forward_adds = sum(max(len(n.grad) - 1, 0) for n in nodes)
    users: dict[Node, int] = {}
    for n in nodes:
        for child, _ in n.grad:
            users[child] = users.get(child, 0) + 1
    reverse_adds = sum(max(count - 1, 0) for count in users.values())
    inputs = len(inputs_of(output))
    return {"forward": {"passes": inputs, "multiplications": inputs * edges,
                        "additions": inputs * forward_adds},
            "reverse": {"passes": outputs, "multiplications": outputs * edges,
                        "additions": outputs * reverse_adds}}
