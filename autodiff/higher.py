"""Gradients as graphs: derivatives of any order, built from the engine's own ops.

``gradients(y, create_graph=True)`` runs the same topological sweep as ``gradients(y)``,
but each local derivative is the op's rule read with the ``NODES`` namespace (``cos(x)``
for ``sin``, the node ``b`` for ``a * b``), so each gradient comes back as a *node*: a
graph that can be stepped, drawn, re-evaluated and differentiated again::

    dy = gradients(y, create_graph=True)
    d2y_da2 = gradients(dy[a])[a]          # a number; create_graph again for a node

Numbers that are constants of the rules (``Add``'s 1, ``Neg``'s -1, a power's exponent)
are multiplied out while the graph is built, so ``d(a + b)/da`` is the constant 1 rather
than ``1 × 1.0``, and a derivative graph holds only the arithmetic that depends on values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from numbers import Real

from .core import backward
from .core.backward import topological_order, topological_sweep
from .core.ops import Add, Const, Mul, Neg, Node
from .core.registry import FLOAT, FUNCTIONS

__all__ = [
    "DerivativeTooLarge", "MAX_ORDER", "NODES", "derivative", "derivative_name", "derivatives",
    "gradient_graphs", "gradients", "hessian", "sign_dependent",
]


class NodeMath:
    """Engine nodes: a rule run on nodes builds its local derivatives as a graph.

    ``m.sin`` is the registered op called ``sin``; the operators are the nodes' own.
    Step and sign are flat (their derivative is 0 wherever it exists), so they are
    constants.
    """

    def __getattr__(self, name: str) -> Callable:
        if name in FUNCTIONS:
            return FUNCTIONS[name][0]
        raise AttributeError(name)

    @staticmethod
    def pow(x, y):
        return x ** y

    @staticmethod
    def step(x):
        return Const(FLOAT.step(x.value))

    @staticmethod
    def sign(x):
        return Const(FLOAT.sign(x.value))

    def log_or_zero(self, x):
        return self.log(x) if x.value > 0 else Const(0.0)


NODES = NodeMath()


#: ops whose local derivative under NODES is a constant chosen by the input's sign (relu's
#: step, abs's sign): a derivative graph through them is right only on that side of 0, so it
#: must be rebuilt, not re-evaluated, when an input value changes
SIGN_DEPENDENT_OPS = frozenset({"relu", "abs"})
#: the highest order the app and the command line offer: each order can double a graph
MAX_ORDER = 6


class _Term:
    """A local derivative or a gradient while the sweep runs: a number or a node.

    Its ``*`` and ``+`` are the sweep's: numbers are folded (1 × g is g, 0 + g is g), and
    only arithmetic on nodes builds nodes.
    """

    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __mul__(self, other: _Term) -> _Term:
        a, b = self.x, other.x
        if isinstance(a, Real) and isinstance(b, Real):
            return _Term(a * b)
        if isinstance(a, Real):
            return _Term(_scale(a, b, number_first=True))
        if isinstance(b, Real):
            return _Term(_scale(b, a, number_first=False))
        return _Term(Mul(a, b))

    def __add__(self, other: _Term) -> _Term:
        a, b = self.x, other.x
        if isinstance(a, Real) and isinstance(b, Real):
            return _Term(a + b)
        if isinstance(a, Real) and a == 0:
            return other
        if isinstance(b, Real) and b == 0:
            return self
        return _Term(Add(a, b))

    def __radd__(self, other) -> _Term:  # the sweep's first `0 + value`
        if isinstance(other, Real) and other == 0:
            return self
        return _Term(other) + self

    def node(self) -> Node:
        return self.x if isinstance(self.x, Node) else Const(float(self.x))


def _scale(number, node: Node, *, number_first: bool):
    if number == 1:
        return node
    if number == -1:
        return Neg(node)
    if number == 0:
        return 0
    return Mul(Const(number), node) if number_first else Mul(node, Const(number))


def node_locals(node: Node) -> tuple:
    """The local derivatives of ``node`` built as nodes (or plain numbers, for constants
    of the rule): the op's registered rule read with the ``NODES`` namespace."""
    if node.is_leaf:
        return ()
    spec = node.spec
    return tuple(spec.local(NODES, *node.inputs, node, *node.params))


def gradients(output: Node, create_graph: bool = False) -> dict:
    """d(output)/d(node) for every node below ``output`` and the output itself: numbers
    (``backward.gradients``), or with ``create_graph`` nodes built from engine ops
    (``gradient_graphs``), which can be differentiated again. ``autodiff.gradients``."""
    return gradient_graphs(output) if create_graph else backward.gradients(output)


def gradient_graphs(output: Node) -> dict:
    """d(output)/d(node) for every node below ``output``, each as a node (a graph of engine
    ops over ``output``'s own graph), from the same ``topological_sweep`` as ``gradients``.
    The output's own gradient is the constant 1.0."""
    built: dict = {}

    def edges(node):  # the sweep asks twice per node (counting, then passing): build once
        pairs = built.get(node)
        if pairs is None:
            pairs = built[node] = [(child, _Term(local)) for child, local
                                   in zip(node.inputs, node_locals(node), strict=True)]
        return pairs

    grads: dict = {}
    for _ in topological_sweep(output, edges, _Term(1.0), grads, record=False):
        pass
    return {node: term.node() for node, term in grads.items()}


class DerivativeTooLarge(ValueError):
    """A derivative's graph would have more nodes than the caller allowed."""


def derivative(output: Node, wrt: Node, order: int = 1, max_nodes: int | None = None) -> Node:
    """The ``order``-th derivative of ``output`` with respect to ``wrt``, as a node
    (``order`` 0 is ``output`` itself; a derivative that does not reach ``wrt`` is 0).
    With ``max_nodes``, DerivativeTooLarge is raised as soon as one order's graph has more
    nodes (each order is checked before the next is built, so the work stays bounded)."""
    if order < 0:
        raise ValueError(f"a derivative's order is 0 or more, not {order}")
    node = output
    for k in range(1, order + 1):
        node = gradient_graphs(node).get(wrt) or Const(0.0)
        if max_nodes is not None:
            size = sum(1 for _ in topological_order(node))
            if size > max_nodes:
                raise DerivativeTooLarge(
                    f"the derivative of order {k} is a graph of {size:,} nodes, more than "
                    f"the {max_nodes:,} allowed: choose a lower order or a smaller program")
    return node


def derivative_name(output: str, wrt: str, order: int) -> str:
    """How the graph of a derivative is called: ``dy_da``, ``d2y_da2``."""
    power = "" if order == 1 else str(order)
    return f"d{power}{output}_d{wrt}{power}"


def derivatives(output: Node, wrt: Node, order: int) -> list[Node]:
    """``[output, d/dwrt, d²/dwrt², ...]`` up to ``order``, each built from the one before."""
    chain = [output]
    for _ in range(order):
        chain.append(gradient_graphs(chain[-1]).get(wrt) or Const(0.0))
    return chain


def hessian(output: Node, inputs: Iterable[Node]) -> dict:
    """Second derivatives ``{(a, b): d²output/da db}`` of every pair of ``inputs`` (numbers):
    the first gradients as graphs, then the ordinary sweep on each."""
    inputs = list(inputs)
    first = gradient_graphs(output)
    table = {}
    for a in inputs:
        row = backward.gradients(first[a]) if a in first else {}
        for b in inputs:
            table[(a, b)] = float(row.get(b, 0.0))
    return table


def sign_dependent(graph) -> bool:
    """Does a derivative graph of ``graph`` (a snapshot) hold a constant chosen by an input's
    sign? relu's step, abs's sign, and a variable power's log at a base of 0 do."""
    return any(n.op in SIGN_DEPENDENT_OPS or (n.op == "pow" and len(n.inputs) == 2)
               for n in graph.nodes)
