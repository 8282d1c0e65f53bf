"""The parser's two passes: a plain description of the program, then nodes from values."""

from __future__ import annotations

import pickle

import pytest

from autodiff.core.ops import Add, Log, Mul, Neg, Pow, PowConst
from autodiff.program import (
    Input,
    ProgramError,
    build_program,
    compile_program,
    describe,
    read_inputs,
)
from autodiff.program.ir import Call, Number, ReadInput, Ref


def test_the_posts_first_example_is_four_steps_over_refs():
    description = describe("a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)")
    assert [s.expression for s in description.steps] == [
        ReadInput("a"), ReadInput("b"), Call(Add, (Ref(0), Ref(1))), Call(Mul, (Ref(0), Ref(2)))]
    assert [s.name for s in description.steps] == ["a", "b", "c", "d"]
    assert description.output == Ref(3)
    assert description.inputs == (Input("a", 4.0), Input("b", 3.0))
    assert [(s.where.line, s.where.column) for s in description.steps] == [
        (1, 9), (2, 9), (3, 5), (4, 5)]


def test_calls_are_inlined_aliases_resolved_and_subtraction_is_add_of_neg():
    description = describe("def f(t):\n    u = t - 1\n    return u * u\nx = 2\nz = x\ny = f(z)")
    assert [s.expression for s in description.steps] == [
        ReadInput("x"), Number(1.0), Call(Neg, (Ref(1),)), Call(Add, (Ref(0), Ref(2))),
        Call(Mul, (Ref(3), Ref(3)))]
    assert [s.name for s in description.steps] == ["x", None, None, "u", "y"]
    assert description.steps[4].where.calls == (("f", 6),)


def test_a_number_exponent_is_powconst_and_an_input_exponent_is_pow():
    steps = describe("x = 2\ny = x ** (1 / 2) + x ** x").steps
    ops = [s.expression.op for s in steps if isinstance(s.expression, Call)]
    assert PowConst in ops and Pow in ops


def test_a_description_is_plain_frozen_data():
    description = describe("a = 2\ndef f(t):\n    return log(t)\ny = f(a) * 3\nprint(y)")
    assert pickle.loads(pickle.dumps(description)) == description
    assert hash(description) == hash(describe("a = 2\ndef f(t):\n    return log(t)\n"
                                              "y = f(a) * 3\nprint(y)"))
    assert description.notices == (
        "line 5: print(...) skipped (values and gradients are shown for you)",)
    with pytest.raises(AttributeError):
        description.output = Ref(0)


def test_one_description_builds_again_with_new_values():
    text = "a = 4\nb = 3\ny = a * (a + b)"
    description = describe(text)
    first = build_program(description)
    second = build_program(description, {"a": 1.0, "b": 2.0})
    assert (first.output.value, second.output.value) == (28.0, 3.0)
    assert [n.key for n in first.graph.nodes] == [n.key for n in second.graph.nodes]
    assert second.values == {"a": 1.0, "b": 2.0}
    assert first.text == text and compile_program(text).description == description


def test_read_inputs_is_pass_one_alone():
    assert read_inputs("d = 2\ny = a * b + d\nlog(-1) * y") == (
        Input("d", 2.0), Input("a", None), Input("b", None))  # nothing is computed


def test_value_errors_found_while_building_point_at_the_expression_and_the_call():
    text = "a = 2\ndef f(t):\n    return log(t)\ny = f(a) + f(-a)"
    description = describe(text)  # pass one: nothing wrong with the text
    with pytest.raises(ProgramError) as caught:
        build_program(description, {"a": -1.0})
    err = caught.value
    assert (err.line, err.column) == (3, 12)
    assert err.message == ("log of -1.0 in `log(t)`: log needs a positive number "
                           "(in `f`, called on line 4)")
    assert str(err) == str(pytest.raises(ProgramError, compile_program, text,
                                         {"a": -1.0}).value)


def test_a_free_name_without_a_value_is_found_while_building():
    description = describe("y = 2 * x")
    with pytest.raises(ProgramError) as caught:
        build_program(description)
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert caught.value.message.startswith("`x` has no value: add a line `x = 1.0` above")
    assert build_program(description, {"x": 3.0}).output.value == 6.0


def test_the_op_of_a_step_is_the_table_entry_the_program_called():
    description = describe("x = 2\ny = Log(x) + log(x)")
    ops = [s.expression.op for s in description.steps if isinstance(s.expression, Call)]
    assert ops == [Log, Log, Add]


DOUBLING = "".join(f"def h{i}(t):\n    return h{i - 1}(t) + h{i - 1}(t)\n"
                   for i in range(1, 14)).replace("h0(t) + h0(t)", "t * t")


def test_a_limit_is_reported_after_a_static_error_anywhere_in_the_text():
    with pytest.raises(ProgramError) as caught:
        compile_program(DOUBLING + "y = h13(2)\nz = y // 2")
    assert caught.value.message == "`//` (floor division) is not allowed: use `/`"


def test_a_limit_stops_the_description_and_building_raises_it_after_earlier_steps():
    text = DOUBLING + "y = log(a) + h13(a)\nz = y * b"
    description = describe(text)
    assert description.output is None and description.stopped is not None
    assert description.inputs == (Input("a", None), Input("b", None))  # the rest was checked
    with pytest.raises(ProgramError) as caught:  # a value error before the limit comes first
        build_program(description, {"a": -1.0, "b": 1.0})
    assert caught.value.message == "log of -1.0 in `log(a)`: log needs a positive number"
    with pytest.raises(ProgramError) as caught:
        build_program(description, {"a": 1.0, "b": 1.0})
    assert caught.value.message.startswith("the program builds more than 5,000 nodes")
    assert caught.value.line == 2 and "(in `h13`, called on line 27)" in caught.value.message
