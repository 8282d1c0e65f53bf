"""The program language: the seed post's snippets parse as written and give its numbers."""

from __future__ import annotations

import math
import pickle

import pytest

from autodiff import get_gradients, gradients
from autodiff.program import Input, Program, ProgramError, compile_program, read_inputs

POST_1 = "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)"
POST_2 = ("a = Var(230.3)\nb = Var(33.2)\ndef f(a, b):\n"
          "    return (a / b - a) * (b / a + a + b) * (a - b)\ny = f(a, b)")
POST_3 = ("a = Var(43.)\nb = Var(3.)\nc = Var(2.)\ndef f(a, b, c):\n"
          "    f = Sin(a * b) + Exp(c - (a / b))\n    return Log(f * f) * c\ny = f(a, b, c)")


def grads_by_key(program: Program, algorithm=gradients) -> dict[str, float]:
    found = algorithm(program.output)
    return {key: found[node] for key, node in program.graph.engine.items() if node in found}


# ---- the post's three examples, exactly ----

def test_post_first_example():
    program = compile_program(POST_1)
    assert program.output.value == 28
    assert program.graph.output == "d"
    for algorithm in (gradients, get_gradients):
        g = grads_by_key(program, algorithm)
        assert (g["a"], g["b"], g["c"]) == (11, 4, 4)


def test_post_second_example():
    program = compile_program(POST_2)
    for algorithm in (gradients, get_gradients):
        g = grads_by_key(program, algorithm)
        assert g["a"] == -153284.83150602411
        assert g["b"] == 3815.0389441500993


def test_post_third_example():
    program = compile_program(POST_3)
    for algorithm in (gradients, get_gradients):
        g = grads_by_key(program, algorithm)
        assert g["a"] == 60.85353612046653
        assert g["b"] == 872.2331479536114
        assert g["c"] == -3.2853671032530305


def test_post_snippets_paste_with_their_prints_and_imports():
    text = ("from collections import defaultdict\nimport numpy as np\n\n" + POST_1
            + "  # = 4 * 7 = 28\n\ngradients = get_gradients(d)\n\n"
            "print('d.value =', d.value)\n"
            'print("The partial derivative of d with respect to a =", gradients[a])\n')
    program = compile_program(text)
    assert program.output.value == 28
    assert program.notices == (
        "line 1: import skipped (everything a program needs is built in)",
        "line 2: import skipped (everything a program needs is built in)",
        "line 9: get_gradients(d) skipped: `d` is the output (gradients are computed for you)",
        "line 11: print(...) skipped (values and gradients are shown for you)",
        "line 12: print(...) skipped (values and gradients are shown for you)",
    )


# The post's examples as it prints them: the gradients line, the prints, and (for the
# second and third) the numerical check after them, whose last line is not the output.
POST_1_PRINTED = (
    POST_1 + "\n\ngradients = get_gradients(d)\n\n"
    "print('d.value =', d.value)\n"
    'print("The partial derivative of d with respect to a =", gradients[a])\n'
    "print('gradients[b] =', gradients[b])\nprint('gradients[c] =', gradients[c])\n"
    "print('dict(d.grad)[a] =', dict(d.grad)[a])\n")
POST_2_PRINTED = (
    POST_2 + "\n\ngradients = get_gradients(y)\n\n"
    'print("The partial derivative of y with respect to a =", gradients[a])\n'
    'print("The partial derivative of y with respect to b =", gradients[b])\n\n'
    "delta = Var(1e-8)\n"
    "numerical_grad_a = (f(a + delta, b) - f(a, b)) / delta\n"
    "numerical_grad_b = (f(a, b + delta) - f(a, b)) / delta\n"
    'print("The numerical estimate for a =", numerical_grad_a.value)\n'
    'print("The numerical estimate for b =", numerical_grad_b.value)\n')
POST_3_PRINTED = """\
a = Var(43.)
b = Var(3.)
c = Var(2.)

def f(a, b, c):
    f = Sin(a * b) + Exp(c - (a / b))
    return Log(f * f) * c

y = f(a, b, c)

gradients = get_gradients(y)

print("The partial derivative of y with respect to a =", gradients[a])
print("The partial derivative of y with respect to b =", gradients[b])
print("The partial derivative of y with respect to c =", gradients[c])
delta = Var(1e-8)
numerical_grad_a = (f(a + delta, b, c) - f(a, b, c)) / delta
numerical_grad_b = (f(a, b + delta, c) - f(a, b, c)) / delta
numerical_grad_c = (f(a, b, c + delta) - f(a, b, c)) / delta

print("The numerical estimate for a =", numerical_grad_a.value)
print("The numerical estimate for b =", numerical_grad_b.value)
print("The numerical estimate for c =", numerical_grad_c.value)
"""


def test_post_third_example_as_printed_differentiates_y_not_the_numerical_check():
    program = compile_program(POST_3_PRINTED)
    assert program.graph.output == "y"
    assert program.inputs == (Input("a", 43.0), Input("b", 3.0), Input("c", 2.0),
                              Input("delta", 1e-8))
    for algorithm in (gradients, get_gradients):
        g = grads_by_key(program, algorithm)
        assert (g["a"], g["b"], g["c"]) == (60.85353612046653, 872.2331479536114,
                                            -3.2853671032530305)
        assert "delta" not in g  # the check's lines are not below the output
    assert program.notices[0] == ("line 11: get_gradients(y) skipped: `y` is the output "
                                  "(gradients are computed for you)")
    assert [n.split(":")[0] for n in program.notices] == [
        "line 11", "line 13", "line 14", "line 15", "line 21", "line 22", "line 23"]


def test_post_second_example_as_printed():
    program = compile_program(POST_2_PRINTED)
    assert program.graph.output == "y"
    g = grads_by_key(program)
    assert (g["a"], g["b"]) == (-153284.83150602411, 3815.0389441500993)
    assert len(program.notices) == 5  # get_gradients and four prints


def test_post_first_example_as_printed():
    program = compile_program(POST_1_PRINTED)
    assert program.graph.output == "d" and program.output.value == 28
    g = grads_by_key(program)
    assert (g["a"], g["b"], g["c"]) == (11, 4, 4)
    assert len(program.notices) == 6


def test_get_gradients_names_the_output_whatever_follows_it():
    program = compile_program("a = 2\ny = a * a\nget_gradients(y)\ny = y + 1\nz = y * 3")
    assert program.graph.output == "y" and program.output.value == 4.0
    # a later call names the output again; a call of anything but a name changes nothing
    assert compile_program("a = 2\ny = a * a\nget_gradients(y)\nz = y * 3\n"
                           "g = get_gradients(z)").output.value == 12.0
    assert compile_program("a = 2\ny = a * a\nget_gradients(y * 2)\nz = y * 3"
                           ).output.value == 12.0


def test_get_gradients_of_a_name_with_no_value_yet_says_where_it_goes():
    with pytest.raises(ProgramError) as caught:
        compile_program("a = 2\nget_gradients(y)\ny = a * a")
    err = caught.value
    assert (err.line, err.column) == (2, 15)
    assert err.message == ("`y` has no value here: `get_gradients(y)` names the output, "
                           "so put it below the line that computes `y`")


def test_the_posts_expression_alone_with_values_from_the_caller():
    text = "(a / b - a) * (b / a + a + b) * (a - b)"
    assert read_inputs(text) == (Input("a", None), Input("b", None))
    program = compile_program(text, {"a": 230.3, "b": 33.2})
    g = grads_by_key(program)
    assert g["a"] == -153284.83150602411 and g["b"] == 3815.0389441500993
    assert program.values == {"a": 230.3, "b": 33.2}


# ---- the graph is the seed's: operators as the engine builds them ----

def test_subtraction_and_division_build_neg_and_inv_like_the_engine():
    program = compile_program("a = 5\nb = 2\ny = (a - b) * (a / b)")
    ops = [n.op for n in program.graph.nodes]
    assert ops == ["var", "var", "neg", "add", "inv", "mul", "mul"]
    assert program.graph["y"].inputs == ("add1", "mul1")
    assert program.output.value == 7.5


def test_names_go_to_the_nodes_they_name_and_aliases_add_none():
    program = compile_program("a = 4\nb = 3\nc = a * b\nz = c\nw = z + 1")
    keys = [n.key for n in program.graph.nodes]
    assert keys == ["a", "b", "c", "const1", "w"]
    assert program.graph["c"].name == "c"


def test_alias_as_the_last_line_makes_the_aliased_node_the_output():
    program = compile_program("a = 4\nc = a * a\nz = c")
    assert program.graph.output == "c"


def test_constants_are_float_const_nodes():
    program = compile_program("x = 3\ny = 2 * x + 1")
    consts = [n for n in program.graph.nodes if n.op == "const"]
    assert [c.value for c in consts] == [2.0, 1.0]
    assert all(type(c.value) is float for c in consts)


# ---- leaves and inputs ----

@pytest.mark.parametrize("line, default", [
    ("a = 4", 4.0), ("a = -2.5", -2.5), ("a = +7", 7.0), ("a = Var(4)", 4.0),
    ("a = Var(43.)", 43.0), ("a = Var(-2.5)", -2.5), ("a = 1e3", 1000.0), ("a = 0x10", 16.0),
])
def test_leaf_forms_are_inputs_with_defaults(line, default):
    assert read_inputs(line + "\ny = a * 2") == (Input("a", default),)
    program = compile_program(line + "\ny = a * 2")
    assert program.graph["a"].op == "var"
    assert program.values == {"a": default}
    assert program.output.value == 2 * default


def test_inputs_in_order_of_first_appearance_and_values_override_defaults():
    text = "b = 3\ny = b * q + a\na2 = y + p"
    assert [i.name for i in read_inputs(text)] == ["b", "q", "a", "p"]
    program = compile_program(text, {"q": 2, "a": 1, "p": 0.5, "b": 10, "unused": 9})
    assert program.values == {"b": 10.0, "q": 2.0, "a": 1.0, "p": 0.5}
    assert program.output.value == 21.5


def test_a_leaf_inside_a_function_is_a_named_constant_not_an_input():
    program = compile_program("def f(x):\n    k = 2\n    return k * x\ny = f(3)")
    assert read_inputs(program.text) == ()
    assert program.graph["k"].op == "const" and program.output.value == 6.0


def test_read_inputs_does_not_compute():
    # log of a negative default is only found when building.
    text = "a = -1\ny = log(a)"
    assert read_inputs(text) == (Input("a", -1.0),)
    with pytest.raises(ProgramError):
        compile_program(text)
    assert compile_program(text, {"a": math.e}).output.value == pytest.approx(1.0)


# ---- operators and functions ----

@pytest.mark.parametrize("text, x, expected", [
    ("x^2+1", 3.0, 10.0),
    ("x**2+1", 3.0, 10.0),
    ("-x**2", 3.0, -9.0),
    ("-x^2", 3.0, -9.0),
    ("x^-1", 4.0, 0.25),
    ("x ** (1/2)", 9.0, 3.0),
    ("x^2", -3.0, 9.0),  # a number exponent works for a negative base
    ("2^x", 3.0, 8.0),
    ("x ^ 2 ^ 3", 2.0, 256.0),  # right-associative, as **
    ("- - x", 2.0, 2.0),
    ("+x", 2.0, 2.0),
    ("abs(x) + relu(x) + sigmoid(0 * x)", -2.0, 2.5),
])
def test_operators(text, x, expected):
    assert compile_program(text, {"x": x}).output.value == pytest.approx(expected)


def test_a_number_exponent_is_powconst_and_a_variable_one_is_pow():
    program = compile_program("y = x^2 + x^n", {"x": 2.0, "n": 3.0})
    pows = [n for n in program.graph.nodes if n.op == "pow"]
    assert [p.inputs for p in pows] == [("x",), ("x", "n")]
    assert program.output.value == 12.0


@pytest.mark.parametrize("text", ["y = Pow(x, 2)", "y = Pow(x, 4 / 2)", "y = Pow(x, -(1 + 1))",
                                  "y = x ** 2", "def f(t, n):\n    return Pow(t, n)\ny = f(x, 2)"])
def test_the_class_form_pow_with_a_number_exponent_works_at_a_negative_base(text):
    program = compile_program(text, {"x": -3.0})
    [power] = [n for n in program.graph.nodes if n.op == "pow"]
    assert power.inputs == ("x",)  # PowConst, as for `x ** 2`: the exponent is no node
    expected = 9.0 if "-(" not in text else 1 / 9
    assert program.output.value == pytest.approx(expected)
    assert gradients(program.output)[program.graph.engine["x"]] == pytest.approx(
        -6.0 if "-(" not in text else 2 / 27)


@pytest.mark.parametrize("text, words", [
    ("k = 6\ny = x ** k", "the exponent `k` is an input (a line like `k = 6` makes one), so "
                          "the base must be > 0. For a fixed power, write the number in place "
                          "of `k`: `x ** 6`"),
    ("k = 6\ny = Pow(x, k)", "write the number in place of `k`: `x ** 6`"),
    ("k = 2\ny = (x + 1) ** (k + 1)", "the exponent `k + 1` depends on an input, so the base "
                                      "must be > 0. For a fixed power, write the number in "
                                      "place of `k + 1`: `(x + 1) ** 3`"),
    ("k = 0.5\ny = x ** k", "a negative number to the power 0.5 is not real"),
])
def test_an_input_exponent_at_a_negative_base_says_how_to_make_it_a_constant(text, words):
    with pytest.raises(ProgramError) as info:
        compile_program(text, {"x": -3.0})
    assert words in info.value.message
    assert info.value.line == 2 and info.value.column == 5


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "exp", "log", "sqrt", "tanh",
                                  "sigmoid", "relu", "abs", "Sin", "Exp", "Log", "Neg", "Inv",
                                  "Cos", "Tan", "Sqrt", "Tanh", "Sigmoid", "Relu", "Abs"])
def test_every_function_of_one_argument(name):
    import autodiff
    op = getattr(autodiff, name, None) or getattr(autodiff, name.capitalize())
    program = compile_program(f"y = {name}(x)", {"x": 0.7})
    assert program.output.value == pytest.approx(op(autodiff.Var(0.7)).value)
    assert program.graph["y"].inputs == ("x",)


def test_classes_of_two_arguments():
    program = compile_program("y = Add(x, Mul(x, 3)) + Pow(x, 2)", {"x": 2.0})
    assert program.output.value == 12.0


def test_augmented_assignment():
    program = compile_program("x = 2\ny = x\ny += 1\ny *= x\ny ^= 2\ny -= 1\ny /= 5")
    assert program.output.value == pytest.approx(((2 + 1) * 2) ** 2 / 5 - 1 / 5)
    assert program.graph.output == "y_4"  # `y = x` names nothing; `+=` makes `y`, then y_1..


# ---- functions ----

def test_each_call_inlines_the_body_again():
    program = compile_program("def sq(t):\n    return t * t\nx = 3\ny = sq(x) + sq(x)")
    muls = [n for n in program.graph.nodes if n.op == "mul"]
    assert len(muls) == 2 and program.output.value == 18.0


def test_a_function_can_call_functions_defined_above_it():
    text = ("def sq(t):\n    return t * t\n"
            "def quad(t):\n    s = sq(t)\n    return sq(s)\n"
            "y = quad(x)")
    assert compile_program(text, {"x": 2.0}).output.value == 16.0


def test_the_call_names_the_returned_node_and_locals_are_named_too():
    program = compile_program(POST_3)
    assert program.graph["y"].op == "mul"
    assert program.graph["f"].op == "add"  # the local `f` shadows the function `f`


def test_function_bodies_may_have_docstrings_comments_and_prints():
    text = ('def f(a):\n    """Square."""\n    # why\n    print(a)\n\n    b = a * a\n'
            "    return b\ny = f(3)")
    program = compile_program(text)
    assert program.output.value == 9.0
    assert program.notices == ("line 4: print(...) skipped (values and gradients are shown "
                               "for you)",)


def test_a_function_may_be_redefined_and_calls_use_the_latest():
    text = "def f(x):\n    return x + 1\ndef f(x):\n    return x * 10\ny = f(2)"
    assert compile_program(text).output.value == 20.0


def test_a_function_with_no_parameters():
    assert compile_program("def one():\n    return 1\ny = one() + 1").output.value == 2.0


# ---- the output ----

def test_the_output_is_a_final_bare_expression():
    program = compile_program("a = 2\nb = a * 3\na * b + 1")
    assert program.output.value == 13.0 and program.graph.output == "add1"


def test_the_output_is_the_last_assigned_name_even_after_a_def():
    program = compile_program("a = 2\ny = a * 3\ndef f(x):\n    return x\n# done\n")
    assert program.graph.output == "y"


def test_reassigning_a_name_keeps_both_nodes_and_numbers_the_later_one():
    program = compile_program("x = 2\ny = x * x\ny = y * y + y")
    keys = [n.key for n in program.graph.nodes]
    assert keys == ["x", "y", "mul1", "y_1"] and program.graph.output == "y_1"
    assert program.output.value == 20.0


def test_an_input_has_one_name_when_the_program_rebinds_it():
    # The number field says `y`; the graph, the narration and the exports say `y` too.
    program = compile_program("y = 0.1\n" + "y = y*y + y\n" * 3)
    assert program.inputs == (Input("y", 0.1),)
    assert program.graph["y"].op == "var" and program.graph["y"].value == 0.1
    assert [n.key for n in program.graph.nodes if n.name == "y"] == ["y", "y_1", "y_2", "y_3"]
    assert program.graph.output == "y_3"
    y = 0.1
    for _ in range(3):
        y = y * y + y
    assert program.output.value == y


# ---- text details ----

def test_windows_line_endings_tabs_comments_and_blank_lines():
    text = "# the post\r\na = 4\t# an input\r\n\r\n\tb = a ^ 2\r\n" .replace("\tb", "b")
    assert compile_program(text).output.value == 16.0


def test_a_long_parenthesised_expression_may_span_lines():
    assert compile_program("y = (1 +\n     2 +\n     x)", {"x": 3.0}).output.value == 6.0


def test_program_fields():
    program = compile_program(POST_1)
    assert program.text == POST_1
    assert program.inputs == (Input("a", 4.0), Input("b", 3.0))
    assert program.values == {"a": 4.0, "b": 3.0}
    assert program.notices == ()
    assert program.graph.engine["d"] is program.output


# ---- the error type ----

def test_program_error_str_has_line_column_source_and_caret():
    with pytest.raises(ProgramError) as info:
        compile_program("a = 1\nb = 2\nc = 3\nf = log(e)")
    err = info.value
    assert (err.line, err.column, err.source_line) == (4, 9, "f = log(e)")
    assert err.message == "`e` has no value: add a line `e = 1.0` above, or give it a value"
    assert str(err) == f"line 4, column 9: {err.message}\n    f = log(e)\n            ^"
    assert isinstance(err, ValueError)


def test_program_error_pickles_with_its_position():
    with pytest.raises(ProgramError) as info:
        compile_program("y = x.real")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.line, copy.column, copy.message) == (1, 5, info.value.message)


def test_program_error_caret_follows_tabs_and_long_lines():
    with pytest.raises(ProgramError) as info:
        compile_program("def f(a):\n\treturn a // 2\ny = f(1)")
    assert str(info.value).endswith("\n    \treturn a // 2\n    \t         ^")
    long = "y = " + " + ".join(["a"] * 30) + " + a.b"
    with pytest.raises(ProgramError) as info:
        compile_program(long, {"a": 1})
    shown, caret = str(info.value).split("\n")[1:]
    assert shown.startswith("    ...") and len(shown) < 100
    assert shown[caret.index("^"):].startswith("a.b")
