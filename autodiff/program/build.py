"""Pass two: engine nodes from a program's description and a set of input values.

Building is a straight loop over the steps: no walk, no limits (pass one counted them).
The only errors left are the ones that depend on values — an input without one, or an op
given a value outside its domain (``log(-1)``, ``1/0``) — and each points at the
expression that caused it, with the calls it was inlined through.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from numbers import Real

from ..core.numbers import MESSAGE, PLAIN, fmt
from ..core.ops import Const, DomainError, Node, Pow, PowConst, Var
from .ir import Description, Number, ReadInput, Step, Where
from .text import ProgramError, segment

__all__ = ["build_nodes", "did_you_mean"]


def build_nodes(description: Description, values: Mapping[str, float | None]) -> list[Node]:
    """Every step's node of ``description`` built with ``values`` (input name -> value), in
    order: the output is ``nodes[description.output.index]``, and so on for each of
    ``description.outputs``."""
    nodes: list[Node] = []
    for step in description.steps:
        nodes.append(_build_step(step, nodes, values, description))
    if description.stopped is not None:  # a limit, reached after these steps
        raise description.stopped
    return nodes


def _build_step(step: Step, nodes: list[Node], values: Mapping[str, float | None],
                description: Description) -> Node:
    lines, expression = description.lines, step.expression
    if isinstance(expression, ReadInput):
        value = values.get(expression.name)
        if value is None:
            name = expression.name
            raise _error(lines, step.where,
                         f"`{name}` has no value: add a line `{name} = 1.0` above, or give it "
                         f"a value{did_you_mean(name, description)}")
        return Var(value, name=step.name)
    if isinstance(expression, Number):
        return Const(expression.value, name=step.name)
    args: list = [nodes[ref.index] for ref in expression.args]
    if expression.op is PowConst:  # its exponent is a number, built from numbers only
        args[1] = args[1].value
    try:
        return expression.op(*args, name=step.name)
    except DomainError as exc:
        message = _domain_message(exc, _text(lines, step.where))
        # a negative base: exc.value is the base (a result too large names both operands)
        if expression.op is Pow and isinstance(exc.value, Real) and exc.value < 0:
            message = _input_exponent_message(exc, step, nodes, description)
        raise _error(lines, step.where, message) from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise _error(lines, step.where, f"`{_text(lines, step.where)}` cannot be computed: "
                                        f"{exc}") from None


def _error(lines: tuple[str, ...], where: Where, message: str) -> ProgramError:
    """A ProgramError at ``where``, naming the inlined calls it happened in."""
    error = ProgramError(message, where.line, where.column, lines[where.line - 1])
    for function, line in where.calls:  # innermost first, as the calls unwind
        if error.line != line:
            error.add_call(function, line)
    return error


def _text(lines: tuple[str, ...], where: Where) -> str:
    """The expression as typed, on one line and shortened, for a message."""
    return segment(lines, where.line, where.column - 1, where.end_line, where.end_column)


def _domain_message(exc: DomainError, shown: str) -> str:
    if "too large" in exc.reason or "overflow" in exc.reason:
        return f"`{shown}` is too large to compute (a float holds at most about 1.8e308)"
    if exc.op == "inv":
        return f"division by zero in `{shown}`"
    return f"{exc.op} of {fmt(exc.value, MESSAGE)} in `{shown}`: {exc.reason}"


def _input_exponent_message(exc: DomainError, step: Step, nodes: list[Node],
                            description: Description) -> str:
    """A negative base to a power whose exponent is an input (``k = 6`` makes ``k`` an
    input, so ``x ** k`` is Pow): say so, and how to make the exponent a constant."""
    lines = description.lines
    base_ref, exponent_ref = step.expression.args
    exponent_step = description.steps[exponent_ref.index]
    n = nodes[exponent_ref.index].value
    where = f"pow of {fmt(exc.value, MESSAGE)} in `{_text(lines, step.where)}`"
    if n % 1:  # not a whole number: a constant exponent would not do either
        return f"{where}: a negative number to the power {fmt(n, PLAIN)} is not real"
    read = exponent_step.expression
    if isinstance(read, ReadInput):
        exponent = read.name
        what = f"is an input (a line like `{exponent} = {fmt(n, PLAIN)}` makes one)"
    else:
        exponent = exponent_step.name or _text(lines, exponent_step.where)
        what = "depends on an input"
    base = description.steps[base_ref.index]
    return (f"{where}: the exponent `{exponent}` {what}, so the base must be > 0. For a fixed "
            f"power, write the number in place of `{exponent}`: "
            f"`{_operand(base.name or _text(lines, base.where))} ** {fmt(n, PLAIN)}`")


def _operand(text: str) -> str:
    """``text`` as the left operand of ``**``: in brackets unless it is a name, a number or
    a call."""
    try:
        simple = isinstance(ast.parse(text, mode="eval").body, (ast.Name, ast.Constant, ast.Call))
    except SyntaxError:  # a shortened text ("...")
        simple = False
    return text if simple else f"({text})"


def did_you_mean(name: str, description: Description) -> str:
    """`` (did you mean `b`?)`` when a name the program never assigns is close to one it
    does, else nothing: the end of a message about ``name``."""
    closest = next((u.closest for u in description.unassigned if u.name == name), None)
    return f" (did you mean `{closest}`?)" if closest else ""
