"""Placeholders: a graph built once, evaluated again and again with new input values.

The seed post's engine computes each value as its node is built, so a new value means a
new graph. ``compile_plan(graph)`` turns a built graph into a plain evaluation plan — the
ops in build order, each with the indices of its inputs — whose named inputs are
placeholders: ``plan.evaluate({"a": 5})`` runs the registered rules with plain numbers
(the ``FLOAT`` namespace, the very rules that built the nodes, so every value is the same
float a rebuild gives) and builds no node. ``plan.snapshot(values)`` is the graph as plain
data at those values with the same keys, names and formulas, which is all a trace, a
layout or a view reads::

    plan = compile_plan(compile_program(text).graph)
    graph = plan.snapshot({"a": 5.0, "b": 3.0})   # same keys, new values and local derivatives
    make_trace(graph, "route-stack")              # the backward pass at the new values
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .core.graph import Graph, GraphNode, snapshot
from .core.ops import DomainError, Node, checked_rules

__all__ = ["Plan", "compile_plan", "numerical_gradients", "numerical_gradients_at"]


@dataclass(frozen=True)
class Plan:
    """A graph as an evaluation plan: index ``i`` is ``graph.nodes[i]``."""

    graph: Graph  # the snapshot it was compiled from: keys, names, formulas, symbols
    ops: tuple  # per node: None for a leaf, else (spec, input indices, params)
    leaves: tuple  # per node: a leaf's value when compiled (None for an op)
    inputs: Mapping[str, int]  # input name -> index: the placeholders (named, non-constant)
    output: int

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(n.key for n in self.graph.nodes)

    def evaluate(self, values: Mapping[str, float] | None = None,
                 overrides: Mapping[int, float] | None = None,
                 with_locals: bool = True) -> tuple[list, list | None]:
        """Every node's value (and local derivatives) at ``values`` (input name -> value; an
        input not given keeps its value from the build). ``overrides`` (index -> value)
        holds any node at a value, as a leaf (for central differences). Raises DomainError
        where an op cannot take its inputs, as building the node would."""
        out = list(self.leaves)
        for name, i in self.inputs.items():
            if values and name in values:
                out[i] = _finite(values[name], name)
        local = [()] * len(out) if with_locals else None
        for i, op in enumerate(self.ops):
            if overrides and i in overrides:
                out[i] = overrides[i]
                continue
            if op is None:
                continue
            spec, args, params = op
            xs = [out[j] for j in args]
            out[i], d = checked_rules(spec, xs, params, with_locals)  # as a node being built
            if with_locals:
                local[i] = d
        return out, local

    def value(self, values: Mapping[str, float] | None = None,
              overrides: Mapping[int, float] | None = None) -> float:
        """The output's value at ``values``."""
        return self.evaluate(values, overrides, with_locals=False)[0][self.output]

    def snapshot(self, values: Mapping[str, float] | None = None) -> Graph:
        """The graph at ``values``: the same keys, names and formulas, new values and local
        derivatives; no engine nodes (a trace computes on the plain data)."""
        out, local = self.evaluate(values)
        nodes = []
        for record, value, d in zip(self.graph.nodes, out, local, strict=True):
            if record.value != value or (record.inputs and record.local_derivatives != d):
                # the constructor, positionally: dataclasses.replace is 3x slower
                record = GraphNode(record.key, record.name, record.op, value, record.inputs,
                                   tuple(d), record.formulas, record.symbol)
            nodes.append(record)
        return Graph(nodes=tuple(nodes), output=self.graph.output)

    def index(self, key: str) -> int:
        return self._index[key]

    @property
    def _index(self) -> dict:
        cached = self.__dict__.get("_keys")
        if cached is None:
            cached = {n.key: i for i, n in enumerate(self.graph.nodes)}
            object.__setattr__(self, "_keys", cached)
        return cached


def compile_plan(source: Graph | Node) -> Plan:
    """The plan of a built graph (a snapshot with its engine nodes, or an output node)."""
    graph = source if isinstance(source, Graph) else snapshot(source)
    index = {n.key: i for i, n in enumerate(graph.nodes)}
    ops, leaves, inputs = [], [], {}
    for i, record in enumerate(graph.nodes):
        node = graph.engine[record.key]
        if node.is_leaf:
            ops.append(None)
            leaves.append(node.value)
            if record.op == "var" and record.name is not None and record.key == record.name:
                inputs[record.name] = i
        else:
            ops.append((node.spec, tuple(index[k] for k in record.inputs), node.params))
            leaves.append(None)
    return Plan(graph=graph, ops=tuple(ops), leaves=tuple(leaves), inputs=inputs,
                output=index[graph.output])


def _finite(x, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not -math.inf < x < math.inf:
        raise DomainError("var", x, f"the value of {name} must be a finite number")
    return x


# ---- central differences on a plan: no node is built ----

def numerical_gradients(plan: Plan, values: Mapping[str, float] | None = None,
                        keys=None, h: float = 1e-6) -> dict[str, float]:
    """Central-difference estimate of d(output)/d(node) for each key (default: the inputs),
    as ``numeric.numerical_gradients`` computes it (same step, same one-sided fallbacks),
    by evaluating the plan with one node held at a nudged value."""
    return numerical_gradients_at(plan, list(plan.inputs) if keys is None else keys, h, values)


def numerical_gradients_at(plan: Plan, keys, h: float = 1e-6,
                           values: Mapping[str, float] | None = None) -> dict[str, float]:
    """``numerical_gradients`` for the given keys (its body, shared with numeric.py)."""
    base, _ = plan.evaluate(values, with_locals=False)
    return {key: _estimate(plan, values, base, plan.index(key), h) for key in keys}


def _estimate(plan: Plan, values, base: list, i: int, h: float) -> float:
    x = float(base[i])
    step = h * max(1.0, abs(x))
    sides = []
    for shift in (step, -step):
        try:
            sides.append(plan.value(values, {i: x + shift}))
        except DomainError:
            sides.append(None)
    up, down = sides
    here = base[plan.output]
    if up is not None and down is not None:
        return (up - down) / (2 * step)
    if up is not None:
        return (up - here) / step
    if down is not None:
        return (here - down) / step
    return math.nan
