"""autodiff: the seed post's reverse-mode automatic differentiation, faithful and fast.

    >>> from autodiff import *
    >>> a = Var(4); b = Var(3)
    >>> c = Add(a, b); d = Mul(a, c)
    >>> gradients_ = get_gradients(d)
    >>> d.value, gradients_[a], gradients_[b], gradients_[c]
    (28, 11, 4, 4)

Pure Python (numpy only where it helps); it never imports Streamlit or pyvis.
"""

from .core.backward import (
    RouteLimitError,
    count_pops,
    count_routes,
    get_gradients,
    topological_order,
)
from .core.ops import (
    Abs,
    Add,
    Const,
    Cos,
    DomainError,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Node,
    Pow,
    PowConst,
    Relu,
    Sigmoid,
    Sin,
    Sqrt,
    Tan,
    Tanh,
    Var,
    cos,
    define,
    exp,
    log,
    relu,
    sigmoid,
    sin,
    sqrt,
    tan,
    tanh,
)
from .core.registry import REGISTRY, OpSpec, register
from .higher import gradients
from .numeric import check_gradients, evaluate, numerical_gradients

# every op class and lowercase form the registry has (tests/engine/test_ops.py checks it)
__all__ = [
    "Var", "Const", "Add", "Mul", "Neg", "Inv", "Sin", "Cos", "Tan", "Exp", "Log", "Sqrt",
    "Tanh", "Sigmoid", "Relu", "Abs", "PowConst", "Pow",
    "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "relu",
    "get_gradients", "gradients", "topological_order", "count_routes", "count_pops",
    "numerical_gradients", "check_gradients", "evaluate",
    "Node", "DomainError", "RouteLimitError",
    "OpSpec", "REGISTRY", "register", "define",
]
