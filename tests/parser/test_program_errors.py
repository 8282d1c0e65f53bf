"""Every refusal is one ProgramError with plain words and the spot (line, column)."""

from __future__ import annotations

import math

import pytest

from autodiff import program as prog
from autodiff.program import ProgramError, compile_program, read_inputs

VALUES = {"x": 2.0, "y": 3.0, "a": 1.0, "b": 2.0}


def refused(text: str, values=VALUES) -> ProgramError:
    with pytest.raises(ProgramError) as info:
        compile_program(text, values)
    return info.value


# (program, words the message must contain, line, column): column is 1-based, as typed.
CASES = [
    # the brief's own examples
    ("y = x.__class__", "`x.__class__`: attributes are not allowed", 1, 5),
    ("y = log(x, 2)", "`log` takes 1 argument, got 2", 1, 5),
    ("a = 1\ny = q * a", "`q` has no value: add a line `q = 1.0`", 2, 5),
    ("a = 1\nb = 2\ne = a - b * 2\nf = log(e)",
     "log of -3.0 in `log(e)`: log needs a positive number", 4, 5),
    # syntax outside the language
    ("y = x // 2", "`//` (floor division) is not allowed: use `/`", 1, 7),
    ("y = x % 2", "`%` (remainder) is not allowed", 1, 7),
    ("y = x @ x", "`@` (matrix product) is not allowed", 1, 7),
    ("y = (x + 1) << 2", "`<<` is not allowed", 1, 13),
    ("y = x & 1", "`&` is not allowed", 1, 7),
    ("y = not x", "`not` is not allowed", 1, 5),
    ("y = ~x", "`~` is not allowed", 1, 5),
    ("y = x[0]", "`x[0]`: indexing (`x[...]`) is not allowed", 1, 5),
    ("y = (lambda: 1)()", "`lambda: 1`: `lambda` is not allowed", 1, 6),
    ("y = [x for x in range(10)]", "comprehensions are not allowed", 1, 5),
    ("y = (z := 2)", "`:=` is not allowed", 1, 6),
    ("y = f'{x}'", "f-strings are not allowed", 1, 5),
    ("y = 'a' * 10", "`'a'`: text in quotes is not allowed", 1, 5),
    ("y = True * x", "`True`: `True` and `False` are not numbers here", 1, 5),
    ("y = 1j * x", "`1j`: complex numbers are not allowed", 1, 5),
    ("y = None", "only numbers are allowed here", 1, 5),
    ("y = x if x else 1", "`... if ... else ...` is not allowed", 1, 5),
    ("y = x < 1", "comparisons are not allowed", 1, 5),
    ("y = x and 1", "`and` / `or` are not allowed", 1, 5),
    ("y = (x, 1)", "tuples are not allowed", 1, 5),
    ("y = [x]", "lists are not allowed", 1, 5),
    ("y = {x: 1}", "dicts are not allowed", 1, 5),
    ("y = sin(x, y=1)", "`sin(x, y=1)`: keyword arguments (`y=`) are not allowed", 1, 12),
    ("y = sin(**{})", "keyword arguments (`**`) are not allowed", 1, 9),
    ("y = sin(*[x])", "`*[x]`: `*` unpacking is not allowed", 1, 9),
    ("y = sin", "`sin` is a function: call it, like `sin(x)`", 1, 5),
    ("x = 1\ny = x(1)", "`x` is a value here, not a function", 2, 5),
    ("y = q(1)", "`q` is not a function here", 1, 5),
    ("y = open('f')", "`open` is not a function here", 1, 5),
    ("y = eval('1')", "`eval` is not a function here", 1, 5),
    ("y = __import__('os').system('id')", "attributes are not allowed", 1, 5),
    ("y = __import__('os')", "`__import__`: names cannot start with `_`", 1, 5),
    ("y = _x + 1", "`_x`: names cannot start with `_`", 1, 5),
    ("y = ().__class__.__base__.__subclasses__()", "attributes are not allowed", 1, 5),
    ("y = x.real()", "`x.real`: attributes are not allowed", 1, 5),
    ("y = 2x", "write `2 * x`, not `2x`", 1, 5),
    ("y = (x + 1", "not valid Python: '(' was never closed", 1, 5),
    ("y = x +", "not valid Python: invalid syntax", 1, 8),
    ("y = x ^ ^ 2", "not valid Python", 1, 9),  # the caret is under the second `^` as typed
    ("y = 1e400 * x", "`1e400` is too large: numbers must be between -1e+15 and 1e+15", 1, 5),
    ("y = 2e15 * x", "`2e15` is too large", 1, 5),
    ("y = " + "9" * 5000, "this number has too many digits", 1, 5),
    # statements outside the language
    ("for i in x:\n    y = i", "`for` loops are not allowed", 1, 1),
    ("while x:\n    y = 1", "`while` loops are not allowed", 1, 1),
    ("if x:\n    y = 1", "`if` is not allowed", 1, 1),
    ("class Var:\n    pass", "classes are not allowed: Var, Add, Mul", 1, 1),
    ("with x:\n    y = 1", "`with` is not allowed", 1, 1),
    ("try:\n    y = 1\nexcept E:\n    y = 2", "`try` is not allowed", 1, 1),
    ("y: float = 1", "type annotations are not allowed", 1, 1),
    ("del x", "`del` is not allowed", 1, 1),
    ("global x", "`global` is not allowed", 1, 1),
    ("assert x", "`assert` is not allowed", 1, 1),
    ("raise x", "`raise` is not allowed", 1, 1),
    ("async def f():\n    return 1", "`async def` is not allowed", 1, 1),
    ("a = b = 1", "assign one name per line", 1, 1),
    ("a, b = 1, 2", "only a plain name can be assigned", 1, 1),
    ("x.y = 1", "only a plain name can be assigned", 1, 1),
    ("x[0] = 1", "only a plain name can be assigned", 1, 1),
    ("return x", "`return` is only allowed at the end of a function", 1, 1),
    ("y = x * 2\nx + 1\nz = y", "an expression on its own is only allowed on the last line", 2, 1),
    # names
    ("sin = 3", "`sin` is the name of a built-in function", 1, 1),
    ("print = 3\ny = 1", "`print` is the name of a built-in function", 1, 1),
    ("Var = 3", "`Var` is the name of a built-in function", 1, 1),
    ("y = " + "v" * 41, "names can have at most 40 characters", 1, 5),
    ("y = print(x)", "`print(...)` can only be on a line of its own", 1, 5),
    ("y = x * Var(2)", "`Var(...)` makes an input: write it on a line of its own", 1, 9),
    ("a = Var(x)", "`Var` takes one number, like `Var(4)`", 1, 5),
    ("a = Var(1, 2)", "`Var` takes one number", 1, 5),
    ("a = Var(4)\na = Var(5)", "`a` is already an input (line 1): pick another name", 2, 1),
    ("y = q * 2\nq = 3", "`q` is used on line 1 before this line gives it a value", 2, 1),
    ("y += 1", "`y` has no value yet: write `y = ...` first", 1, 1),
    ("y = foo(x)", "`foo` is not a function here", 1, 5),
    # functions
    ("def f(a):\n    return g(a)\ndef g(a):\n    return a\ny = f(1)",
     "`g` is not a function here", 2, 12),
    ("def f(a):\n    return f(a)\ny = f(1)", "`f` cannot call itself (no recursion)", 2, 12),
    ("def f(a):\n    return a\ny = f(1, 2)", "`f` takes 1 argument, got 2", 3, 5),
    ("def f(a, b):\n    return a\ny = f(1)", "`f` takes 2 arguments, got 1", 3, 5),
    ("def f(a):\n    return a * q\ny = f(1)", "`q` is not defined in `f`", 2, 16),
    ("def f(a):\n    b = a\n    return c\ny = f(1)", "`c` is not defined in `f`", 3, 12),
    ("def f(a):\n    b = a * 2", "`f` needs a `return` line at its end", 1, 1),
    ("def f(a):\n    return a\n    b = a", "`f` needs a `return` line at its end", 1, 1),
    ("def f(a):\n    return a\n    return a", "`return` must be the last line of `f`", 2, 5),
    ("def f(a):\n    return\ny = f(1)", "`return` needs a value", 2, 5),
    ("def f(a=1):\n    return a", "only plain parameters are allowed", 1, 1),
    ("def f(*a):\n    return a", "only plain parameters are allowed", 1, 1),
    ("def f(a: float):\n    return a", "only plain parameters are allowed", 1, 1),
    ("@g\ndef f(a):\n    return a", "only plain parameters are allowed", 2, 1),
    ("def f(a):\n    def g(b):\n        return b\n    return a",
     "functions can only be defined at the top level", 2, 5),
    ("def f(a):\n    a * 2\n    return a", "an expression on its own does nothing", 2, 5),
    ("def f(a):\n    k = Var(2)\n    return a", "`Var(...)` makes an input", 2, 9),
    ("def sin(a):\n    return a", "`sin` cannot be a function's name", 1, 1),
    ("def _f(a):\n    return a", "names cannot start with `_`", 1, 1),
    ("def f(sin):\n    return sin", "`sin` cannot be a parameter", 1, 7),
    ("a = 1\ndef a(x):\n    return x", "`a` already has a value", 2, 1),
    ("def f(x):\n    return x\nf = 2", "`f` is a function (line 1): pick another name", 3, 1),
    ("def f(x):\n    return x\ny = f", "`f` is a function: call it, like `f(x)`", 3, 5),
    # values an op cannot take, found while building
    ("y = 1 / (x - 2)", "division by zero in `1 / (x - 2)`", 1, 5),
    ("y = sqrt(x - 3)", "sqrt of -1.0 in `sqrt(x - 3)`: sqrt needs a number", 1, 5),
    ("y = (x - 3) ^ 0.5", "pow of -1.0 in `(x - 3) ^ 0.5`", 1, 5),
    ("y = (-x) ^ y", "the exponent `y` is an input", 1, 5),
    ("y = 9**9**9", "`9**9**9` is too large to compute", 1, 5),
    ("y = 9^9^9", "`9^9^9` is too large to compute", 1, 5),
    ("p = 10\nk = 400\ny = p ** k", "`p ** k` is too large to compute", 3, 5),  # an input power
    ("p = 10\nk = 400\ny = Pow(p, k)", "`Pow(p, k)` is too large to compute", 3, 5),
    ("y = exp(1000 * x)", "`exp(1000 * x)` is too large to compute", 1, 5),
    ("y = " + " * ".join(["1e15"] * 21), "is too large to compute", 1, 5),
    ("def f(t):\n    s = log(t - 5)\n    return s\nz = 1\ny = f(x)",
     "log of -3.0 in `log(t - 5)`: log needs a positive number (in `f`, called on line 5)",
     2, 9),
    # empty programs
    ("", "the program is empty", None, None),
    ("   \n\t\n", "the program is empty", None, None),
    ("# only a comment\nimport os", "the program is empty", None, None),
    ("def f(a):\n    return a", "the program has no output", None, None),
]


@pytest.mark.parametrize("text, words, line, column", CASES, ids=[c[0][:40] for c in CASES])
def test_refusal_message_and_position(text, words, line, column):
    err = refused(text)
    assert words in err.message, str(err)
    assert (err.line, err.column) == (line, column), str(err)
    if line is not None:
        assert err.source_line == text.replace("\r\n", "\n").split("\n")[line - 1]
        assert str(err).startswith(f"line {line}, column {column}: {err.message}\n")


@pytest.mark.parametrize("text", [c[0] for c in CASES if "has no value:" not in c[1]
                                  and "is too large to compute" not in c[1]
                                  and " of -" not in c[1] and "division" not in c[1]
                                  and "is an input" not in c[1]])
def test_read_inputs_refuses_the_same_programs_without_building(text):
    with pytest.raises(ProgramError) as caught:
        read_inputs(text)
    built = refused(text)  # the same refusal, at the same spot, as building gives
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        built.message, built.line, built.column)


def test_columns_are_mapped_back_past_carets():
    # `^` is parsed as `**`, one character longer: the column must still be the typed one.
    err = refused("y = x^2 + x^3 + x // 2")
    assert err.column == 19 and err.source_line[err.column - 1:].startswith("//")
    err = refused("y = x^2^2 + x.real")
    assert err.column == 13


def test_errors_in_nested_calls_name_every_call():
    text = ("def g(t):\n    return log(t)\n"
            "def f(t):\n    return g(t - 10)\n"
            "y = f(x)")
    err = refused(text)
    assert err.line == 2
    assert err.message.endswith("(in `g`, called on line 4) (in `f`, called on line 5)")


# ---- values given by the caller ----

@pytest.mark.parametrize("values, words", [
    ({"a": math.nan}, "the value of `a` is nan"),
    ({"a": math.inf}, "the value of `a` is inf"),
    ({"a": 1e16}, "numbers must be between -1e+15 and 1e+15"),
    ({"a": 10**400}, "numbers must be between"),
    ({"a": True}, "the value of `a` must be a number, got True"),
    ({"a": "1"}, "the value of `a` must be a number, got '1'"),
    ({"a": None}, "must be a number, got None"),
    ({1: 2.0}, "input names must be text"),
    ([("a", 1)], "values must be a mapping"),
])
def test_bad_values_are_refused(values, words):
    with pytest.raises(ProgramError) as info:
        compile_program("y = a * 2", values)
    assert words in str(info.value)
    assert info.value.line is None


def test_a_free_name_without_a_value_points_at_its_first_use():
    err = refused("y = 2 * a + q\nz = q * q", {"a": 1.0})
    assert (err.line, err.column) == (1, 13)
    assert err.message == "`q` has no value: add a line `q = 1.0` above, or give it a value"


def test_a_program_must_be_text():
    with pytest.raises(ProgramError, match="a program must be text, got bytes"):
        compile_program(b"y = 1")


# ---- the limits, each with its own message ----

def test_limit_program_chars():
    err = refused("y = 1" + " " * prog.MAX_PROGRAM_CHARS)
    assert err.message == (f"the program has {prog.MAX_PROGRAM_CHARS + 5:,} characters; "
                           f"the limit is {prog.MAX_PROGRAM_CHARS:,}")


def test_limit_lines():
    err = refused("\n" * prog.MAX_LINES + "y = 1")
    assert err.message == f"the program has {prog.MAX_LINES + 1:,} lines; the limit is 500"


def test_limit_bracket_depth_is_checked_in_the_text():
    err = refused("y = " + "(" * (prog.MAX_DEPTH + 1) + "x" + ")" * (prog.MAX_DEPTH + 1))
    assert err.message == f"brackets are nested more than {prog.MAX_DEPTH} deep"
    assert err.column == 4 + prog.MAX_DEPTH + 1
    # brackets spanning lines count too
    err = refused("y = " + "(\n" * (prog.MAX_DEPTH + 1) + "x" + ")" * (prog.MAX_DEPTH + 1))
    assert "brackets are nested" in err.message and err.line == prog.MAX_DEPTH + 1


def test_limit_sign_run():
    err = refused("y = " + "- " * (prog.MAX_SIGN_RUN + 1) + "x")
    assert err.message == f"more than {prog.MAX_SIGN_RUN} signs in a row"
    assert compile_program("y = " + "-" * prog.MAX_SIGN_RUN + "x", VALUES).output.value == 2.0


def test_limit_expression_depth_counts_real_nesting_and_calls():
    # A flat chain is not nesting (see test_flat_chains_are_not_nesting); a right-nested one is.
    chain = "y = " + " ** ".join(["x"] * (prog.MAX_DEPTH + 5))
    err = refused(chain)
    assert f"nested more than {prog.MAX_DEPTH} deep" in err.message
    assert "a flat chain like `a + b + c` does not" in err.message
    # A call chain through functions adds up the depth of each body.
    lines = ["def f0(t):\n    return " + "(" * 30 + "t" + ")" * 30 + " + 1"]
    lines += [f"def f{i}(t):\n    return (f{i - 1}(t) + 1)" for i in range(1, 40)]
    err = refused("\n".join(lines) + "\ny = f39(x)")
    assert f"nested more than {prog.MAX_DEPTH} deep" in err.message


@pytest.mark.parametrize("operator", ["+", "-", "*", "/"])
def test_flat_chains_of_up_to_1000_terms_are_not_nesting(operator):
    # A sum of 100 inputs, and of 1,000 terms (at most 100 inputs, so 10 of them repeat).
    names = [f"x{i}" for i in range(1, 101)]
    wide = compile_program("y = " + f" {operator} ".join(names), dict.fromkeys(names, 1.0))
    assert len(wide.inputs) == 100
    terms = [f"x{i % 10}" for i in range(1000)]
    values = {f"x{i}": 1.0 + i / 10 for i in range(10)}
    long = compile_program("y = " + f" {operator} ".join(terms), values)
    expected = values[terms[0]]
    for term in terms[1:]:
        expected = {"+": expected.__add__, "-": expected.__sub__, "*": expected.__mul__,
                    "/": expected.__truediv__}[operator](values[term])
    assert long.output.value == pytest.approx(expected, rel=1e-9)
    # mixed operators and terms that are products are flat too
    mixed = "y = " + " + ".join(f"{t} * {t} - 1" for t in terms[:500])
    assert compile_program(mixed, values).output.value == pytest.approx(
        sum(values[t] ** 2 - 1 for t in terms[:500]))


def test_a_flat_chain_is_still_bounded_by_the_size_limits():
    err = refused("y = " + " - ".join(["x"] * 2_600))  # 2 nodes a term
    assert err.message.startswith(f"the program builds more than {prog.MAX_NODES:,} nodes")
    err = refused("y = " + "+".join(["x"] * 9_000))  # Python's own parser stops here
    assert "nested too deeply for the parser" in err.message


def test_limit_nodes_counts_every_inlined_call():
    # Each function calls the one before twice: 2**20 calls if nothing stopped it.
    lines = ["def f0(t):\n    return t * t"]
    lines += [f"def f{i}(t):\n    return f{i - 1}(t) + f{i - 1}(t)" for i in range(1, 21)]
    err = refused("\n".join(lines) + "\ny = f20(x)")
    assert err.message.startswith(f"the program builds more than {prog.MAX_NODES:,} nodes")


def test_limit_steps_counts_calls_that_build_nothing():
    lines = ["def f0(t):\n    return t"]
    lines += [f"def f{i}(t):\n    return f{i - 1}(f{i - 1}(t))" for i in range(1, 30)]
    err = refused("\n".join(lines) + "\ny = f29(x)")
    assert err.message.startswith(f"the program takes more than {prog.MAX_STEPS:,} steps")


def test_limit_inputs():
    text = "\n".join(f"a{i} = {i}" for i in range(prog.MAX_INPUTS + 1))
    err = refused(text)
    assert err.message == f"more than {prog.MAX_INPUTS} inputs"
    assert err.line == prog.MAX_INPUTS + 1


def test_limit_names():
    name = "v" * prog.MAX_NAME_CHARS
    assert compile_program(f"{name} = 1\ny = {name} * 2").output.value == 2.0
    err = refused(f"{name}w = 1")
    assert "names can have at most" in err.message


def test_limits_are_named_constants():
    assert prog.MAX_PROGRAM_CHARS == 20_000
    assert prog.MAX_NODES == 5_000
    assert prog.MAX_ABS_NUMBER == 1e15
