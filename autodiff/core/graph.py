"""The graph as plain data: what the traces, the exports and the views read.

``snapshot(output)`` turns engine nodes into frozen records with *keys* that are
the same every time the same program is built (names where the program names a
node, otherwise the op and a number counted in build order), so layouts, URLs and
exported JSON stay stable across reruns and sessions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .backward import topological_order
from .numbers import fmt
from .ops import Const, Node

__all__ = ["Graph", "GraphNode", "assign_keys", "snapshot"]


@dataclass(frozen=True)
class GraphNode:
    key: str  # unique and stable within one build
    name: str | None  # the program's name for it, if any
    op: str  # "var", "const", "add", "mul", ...
    value: float
    inputs: tuple[str, ...]  # keys of the inputs, in the op's order (may repeat: x*x)
    local_derivatives: tuple[float, ...]  # one per input, the seed's .grad numbers
    formulas: tuple[str, ...]  # one per input, e.g. "c" for ∂d/∂a when d = a*c
    symbol: str = ""  # the op as it reads in a formula, e.g. "*" or "**2"

    @property
    def is_leaf(self) -> bool:
        return not self.inputs

    @property
    def is_constant(self) -> bool:
        return self.op == "const"


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]  # build order: every input before the nodes that use it
    output: str  # key of the output node
    engine: dict = field(default_factory=dict, compare=False, repr=False)  # key -> Node

    def __getitem__(self, key: str) -> GraphNode:
        return self._by_key[key]

    @cached_property  # kept in the instance's __dict__: a frozen dataclass allows it
    def _by_key(self) -> dict:
        return {n.key: n for n in self.nodes}

    def key_of(self, node: Node) -> str:
        return self.keys_by_node[node]

    @cached_property
    def keys_by_node(self) -> dict:
        """Engine node -> key (the inverse of ``engine``)."""
        return {node: key for key, node in self.engine.items()}

    def users(self, key: str) -> tuple[str, ...]:
        """Keys of the nodes that take ``key`` as an input (each once, build order)."""
        return tuple(n.key for n in self.nodes if key in n.inputs)


def assign_keys(nodes_in_build_order: list) -> dict:
    """Node -> key: one name per thing, whatever the program rebinds.

    An input (a leaf the program names, ``y = 0.1``) is keyed by its own name, the name in
    its number field. Other named nodes take their name the first time it is free and,
    when a program rebinds a name, the later nodes take ``y_1``, ``y_2``, … in build
    order: in ``y = 0.1`` followed by ``y = y*y + y`` three times the input is ``y`` and
    the output, the last binding, is ``y_3``. Unnamed nodes get ``mul1``, ``add2``, …
    Generated keys never take a key already in use.
    """
    named = [n for n in nodes_in_build_order if n.name is not None]
    owner: dict = {}  # name -> the one node keyed by the plain name
    for node in named:
        if node.op == "var":
            owner.setdefault(node.name, node)
    for node in named:
        owner.setdefault(node.name, node)
    taken = set(owner)
    counters: Counter = Counter()  # per stem: op names, and name + "_"

    def fresh(stem: str) -> str:
        while True:
            counters[stem] += 1
            candidate = f"{stem}{counters[stem]}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    keys = {}
    for node in nodes_in_build_order:
        if node.name is None:
            keys[node] = fresh(node.op)
        else:
            keys[node] = node.name if owner[node.name] is node else fresh(node.name + "_")
    return keys


def snapshot(output: Node) -> Graph:
    """The graph below ``output`` as plain, frozen data with stable keys."""
    order = sorted(topological_order(output), key=lambda n: n.id)  # build order
    keys = assign_keys(order)
    records = []
    for node in order:
        inputs = tuple(keys[child] for child in node.inputs)
        labels = [_label(child, keys) for child in node.inputs]
        formulas = tuple(f.format(*labels) for f in node.formulas)
        records.append(GraphNode(
            key=keys[node], name=node.name, op=node.op, value=node.value, inputs=inputs,
            local_derivatives=node.local_derivatives, formulas=formulas, symbol=node.symbol))
    return Graph(nodes=tuple(records), output=keys[output],
                 engine={keys[node]: node for node in order})


def _label(node: Node, keys: dict) -> str:
    """An input as a formula names it: a constant by its value, written as the page writes
    numbers (``fmt``'s ``DISPLAY``), so a hover formula and a node's label agree."""
    if isinstance(node, Const):
        return fmt(node.value)
    return keys[node]
