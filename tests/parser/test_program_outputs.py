"""Several outputs: a last line ``outputs = y, z``, or ``get_gradients`` called on several
names; every refusal of an ``outputs`` line has its line and column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiff import program as prog
from autodiff.program import ProgramError, build_program, compile_program, describe

TWO = "a = 4\nb = 3\nc = a + b\nd = a * c\ne = sin(b) * a\noutputs = d, e\n"


def refused(text: str) -> ProgramError:
    with pytest.raises(ProgramError) as info:
        compile_program(text)
    return info.value


def test_a_last_line_names_the_outputs_in_order():
    program = compile_program(TWO)
    assert program.output_names == ("d", "e")
    assert [node.value for node in program.outputs] == [28, pytest.approx(4 * 0.1411200080598672)]
    assert program.output is program.outputs[0]  # the stepper and `grad` show the first
    assert program.graph.output == "d" and program.notices == ()


def test_a_list_and_brackets_name_them_too_and_one_name_is_one_output():
    for line in ("outputs = [e, d]", "outputs = (e, d)", "outputs = (e, d,)"):
        assert compile_program(TWO.replace("outputs = d, e", line)).output_names == ("e", "d")
    one = compile_program(TWO.replace("outputs = d, e", "outputs = e,"))
    assert one.output_names == ("e",) and one.outputs == (one.output,)


def test_an_output_may_be_an_input_or_share_a_node_with_another():
    program = compile_program("a = 2\ny = a * a\nz = y\noutputs = y, z, a")
    assert program.output_names == ("y", "z", "a")
    assert program.outputs[0] is program.outputs[1]
    assert program.jacobian() == {"y": {"a": 4.0}, "z": {"a": 4.0}, "a": {"a": 1.0}}


def test_skipped_lines_may_follow_the_outputs_line():
    program = compile_program(TWO + "print(d)\n# done\n")
    assert program.output_names == ("d", "e")
    assert program.notices == ("line 7: print(...) skipped (values and gradients are shown "
                               "for you)",)


def test_the_description_keeps_the_outputs_for_a_rebuild_with_new_values():
    description = describe(TWO)
    assert description.output_names == ("d", "e")
    assert [description.steps[r.index].name for r in description.outputs] == ["d", "e"]
    rebuilt = build_program(description, {"a": 1.0, "b": 2.0})
    assert [node.value for node in rebuilt.outputs] == [3.0, pytest.approx(0.9092974268256817)]


def test_one_output_programs_name_their_output_by_its_key_as_before():
    for text, key in (("a = 2\ny = a * a", "y"), ("(a / b - a) * (a - b)", "mul2"),
                      ("y = 0.1\ny = y * y + y", "y_1"),
                      ("a = 2\ny = a * a\ng = get_gradients(y)", "y")):
        program = compile_program(text, {"a": 2.0, "b": 3.0})
        assert program.outputs == (program.output,)
        assert program.output_names == (key,) == (program.graph.output,)
        assert describe(text).output_names == ()


def test_get_gradients_on_several_names_makes_each_an_output_in_order():
    text = ("a = Var(2.)\nb = Var(5.)\ny = a * b\ngradients = get_gradients(y)\n"
            "z = y + a\ng = get_gradients(z)\n")
    program = compile_program(text)
    assert program.output_names == ("y", "z")
    assert program.output.value == 12.0  # the last call's output, as before: z
    assert program.jacobian() == {"y": {"a": 5.0, "b": 2.0}, "z": {"a": 6.0, "b": 2.0}}
    assert program.notices[0] == ("line 4: get_gradients(y) skipped: `y` is an output "
                                  "(gradients are computed for you)")
    again = compile_program(text + "get_gradients(y)\n")
    assert again.output_names == ("y", "z")  # y once, however often it is named
    assert again.output.value == 10.0  # the last call names y


def test_get_gradients_of_a_name_given_a_new_value_since_is_refused():
    err = refused("a = 2\ny = a * a\nget_gradients(y)\ny = y + 1\nget_gradients(y)")
    assert (err.line, err.column) == (5, 15)
    assert err.message == ("`y` has a new value since `get_gradients(y)` on line 3, and both "
                           "are outputs: give the new value its own name")


# (program, the message, line, column): the column is 1-based, as typed
REFUSALS = [
    ("a = 1\ny = a * 2\noutputs = y, w",
     "`w` has no value here: `outputs = ...` lists names computed above it, so compute `w` "
     "first", 3, 14),
    ("a = 1\ny = a * 2\noutputs = y, y",
     "`y` is listed twice: each output once", 3, 14),
    ("a = 1\ny = a * 2\noutputs = y, 3",
     "`3` is not a name: `outputs = ...` lists names computed above it, like "
     "`outputs = y, z`", 3, 14),
    ("a = 1\ny = a * 2\noutputs = y, y * 2",
     "`y * 2` is not a name: `outputs = ...` lists names computed above it, like "
     "`outputs = y, z`", 3, 14),
    ("a = 1\ny = a * 2\noutputs = y, *y",
     "`*y` is not a name", 3, 14),
    ("a = 1\ny = a * 2\noutputs = ()",
     "`outputs = ...` needs a name, like `outputs = y, z`", 3, 11),
    ("a = 1\ny = a * 2\noutputs = y, a\nz = y + 1",
     "`outputs = ...` names the program's outputs: make it the last line", 3, 1),
    ("a = 1\ny = a * 2\nget_gradients(y)\noutputs = y, a",
     "`get_gradients(y)` on line 3 names an output too: keep either it or this line", 4, 1),
    ("a = 1\ny = a * 2\ndef f(t):\n    return t\noutputs = y, f",
     "`f` has no value here", 5, 14),
    ("y = 2\noutputs = y, " + ", ".join(["y"] * 10), "`y` is listed twice", 2, 14),
    ("y = 2\n" + "".join(f"y{i} = y + {i}\n" for i in range(25))
     + "outputs = " + ", ".join(f"y{i}" for i in range(25)),
     f"more than {prog.MAX_OUTPUTS} outputs", 27, 11 + 4 * 10 + 5 * (prog.MAX_OUTPUTS - 10)),
]


@pytest.mark.parametrize(("text", "words", "line", "column"), REFUSALS)
def test_an_outputs_line_is_refused_with_its_line_and_column(text, words, line, column):
    err = refused(text)
    assert words in err.message
    assert (err.line, err.column) == (line, column)


def test_the_caret_points_at_the_name_with_no_value():
    err = refused("a = 1\ny = a * 2\noutputs = y, w")
    assert str(err).splitlines()[1:] == ["    outputs = y, w", "                 ^"]


def test_how_many_outputs_a_line_may_name_is_bounded_and_a_huge_line_is_refused_early():
    names = [f"y{i}" for i in range(prog.MAX_OUTPUTS + 1)]
    lines = "a = 2\n" + "".join(f"{n} = a * {i}\n" for i, n in enumerate(names))
    allowed = compile_program(lines + "outputs = " + ", ".join(names[:-1]))
    assert allowed.output_names == tuple(names[:-1])
    assert "more than 20 outputs" in refused(lines + "outputs = " + ", ".join(names)).message
    huge = "a = 2\noutputs = " + ", ".join(["a"] * prog.MAX_PROGRAM_CHARS)
    assert f"the limit is {prog.MAX_PROGRAM_CHARS:,}" in refused(huge).message


def test_a_program_stopped_at_a_limit_has_no_outputs_and_building_says_why():
    terms = " + ".join(f"a * {k}" for k in range(2, 10))  # 8 products: 23 nodes a line
    text = "a = 1\n" + "".join(f"a{i} = {terms}\n" for i in range(250)) + "outputs = a1, a2"
    description = describe(text)
    assert description.stopped is not None and description.outputs == ()
    with pytest.raises(ProgramError, match="nodes"):
        build_program(description)


ELEMENTS = ["y", "z", "a", "w", "3", "y * 2", "-y", "sin(y)", "f", "*y", "(y)", "print"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ELEMENTS), max_size=30))
def test_any_outputs_line_gives_the_outputs_it_lists_or_one_error_on_its_line(items):
    text = ("a = 2\ny = a * a\nz = sin(y)\ndef f(t):\n    return t\n"
            f"outputs = {', '.join(items)},")
    names = [item.strip("()") for item in items]
    valid = (0 < len(items) <= prog.MAX_OUTPUTS and len(set(names)) == len(names)
             and set(items) <= {"y", "z", "a", "(y)"})
    try:
        program = compile_program(text)
    except ProgramError as exc:
        assert not valid, exc
        assert exc.line == 6 and 11 <= exc.column <= len(text.splitlines()[-1])
        return
    assert valid and list(program.output_names) == names
