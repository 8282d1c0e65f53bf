"""Numerical gradients by central differences: the check on every derivative rule.

The graph is re-evaluated with one node's value nudged up and down (compiled once into
a plan, ``placeholder.py``, so no node is built); (f(x + h) - f(x - h)) / 2h then estimates
d(output)/d(node) with error O(h²) (the post's forward difference is O(h)).
"""

from __future__ import annotations

import math
from numbers import Real

from .core.backward import gradients, topological_order
from .core.ops import Const, Node, Var
from .core.registry import spec_of
from .placeholder import compile_plan, numerical_gradients_at

__all__ = [
    "AGREE_ATOL", "AGREE_RTOL", "agree", "check_gradients", "evaluate", "inputs_of", "kinks",
    "kinks_above", "numerical_gradients",
]

#: When an engine gradient and a central-difference estimate agree: the one tolerance of the
#: project (check_gradients, and the app's "agree" column). A central difference with
#: h = 1e-6 is good to about 1e-8 relative; 1e-4 leaves room for curved ops, and the absolute
#: part covers gradients that are zero, where any relative tolerance is too strict.
AGREE_RTOL = 1e-4
AGREE_ATOL = 1e-6


def agree(exact: float | None, estimate: float | None, rtol: float = AGREE_RTOL,
          atol: float = AGREE_ATOL) -> bool:
    """Do the two numbers agree within the tolerance? None or nan never agrees."""
    if exact is None or estimate is None:
        return False
    return math.isclose(exact, estimate, rel_tol=rtol, abs_tol=atol)  # nan: False


def kinks(graph) -> dict[str, str]:
    """Key -> why, for every node of ``graph`` (a ``graph.Graph``) whose inputs sit where
    its op has no derivative (relu or abs at 0, the ops' ``kink`` rule). There the engine's
    local derivative is a choice, and a central difference, which averages the slopes on
    both sides, need not agree with it. Array values (the array engine's) are not checked."""
    found = {}
    for node in graph.nodes:
        spec = spec_of(node.op, len(node.inputs))
        if spec is None or spec.kink is None:
            continue
        values = [graph[k].value for k in node.inputs]
        if not all(isinstance(v, Real) for v in values):
            continue
        why = spec.kink(*values, *getattr(graph.engine.get(node.key), "params", ()))
        if why:
            found[node.key] = why
    return found


def kinks_above(graph, key: str, found: dict[str, str]) -> list[str]:
    """The nodes of ``found`` (``kinks``) on a route from the output down to ``key``, in
    build order (``key``'s own kink aside: it does not change d(output)/d(key))."""
    if not found:
        return []
    users: dict[str, list[str]] = {}
    for node in graph.nodes:
        for child in dict.fromkeys(node.inputs):
            users.setdefault(child, []).append(node.key)
    above, frontier = set(), [key]
    while frontier:  # every node that uses key, directly or not
        child = frontier.pop()
        for user in users.get(child, ()):
            if user not in above:
                above.add(user)
                frontier.append(user)
    return [n.key for n in graph.nodes if n.key in above and n.key in found]


def evaluate(output: Node, overrides: dict, order: list | None = None) -> float:
    """The output's value with some nodes' values replaced (they act as leaves).

    ``order`` is ``list(topological_order(output))``, for callers that evaluate the same
    graph many times (two nudges per node) and should sort it only once."""
    if order is None:
        order = list(topological_order(output))
    rebuilt: dict = {}
    for node in reversed(order):  # inputs first
        if node in overrides:
            rebuilt[node] = Var(overrides[node])
        elif node.is_leaf:
            rebuilt[node] = node
        else:
            rebuilt[node] = node.rebuild([rebuilt[child] for child in node.inputs])
    return rebuilt[output].value


def inputs_of(output: Node) -> list:
    """The non-constant leaves below ``output``, in the order they were built."""
    leaves = [n for n in topological_order(output) if n.is_leaf and not isinstance(n, Const)]
    return sorted(leaves, key=lambda n: n.id)


def numerical_gradients(output: Node, h: float = 1e-6, wrt=None) -> dict:
    """Central-difference estimate of d(output)/d(node) for each node in ``wrt``.

    ``wrt`` defaults to every input (non-constant leaf); any node below the output
    may be given, and is then nudged with its own inputs held fixed. The step is
    ``h`` scaled by the node's size. Where one side of the nudge is outside an op's
    domain, a one-sided difference is used; where both are, the estimate is nan.
    """
    nodes = inputs_of(output) if wrt is None else list(wrt)
    # The graph compiled once into a plan (placeholder.py) and evaluated with one node held
    # at a nudged value: the same floats as rebuilding the nodes above it, no node built.
    plan = compile_plan(output)
    keys = plan.graph.keys_by_node
    estimates = numerical_gradients_at(plan, [keys[n] for n in nodes if n in keys], h)
    return {node: estimates[keys[node]] if node in keys else 0.0 for node in nodes}


def check_gradients(output: Node, rtol: float = AGREE_RTOL, atol: float = AGREE_ATOL,
                    h: float = 1e-6) -> list:
    """The inputs whose engine gradient and numerical estimate disagree.

    Returns ``[(node, engine, numerical), ...]``; empty means every rule checked out.
    """
    engine = gradients(output)
    wrong = []
    for node, estimate in numerical_gradients(output, h=h).items():
        exact = engine.get(node, 0.0)
        if not agree(exact, estimate, rtol, atol):
            wrong.append((node, exact, estimate))
    return wrong
