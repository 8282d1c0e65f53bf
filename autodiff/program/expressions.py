"""Pass one, expressions: each allowed expression becomes steps of a ``Description``.

Only the node types in ``ExpressionWalk.expressions`` are accepted (an allow-list, as
simpleeval does); every other one is refused with a plain reason. The walk counts what a
build would cost — engine nodes, expression parts visited, nesting — through every inlined
call, so the limits are checked here and building needs none.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.numbers import PLAIN, fmt
from ..core.ops import Add, Inv, Mul, Neg, Node, Pow, PowConst
from .ir import Call, Expression, Number, ReadInput, Ref, Step, Where
from .text import (
    MAX_ABS_NUMBER,
    MAX_DEPTH,
    MAX_NAME_CHARS,
    MAX_NODES,
    MAX_STEPS,
    ProgramError,
    Source,
)

__all__ = [
    "ExpressionWalk", "Function", "LimitError", "Scope", "Steps", "Vocabulary", "calls",
    "name_problem", "number_of",
]

SKIPPED_CALLS = ("print", "get_gradients")  # lines that only call these are skipped

# Operators the language has, and plain words for the ones it refuses.
_BINARY_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
    ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
}  # fmt: skip
_REFUSED_BINARY = {
    ast.FloorDiv: "`//` (floor division) is not allowed: use `/`",
    ast.Mod: "`%` (remainder) is not allowed",
    ast.MatMult: "`@` (matrix product) is not allowed: values are single numbers",
}
_REFUSED_UNARY = {
    ast.Not: "`not` is not allowed: values are numbers, not true/false",
    ast.Invert: "`~` is not allowed",
}
REFUSED_EXPRESSIONS = {
    ast.Attribute: "attributes are not allowed",
    ast.Subscript: "indexing (`x[...]`) is not allowed",
    ast.Lambda: "`lambda` is not allowed: define a function with `def`",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "`:=` is not allowed: put the assignment on its own line",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Compare: "comparisons are not allowed: values are numbers, not true/false",
    ast.BoolOp: "`and` / `or` are not allowed",
    ast.IfExp: "`... if ... else ...` is not allowed",
    ast.Starred: "`*` unpacking is not allowed",
    ast.List: "lists are not allowed: a value is one number",
    ast.Tuple: "tuples are not allowed: a value is one number",
    ast.Set: "sets are not allowed: a value is one number",
    ast.Dict: "dicts are not allowed: a value is one number",
    ast.Await: "`await` is not allowed",
    ast.Yield: "`yield` is not allowed",
    ast.YieldFrom: "`yield` is not allowed",
    ast.Slice: "slices are not allowed",
}


@dataclass(frozen=True)
class Vocabulary:
    """The functions a program may call: name -> (op, arity), and how to list them."""

    functions: Mapping[str, tuple[Callable[..., Node], int]]
    listed: str  # "Var, Add, Mul, ..." for messages

    @property
    def reserved(self) -> frozenset[str]:
        return frozenset(self.functions) | {"Var", *SKIPPED_CALLS}


@dataclass
class Function:
    name: str
    params: tuple[str, ...]
    body: list[ast.stmt]  # the last one is the return
    functions: dict[str, Function]  # what it may call: functions defined above it
    line: int


@dataclass
class Scope:
    names: dict[str, Ref]  # what each name is bound to here
    functions: dict[str, Function]
    function: str | None = None  # the function whose body this is; None at the top level


class LimitError(ProgramError):
    """A limit on what the program builds (nodes, steps, depth through inlined calls).

    Pass one finds it and stops describing there; building raises it when it reaches that
    point, after any value error in the steps before it, and only once the rest of the
    text has been checked, so the order of errors is what it was when limits were counted
    while building."""


class Steps:
    """Where the walk writes steps. ``Steps(counted=False)`` is a scratch list for checking
    a function's body once where it is defined: it counts nothing and inlines no call."""

    def __init__(self, counted: bool = True):
        self.counted = counted
        self.steps: list[Step] = []
        self.constants: set[int] = set()  # steps built from numbers only (for `**`)

    def add(self, expression: Expression, name: str | None, where: Where) -> Ref:
        ref = Ref(len(self.steps))
        self.steps.append(Step(expression, name, where))
        kind = type(expression)
        if kind is Number or (kind is Call and expression.args and all(
                a.index in self.constants for a in expression.args)):
            self.constants.add(ref.index)
        return ref


class ExpressionWalk:
    """The expression half of pass one; ``check.ProgramWalk`` adds the lines."""

    def __init__(self, source: Source, vocabulary: Vocabulary):
        self.source = source
        self.vocabulary = vocabulary
        self.out = Steps()
        self.calls: list[tuple[str, int]] = []  # the inlined calls being walked, outermost first
        self.nodes = self.visits = self.depth = 0
        self.expressions = {  # the allow-list: every other node type is refused
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.BinOp: self._binary,
            ast.UnaryOp: self._unary,
            ast.Call: self._call,
        }

    # -- hooks the statement half provides --

    def free_input(self, node: ast.Name, scope: Scope) -> Ref:
        raise NotImplementedError

    def inline(self, function: Function, args: list[Ref], call: ast.Call,
               name: str | None) -> Ref:
        raise NotImplementedError

    # -- expressions --

    def expr(self, node: ast.expr, scope: Scope, name: str | None = None) -> Ref:
        """The step of an expression; ``name`` goes to the step it makes last."""
        self.depth += 1
        self.visits += 1
        try:
            if self.depth > MAX_DEPTH:
                error = self.source.error_at(
                    node, f"the expression is nested more than {MAX_DEPTH} deep (brackets, "
                          "function calls and operands on the right, as in `a ** b ** c`, "
                          "count; a flat chain like `a + b + c` does not)")
                raise _as_limit(error) if self.calls else error  # deep only when inlined
            if self.out.counted and self.visits > MAX_STEPS:
                raise _as_limit(self.source.error_at(
                    node, f"the program takes more than {MAX_STEPS:,} steps to build: do "
                          "functions call each other too many times?"))
            handler = self.expressions.get(type(node))
            if handler is None:
                raise self.refusal(node)
            return handler(node, scope, name)
        finally:
            self.depth -= 1

    def refusal(self, node: ast.AST) -> ProgramError:
        reason = REFUSED_EXPRESSIONS.get(type(node), f"{type(node).__name__} is not allowed")
        return self.source.error_at(node, f"`{self.source.segment(node)}`: {reason}")

    def _constant(self, node: ast.Constant, scope: Scope, name: str | None) -> Ref:
        return self.make(Number(self.number_value(node)), name, node)

    def number_value(self, node: ast.expr) -> float:
        """The float of a number literal (or a signed one), within the limits."""
        value = number_of(node)
        if value is None:
            raw = node.value if isinstance(node, ast.Constant) else None
            if isinstance(raw, bool):
                reason = "`True` and `False` are not numbers here"
            elif isinstance(raw, str):
                reason = "text in quotes is not allowed"
            elif isinstance(raw, complex):
                reason = "complex numbers are not allowed"
            else:
                reason = "only numbers are allowed here"
            raise self.source.error_at(node, f"`{self.source.segment(node)}`: {reason}")
        if not abs(value) <= MAX_ABS_NUMBER:  # compares ints of any size without converting
            raise self.source.error_at(
                node, f"`{self.source.segment(node)}` is too large: numbers must be between "
                      f"-{fmt(MAX_ABS_NUMBER, PLAIN)} and {fmt(MAX_ABS_NUMBER, PLAIN)}")
        return float(value)

    def _name(self, node: ast.Name, scope: Scope, name: str | None) -> Ref:
        ident = node.id
        if ident in scope.names:
            return scope.names[ident]  # an alias: `z = a` names no new node
        self.check_name(node)
        if ident in self.vocabulary.functions or ident in scope.functions:
            raise self.source.error_at(node, f"`{ident}` is a function: call it, "
                                             f"like `{ident}(x)`")
        if ident in self.vocabulary.reserved:
            raise self.source.error_at(node, f"`{ident}` can only be called on a line of "
                                             "its own")
        if scope.function is not None:
            raise self.source.error_at(
                node, f"`{ident}` is not defined in `{scope.function}`: a function sees only "
                      "its parameters and its own lines; pass it as a parameter")
        return self.free_input(node, scope)

    def check_name(self, node: ast.Name) -> None:
        problem = name_problem(node.id, reserved=())
        if problem:
            raise self.source.error_at(node, f"`{self.source.segment(node)}`: {problem}")

    def check_new_name(self, target: ast.Name, scope: Scope) -> None:
        self.check_name(target)
        if target.id in self.vocabulary.reserved:
            raise self.source.error_at(target, f"`{target.id}` is the name of a built-in "
                                               "function: pick another name")
        # Inside a function a local may shadow a function's name, as in the post.
        if scope.function is None and target.id in scope.functions:
            line = scope.functions[target.id].line
            raise self.source.error_at(target, f"`{target.id}` is a function (line {line}): "
                                               "pick another name")

    def _binary(self, node: ast.BinOp, scope: Scope, name: str | None) -> Ref:
        """``left OP right``. A chain such as ``x1 + x2 + ... + x1000`` is a spine of left
        operands in the tree; it is walked in a loop, in the order recursion would take,
        so a flat chain is not nesting: only brackets, calls and right operands go deeper."""
        spine = [node]
        while True:
            self._check_operator(spine[-1])
            if not isinstance(spine[-1].left, ast.BinOp):
                break
            spine.append(spine[-1].left)
            self.visits += 1  # each part of the chain is an expression part visited
        value = self.expr(spine[-1].left, scope)
        for part in reversed(spine):
            right = self.expr(part.right, scope)
            value = self.apply(part.op, value, right, name if part is node else None, part)
        return value

    def _check_operator(self, node: ast.BinOp) -> None:
        if type(node.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            symbol = _BINARY_SYMBOLS.get(type(node.op), "this operator")
            reason = _REFUSED_BINARY.get(type(node.op), f"`{symbol}` is not allowed")
            line, column = self._operator_position(node)
            raise self.source.error(reason, line, column)

    def apply(self, op: ast.operator, left: Ref, right: Ref, name: str | None,
              at: ast.AST) -> Ref:
        # As the seed's operators do: a - b is Add(a, Neg(b)) and a / b is Mul(a, Inv(b)),
        # so the graph and every float rounding match the post's printed numbers.
        kind = type(op)
        if kind is ast.Add:
            return self.make(Call(Add, (left, right)), name, at)
        if kind is ast.Sub:
            negated = self.make(Call(Neg, (right,)), None, at)
            return self.make(Call(Add, (left, negated)), name, at)
        if kind is ast.Mult:
            return self.make(Call(Mul, (left, right)), name, at)
        if kind is ast.Div:
            inverted = self.make(Call(Inv, (right,)), None, at)
            return self.make(Call(Mul, (left, inverted)), name, at)
        if kind is ast.Pow:
            return self.make(Call(_power_op(right, self.out), (left, right)), name, at)
        symbol = _BINARY_SYMBOLS.get(kind, "this operator")
        raise self.source.error_at(at, f"`{symbol}=` is not allowed")

    def _operator_position(self, node: ast.BinOp) -> tuple[int, int]:
        """Where the operator of ``left OP right`` is typed (after the left side's brackets)."""
        line = node.left.end_lineno or node.lineno
        text = self.source.python.split("\n")[line - 1]
        column = node.left.end_col_offset or 0
        while column < len(text) and text[column] in " \t)":
            column += 1
        if column >= len(text):
            return node.lineno, self.source.column(node.lineno, node.col_offset)
        return line, self.source.column(line, column)

    def _unary(self, node: ast.UnaryOp, scope: Scope, name: str | None) -> Ref:
        if isinstance(node.op, ast.UAdd):
            return self.expr(node.operand, scope, name)
        if not isinstance(node.op, ast.USub):
            raise self.source.error_at(node, _REFUSED_UNARY.get(type(node.op), "not allowed"))
        if number_of(node) is not None:  # -2.5 is one constant, not Neg(2.5)
            return self.make(Number(self.number_value(node)), name, node)
        operand = self.expr(node.operand, scope)
        return self.make(Call(Neg, (operand,)), name, node)

    def _call(self, node: ast.Call, scope: Scope, name: str | None) -> Ref:
        ident = self._callee(node, scope)
        if ident in scope.functions:
            function = scope.functions[ident]
            self._arity(node, ident, len(function.params))
            args = [self.expr(arg, scope) for arg in node.args]
            if not self.out.counted:  # its body was checked where it was defined
                return self.out.add(Number(0.0), None, self.where(node))
            return self.inline(function, args, node, name)
        if ident in self.vocabulary.functions:
            op, arity = self.vocabulary.functions[ident]
            self._arity(node, ident, arity)
            args = tuple(self.expr(arg, scope) for arg in node.args)
            if op is Pow:  # the class form of `**`: the same rule for its exponent
                op = _power_op(args[1], self.out)
            return self.make(Call(op, args), name, node)
        if ident == "Var":
            raise self.source.error_at(node, "`Var(...)` makes an input: write it on a line "
                                             "of its own, like `a = Var(4)`")
        if ident in SKIPPED_CALLS:
            raise self.source.error_at(node, f"`{ident}(...)` can only be on a line of its own")
        raise self.source.error_at(
            node.func, f"`{ident}` is not a function here: use {self.vocabulary.listed}, "
                       "or one you define above with `def`")

    def _callee(self, node: ast.Call, scope: Scope) -> str:
        """The name a call calls, once the call's form is allowed."""
        func = node.func
        if not isinstance(func, ast.Name):
            if type(func) in REFUSED_EXPRESSIONS:
                raise self.refusal(func)
            raise self.source.error_at(node, f"`{self.source.segment(node)}`: only functions "
                                             "called by name are allowed, like `sin(x)`")
        if node.keywords:
            keyword = node.keywords[0]
            shown = f"`{keyword.arg}=`" if keyword.arg else "`**`"
            raise self.source.error_at(keyword, f"`{self.source.segment(node)}`: keyword "
                                                f"arguments ({shown}) are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refusal(arg)
        self.check_name(func)
        if func.id in scope.names:
            raise self.source.error_at(func, f"`{func.id}` is a value here, not a function")
        if func.id == scope.function:
            raise self.source.error_at(func, f"`{func.id}` cannot call itself (no recursion)")
        return func.id

    def _arity(self, node: ast.Call, ident: str, arity: int) -> None:
        if len(node.args) != arity:
            noun = "argument" if arity == 1 else "arguments"
            raise self.source.error_at(node, f"`{ident}` takes {arity} {noun}, "
                                             f"got {len(node.args)}")

    # -- steps --

    def make(self, expression: Expression, name: str | None, at: ast.AST) -> Ref:
        """One step (one engine node when built), counted against MAX_NODES."""
        if self.out.counted:
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise _as_limit(self.source.error_at(
                    at, f"the program builds more than {MAX_NODES:,} nodes (every call of a "
                        "function builds its body again)"))
        return self.out.add(expression, name, self.where(at))

    def make_input(self, name: str, at: ast.AST) -> Ref:
        return self.make(ReadInput(name), name, at)

    def where(self, at: ast.AST) -> Where:
        line, end_line = at.lineno, at.end_lineno or at.lineno
        return Where(line, self.source.column(line, at.col_offset) + 1, end_line,
                     self.source.column(end_line, at.end_col_offset or 0),
                     tuple(reversed(self.calls)) if self.calls else ())


def _power_op(exponent: Ref, steps: Steps) -> Callable[..., Node]:
    """A number exponent (x**2, x^-1, x**(1/2), Pow(x, 2)) is PowConst, defined for a
    negative x; an exponent that depends on an input is Pow, which needs a base > 0."""
    return PowConst if exponent.index in steps.constants else Pow


def _as_limit(error: ProgramError) -> LimitError:
    return LimitError(error.message, error.line, error.column, error.source_line)


def name_problem(name: str, reserved: frozenset[str] | tuple = ()) -> str | None:
    """Why ``name`` cannot be given to a value, a function or a parameter (None: it can)."""
    if name in reserved:
        return "it is the name of a built-in function"
    if name.startswith("_"):
        return "names cannot start with `_`"
    if len(name) > MAX_NAME_CHARS:
        return f"names can have at most {MAX_NAME_CHARS} characters"
    return None


def calls(node: ast.AST, name: str) -> bool:
    """Is ``node`` a call of the bare name ``name``?"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == name)


def number_of(node: ast.AST) -> int | float | None:
    """The value of ``4``, ``2.5``, ``-2.5`` or ``+4`` (ints and floats only), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None

