"""Random valid programs against an independent oracle (sympy and mpmath): the value, the
first gradients and the second derivatives of every program agree, and no valid program is
refused.

A program is drawn together with its meaning: each expression is a tree whose nodes carry
the program text, the sympy expression and the value at the drawn point in 50-digit mpmath.
The generator uses every operator (``+ - * / ** ^`` and unary minus), every function
(``sin cos tan exp log sqrt tanh sigmoid relu abs``), every class form (``Add Mul Neg Inv Sin
Exp Log Cos Tan Sqrt Tanh Sigmoid Relu Abs Pow``) and the three ways to make an input
(``x = 1.5``, ``x = Var(1.5)``, a name never assigned), with or without a ``def``.

Valid means the point lies inside every op's domain, with a margin: an op whose argument is
outside it (``log`` of a number <= 0, ``1/0``, a negative base to a power that is not a
whole number, a power whose exponent is an input at a base <= 0, ``sqrt`` at 0 where its
derivative is infinite), or at a kink where no derivative exists (``relu`` and ``abs`` at
0, where the engine's 0 is a convention, not a value an oracle can check), or within 1e-6 of
such a point (where floats and exact numbers can fall on different sides; tan stays 1e-3
away from its poles, where a float's last digit moves its value a lot), is not drawn: the
generator keeps the operand instead of applying that op. Values are kept under 1e8 in size,
so no derivative overflows a float. Inputs and constants are multiples of 1/8, which floats
hold exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import sympy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from autodiff import gradients
from autodiff.higher import hessian
from autodiff.program import compile_program

mpmath.mp.dps = 50
NAMES = ("x", "y", "z")
SYMBOLS = {name: sympy.Symbol(name, real=True) for name in NAMES}
MARGIN = 1e-6  # how far from a domain's edge or a kink a valid point stays
LARGEST = 1e8  # the largest value a node may take
CONSTANTS = (0.25, 0.5, 1, 1.5, 2, 3)
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, 0, 1)  # constant exponents, whole numbers and not


@dataclass(frozen=True)
class Expr:
    text: str  # as the program writes it
    sym: sympy.Expr  # the oracle's expression
    value: mpmath.mpf  # its exact value at the point
    inputs: frozenset[str]  # the names it reads (none: a constant, for `**`)
    literal: bool = False  # a number as written (a constant exponent's own digits)


def _sigmoid(u):
    return 1 / (1 + sympy.exp(-u))


def _positive(u):
    return u > MARGIN


def _away_from_0(u):
    return abs(u) > MARGIN


# name -> (the forms a program writes it in, the oracle's function, mpmath's, the domain)
UNARY = {
    "neg": (("-({})", "Neg({})"), lambda u: -u, lambda u: -u, None),
    "inv": (("Inv({})",), lambda u: 1 / u, lambda u: 1 / u, _away_from_0),
    "sin": (("sin({})", "Sin({})"), sympy.sin, mpmath.sin, None),
    "cos": (("cos({})", "Cos({})"), sympy.cos, mpmath.cos, None),
    "tan": (("tan({})", "Tan({})"), sympy.tan, mpmath.tan, lambda u: abs(mpmath.cos(u)) > 1e-3),
    "exp": (("exp({})", "Exp({})"), sympy.exp, mpmath.exp, lambda u: u < 15),
    "log": (("log({})", "Log({})"), sympy.log, mpmath.log, _positive),
    "sqrt": (("sqrt({})", "Sqrt({})"), sympy.sqrt, mpmath.sqrt, _positive),
    "tanh": (("tanh({})", "Tanh({})"), sympy.tanh, mpmath.tanh, None),
    "sigmoid": (("sigmoid({})", "Sigmoid({})"), _sigmoid, lambda u: 1 / (1 + mpmath.exp(-u)),
                None),
    # relu and abs are smooth away from 0, where every drawn point is: the oracle writes
    # the branch the point is on (u or 0, u or -u), exact for derivatives of any order there
    "relu": (("relu({})", "Relu({})"), None, lambda u: max(u, 0), _away_from_0),
    "abs": (("abs({})", "Abs({})"), None, abs, _away_from_0),
}
BRANCHES = {"relu": lambda u, positive: u if positive else sympy.Integer(0),
            "abs": lambda u, positive: u if positive else -u}
BINARY = {
    "add": (("({}) + ({})", "Add({}, {})"), lambda a, b: a + b),
    "sub": (("({}) - ({})",), lambda a, b: a - b),
    "mul": (("({}) * ({})", "Mul({}, {})"), lambda a, b: a * b),
    "div": (("({}) / ({})",), lambda a, b: a / b),
    "pow": (("({}) ** ({})", "({}) ^ ({})", "Pow({}, {})"), lambda a, b: a ** b),
}


def _power_is_valid(base: Expr, exponent: Expr) -> bool:
    a, n = base.value, exponent.value
    if exponent.inputs:  # an input in the exponent: Pow, defined for a base > 0 only
        return a > MARGIN
    if not exponent.literal:  # a computed constant: its float may not be whole where
        return a > MARGIN  # the exact one is, so a negative base is left out
    whole = n == int(n)
    if abs(a) <= MARGIN:
        return a == 0 and whole and n >= 0  # 0**n: a pole below 0, no derivative in (0, 1)
    return a > 0 or whole


def _is_valid(op: str, a: Expr, b: Expr) -> bool:
    if op == "div":
        return _away_from_0(b.value)
    if op == "pow":
        return _power_is_valid(a, b)
    return True


@st.composite
def expressions(draw, point: dict, depth: int) -> Expr:
    kind = draw(st.sampled_from(["leaf"] if depth == 0 else ["unary", "binary"]))
    if kind == "leaf":
        if draw(st.booleans()):
            name = draw(st.sampled_from(NAMES))
            return Expr(name, SYMBOLS[name], mpmath.mpf(point[name]), frozenset({name}))
        number = draw(st.sampled_from(CONSTANTS))
        return Expr(str(number), sympy.Rational(number), mpmath.mpf(number), frozenset(),
                    literal=True)
    if kind == "unary":
        op = draw(st.sampled_from(sorted(UNARY)))
        forms, oracle, exact, domain = UNARY[op]
        u = draw(expressions(point, depth - 1))
        if domain is not None and not domain(u.value):
            return u  # outside the op's domain at this point: keep the operand
        sym = oracle(u.sym) if oracle else BRANCHES[op](u.sym, u.value > 0)
        return _checked(Expr(draw(st.sampled_from(forms)).format(u.text), sym,
                             exact(u.value), u.inputs), u)
    op = draw(st.sampled_from(sorted(BINARY)))
    forms, oracle = BINARY[op]
    a = draw(expressions(point, depth - 1))
    if op == "pow" and draw(st.booleans()):  # a constant exponent, often at a negative base
        n = draw(st.sampled_from(EXPONENTS))
        b = Expr(str(n), sympy.Rational(n), mpmath.mpf(n), frozenset(), literal=True)
    else:
        b = draw(expressions(point, depth - 1))
    if not _is_valid(op, a, b):
        return a
    return _checked(Expr(draw(st.sampled_from(forms)).format(a.text, b.text),
                         oracle(a.sym, b.sym), oracle(a.value, b.value), a.inputs | b.inputs),
                    a)


def _checked(made: Expr, fallback: Expr) -> Expr:
    """``made``, unless its value is too large for every derivative to stay a float."""
    return made if abs(made.value) < LARGEST else fallback


@st.composite
def programs(draw) -> tuple[str, dict, dict, Expr, set]:
    """(program text, values given, the point, the output's expression, its inputs)."""
    point = {name: draw(st.integers(-24, 24)) / 8 for name in NAMES}
    expression = draw(expressions(point, depth=draw(st.integers(1, 5))))
    lines, given = [], {}
    for name in NAMES:
        style = draw(st.sampled_from(["line", "Var", "never assigned"]))
        if style == "line":
            lines.append(f"{name} = {point[name]}")
        elif style == "Var":
            lines.append(f"{name} = Var({point[name]})")
        else:
            given[name] = point[name]
    # `out = -(0.25)` would make `out` an input: a constant is written as a sum
    body = expression.text if expression.inputs else f"({expression.text}) + 0"
    if draw(st.booleans()):  # inlined: every name becomes an input through the call
        lines += ["def f(x, y, z):", f"    t = {body}", "    return t", "out = f(x, y, z)"]
        inputs = set(NAMES)
    else:
        lines.append(f"out = {body}")
        inputs = {n for n in NAMES if n not in given} | expression.inputs
    return "\n".join(lines), given, point, expression, inputs


def _oracle(expression: Expr, inputs: list[str], point: dict):
    """The exact value, gradient and Hessian at ``point`` (50-digit mpmath)."""
    symbols = [SYMBOLS[n] for n in NAMES]
    first = [sympy.diff(expression.sym, SYMBOLS[a]) for a in inputs]
    second = [[sympy.diff(d, SYMBOLS[b]) for b in inputs] for d in first]
    # sympy may write a kink it finds itself (sqrt(x**2) is Abs(x)) with a DiracDelta in its
    # second derivative: 0 away from the kink, where every drawn point is
    evaluate = sympy.lambdify(symbols, [expression.sym, first, second],
                              modules=[{"DiracDelta": lambda *args: 0}, "mpmath"])
    return evaluate(*(mpmath.mpf(point[n]) for n in NAMES))


def _close(engine: float, exact, scale: float) -> bool:
    return math.isclose(engine, float(exact), rel_tol=1e-8, abs_tol=1e-10 * scale)


def _example(text: str, point: dict, sym: sympy.Expr, inputs: set) -> tuple:
    """A program as ``programs()`` draws it, written by hand."""
    value = sympy.lambdify(list(SYMBOLS.values()), sym, modules="mpmath")(
        *(mpmath.mpf(point.get(n, 0)) for n in NAMES))
    given = {n: point[n] for n in inputs if f"{n} = " not in text}
    expression = Expr(text.rsplit("out = ", 1)[1], sym, value, frozenset(inputs))
    return text, given, dict.fromkeys(NAMES, 0.0) | point, expression, inputs


X, Y = SYMBOLS["x"], SYMBOLS["y"]


# Bounded in time: sympy differentiates each program twice; 200 programs take a few seconds.
# The examples are the valid programs found refused before (the class form of `**` at a
# negative base), so that every run checks them whatever it draws.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
@example(_example("x = -1.5\nout = Pow(x, 2)", {"x": -1.5}, X ** 2, {"x"}))
@example(_example("out = Pow(sin(x) - 1, 3) * y", {"x": -0.5, "y": 2.0},
                  (sympy.sin(X) - 1) ** 3 * Y, {"x", "y"}))
def test_random_programs_agree_with_the_oracle_and_none_is_refused(drawn):
    text, given, point, expression, inputs = drawn
    program = compile_program(text, given)  # a valid program: a refusal fails the test
    names = [i.name for i in program.inputs]
    assert set(names) == inputs
    value, first, second = _oracle(expression, names, point)
    engine = program.graph.engine
    nodes = [engine.get(a) for a in names]  # None: the output does not depend on it
    found = gradients(program.output)
    table = hessian(program.output, [n for n in nodes if n is not None])
    got_first = [found.get(n, 0.0) if n is not None else 0.0 for n in nodes]
    got_second = [[table.get((m, n), 0.0) if m is not None and n is not None else 0.0
                   for n in nodes] for m in nodes]
    scale = 1 + max(abs(float(q)) for q in [value, *first, *sum(second, [])])
    assert _close(program.output.value, value, scale), (text, program.output.value, value)
    for a, got, exact in zip(names, got_first, first, strict=True):
        assert _close(got, exact, scale), (text, a, got, exact)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert _close(got_second[i][j], second[i][j], scale), (
                text, a, b, got_second[i][j], second[i][j])
