"""Pass one, lines: check a parsed program and describe it (``check_program``).

The walk accepts only the statements in ``ProgramWalk.statements`` and, at the top level,
``def`` and ``name = number`` inputs; every refusal is one ``ProgramError`` with a line, a
column and plain words. A function's body is checked once where it is defined (into a
scratch list that counts nothing) and inlined at each call, so its steps, and the limits
they count against, are those of the program as it will be built.
"""

from __future__ import annotations

import ast
import difflib

from .expressions import (
    ExpressionWalk,
    Function,
    LimitError,
    Scope,
    Steps,
    Vocabulary,
    calls,
    name_problem,
    number_of,
)
from .ir import Description, Input, Number, Ref, Unassigned
from .text import MAX_INPUTS, MAX_OUTPUTS, ProgramError, Source

__all__ = ["NamedOutputs", "check_program"]

_REFUSED_STATEMENTS = {
    ast.For: "`for` loops are not allowed: write each step on its own line",
    ast.AsyncFor: "`for` loops are not allowed: write each step on its own line",
    ast.While: "`while` loops are not allowed: write each step on its own line",
    ast.If: "`if` is not allowed: a program is a straight list of assignments",
    ast.With: "`with` is not allowed",
    ast.AsyncWith: "`with` is not allowed",
    ast.Try: "`try` is not allowed",
    ast.ClassDef: "classes are not allowed: {listed} are built in",
    ast.AsyncFunctionDef: "`async def` is not allowed: use `def`",
    ast.Delete: "`del` is not allowed",
    ast.Global: "`global` is not allowed: pass values to a function as parameters",
    ast.Nonlocal: "`nonlocal` is not allowed",
    ast.Raise: "`raise` is not allowed",
    ast.Assert: "`assert` is not allowed",
    ast.AnnAssign: "type annotations are not allowed: write `a = 4`",
    ast.Match: "`match` is not allowed",
}


def check_program(source: Source, tree: ast.Module, vocabulary: Vocabulary) -> Description:
    """Pass one: every error and limit of the program, or its description."""
    walk = ProgramWalk(source, vocabulary)
    try:
        output, named = walk.top(tree.body)
    except (RecursionError, MemoryError):  # the limits should make this unreachable
        raise ProgramError("the program is nested too deeply") from None
    outputs = tuple(named.values()) or (output,)
    return Description(lines=tuple(source.lines), steps=tuple(walk.described.steps),
                       output=None if walk.stopped else output,
                       inputs=tuple(walk.inputs.values()), notices=tuple(walk.notices),
                       stopped=walk.stopped, unassigned=walk.unassigned,
                       outputs=() if walk.stopped else outputs,
                       output_names=tuple(named) if len(named) > 1 else ())


class ProgramWalk(ExpressionWalk):
    """The lines of a program: assignments, inputs, functions and skipped lines."""

    def __init__(self, source: Source, vocabulary: Vocabulary):
        super().__init__(source, vocabulary)
        self.inputs: dict[str, Input] = {}
        self.input_lines: dict[str, int] = {}
        self.free_lines: dict[str, int] = {}  # free names, where first read
        self.notices: list[str] = []
        self.unassigned: tuple[Unassigned, ...] = ()  # free names, once the walk is done
        self.described = self.out  # the steps, up to a limit if one is reached
        self.stopped: LimitError | None = None
        self.statements = {
            ast.Assign: self._assign,
            ast.AugAssign: self._augmented,
            ast.Expr: self._bare,
            ast.Pass: lambda stmt, scope: None,
        }

    # -- the program --

    def top(self, body: list[ast.stmt]) -> tuple[Ref, dict[str, Ref]]:
        """The output, and the outputs by name when the program names them: the names on a
        last line ``outputs = y, z`` (the first is the output), else the names given to
        ``get_gradients`` in order (the last call's is the output, whatever lines follow
        it, as in the post), else (no names) the last assigned name, else a bare expression
        on the last line."""
        scope = Scope(names={}, functions={})
        kept = self._kept(body, top=True)
        if not kept:
            raise ProgramError("the program is empty: write an expression like `a * b + 1`, "
                               "or lines like `a = 4`")
        walked = {id(stmt) for stmt in kept}
        output = None
        named = NamedOutputs(self.source)
        for stmt in body:
            if id(stmt) not in walked:
                named.call(stmt, scope)
            elif _outputs_line(stmt):
                named.listed_on(stmt, scope, last=kept[-1])
            else:
                made = self._walk_top(stmt, scope, last=stmt is kept[-1])
                output = made if made is not None else output
        self.unassigned = _unassigned(self.free_lines, scope.names)
        chosen = named.chosen()
        if chosen is not None:
            return chosen
        if output is None:
            raise ProgramError("the program has no output: end it with an assignment like "
                               "`y = f(a, b)` or with an expression")
        return output, {}

    def _walk_top(self, stmt: ast.stmt, scope: Scope, last: bool) -> Ref | None:
        """A top-level line; at a limit, the description stops and the rest (this line
        too) is only checked, into a scratch list."""
        if self.stopped is not None:
            return self._top_statement(stmt, scope, last)
        sizes = [len(d) for d in self._registers(scope)]
        try:
            return self._top_statement(stmt, scope, last)
        except LimitError as exc:
            self.stopped = exc
            self.out = Steps(counted=False)
            for registry, size in zip(self._registers(scope), sizes, strict=True):
                for key in list(registry)[size:]:  # what the line had added when it stopped
                    del registry[key]
            return self._top_statement(stmt, scope, last)

    def _registers(self, scope: Scope) -> tuple[dict, ...]:
        """What a top-level line adds to before its value is made (never overwrites)."""
        return self.inputs, self.input_lines, self.free_lines, scope.names

    def _top_statement(self, stmt: ast.stmt, scope: Scope, last: bool) -> Ref | None:
        if isinstance(stmt, ast.FunctionDef):
            return self._define(stmt, scope)
        if isinstance(stmt, ast.Return):
            raise self.source.error_at(stmt, "`return` is only allowed at the end of a "
                                             "function")
        if isinstance(stmt, ast.Expr) and last:
            return self.expr(stmt.value, scope)
        if isinstance(stmt, ast.Assign) and _leaf_number(self.source, stmt.value) is not None:
            return self._input(stmt, scope)
        return self._statement(stmt, scope)

    def _kept(self, body: list[ast.stmt], top: bool = False) -> list[ast.stmt]:
        """The lines that are part of the program; the others leave a notice."""
        kept = []
        several = top and len({name.id for name in map(_gradients_of, body) if name}) > 1
        for stmt in body:
            notice = _skipped(stmt, top, several)
            if notice is None:
                kept.append(stmt)
            elif notice:
                self.notices.append(f"line {stmt.lineno}: {notice}")
        return kept

    def _statement(self, stmt: ast.stmt, scope: Scope) -> Ref | None:
        handler = self.statements.get(type(stmt))
        if handler is None:
            if isinstance(stmt, ast.FunctionDef):
                raise self.source.error_at(stmt, "functions can only be defined at the top "
                                                 "level, not inside another function")
            reason = _REFUSED_STATEMENTS.get(
                type(stmt), "this kind of line is not allowed: each line is `name = expression`")
            raise self.source.error_at(stmt, reason.format(listed=self.vocabulary.listed))
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

    def _assign(self, stmt: ast.Assign, scope: Scope) -> Ref:
        target = self._target(stmt)
        self.check_new_name(target, scope)
        if _leaf_number(self.source, stmt.value) is not None and calls(stmt.value, "Var"):
            raise self.source.error_at(stmt.value, "`Var(...)` makes an input: write it at "
                                                   "the top level, not inside a function")
        value = self.expr(stmt.value, scope, name=target.id)
        scope.names[target.id] = value
        return value

    def _augmented(self, stmt: ast.AugAssign, scope: Scope) -> Ref:
        target = stmt.target
        if not isinstance(target, ast.Name):
            raise self.source.error_at(target, "only a plain name can be assigned")
        if target.id not in scope.names:
            raise self.source.error_at(target, f"`{target.id}` has no value yet: write "
                                               f"`{target.id} = ...` first")
        left = scope.names[target.id]
        right = self.expr(stmt.value, scope)
        value = self.apply(stmt.op, left, right, target.id, stmt)
        scope.names[target.id] = value
        return value

    def _bare(self, stmt: ast.Expr, scope: Scope) -> None:
        if scope.function is not None:
            raise self.source.error_at(stmt, "an expression on its own does nothing inside a "
                                             "function: assign it, like `t = ...`, or return it")
        raise self.source.error_at(stmt, "an expression on its own is only allowed on the last "
                                         "line (it is the output): give it a name, "
                                         "like `y = ...`")

    # -- inputs --

    def _input(self, stmt: ast.Assign, scope: Scope) -> Ref:
        """``a = 4`` or ``a = Var(4)`` at the top level: an input with a default."""
        target = self._target(stmt)
        self.check_new_name(target, scope)
        name = target.id
        if name in self.free_lines:
            raise self.source.error_at(
                target, f"`{name}` is used on line {self.free_lines[name]} before this line "
                        "gives it a value: move this line up")
        if name in self.inputs:
            raise self.source.error_at(
                target, f"`{name}` is already an input (line {self.input_lines[name]}): "
                        "pick another name")
        literal = _leaf_number(self.source, stmt.value)
        default = self.number_value(literal)
        self._add_input(Input(name, default), stmt.lineno, target)
        scope.names[name] = self.make_input(name, literal)
        return scope.names[name]

    def free_input(self, node: ast.Name, scope: Scope) -> Ref:
        """A name read before any line gives it a value: an input the caller must give."""
        ident = node.id
        if ident in self.inputs:  # reassigned at the top level since: `a = 4; a = a * 2`
            raise self.source.error_at(node, f"`{ident}` has no value here")
        self._add_input(Input(ident, None), node.lineno, node)
        self.free_lines[ident] = node.lineno
        scope.names[ident] = self.make_input(ident, node)
        return scope.names[ident]

    def _add_input(self, item: Input, line: int, at: ast.AST) -> None:
        if len(self.inputs) >= MAX_INPUTS:
            raise self.source.error_at(at, f"more than {MAX_INPUTS} inputs")
        self.inputs[item.name] = item
        self.input_lines[item.name] = line

    # -- functions --

    def _define(self, stmt: ast.FunctionDef, scope: Scope) -> None:
        name = stmt.name
        problem = name_problem(name, self.vocabulary.reserved)
        if problem:
            raise self.source.error_at(stmt, f"`{name}` cannot be a function's name: {problem}")
        if name in scope.names:
            raise self.source.error_at(stmt, f"`{name}` already has a value: pick another "
                                             "name for the function")
        params = _params(self.source, stmt, self.vocabulary.reserved)
        body = self._kept(stmt.body)
        if not body or not isinstance(body[-1], ast.Return):
            raise self.source.error_at(stmt, f"`{name}` needs a `return` line at its end")
        for inner in body[:-1]:
            if isinstance(inner, ast.Return):
                raise self.source.error_at(inner, f"`return` must be the last line of `{name}`")
        if body[-1].value is None:
            raise self.source.error_at(body[-1], "`return` needs a value, like `return a * b`")
        visible = {k: v for k, v in scope.functions.items() if k != name}  # no recursion
        function = Function(name, params, body, visible, stmt.lineno)
        self._check_body(function, stmt)
        scope.functions[name] = function

    def _check_body(self, function: Function, stmt: ast.FunctionDef) -> None:
        """Walk the body once into a scratch list: its errors are found here, once, and
        its calls are not inlined (the limits count only what the program builds)."""
        saved, visits = self.out, self.visits
        self.out = Steps(counted=False)
        try:
            where = self.where(stmt)
            params = [self.out.add(Number(0.0), None, where) for _ in function.params]
            self._body(function, params, None)
        finally:
            self.out, self.visits = saved, visits

    def inline(self, function: Function, args: list[Ref], call: ast.Call,
               name: str | None) -> Ref:
        """The function's body with its parameters bound to ``args``; the returned
        expression's step gets the name the call is assigned to."""
        self.calls.append((function.name, call.lineno))
        try:
            return self._body(function, args, name)
        except ProgramError as exc:
            if exc.line is not None and exc.line != call.lineno:
                exc.add_call(function.name, call.lineno)
            raise
        finally:
            self.calls.pop()

    def _body(self, function: Function, args: list[Ref], name: str | None) -> Ref:
        local = Scope(names=dict(zip(function.params, args, strict=True)),
                      functions=function.functions, function=function.name)
        for stmt in function.body[:-1]:
            self._statement(stmt, local)
        return self.expr(function.body[-1].value, local, name)


class NamedOutputs:
    """The outputs a program names: the line ``outputs = y, z`` (the first is the output),
    or the names given to ``get_gradients`` at the top level (the last call's is the
    output, as in the post), each by its name in order."""

    def __init__(self, source: Source):
        self.source = source
        self.called: dict[str, tuple[Ref, int]] = {}  # get_gradients(name): value, line
        self.last_called: Ref | None = None
        self.listed: dict[str, Ref] = {}
        self.listed_line: ast.stmt | None = None

    def chosen(self) -> tuple[Ref, dict[str, Ref]] | None:
        """The output and every output by name, or None when the program names none."""
        if self.listed_line is not None:
            if self.called:
                name, (_, line) = next(iter(self.called.items()))
                raise self.source.error_at(
                    self.listed_line, f"`get_gradients({name})` on line {line} names an "
                                      "output too: keep either it or this line")
            return next(iter(self.listed.values())), self.listed
        if self.last_called is not None:
            return self.last_called, {name: ref for name, (ref, _) in self.called.items()}
        return None

    def call(self, stmt: ast.stmt, scope: Scope) -> None:
        """A skipped line: an output when it is ``get_gradients(y)`` (once however often)."""
        name = _gradients_of(stmt)
        if name is None:
            return
        if name.id not in scope.names:
            raise self.source.error_at(
                name, f"`{name.id}` has no value here: `get_gradients({name.id})` names the "
                      f"output, so put it below the line that computes `{name.id}`")
        ref = scope.names[name.id]
        earlier, line = self.called.setdefault(name.id, (ref, stmt.lineno))
        if earlier != ref:
            raise self.source.error_at(
                name, f"`{name.id}` has a new value since `get_gradients({name.id})` on line "
                      f"{line}, and both are outputs: give the new value its own name")
        self.last_called = ref

    def listed_on(self, stmt: ast.Assign, scope: Scope, last: ast.stmt) -> None:
        """The names on the line ``outputs = y, z``, each an output, in order."""
        if stmt is not last:
            raise self.source.error_at(stmt, "`outputs = ...` names the program's outputs: "
                                             "make it the last line")
        items = stmt.value.elts
        if not items:
            raise self.source.error_at(stmt.value, "`outputs = ...` needs a name, like "
                                                   "`outputs = y, z`")
        if len(items) > MAX_OUTPUTS:
            raise self.source.error_at(items[MAX_OUTPUTS], f"more than {MAX_OUTPUTS} outputs")
        for item in items:
            if not isinstance(item, ast.Name):
                raise self.source.error_at(
                    item, f"`{self.source.segment(item)}` is not a name: `outputs = ...` "
                          "lists names computed above it, like `outputs = y, z`")
            if item.id in self.listed:
                raise self.source.error_at(item, f"`{item.id}` is listed twice: each output "
                                                 "once")
            if item.id not in scope.names:
                raise self.source.error_at(
                    item, f"`{item.id}` has no value here: `outputs = ...` lists names "
                          f"computed above it, so compute `{item.id}` first")
            self.listed[item.id] = scope.names[item.id]
        self.listed_line = stmt


def _unassigned(free_lines: dict[str, int], names: dict) -> tuple[Unassigned, ...]:
    """Each free name with the closest name the top level gives a value (case aside), as
    difflib judges close: ``bb`` finds ``b``; ``x`` finds nothing beside ``a`` and ``b``."""
    given = {name.lower(): name for name in sorted(names) if name not in free_lines}
    found = []
    for name, line in free_lines.items():
        close = difflib.get_close_matches(name.lower(), list(given), n=1)
        found.append(Unassigned(name, line, given[close[0]] if close else None))
    return tuple(found)


def _skipped(stmt: ast.stmt, top: bool, several: bool = False) -> str | None:
    """Why a line is skipped ("" for silently), or None when it is part of the program
    (``several``: the program's get_gradients lines name several outputs)."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return "import skipped (everything a program needs is built in)"
    if isinstance(stmt, ast.Expr) and calls(stmt.value, "print"):
        return "print(...) skipped (values and gradients are shown for you)"
    if isinstance(stmt, (ast.Expr, ast.Assign)) and calls(stmt.value, "get_gradients"):
        name = _gradients_of(stmt) if top else None
        if name is not None:
            return (f"get_gradients({name.id}) skipped: `{name.id}` is "
                    f"{'an' if several else 'the'} output (gradients are computed for you)")
        return "get_gradients(...) skipped (gradients are computed for you)"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
            and isinstance(stmt.value.value, str):
        return ""  # a docstring
    return None


def _outputs_line(stmt: ast.stmt) -> bool:
    """Is ``stmt`` the line naming the outputs, ``outputs = y, z`` (or ``[y, z]``)?"""
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == "outputs"
            and isinstance(stmt.value, (ast.Tuple, ast.List)))


def _gradients_of(stmt: ast.stmt) -> ast.Name | None:
    """The name in a line ``get_gradients(y)`` or ``g = get_gradients(y)``, else None."""
    value = getattr(stmt, "value", None)
    if not isinstance(stmt, (ast.Expr, ast.Assign)) or not calls(value, "get_gradients"):
        return None
    if len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.Name):
        return value.args[0]
    return None


def _params(source: Source, stmt: ast.FunctionDef, reserved: frozenset[str]) -> tuple[str, ...]:
    args = stmt.args
    if (stmt.decorator_list or args.posonlyargs or args.kwonlyargs or args.vararg
            or args.kwarg or args.defaults or stmt.returns
            or any(a.annotation for a in args.args)):
        raise source.error_at(stmt, f"`def {stmt.name}(...)`: only plain parameters "
                                         "are allowed, like `def f(a, b):`")
    for param in args.args:
        problem = name_problem(param.arg, reserved)
        if problem:
            raise source.error_at(param, f"`{param.arg}` cannot be a parameter: "
                                              f"{problem}")
    return tuple(a.arg for a in args.args)


def _leaf_number(source: Source, value: ast.expr) -> ast.expr | None:
    """The number node of `4`, `-2.5`, `Var(4)` or `Var(-2.5)`, else None."""
    if calls(value, "Var"):
        call = value
        if len(call.args) != 1 or call.keywords or number_of(call.args[0]) is None:
            raise source.error_at(call, "`Var` takes one number, like `Var(4)` or "
                                             "`Var(-2.5)`")
        return call.args[0]
    return value if number_of(value) is not None else None
