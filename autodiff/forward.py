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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .core.backward import Edges, engine_edges, topological_order
from .core.ops import Node
from .numeric import inputs_of

__all__ = ["Tangent", "forward_gradients", "forward_pass", "graph_operation_counts",
           "operation_counts", "pass_costs", "tangent_sweep"]


@dataclass(frozen=True)
class Tangent:
    """A node's tangent in one pass, and the terms it is the sum of: (input, local
    derivative, the input's tangent) per edge into it (none for a leaf)."""

    node: Node
    tangent: float
    terms: tuple[tuple[Node, float, float], ...] = ()


def tangent_sweep(order: Iterable, seeded, edges: Edges = engine_edges) -> Iterator[tuple]:
    """One pass, written once (the engine's and the stepped trace's, autodiff.trace):
    visit the nodes of ``order`` (every input before its users) and yield ``(node,
    tangent, terms)``, ``terms`` one ``(input, local, input's tangent)`` per edge in the
    op's order. A leaf's tangent is 1 if it is ``seeded``, else 0 (constants too); a
    node's is the sum of local × input's tangent, added left to right from 0."""
    tangents: dict = {}
    for node in order:
        pairs = edges(node)
        if not pairs:
            tangent = tangents[node] = 1.0 if node == seeded else 0.0
            yield node, tangent, ()
            continue
        terms = tuple((child, local, tangents[child]) for child, local in pairs)
        tangent = 0
        for _, local, t in terms:
            tangent = tangent + local * t
        tangents[node] = tangent
        yield node, tangent, terms


def forward_pass(output: Node, wrt: Node) -> list[Tangent]:
    """One pass seeded at ``wrt``: every node below ``output``, inputs first."""
    order = reversed(list(topological_order(output)))  # inputs first
    return [Tangent(node, tangent, terms) for node, tangent, terms in tangent_sweep(order, wrt)]


def forward_gradients(output: Node) -> dict[Node, float]:
    """d(output)/d(input) for every input, one forward pass each."""
    return {x: forward_pass(output, x)[-1].tangent for x in inputs_of(output)}


def operation_counts(output: Node, outputs: int = 1,
                     inputs: int | None = None) -> dict[str, dict[str, int]]:
    """The work of the whole gradient (the Jacobian, for ``outputs`` outputs of this shape),
    by forward mode (one pass per input) and by reverse mode's topological sweep (one pass
    per output): per pass, one multiplication per edge and one addition per edge beyond the
    first into a node (forward: a node sums over its inputs; reverse: over its users).
    ``inputs`` (default: the graph's own) asks what a graph of this shape would cost with
    that many inputs, each pass still touching every edge once."""
    return pass_costs([[child for child, _ in n.grad] for n in topological_order(output)],
                      len(inputs_of(output)) if inputs is None else inputs, outputs)


def graph_operation_counts(graph, outputs: int = 1,
                           inputs: int | None = None) -> dict[str, dict[str, int]]:
    """``operation_counts`` on a graph's plain data (``autodiff.core.graph.Graph``, what the
    traces step: a re-evaluated graph has no engine nodes), its inputs being its ``var``
    nodes unless ``inputs`` says how many."""
    count = sum(n.op == "var" for n in graph.nodes) if inputs is None else inputs
    return pass_costs([n.inputs for n in graph.nodes], count, outputs)


def pass_costs(inputs_per_node: Iterable[list], inputs: int,
               outputs: int = 1) -> dict[str, dict[str, int]]:
    """``operation_counts`` on a graph given as each node's list of inputs (any hashable
    names: engine nodes, or the keys of a graph's plain data), for ``inputs`` forward
    passes and ``outputs`` reverse ones."""
    edges = forward_adds = 0
    users: dict = {}
    for children in inputs_per_node:
        edges += len(children)
        forward_adds += max(len(children) - 1, 0)
        for child in children:
            users[child] = users.get(child, 0) + 1
    reverse_adds = sum(max(count - 1, 0) for count in users.values())
    return {"forward": {"passes": inputs, "multiplications": inputs * edges,
                        "additions": inputs * forward_adds},
            "reverse": {"passes": outputs, "multiplications": outputs * edges,
                        "additions": outputs * reverse_adds}}
