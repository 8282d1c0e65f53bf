"""Typed programs: a small, safe subset of Python turned into engine nodes.

The seed post's own snippets paste as they are::

    a = Var(230.3)
    b = Var(33.2)
    def f(a, b):
        return (a / b - a) * (b / a + a + b) * (a - b)
    y = f(a, b)

The text is never run. It goes through gates that need no parser (length, plain ASCII,
bracket depth), then ``ast.parse``, then a walk that accepts only the node types in its
tables (an allow-list, as simpleeval does) and builds engine nodes as it goes. Every
refusal is one ``ProgramError`` with a line, a column and plain words. Every limit is a
named constant with its own message, so no input can make the walk slow or deep.

Rules, in short: one ``name = expression`` per line; ``a = 4`` or ``a = Var(4)`` at the
top level makes an input with a default; a name that is read but never assigned is an
input whose value the caller gives; ``def`` bodies are inlined at each call, see only
their parameters and their own lines, and can call only functions defined above them;
``print(...)``, ``get_gradients(...)`` and imports are skipped with a notice; the output
is the last assigned name, or a bare expression on the last line.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real

from .graph import Graph, snapshot
from .nodes import DomainError, Node
from .ops import (
    Abs,
    Add,
    Const,
    Cos,
    Exp,
    Inv,
    Log,
    Mul,
    Neg,
    Pow,
    PowConst,
    Relu,
    Sigmoid,
    Sin,
    Sqrt,
    Tan,
    Tanh,
    Var,
)

# Python warns about text such as `1if x` while parsing; the walk refuses it anyway, with a
# better message. Only warnings about the parsed program's own pseudo-file are silenced.
_PROGRAM_FILE = "<program>"
warnings.filterwarnings("ignore", category=SyntaxWarning, module=re.escape(_PROGRAM_FILE) + r"\Z")

# ---- limits: each one has its own message below ----

MAX_PROGRAM_CHARS = 20_000  # checked before anything else looks at the text
MAX_LINES = 500
MAX_DEPTH = 80  # nesting of brackets and of expressions, through inlined calls too
MAX_SIGN_RUN = 10  # "- - - -x": the parser recurses once per sign
MAX_NODES = 5_000  # engine nodes built, counting every inlined call
MAX_STEPS = 30_000  # expression parts visited while building (bounds calls of calls)
MAX_INPUTS = 100
MAX_NAME_CHARS = 40
MAX_ABS_NUMBER = 1e15  # for numbers in the text and for the values of inputs

# ---- what the language knows ----

#: The seed's classes, the other engine ops, and the lowercase functions: name -> (op, arity).
FUNCTIONS: dict[str, tuple[Callable[..., Node], int]] = {
    "Add": (Add, 2), "Mul": (Mul, 2), "Neg": (Neg, 1), "Inv": (Inv, 1), "Pow": (Pow, 2),
    "Sin": (Sin, 1), "Cos": (Cos, 1), "Tan": (Tan, 1), "Exp": (Exp, 1), "Log": (Log, 1),
    "Sqrt": (Sqrt, 1), "Tanh": (Tanh, 1), "Sigmoid": (Sigmoid, 1), "Relu": (Relu, 1),
    "Abs": (Abs, 1),
    "sin": (Sin, 1), "cos": (Cos, 1), "tan": (Tan, 1), "exp": (Exp, 1), "log": (Log, 1),
    "sqrt": (Sqrt, 1), "tanh": (Tanh, 1), "sigmoid": (Sigmoid, 1), "relu": (Relu, 1),
    "abs": (Abs, 1),
}  # fmt: skip
SKIPPED_CALLS = ("print", "get_gradients")  # lines that only call these are skipped
RESERVED = frozenset(FUNCTIONS) | {"Var", *SKIPPED_CALLS}

_FUNCTION_LIST = "Var, Add, Mul, Neg, Inv, Sin, Exp, Log, sin, cos, tan, exp, log, sqrt, " \
    "tanh, sigmoid, relu, abs"

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
_REFUSED_EXPRESSIONS = {
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
_REFUSED_STATEMENTS = {
    ast.For: "`for` loops are not allowed: write each step on its own line",
    ast.AsyncFor: "`for` loops are not allowed: write each step on its own line",
    ast.While: "`while` loops are not allowed: write each step on its own line",
    ast.If: "`if` is not allowed: a program is a straight list of assignments",
    ast.With: "`with` is not allowed",
    ast.AsyncWith: "`with` is not allowed",
    ast.Try: "`try` is not allowed",
    ast.ClassDef: f"classes are not allowed: {_FUNCTION_LIST} are built in",
    ast.AsyncFunctionDef: "`async def` is not allowed: use `def`",
    ast.Delete: "`del` is not allowed",
    ast.Global: "`global` is not allowed: pass values to a function as parameters",
    ast.Nonlocal: "`nonlocal` is not allowed",
    ast.Raise: "`raise` is not allowed",
    ast.Assert: "`assert` is not allowed",
    ast.AnnAssign: "type annotations are not allowed: write `a = 4`",
    ast.Match: "`match` is not allowed",
}


class ProgramError(ValueError):
    """A program or a value was refused: plain words, and where in the text."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 source_line: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based
        self.column = column  # 1-based, counted in characters of the line as typed
        # Invisible and bidi characters (the reason for many errors) are shown as `?`,
        # one for one, so the caret stays in place and a terminal does not reorder text.
        self.source_line = None if source_line is None else "".join(
            ch if ch.isprintable() or ch == "\t" else "?" for ch in source_line)
        self.calls: list[str] = []  # the inlined calls it happened in, innermost first
        self._reason = message

    def add_call(self, function: str, line: int) -> None:
        """Say which call of a function the error happened in (the first and last of a
        long chain are kept)."""
        self.calls.append(f"in `{function}`, called on line {line}")
        shown = self.calls if len(self.calls) <= 2 else [self.calls[0], "...", self.calls[-1]]
        self.message = self._reason + "".join(f" ({c})" for c in shown)
        self.args = (self.message,)

    def __reduce__(self):  # keep line and column when pickled
        return type(self), (self.message, self.line, self.column, self.source_line)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        text = f"{where}: {self.message}"
        if self.source_line is not None:
            shown, caret = _window(self.source_line, self.column)
            text += "\n    " + shown
            if caret is not None:
                # Copy tabs so the caret lines up however the terminal shows them.
                pad = "".join("\t" if ch == "\t" else " " for ch in shown[:caret])
                text += "\n    " + pad + "^"
        return text


def _window(line: str, column: int | None, width: int = 76) -> tuple[str, int | None]:
    """The part of a long line around ``column`` (1-based), and the caret's 0-based index."""
    caret = None if not column else column - 1
    if len(line) <= width:
        return line, caret
    start = 0 if caret is None else max(0, min(caret - width // 2, len(line) - width))
    shown = line[start:start + width]
    prefix, suffix = ("..." if start else ""), ("..." if start + width < len(line) else "")
    return prefix + shown + suffix, None if caret is None else caret - start + len(prefix)


@dataclass(frozen=True)
class Input:
    """An input leaf: ``a = 4`` / ``a = Var(4)`` (default 4.0), or a free name (no default)."""

    name: str
    default: float | None


@dataclass(frozen=True)
class Program:
    """A compiled program: engine nodes, their plain-data graph, inputs and notices."""

    text: str
    output: Node
    graph: Graph
    inputs: tuple[Input, ...]
    values: dict[str, float]
    notices: tuple[str, ...]


def read_inputs(text: str) -> tuple[Input, ...]:
    """The inputs of a program in order of first appearance, without computing anything.

    Checks the whole program (a ProgramError for anything it would refuse, except values
    an op cannot take, which only building finds).
    """
    source, tree = _prepare(text)
    return _Walk(source, build=False).run(tree).inputs


def compile_program(text: str, values: Mapping[str, float] | None = None) -> Program:
    """Build the engine graph of ``text``; ``values`` override defaults and give free names.

    Names in ``values`` that are not inputs of the program are ignored (a caller may keep
    values from an earlier version of the text).
    """
    given = _check_values(values)
    source, tree = _prepare(text)
    checked = _Walk(source, build=False).run(tree)  # all static errors, before building
    chosen = {i.name: given.get(i.name, i.default) for i in checked.inputs}
    built = _Walk(source, build=True, values=chosen).run(tree)
    return Program(
        text=text, output=built.output, graph=snapshot(built.output), inputs=checked.inputs,
        values={name: value for name, value in chosen.items() if value is not None},
        notices=checked.notices)


def _check_values(values: Mapping[str, float] | None) -> dict[str, float]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ProgramError("values must be a mapping from input names to numbers")
    checked = {}
    for name, value in values.items():
        if not isinstance(name, str):
            raise ProgramError(f"input names must be text, got {name!r}")
        checked[name] = _check_number(value, f"the value of `{name}`")
    return checked


def _check_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ProgramError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (OverflowError, ValueError):
        number = math.inf
    if not abs(number) <= MAX_ABS_NUMBER:  # also false for nan
        raise ProgramError(f"{what} is {value!r}: numbers must be between "
                           f"-{MAX_ABS_NUMBER:g} and {MAX_ABS_NUMBER:g}")
    return number


# ---- the text, before and after `^` becomes `**` ----

class _Source:
    """The program as typed, the text given to ``ast.parse``, and columns between them.

    ``^`` is replaced by ``**`` in the text, not in the tree: Python reads ``x^2+1`` as
    ``x ^ (2+1)``, so mapping the operator afterwards would compute ``x**3``.
    """

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self._columns: dict[int, list[int]] = {}  # line -> python column -> typed column
        python_lines = []
        for number, line in enumerate(self.lines, 1):
            if "^" in line:
                columns = []
                for typed, ch in enumerate(line):
                    columns.extend((typed, typed) if ch == "^" else (typed,))
                columns.append(len(line))
                self._columns[number] = columns
                line = line.replace("^", "**")
            python_lines.append(line)
        self.python = "\n".join(python_lines)

    def column(self, line: int, python_column: int) -> int:
        """The 0-based typed column of a 0-based column of the parsed text."""
        columns = self._columns.get(line)
        if columns is None:
            return python_column
        return columns[max(0, min(python_column, len(columns) - 1))]

    def line_text(self, line: int | None) -> str | None:
        if line is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1]

    def error(self, message: str, line: int | None, column0: int | None = None) -> ProgramError:
        """A ProgramError at a typed position (column 0-based here, 1-based in the error)."""
        if line is not None and line > len(self.lines):  # "never closed" at the very end
            line, column0 = len(self.lines), len(self.lines[-1])
        text = self.line_text(line)
        if text is None:
            return ProgramError(message)
        column = None if column0 is None else min(max(column0, 0), len(text)) + 1
        return ProgramError(message, line, column, text)

    def error_at(self, node: ast.AST, message: str) -> ProgramError:
        return self.error(message, node.lineno, self.column(node.lineno, node.col_offset))

    def segment(self, node: ast.AST, limit: int = 50) -> str:
        """The typed text of ``node`` on one line, shortened for a message."""
        start = self.column(node.lineno, node.col_offset)
        end_line = node.end_lineno or node.lineno
        end = self.column(end_line, node.end_col_offset or 0)
        if end_line == node.lineno:
            text = self.lines[node.lineno - 1][start:end]
        else:
            middle = self.lines[node.lineno:end_line - 1]
            text = " ".join([self.lines[node.lineno - 1][start:], *middle,
                             self.lines[end_line - 1][:end]])
        text = " ".join(text.split())
        return text if len(text) <= limit else text[:limit - 3] + "..."


# ---- gates that run before the parser ----

def _prepare(text: str) -> tuple[_Source, ast.Module]:
    """Check the text with cheap gates, then parse it; every failure is a ProgramError."""
    if not isinstance(text, str):
        raise ProgramError(f"a program must be text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_PROGRAM_CHARS:
        raise ProgramError(f"the program has {len(text):,} characters; "
                           f"the limit is {MAX_PROGRAM_CHARS:,}")
    source = _Source(text)
    _check_characters(source)
    if len(source.lines) > MAX_LINES:
        raise ProgramError(f"the program has {len(source.lines):,} lines; "
                           f"the limit is {MAX_LINES:,}")
    _check_nesting(source)
    try:
        tree = ast.parse(source.python, filename=_PROGRAM_FILE)
    except SyntaxError as exc:
        column = None if exc.offset is None else source.column(exc.lineno or 0, exc.offset - 1)
        if "Exceeds the limit" in exc.msg:  # Python points at the line's start
            digits = re.search(r"\d{1000,}", source.line_text(exc.lineno) or "")
            column = digits.start() if digits else column
        raise source.error(_syntax_message(exc.msg), exc.lineno, column) from None
    except (RecursionError, MemoryError):
        raise ProgramError("the program is nested too deeply for the parser "
                           "(or has a very long chain of operators)") from None
    except (ValueError, OverflowError) as exc:
        raise ProgramError(f"the program cannot be read: {exc}") from None
    return source, tree


def _check_characters(source: _Source) -> None:
    """Plain ASCII only: Python folds look-alike letters (bold or full-width `sin`) into
    names, and invisible characters (zero-width space, right-to-left override) hide code."""
    for number, line in enumerate(source.lines, 1):
        for column, ch in enumerate(line):
            if " " <= ch <= "~" or ch == "\t":
                continue
            name = unicodedata.name(ch, "a control character")
            shown = f"'{ch}' " if ch.isprintable() and not ch.isspace() else ""
            raise source.error(
                f"character {shown}(U+{ord(ch):04X}, {name}) is not allowed: programs are "
                "plain ASCII text (letters, digits, + - * / ^ ( ) = , and spaces)",
                number, column)


def _check_nesting(source: _Source) -> None:
    """Bracket depth and runs of signs, counted in the text: the parser itself fails with
    MemoryError or RecursionError on deep input, and only after allocating a lot.
    Both counts carry across lines (brackets may span lines); comments are left out."""
    depth = signs = 0
    for number, line in enumerate(source.lines, 1):
        for column, ch in enumerate(line.split("#", 1)[0]):
            if ch in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise source.error(f"brackets are nested more than {MAX_DEPTH} deep",
                                       number, column)
            elif ch in ")]}":
                depth = max(0, depth - 1)
            if ch in "+-~":
                signs += 1
                if signs > MAX_SIGN_RUN:
                    raise source.error(f"more than {MAX_SIGN_RUN} signs in a row",
                                       number, column)
            elif ch not in " \t":
                signs = 0


def _syntax_message(message: str) -> str:
    if "Exceeds the limit" in message:
        return "this number has too many digits"
    if "invalid decimal literal" in message:
        return "a number runs into a name: write `2 * x`, not `2x`"
    return f"not valid Python: {message}"


# ---- the walk: checks everything, and builds engine nodes when asked ----

class _Dry:
    """What an expression 'is' in the checking pass, where nothing is built."""

    def __repr__(self) -> str:
        return "<not built>"


_DRY = _Dry()


@dataclass
class _Function:
    name: str
    params: tuple[str, ...]
    body: list[ast.stmt]  # the last one is the return
    functions: dict[str, _Function]  # what it may call: functions defined above it
    line: int


@dataclass
class _Scope:
    names: dict[str, object]  # name -> Node (or _DRY)
    functions: dict[str, _Function]
    function: str | None = None  # the function whose body this is; None at the top level


@dataclass
class _Result:
    output: object
    inputs: tuple[Input, ...]
    notices: tuple[str, ...]


class _Walk:
    """One pass over a parsed program.

    With ``build=False`` it only checks (and finds the inputs): function bodies are
    checked once where they are defined. With ``build=True`` it builds engine nodes:
    every call inlines the body, so a function called twice builds its nodes twice.
    """

    def __init__(self, source: _Source, build: bool, values: Mapping | None = None):
        self.source = source
        self.build = build
        self.values = values or {}
        self.inputs: dict[str, Input] = {}
        self.input_lines: dict[str, int] = {}
        self.free_lines: dict[str, int] = {}  # free names, where first read
        self.notices: list[str] = []
        self.constants: set[Node] = set()  # nodes built from numbers only (for `**`)
        self.nodes = self.steps = self.depth = 0
        self.expressions = {  # the allow-list: every other node type is refused
            ast.Constant: self._constant,
            ast.Name: self._name,
            ast.BinOp: self._binary,
            ast.UnaryOp: self._unary,
            ast.Call: self._call,
        }
        self.statements = {
            ast.Assign: self._assign,
            ast.AugAssign: self._augmented,
            ast.Expr: self._bare,
            ast.Pass: lambda stmt, scope: None,
        }

    # -- the program --

    def run(self, tree: ast.Module) -> _Result:
        try:
            output = self._top(tree.body)
        except (RecursionError, MemoryError):  # the limits should make this unreachable
            raise ProgramError("the program is nested too deeply") from None
        return _Result(output, tuple(self.inputs.values()), tuple(self.notices))

    def _top(self, body: list[ast.stmt]) -> object:
        scope = _Scope(names={}, functions={})
        output = None
        statements = [s for s in body if self._skip(s) is None]
        if not statements:
            raise ProgramError("the program is empty: write an expression like `a * b + 1`, "
                               "or lines like `a = 4`")
        for index, stmt in enumerate(statements):
            last = index == len(statements) - 1
            if isinstance(stmt, ast.FunctionDef):
                self._define(stmt, scope)
            elif isinstance(stmt, ast.Return):
                raise self.source.error_at(stmt, "`return` is only allowed at the end of a "
                                                 "function")
            elif isinstance(stmt, ast.Expr) and last:
                output = self._expr(stmt.value, scope)
            elif isinstance(stmt, ast.Assign) and self._leaf_number(stmt.value) is not None:
                output = self._input(stmt, scope)
            else:
                assigned = self._statement(stmt, scope)
                output = assigned if assigned is not None else output
        if output is None:
            raise ProgramError("the program has no output: end it with an assignment like "
                               "`y = f(a, b)` or with an expression")
        return output

    def _skip(self, stmt: ast.stmt) -> str | None:
        """Why a line is skipped ("" for silently), or None when it is part of the program."""
        notice = None
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            notice = "import skipped (everything a program needs is built in)"
        elif isinstance(stmt, ast.Expr) and _calls(stmt.value, "print"):
            notice = "print(...) skipped (values and gradients are shown for you)"
        elif isinstance(stmt, (ast.Expr, ast.Assign)) and _calls(stmt.value, "get_gradients"):
            notice = ("get_gradients(...) skipped (gradients are computed for you)")
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
                and isinstance(stmt.value.value, str):
            return ""  # a docstring
        if notice is not None and not self.build:
            self.notices.append(f"line {stmt.lineno}: {notice}")
        return notice

    def _statement(self, stmt: ast.stmt, scope: _Scope) -> object:
        if self._skip(stmt) is not None:
            return None
        handler = self.statements.get(type(stmt))
        if handler is None:
            if isinstance(stmt, ast.FunctionDef):
                raise self.source.error_at(stmt, "functions can only be defined at the top "
                                                 "level, not inside another function")
            reason = _REFUSED_STATEMENTS.get(
                type(stmt), "this kind of line is not allowed: each line is `name = expression`")
            raise self.source.error_at(stmt, reason)
        return handler(stmt, scope)

    # -- statements --

    def _target(self, stmt: ast.Assign) -> ast.Name:
        if len(stmt.targets) != 1:
            raise self.source.error_at(stmt, "assign one name per line, like `a = 1`")
        target = stmt.targets[0]
        if not isinstance(target, ast.Name):
            raise self.source.error_at(
                target, f"`{self.source.segment(target)}`: only a plain name can be assigned, "
                        "like `a = 1`")
        return target

    def _assign(self, stmt: ast.Assign, scope: _Scope) -> object:
        target = self._target(stmt)
        self._check_new_name(target, scope)
        if self._leaf_number(stmt.value) is not None and _calls(stmt.value, "Var"):
            raise self.source.error_at(stmt.value, "`Var(...)` makes an input: write it at "
                                                   "the top level, not inside a function")
        value = self._expr(stmt.value, scope, name=target.id)
        scope.names[target.id] = value
        return value

    def _augmented(self, stmt: ast.AugAssign, scope: _Scope) -> object:
        target = stmt.target
        if not isinstance(target, ast.Name):
            raise self.source.error_at(target, "only a plain name can be assigned")
        if target.id not in scope.names:
            raise self.source.error_at(target, f"`{target.id}` has no value yet: write "
                                               f"`{target.id} = ...` first")
        left = scope.names[target.id]
        right = self._expr(stmt.value, scope)
        value = self._apply(stmt.op, left, right, target.id, stmt)
        scope.names[target.id] = value
        return value

    def _bare(self, stmt: ast.Expr, scope: _Scope) -> None:
        if scope.function is not None:
            raise self.source.error_at(stmt, "an expression on its own does nothing inside a "
                                             "function: assign it, like `t = ...`, or return it")
        raise self.source.error_at(stmt, "an expression on its own is only allowed on the last "
                                         "line (it is the output): give it a name, "
                                         "like `y = ...`")

    def _leaf_number(self, value: ast.expr) -> ast.expr | None:
        """The number node of `4`, `-2.5`, `Var(4)` or `Var(-2.5)`, else None."""
        if _calls(value, "Var"):
            call = value
            if len(call.args) != 1 or call.keywords or _number(call.args[0]) is None:
                raise self.source.error_at(call, "`Var` takes one number, like `Var(4)` or "
                                                 "`Var(-2.5)`")
            return call.args[0]
        return value if _number(value) is not None else None

    def _input(self, stmt: ast.Assign, scope: _Scope) -> object:
        """``a = 4`` or ``a = Var(4)`` at the top level: an input with a default."""
        target = self._target(stmt)
        self._check_new_name(target, scope)
        name = target.id
        if name in self.free_lines:
            raise self.source.error_at(
                target, f"`{name}` is used on line {self.free_lines[name]} before this line "
                        "gives it a value: move this line up")
        if name in self.inputs:
            raise self.source.error_at(
                target, f"`{name}` is already an input (line {self.input_lines[name]}): "
                        "pick another name")
        literal = self._leaf_number(stmt.value)
        default = self._number_value(literal)
        self._add_input(Input(name, default), stmt.lineno, target)
        node = self._make(Var, self.values.get(name, default), name=name, at=literal)
        scope.names[name] = node
        return node

    def _add_input(self, item: Input, line: int, at: ast.AST) -> None:
        if len(self.inputs) >= MAX_INPUTS:
            raise self.source.error_at(at, f"more than {MAX_INPUTS} inputs")
        self.inputs[item.name] = item
        self.input_lines[item.name] = line

    def _define(self, stmt: ast.FunctionDef, scope: _Scope) -> None:
        name = stmt.name
        if name in RESERVED or name.startswith("_") or len(name) > MAX_NAME_CHARS:
            raise self.source.error_at(stmt, f"`{name}` cannot be a function's name: "
                                             f"{self._name_problem(name)}")
        if name in scope.names:
            raise self.source.error_at(stmt, f"`{name}` already has a value: pick another "
                                             "name for the function")
        args = stmt.args
        if (stmt.decorator_list or args.posonlyargs or args.kwonlyargs or args.vararg
                or args.kwarg or args.defaults or stmt.returns
                or any(a.annotation for a in args.args)):
            raise self.source.error_at(stmt, f"`def {name}(...)`: only plain parameters are "
                                             "allowed, like `def f(a, b):`")
        params = tuple(a.arg for a in args.args)
        for param in args.args:
            if param.arg in RESERVED or param.arg.startswith("_") \
                    or len(param.arg) > MAX_NAME_CHARS:
                raise self.source.error_at(param, f"`{param.arg}` cannot be a parameter: "
                                                  f"{self._name_problem(param.arg)}")
        body = [s for s in stmt.body if self._skip(s) is None]
        if not body or not isinstance(body[-1], ast.Return):
            raise self.source.error_at(stmt, f"`{name}` needs a `return` line at its end")
        for inner in body[:-1]:
            if isinstance(inner, ast.Return):
                raise self.source.error_at(inner, f"`return` must be the last line of `{name}`")
        if body[-1].value is None:
            raise self.source.error_at(body[-1], "`return` needs a value, like `return a * b`")
        visible = {k: v for k, v in scope.functions.items() if k != name}  # no recursion
        function = _Function(name, params, body, visible, stmt.lineno)
        if not self.build:  # check the body once, here, with nothing built
            self._inline(function, [_DRY] * len(params), None, None)
        scope.functions[name] = function

    # -- names --

    @staticmethod
    def _name_problem(name: str) -> str:
        if name in RESERVED:
            return "it is the name of a built-in function"
        if name.startswith("_"):
            return "names cannot start with `_`"
        return f"names can have at most {MAX_NAME_CHARS} characters"

    def _check_name(self, node: ast.Name) -> None:
        if node.id.startswith("_") or len(node.id) > MAX_NAME_CHARS:
            raise self.source.error_at(node, f"`{self.source.segment(node)}`: "
                                             f"{self._name_problem(node.id)}")

    def _check_new_name(self, target: ast.Name, scope: _Scope) -> None:
        self._check_name(target)
        if target.id in RESERVED:
            raise self.source.error_at(target, f"`{target.id}` is the name of a built-in "
                                               "function: pick another name")
        # Inside a function a local may shadow a function's name, as in the post.
        if scope.function is None and target.id in scope.functions:
            line = scope.functions[target.id].line
            raise self.source.error_at(target, f"`{target.id}` is a function (line {line}): "
                                               "pick another name")

    # -- expressions --

    def _expr(self, node: ast.expr, scope: _Scope, name: str | None = None) -> object:
        """The node (or _DRY) for an expression; ``name`` goes to the node it builds last."""
        self.depth += 1
        self.steps += 1
        try:
            if self.depth > MAX_DEPTH:
                raise self.source.error_at(
                    node, f"the expression is nested more than {MAX_DEPTH} deep (each operator "
                          "in a chain like `a + b + c` and each function call counts)")
            if self.steps > MAX_STEPS:
                raise self.source.error_at(
                    node, f"the program takes more than {MAX_STEPS:,} steps to build: do "
                          "functions call each other too many times?")
            handler = self.expressions.get(type(node))
            if handler is None:
                raise self._refusal(node)
            return handler(node, scope, name)
        finally:
            self.depth -= 1

    def _refusal(self, node: ast.AST) -> ProgramError:
        reason = _REFUSED_EXPRESSIONS.get(type(node), f"{type(node).__name__} is not allowed")
        return self.source.error_at(node, f"`{self.source.segment(node)}`: {reason}")

    def _constant(self, node: ast.Constant, scope: _Scope, name: str | None) -> object:
        value = self._number_value(node)
        made = self._make(Const, value, name=name, at=node)
        return made

    def _number_value(self, node: ast.expr) -> float:
        """The float of a number literal (or a signed one), within the limits."""
        value = _number(node)
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
                      f"-{MAX_ABS_NUMBER:g} and {MAX_ABS_NUMBER:g}")
        return float(value)

    def _name(self, node: ast.Name, scope: _Scope, name: str | None) -> object:
        ident = node.id
        if ident in scope.names:
            return scope.names[ident]  # an alias: `z = a` names no new node
        self._check_name(node)
        if ident in FUNCTIONS or ident in scope.functions:
            raise self.source.error_at(node, f"`{ident}` is a function: call it, "
                                             f"like `{ident}(x)`")
        if ident in RESERVED:
            raise self.source.error_at(node, f"`{ident}` can only be called on a line of "
                                             "its own")
        if scope.function is not None:
            raise self.source.error_at(
                node, f"`{ident}` is not defined in `{scope.function}`: a function sees only "
                      "its parameters and its own lines; pass it as a parameter")
        return self._free_input(node, scope)

    def _free_input(self, node: ast.Name, scope: _Scope) -> object:
        """A name read before any line gives it a value: an input the caller must give."""
        ident = node.id
        if ident in self.inputs:  # reassigned at the top level since: `a = 4; a = a * 2`
            raise self.source.error_at(node, f"`{ident}` has no value here")
        self._add_input(Input(ident, None), node.lineno, node)
        self.free_lines[ident] = node.lineno
        if self.build and self.values.get(ident) is None:
            raise self.source.error_at(
                node, f"`{ident}` has no value: add a line `{ident} = 1.0` above, "
                      "or give it a value")
        made = self._make(Var, self.values.get(ident, 1.0), name=ident, at=node)
        scope.names[ident] = made
        return made

    def _binary(self, node: ast.BinOp, scope: _Scope, name: str | None) -> object:
        if type(node.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            symbol = _BINARY_SYMBOLS.get(type(node.op), "this operator")
            reason = _REFUSED_BINARY.get(type(node.op), f"`{symbol}` is not allowed")
            line, column = self._operator_position(node)
            raise self.source.error(reason, line, column)
        left = self._expr(node.left, scope)
        right = self._expr(node.right, scope)
        return self._apply(node.op, left, right, name, node)

    def _apply(self, op: ast.operator, left, right, name: str | None, at: ast.AST) -> object:
        # As the seed's operators do: a - b is Add(a, Neg(b)) and a / b is Mul(a, Inv(b)),
        # so the graph and every float rounding match the post's printed numbers.
        kind = type(op)
        if kind is ast.Add:
            return self._make(Add, left, right, name=name, at=at)
        if kind is ast.Sub:
            return self._make(Add, left, self._make(Neg, right, at=at), name=name, at=at)
        if kind is ast.Mult:
            return self._make(Mul, left, right, name=name, at=at)
        if kind is ast.Div:
            return self._make(Mul, left, self._make(Inv, right, at=at), name=name, at=at)
        if kind is ast.Pow:
            # A number exponent (x**2, x^-1, x**(1/2)) is PowConst, defined for negative x;
            # an exponent that depends on an input is Pow, which needs a positive base.
            if self.build and right in self.constants:
                return self._make(PowConst, left, right.value, name=name, at=at)
            return self._make(Pow, left, right, name=name, at=at)
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

    def _unary(self, node: ast.UnaryOp, scope: _Scope, name: str | None) -> object:
        if isinstance(node.op, ast.UAdd):
            return self._expr(node.operand, scope, name)
        if not isinstance(node.op, ast.USub):
            raise self.source.error_at(node, _REFUSED_UNARY.get(type(node.op), "not allowed"))
        if _number(node) is not None:  # -2.5 is one constant, not Neg(2.5)
            return self._make(Const, self._number_value(node), name=name, at=node)
        operand = self._expr(node.operand, scope)
        return self._make(Neg, operand, name=name, at=node)

    def _call(self, node: ast.Call, scope: _Scope, name: str | None) -> object:
        func = node.func
        if not isinstance(func, ast.Name):
            if type(func) in _REFUSED_EXPRESSIONS:
                raise self._refusal(func)
            raise self.source.error_at(node, f"`{self.source.segment(node)}`: only functions "
                                             "called by name are allowed, like `sin(x)`")
        ident = func.id
        if node.keywords:
            keyword = node.keywords[0]
            shown = f"`{keyword.arg}=`" if keyword.arg else "`**`"
            raise self.source.error_at(keyword, f"`{self.source.segment(node)}`: keyword "
                                                f"arguments ({shown}) are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self._refusal(arg)
        self._check_name(func)
        if ident in scope.names:
            raise self.source.error_at(func, f"`{ident}` is a value here, not a function")
        if ident == scope.function:
            raise self.source.error_at(func, f"`{ident}` cannot call itself (no recursion)")
        if ident in scope.functions:
            function = scope.functions[ident]
            self._arity(node, ident, len(function.params))
            args = [self._expr(arg, scope) for arg in node.args]
            if not self.build:  # its body was checked where it was defined
                return _DRY
            return self._inline(function, args, node, name)
        if ident in FUNCTIONS:
            op, arity = FUNCTIONS[ident]
            self._arity(node, ident, arity)
            args = [self._expr(arg, scope) for arg in node.args]
            return self._make(op, *args, name=name, at=node)
        if ident == "Var":
            raise self.source.error_at(node, "`Var(...)` makes an input: write it on a line "
                                             "of its own, like `a = Var(4)`")
        if ident in SKIPPED_CALLS:
            raise self.source.error_at(node, f"`{ident}(...)` can only be on a line of its own")
        raise self.source.error_at(
            func, f"`{ident}` is not a function here: use {_FUNCTION_LIST}, "
                  "or one you define above with `def`")

    def _arity(self, node: ast.Call, ident: str, arity: int) -> None:
        if len(node.args) != arity:
            noun = "argument" if arity == 1 else "arguments"
            raise self.source.error_at(node, f"`{ident}` takes {arity} {noun}, "
                                             f"got {len(node.args)}")

    def _inline(self, function: _Function, args: list, call: ast.Call | None,
                name: str | None) -> object:
        """The function's body with its parameters bound to ``args``; the returned
        expression's node gets the name the call is assigned to."""
        local = _Scope(names=dict(zip(function.params, args, strict=True)),
                       functions=function.functions, function=function.name)
        try:
            for stmt in function.body[:-1]:
                self._statement(stmt, local)
            return self._expr(function.body[-1].value, local, name)
        except ProgramError as exc:
            if call is not None and exc.line is not None and exc.line != call.lineno:
                exc.add_call(function.name, call.lineno)
            raise

    # -- building engine nodes --

    def _make(self, op: Callable[..., Node], *args, name: str | None = None,
              at: ast.AST) -> object:
        """One engine node, counted against MAX_NODES; a DomainError becomes a ProgramError
        at ``at``, the expression being built."""
        if not self.build:
            return _DRY
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.source.error_at(at, f"the program builds more than {MAX_NODES:,} nodes "
                                           "(every call of a function builds its body again)")
        try:
            made = op(*args, name=name)
        except DomainError as exc:
            raise self.source.error_at(at, self._domain_message(exc, at)) from None
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise self.source.error_at(at, f"`{self.source.segment(at)}` cannot be computed: "
                                           f"{exc}") from None
        if op is Const or (made.grad and all(i in self.constants for i in made.inputs)):
            self.constants.add(made)
        return made

    def _domain_message(self, exc: DomainError, at: ast.AST) -> str:
        shown = self.source.segment(at)
        if "too large" in exc.reason or "overflow" in exc.reason:
            return f"`{shown}` is too large to compute (a float holds at most about 1.8e308)"
        if exc.op == "inv":
            return f"division by zero in `{shown}`"
        return f"{exc.op} of {_format(exc.value)} in `{shown}`: {exc.reason}"


def _calls(node: ast.AST, name: str) -> bool:
    """Is ``node`` a call of the bare name ``name``?"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == name)


def _number(node: ast.AST) -> int | float | None:
    """The value of ``4``, ``2.5``, ``-2.5`` or ``+4`` (ints and floats only), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None


def _format(value: object) -> str:
    if isinstance(value, tuple):
        return " and ".join(_format(v) for v in value)
    if isinstance(value, float):
        text = f"{value:.6g}"
        return text if any(c in text for c in ".ein") else text + ".0"
    return repr(value)
