"""autodiff: the seed post's reverse-mode automatic differentiation, faithful and fast.

    >>> from autodiff import *
    >>> a = Var(4); b = Var(3)
    >>> c = Add(a, b); d = Mul(a, c)
    >>> gradients_ = get_gradients(d)
    >>> d.value, gradients_[a], gradients_[b], gradients_[c]
    (28, 11, 4, 4)

Pure Python (numpy only where it helps); it never imports Streamlit or pyvis.
"""

from . import ops as _ops
from .backward import (
    RouteLimitError,
    count_pops,
    count_routes,
    get_gradients,
    topological_order,
)
from .higher import gradients
from .nodes import DomainError, Node
from .numeric import check_gradients, evaluate, numerical_gradients
from .ops import Const, Var, define
from .registry import CLASSES, REGISTRY, OpSpec, exported_functions, register

# The op classes (Add, Mul, ..., PowConst) and their lowercase forms (sin, ...), read from
# the registry so that a name is listed in one place only.
_OP_EXPORTS = {cls.__name__: cls for cls in CLASSES.values()}
_OP_EXPORTS.update({f: getattr(_ops, f) for f in exported_functions()})
globals().update(_OP_EXPORTS)

__all__ = [
    "Var", "Const", *_OP_EXPORTS,
    "get_gradients", "gradients", "topological_order", "count_routes", "count_pops",
    "numerical_gradients", "check_gradients", "evaluate",
    "Node", "DomainError", "RouteLimitError",
    "OpSpec", "REGISTRY", "register", "define",
]
