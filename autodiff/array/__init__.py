"""Array nodes: a node whose value is a numpy array, on the same registry and backward core.

The post stops at numpy object arrays of scalar nodes; this is the "part two" it promises.
An ``Array`` node holds a whole array, and an op on arrays is one node: the post's linear
layer is seven nodes (x, W, y, ``x @ W``, the difference, its square, the sum) where the
naive version builds about 1,600 scalar ones, every step.

A node's ``.grad`` keeps the seed's shape, ``(input, local derivative)`` pairs, but an
array's local derivative is a *vector–Jacobian product*: a ``VJP`` that, multiplied by the
gradient ``g`` of the node, gives the gradient it passes to that input (``g @ Wᵀ`` for the
``x`` of ``x @ W``). ``local * g`` is all ``backward.route_stack`` and
``backward.topological_sweep`` ever do with a local derivative, so both walks run on array
graphs unchanged, with array-valued routes and contributions.

The rules: elementwise ops reuse the scalar registry's entries (``registry.REGISTRY``), read
with the numpy namespace ``ARRAY`` (``m.cos`` is ``np.cos``), so ``sin``'s derivative is
still said once. Ops whose array form differs (matmul, sum, mean, reshape, transpose,
indexing, and subtraction and division, which the scalar engine builds from ``neg`` and
``inv``) are ``ArraySpec`` entries in ``ARRAY_OPS`` with one gradient rule per input.
Broadcasting follows numpy; the backward pass sums a gradient back over the axes an input
was broadcast along (``unbroadcast``).

Values are checked as each node is built: an entry an op cannot take (log of a
non-positive entry) or a result that is not finite raises the engine's ``DomainError``,
naming the op and the entry. ``check_op`` compares an op's backward pass with central
differences (tests show it catches a wrong rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from math import isfinite
from numbers import Real

import numpy as np

from ..core.backward import topological_sweep
from ..core.graph import snapshot
from ..core.numbers import PLAIN, fmt, shape_text
from ..core.ops import DomainError, Node, ids
from ..core.registry import REGISTRY, OpSpec

__all__ = [
    "ARRAY_OPS", "Array", "ArraySpec", "apply", "check_op", "cos", "exp", "full_text",
    "graph_of", "is_array", "layer", "log", "relu", "sigmoid", "sin", "sqrt", "tanh",
    "training_engine", "unbroadcast",
]

# ---- the numpy namespace a rule's ``m`` can be ----


class NumpyMath:
    """Arrays: the rules of ``registry`` applied elementwise."""

    sin, cos, tan, exp, log, sqrt, tanh = (np.sin, np.cos, np.tan, np.exp, np.log, np.sqrt,
                                           np.tanh)
    abs, sign = staticmethod(np.abs), staticmethod(np.sign)

    @staticmethod
    def pow(x, y):
        return x ** y  # numpy's operator squares with a multiply (np.power(x, 2) is 10× slower)

    @staticmethod
    def sigmoid(x):
        e = np.exp(-np.abs(x))  # two forms, chosen per entry, so exp never overflows
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    @staticmethod
    def relu(x):
        return np.where(x > 0, x, 0.0)

    @staticmethod
    def step(x):
        return (np.asarray(x) > 0).astype(float)

    @staticmethod
    def log_or_zero(x):
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), 0.0)


ARRAY = NumpyMath()


def unbroadcast(grad, shape: tuple) -> np.ndarray:
    """``grad`` summed back to ``shape``: over the leading axes numpy added and the axes of
    length 1 it stretched (a bias added to every row gets the sum of the rows' gradients)."""
    if getattr(grad, "shape", None) == shape:
        return grad
    grad = np.asarray(grad, dtype=float)
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return np.broadcast_to(grad, shape)  # a scalar gradient of a broadcast input


# ---- the op entries ----


@dataclass(frozen=True)
class ArraySpec(OpSpec):
    """An op on arrays: ``OpSpec`` plus one gradient rule per input.

    ``grads[i](m, g, *inputs, out, *params)`` is the gradient passed to input ``i`` when
    the output's gradient is ``g`` (a vector–Jacobian product; broadcasting is undone by
    the caller). ``texts`` says each as text, ``{0}``/``{1}`` for the inputs' labels.
    """

    grads: tuple = ()
    texts: tuple = ()

    def formulas(self, params: tuple = ()) -> tuple[str, ...]:
        if self.texts:
            return self.texts
        return tuple(_times_g(f) for f in OpSpec.formulas(self, params))


def _times_g(local: str) -> str:
    """An elementwise local derivative as a vector–Jacobian product: ``g·cos({0})``
    (``x^1`` read as ``x``: the rule of ``x ** 2`` says ``2·x^1``)."""
    local = re.sub(r"\^1(?![\d.])", "", local)
    if local == "1":
        return "g"
    if local == "-1":
        return "-g"
    return f"g·({local})" if " " in local else f"g·{local}"


def _elementwise(spec: OpSpec) -> ArraySpec:
    """A scalar registry entry served with arrays: g times its local derivative."""
    def rule(i):
        return lambda m, g, *args: g * spec.local(m, *args)[i]

    fields = {f: getattr(spec, f) for f in ("name", "arity", "value", "local", "aliases",
                                            "symbol", "shows", "op", "doc")}
    return ArraySpec(**fields, grads=tuple(rule(i) for i in range(spec.arity)))


def _spread(m, g, x, out, axis, keepdims, scale=1.0):
    """The gradient of a sum over ``axis``: g, put back along the summed axes."""
    g = np.asarray(g, dtype=float)
    if axis is not None and not keepdims:
        g = np.expand_dims(g, _axes(axis, x.ndim))
    if scale != 1.0:
        g = g * scale
    if g.ndim == 0:
        return np.full(x.shape, g)  # a sum of everything: one number, spread
    return np.broadcast_to(g, x.shape)


def _axes(axis, ndim: int) -> tuple[int, ...]:
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


def _count(x, axis) -> int:
    if axis is None:
        return x.size
    return int(np.prod([x.shape[a] for a in _axes(axis, x.ndim)]))


def _index_grad(m, g, x, out, key):
    grad = np.zeros_like(x)
    np.add.at(grad, key, g)  # repeated indices add up, as routes do
    return grad


def _array_spec(name, arity, value, grads, texts, *, symbol="", shows="", doc="") -> ArraySpec:
    return ArraySpec(name, arity, value=value, local=None, symbol=symbol, shows=shows,
                     grads=grads, texts=texts, doc=doc)


ARRAY_OPS: dict[str, ArraySpec] = {
    name: _elementwise(REGISTRY[name])
    for name in ("add", "mul", "neg", "inv", "pow", "powconst", "sin", "cos", "tan", "exp",
                 "log", "sqrt", "tanh", "sigmoid", "relu", "abs")
}
ARRAY_OPS.update({spec.name: spec for spec in (
    _array_spec("sub", 2, lambda m, x, y: x - y,
                (lambda m, g, x, y, out: g, lambda m, g, x, y, out: -g), ("g", "-g"),
                symbol="-", shows="{0} - {1}"),
    _array_spec("div", 2, lambda m, x, y: x / y,
                (lambda m, g, x, y, out: g / y, lambda m, g, x, y, out: -g * out / y),
                ("g/{1}", "-g·{0}/{1}²"), symbol="/", shows="{0} / {1}"),
    _array_spec("matmul", 2, lambda m, x, y: x @ y,
                (lambda m, g, x, y, out: _matmul_grad_left(g, x, y),
                 lambda m, g, x, y, out: _matmul_grad_right(g, x, y)),
                ("g @ {1}ᵀ", "{0}ᵀ @ g"), symbol="@", shows="{0} @ {1}",
                doc="matrix product (numpy's @: 1-d operands are vectors)"),
    _array_spec("sum", 1,
                lambda m, x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
                (_spread,), ("g spread over {0}",), shows="sum({0})"),
    _array_spec("mean", 1, lambda m, x, axis, keepdims: np.mean(x, axis=axis, keepdims=keepdims),
                (lambda m, g, x, out, axis, keepdims:
                 _spread(m, g, x, out, axis, keepdims, 1.0 / _count(x, axis)),),
                ("g/n spread over {0}",), shows="mean({0})"),
    _array_spec("reshape", 1, lambda m, x, shape: np.reshape(x, shape),
                (lambda m, g, x, out, shape: np.reshape(g, x.shape),),
                ("g reshaped",), shows="reshape({0})"),
    _array_spec("transpose", 1, lambda m, x, axes: np.transpose(x, axes),
                (lambda m, g, x, out, axes: np.transpose(
                    g, None if axes is None else np.argsort(axes)),),
                ("gᵀ",), shows="{0}ᵀ"),
    _array_spec("index", 1, lambda m, x, key: x[key], (_index_grad,), ("g placed at the index",),
                shows="{0}[…]"),
)})


def _matmul_grad_left(g, x, y):
    if y.ndim == 1:  # x @ v: out has x's shape without its last axis
        return np.multiply.outer(g, y) if x.ndim > 1 else g * y
    if x.ndim == 1:  # v @ Y: g has Y's shape without its second-to-last axis
        return y @ g
    return g @ np.swapaxes(y, -1, -2)


def _matmul_grad_right(g, x, y):
    if x.ndim == 1:
        return np.multiply.outer(x, g) if y.ndim > 1 else g * x
    return np.swapaxes(x, -1, -2) @ g


# ---- domains: what an op refuses, checked before its value is computed ----

def _first_bad(ok: np.ndarray):
    """The index of the first False entry (a tuple for arrays, () for a scalar)."""
    where = np.argwhere(~np.broadcast_to(ok, ok.shape))
    return tuple(int(i) for i in where[0]) if len(where) else None


def _powconst_ok(x, n):
    if n < 0:
        return x != 0
    if n % 1:
        return x > 0 if 0 < n < 1 else x >= 0
    return None  # a whole power >= 0: every entry


#: op -> (the entries it can take, given its inputs and params, or None for all of them;
#: which input is at fault; why not)
DOMAINS: dict[str, tuple[Callable, int, str]] = {
    "log": (lambda x: x > 0, 0, "log needs entries > 0"),
    "sqrt": (lambda x: x > 0, 0, "sqrt needs entries > 0 (its slope is infinite at 0)"),
    "inv": (lambda x: x != 0, 0, "division by zero"),
    "div": (lambda x, y: y != 0, 1, "division by zero"),
    "pow": (lambda x, y: x > 0, 0, "a power with an array exponent needs a base > 0"),
    "powconst": (_powconst_ok, 0, "the power has no real value or slope there"),
}


def _check_domain(spec: ArraySpec, values: list, params: tuple) -> None:
    test, which, reason = DOMAINS[spec.name]
    ok = test(*values, *params)
    if ok is None:
        return
    ok = np.asarray(ok)
    if not ok.all():
        at = _first_bad(ok)
        value = np.broadcast_to(values[which], ok.shape)[at]
        raise DomainError(spec.node_op, float(value), f"{reason} (entry {_where(at)})")


def _where(at: tuple) -> str:
    return "[" + ", ".join(map(str, at)) + "]" if at else "the only one"


def _check_finite(op: str, out: np.ndarray) -> None:
    """Refuse a result with an entry that is not a finite number. The sum is checked first
    (one pass, no temporary array); only when it is not finite are the entries looked at."""
    if isfinite(np.add.reduce(out, axis=None)):
        return
    finite = np.isfinite(out)
    if not finite.all():
        at = _first_bad(finite)
        raise DomainError(op, float(out[at]),
                          f"the result is too large (not a finite number at entry {_where(at)})")


# ---- the node ----


class ArrayOperators:
    """numpy's operators and reductions, each one array op (numpy's broadcasting). Shared by
    the drawable ``Array`` and the training step's lean node: ``_apply(op name, *inputs,
    params=())`` makes the node, each in its own way."""

    __slots__ = ()
    __array_ufunc__ = None  # numpy arrays defer to us: ndarray + node is a node

    def __add__(self, other): return self._apply("add", self, other)
    def __radd__(self, other): return self._apply("add", other, self)
    def __sub__(self, other): return self._apply("sub", self, other)
    def __rsub__(self, other): return self._apply("sub", other, self)
    def __mul__(self, other): return self._apply("mul", self, other)
    def __rmul__(self, other): return self._apply("mul", other, self)
    def __truediv__(self, other): return self._apply("div", self, other)
    def __rtruediv__(self, other): return self._apply("div", other, self)
    def __matmul__(self, other): return self._apply("matmul", self, other)
    def __rmatmul__(self, other): return self._apply("matmul", other, self)
    def __neg__(self): return self._apply("neg", self)
    def __pos__(self): return self
    def __abs__(self): return self._apply("abs", self)
    def __rpow__(self, other): return self._apply("pow", other, self)

    def __pow__(self, other):
        if isinstance(other, Real) and not isinstance(other, bool):
            return self._apply("powconst", self, params=(other,))
        return self._apply("pow", self, other)

    def __getitem__(self, key):
        return self._apply("index", self, params=(key,))

    def sum(self, axis=None, keepdims: bool = False):
        return self._apply("sum", self, params=(axis, keepdims))

    def mean(self, axis=None, keepdims: bool = False):
        return self._apply("mean", self, params=(axis, keepdims))

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple) else shape
        return self._apply("reshape", self, params=(tuple(shape),))

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], tuple) else axes
        return self._apply("transpose", self, params=(tuple(axes) if axes else None,))

    @property
    def T(self):  # noqa: N802 (numpy's name)
        return self.transpose()


class Array(ArrayOperators, Node):
    """A node whose value is a numpy array of floats. ``Array(values, name)`` is an input."""

    __slots__ = ("op", "symbol", "spec", "params")

    def __init__(self, value, name: str | None = None, *, op: str = "var"):
        value = np.array(value, dtype=float)  # a copy: the node owns its value
        if not np.isfinite(value).all():
            at = _first_bad(np.isfinite(value))
            raise DomainError(op, float(value[at]), f"a value must be finite (entry {_where(at)})")
        self.value, self.grad, self.name, self.id = value, (), name, next(ids)
        self.op, self.symbol, self.spec, self.params, self.uses = op, "", None, (), 0

    @classmethod
    def const(cls, value, name: str | None = None) -> Array:
        return cls(value, name, op="const")

    @property
    def formulas(self) -> tuple[str, ...]:
        return () if self.spec is None else self.spec.formulas(self.params)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    def rebuild(self, inputs) -> Node:
        if self.spec is None:
            return type(self)(self.value, self.name, op=self.op)
        return apply(self.spec, *inputs, params=self.params, name=self.name)

    def _apply(self, name: str, *inputs, params: tuple = ()) -> Array:
        return apply(ARRAY_OPS[name], *inputs, params=params)


class VJP:
    """The local derivative of an array op for one input: ``vjp * g`` is the gradient the
    op passes to that input when its own gradient is ``g`` (summed back over broadcast
    axes). Shown as its rule, e.g. ``g @ Wᵀ``. It holds the op's inputs, never the node
    it belongs to (no reference cycle keeps big arrays alive)."""

    __slots__ = ("context", "index")
    is_vjp = True

    def __init__(self, context: tuple, index: int):
        self.context, self.index = context, index  # (spec, input nodes, their values, out, params)

    def __mul__(self, g):
        return _pass_down(self.context, self.index, g)

    __rmul__ = __mul__

    @property
    def text(self) -> str:
        spec, nodes, _, _, params = self.context
        return spec.formulas(params)[self.index].format(*(_label(n) for n in nodes))

    def __format__(self, _spec: str) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"VJP({self.text})"


def _pass_down(context: tuple, index: int, g) -> np.ndarray:
    """The gradient an op passes to its input ``index`` when its own is ``g``: the op's rule
    for that input, summed back over the axes the input was broadcast along."""
    spec, _, values, out, params = context
    return unbroadcast(spec.grads[index](ARRAY, g, *values, out, *params), values[index].shape)


def as_array(x) -> Array:
    """A node as it is; a number or a numpy array becomes a constant leaf."""
    return x if isinstance(x, Array) else Array.const(x)


def _label(node: Array) -> str:
    return node.name or (f"{node.value:g}" if node.op == "const" and node.ndim == 0 else node.op)


def apply(spec: ArraySpec, *inputs, params: tuple = (), name: str | None = None) -> Array:
    """One node: ``spec`` applied to ``inputs`` (numbers and arrays become constants).

    An overflow is refused as a DomainError; numpy may warn about it first unless the
    caller runs under ``np.errstate`` (the training run does, once per step: a context
    per op would cost as much as a small op itself)."""
    nodes = tuple([x if type(x) is Array else as_array(x) for x in inputs])
    values = tuple([n.value for n in nodes])
    out = _forward(spec, values, params)
    node = Array.__new__(Array)
    node.value, node.name, node.id, node.spec, node.params = out, name, next(ids), spec, params
    node.uses = 0
    for n in nodes:
        n.uses += 1
    node.op = spec.op or spec.name
    node.symbol = f"**{fmt(params[0], PLAIN)}" if spec.name == "powconst" else spec.symbol
    op_context = (spec, nodes, values, out, params)  # shared by the node's local derivatives
    node.grad = [(n, VJP(op_context, i)) for i, n in enumerate(nodes)]
    return node


def _forward(spec: ArraySpec, values: tuple, params: tuple, finite: bool = True) -> np.ndarray:
    """The op's value at ``values``, as an array of floats; a DomainError when an input is
    outside the op's domain or (unless ``finite`` is false) the result is not finite."""
    if spec.name in DOMAINS:
        _check_domain(spec, values, params)
    out = spec.value(ARRAY, *values, *params)
    if type(out) is not np.ndarray or out.dtype.char != "d":
        out = np.asarray(out, dtype=float)
    if finite:
        _check_finite(spec.op or spec.name, out)
    return out


def _unary(name: str) -> Callable[[object], Array]:
    def op(x, name_: str | None = None) -> Array:
        return apply(ARRAY_OPS[name], x, name=name_)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{name} of every entry, one node."
    return op


exp, log, sin, cos, tanh, sqrt, relu, sigmoid = (
    _unary(n) for n in ("exp", "log", "sin", "cos", "tanh", "sqrt", "relu", "sigmoid"))


def matmul(x, y) -> Array:
    return apply(ARRAY_OPS["matmul"], x, y)


def array_sum(x, axis=None, keepdims: bool = False) -> Array:
    return as_array(x).sum(axis, keepdims)


def mean(x, axis=None, keepdims: bool = False) -> Array:
    return as_array(x).mean(axis, keepdims)


# ---- gradients, through the one backward core ----

def grads(output: Array, seed=None) -> dict:
    """d(sum(seed · output))/d(node) for every node below ``output``: the topological sweep
    with array contributions. ``seed`` defaults to ones (for a scalar loss: 1)."""
    seed = np.ones_like(output.value) if seed is None else np.asarray(seed, dtype=float)
    found: dict = {}
    for _ in topological_sweep(output, seed=seed, grads=found, record=False):
        pass
    return found


def check_op(build: Callable[..., Array], *inputs, h: float = 1e-6, rtol: float = 1e-5,
             atol: float = 1e-7, seed: int = 0) -> list[str]:
    """Problems found comparing ``build``'s backward pass with central differences.

    ``out = build(*nodes)`` on input nodes holding ``inputs``; the scalar checked is
    ``sum(r · out)`` for a fixed random ``r`` (so every entry of every input's gradient
    is tested, not only a sum). Empty when every entry agrees.
    """
    arrays = [np.array(x, dtype=float) for x in inputs]
    nodes = [Array(a, name=f"in{i}") for i, a in enumerate(arrays)]
    out = build(*nodes)
    r = np.random.RandomState(seed).standard_normal(out.shape)
    found = grads(out, r)
    problems = []
    for i, a in enumerate(arrays):
        exact = found.get(nodes[i], np.zeros_like(a))
        estimate = np.zeros_like(a)
        for at in np.ndindex(a.shape):
            shifted = []
            for sign in (1, -1):
                moved = [b.copy() for b in arrays]
                moved[i][at] += sign * h
                shifted.append(float(np.sum(r * build(*(Array(b) for b in moved)).value)))
            estimate[at] = (shifted[0] - shifted[1]) / (2 * h)
        if exact.shape != a.shape or not np.allclose(exact, estimate, rtol=rtol, atol=atol):
            problems.append(f"input {i}: backward {np.round(exact, 6).tolist()} but central "
                            f"differences {np.round(estimate, 6).tolist()}")
    return problems


# ---- showing arrays to people: a shape and a few entries ----

def is_array(x) -> bool:
    """An array with at least one axis (0-d arrays and numbers read as numbers)."""
    return isinstance(x, np.ndarray) and x.ndim > 0


def full_text(x) -> str:
    """Every entry (up to a thousand; numpy elides beyond), for a hover."""
    return np.array2string(np.asarray(x), precision=4, threshold=1000, max_line_width=72)


def graph_of(output: Array):
    """The plain graph of a scalar ``output`` (a loss), ready for ``trace.make_trace``.

    ``graph.snapshot`` as for scalar nodes; the output's own local derivatives are then
    applied to its gradient, 1, so they are the arrays d(output)/d(input): the route
    stack starts from routes whose values are arrays, as every later route is.
    """
    if output.value.size != 1:
        raise ValueError(f"the output must be a scalar (a loss), not {shape_text(output.shape)}")
    graph = snapshot(output)
    seed = np.ones_like(output.value)
    nodes = tuple(replace(n, local_derivatives=tuple(d * seed for d in n.local_derivatives))
                  if n.key == graph.output else n for n in graph.nodes)
    return type(graph)(nodes=nodes, output=graph.output, engine=graph.engine)


# ---- the post's layer on arrays: the training engine ----

def layer_loss(x: ArrayOperators, y_true: ArrayOperators,
               weights: ArrayOperators) -> ArrayOperators:
    """The post's squared error of a linear layer: sum((y - x @ W)²), four op nodes
    (``Array`` nodes to draw, or a training step's lean ones)."""
    return ((y_true - x @ weights) ** 2).sum()


def layer(x, y_true, weights) -> tuple[Array, Array]:
    """The loss node of one step for these float arrays, and the weights' node ``W``."""
    x, y = Array(x, "x"), Array(y_true, "y")
    w = Array(weights, "W")
    return layer_loss(x, y, w), w


class _Lean(ArrayOperators):
    """A training step's node: its value and the context its gradient rules read, the one
    a ``VJP`` holds (spec, input nodes, their values, the value, params). No name, id,
    label or ``.grad`` pairs: nothing is drawn of a step, so nothing to draw is built (the
    drawable graph of the same loss is ``layer``'s). The ops, rules and domains are the
    ``Array`` node's; whether a value is finite is checked once, on the loss. Every node
    made is appended to ``tape``, the list its inputs share."""

    __slots__ = ("value", "context", "tape")

    def __init__(self, value: np.ndarray, tape: list, context: tuple | None = None):
        self.value, self.tape, self.context = value, tape, context

    def _apply(self, name: str, *inputs, params: tuple = ()) -> _Lean:
        spec, tape = ARRAY_OPS[name], self.tape
        if len(inputs) == 2 and type(inputs[0]) is type(inputs[1]) is _Lean:  # the usual
            values = (inputs[0].value, inputs[1].value)
        else:
            inputs = tuple([x if type(x) is _Lean else _Lean(np.array(x, dtype=float), tape)
                            for x in inputs])  # a number or numpy array: a constant
            values = tuple([n.value for n in inputs])
        out = _forward(spec, values, params, finite=False)  # the step checks its loss
        node = _Lean(out, tape, (spec, inputs, values, out, params))
        tape.append(node)
        return node


def _tape_gradients(tape: list, output: _Lean, skip: tuple) -> dict:
    """d(output)/d(node) for the nodes on ``tape`` and their inputs but those in ``skip``.

    The tape is in the order the nodes were made, inputs first, so read backwards it is a
    topological order: each node's gradient is final when it is reached, and no counting
    pass is needed. ``skip`` (the data) gets no gradient: x's (g @ Wᵀ) would cost as much
    as the forward product.
    """
    grads = {output: 1.0}  # a loss: one number
    get = grads.get
    for node in reversed(tape):
        g = get(node)
        if g is None:  # not below the output
            continue
        context = node.context
        for i, n in enumerate(context[1]):
            if n not in skip:
                passed = _pass_down(context, i, g)
                before = get(n)
                grads[n] = passed if before is None else before + passed  # routes add up
    return grads


class _ArrayRun:
    def __init__(self, x, y_true, weights):
        self.tape: list = []
        self.x, self.y, self.w = (_Lean(np.array(a, dtype=float), self.tape)
                                  for a in (x, y_true, weights))

    def step(self, lrate: float) -> float:
        self.tape.clear()
        with np.errstate(all="ignore"):  # an overflow is a DomainError, said once
            loss = layer_loss(self.x, self.y, self.w)
            # one check where drawn nodes make four: the loss sums the squares of y - x @ W,
            # so an entry anywhere below it that is not finite makes it not finite
            _check_finite("sum", loss.value)
            found = _tape_gradients(self.tape, loss, (self.x, self.y))
            self.w.value -= lrate * found[self.w]  # in place, as the post updates its weights
        return float(loss.value)

    def weights(self) -> np.ndarray:
        return self.w.value.copy()


class ArrayEngine:
    name, title = "array", "array engine (one node per array op)"

    def start(self, x, y_true, weights) -> _ArrayRun:
        return _ArrayRun(x, y_true, weights)


def training_engine() -> ArrayEngine:
    """The engine ``autodiff.array.training.engines()`` lists as "array"."""
    return ArrayEngine()

