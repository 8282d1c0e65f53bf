"""Property-based tests: whatever the text, only a ProgramError ever escapes, and
well-formed programs compute what the seed's operators compute."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiff.program import Program, ProgramError, compile_program, read_inputs

# Python warns while parsing text such as `1if`; program.py silences that for its own
# pseudo-file, but pytest resets warning filters for every test.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

FUZZ = settings(max_examples=300, deadline=2000,  # ms: a hang guard, not a speed test
                suppress_health_check=[HealthCheck.too_slow])

NAMES = ["a", "b", "x", "y", "f", "g", "_x", "sin", "log", "Var", "print", "q"]
TOKENS = [
    *NAMES, "0", "1", "2.5", "-3", "1e3", "1e400", "9" * 40, "1j", "True", "None", "'s'",
    "+", "-", "*", "/", "**", "^", "//", "%", "@", "<", "==", "and", "not", "~",
    "(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "+=", ":=", "lambda", "if", "else",
    "for", "in", "def", "return", "import", "from", "class", "__class__", "#", "\n",
    "\n    ", "\t", " ", "\\", ";", "f'", "'", '"', "yield", "Var(", "sin(", "print(",
    "get_gradients(", "\u200b", "\u00b2", "\uff53", "\x00", "\r\n",
]


def outcome(text: str, values=None) -> object:
    """The Program, or the ProgramError; any other exception fails the test."""
    try:
        read_inputs(text)
    except ProgramError:
        pass
    try:
        return compile_program(text, values)
    except ProgramError as exc:
        assert isinstance(exc.message, str) and exc.message
        assert exc.line is None or exc.line >= 1
        assert exc.column is None or exc.column >= 1
        str(exc)
        return exc


@FUZZ
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    outcome(text, {"x": 1.0, "a": 2.0})


@FUZZ
@given(st.text(alphabet="abxyfq0123456789.eE+-*/^()=, \n\t#:_[]'\"", max_size=200))
def test_text_from_the_grammar_alphabet(text):
    outcome(text, {"x": 1.0, "a": 2.0, "b": 0.5, "y": -1.0, "q": 3.0})


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.lists(st.booleans(), max_size=60))
def test_token_soup(tokens, spaces):
    text = "".join(t + (" " if s else "") for t, s in zip(tokens, spaces + [False] * 60,
                                                        strict=False))
    outcome(text, {"x": 1.0, "a": 2.0, "b": 0.5, "y": -1.0, "q": 3.0})


@FUZZ
@given(st.dictionaries(st.text(max_size=5), st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(),
    st.none(), st.text(max_size=3)), max_size=4))
def test_any_values(values):
    outcome("y = a * x + 1", values)


# ---- well-formed programs: the value is what the seed's operators compute ----

INPUTS = {"a": 1.5, "b": -0.75, "c": 2.0}


class Unsafe(Exception):
    """The reference computation left the real, finite numbers."""


def _check(v: float) -> float:
    if isinstance(v, complex) or not math.isfinite(v):
        raise Unsafe
    return v


def _ref_pow(x: float, n: float) -> float:
    try:
        return _check(math.pow(x, n))
    except (ValueError, OverflowError) as exc:
        raise Unsafe from exc


UNARY = {
    "sin": math.sin, "cos": math.cos, "tanh": math.tanh, "exp": math.exp,
    "log": math.log, "sqrt": math.sqrt, "abs": abs,
}


def expressions():
    leaves = st.one_of(
        st.sampled_from(sorted(INPUTS)).map(lambda n: (n, INPUTS[n])),
        st.sampled_from([0.5, 1.0, 2.0, 3.0]).map(lambda v: (repr(v), v)),
    )

    def extend(inner):
        def binary(pair, op):
            (lt, lv), (rt, rv) = pair
            text = f"({lt} {op} {rt})"
            # the seed's operators: a - b is a + (-b), a / b is a * (1/b)
            if op == "+":
                value = lambda: lv() + rv()  # noqa: E731
            elif op == "-":
                value = lambda: lv() + -1 * rv()  # noqa: E731
            elif op == "*":
                value = lambda: lv() * rv()  # noqa: E731
            else:
                value = lambda: lv() * _check(1 / rv()) if rv() != 0 else _raise()  # noqa: E731
            return text, value

        def unary(item, name):
            text, v = item
            return f"{name}({text})", lambda: _apply(name, v())

        def power(item, n):
            text, v = item
            return f"({text}) ^ {n}", lambda: _ref_pow(v(), float(n))

        return st.one_of(
            st.tuples(st.tuples(inner, inner), st.sampled_from("+-*/")).map(
                lambda t: binary(*t)),
            st.tuples(inner, st.sampled_from(sorted(UNARY))).map(lambda t: unary(*t)),
            st.tuples(inner, st.sampled_from([2, 3, -1])).map(lambda t: power(*t)),
        )

    wrapped = leaves.map(lambda leaf: (leaf[0], (lambda v=leaf[1]: v)))
    return st.recursive(wrapped, extend, max_leaves=12)


def _raise():
    raise Unsafe


def _apply(name: str, x: float) -> float:
    if name == "log" and x <= 0 or name == "sqrt" and x <= 0:
        raise Unsafe
    try:
        return _check(UNARY[name](x))
    except OverflowError as exc:
        raise Unsafe from exc


@settings(max_examples=300, deadline=2000)
@given(expressions(), st.booleans())
def test_well_formed_programs_compute_like_the_seed(expression, as_function):
    text, reference = expression
    if as_function:
        program = ("a = Var(1.5)\nb = -0.75\ndef f(a, b, c):\n    t = " + text
                   + "\n    return t\ny = f(a, b, c)")
        values = {"c": 2.0}
    else:
        program, values = "y = " + text, INPUTS
    try:
        expected = _check(reference())
    except (Unsafe, ZeroDivisionError, OverflowError):
        expected = None
    result = outcome(program, values)
    if isinstance(result, Program) and expected is not None:
        assert math.isclose(result.output.value, expected, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(result, ProgramError):
        # Refused only where the reference also failed, or where a local derivative
        # would not be finite (an op the engine checks but the value alone does not show).
        assert expected is None or "too large" in result.message or " of " in result.message


@FUZZ
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8),
       st.lists(st.sampled_from(["+", "*", "-", "/"]), min_size=7, max_size=7))
def test_read_inputs_agrees_with_compile(names, ops):
    text = names[0] + "".join(f" {op} {n}" for op, n in zip(ops, names[1:], strict=False))
    inputs = read_inputs(text)
    assert [i.name for i in inputs] == list(dict.fromkeys(names))
    result = outcome(text, dict.fromkeys(names, 2.0))
    if isinstance(result, Program):
        assert result.inputs == inputs
