"""A name used but never given a value becomes an input; a typo (`bb` beside `b`) is said."""

from __future__ import annotations

import pytest

from autodiff.program import ProgramError, Unassigned, compile_program, describe, unassigned_notices

TYPO = "a = 4\nb = 3\nc = a * bb"
README_LINE = "(a / b - a) * (b / a + a + b) * (a - b)"


def test_a_free_name_is_described_with_its_line_and_the_closest_assigned_name():
    assert describe(TYPO).unassigned == (Unassigned("bb", 3, "b"),)
    assert describe("Weight = 2\ny = weight * x").unassigned == (
        Unassigned("weight", 2, "Weight"), Unassigned("x", 2, None))  # case aside
    assert describe(README_LINE).unassigned == (Unassigned("a", 1, None),
                                                Unassigned("b", 1, None))
    assert describe("a = 4\ny = a * 2").unassigned == ()


def test_a_typo_is_said_with_the_value_it_became_and_the_name_it_is_close_to():
    notices = unassigned_notices(describe(TYPO), {"a": 4.0, "b": 3.0, "bb": 1.0})
    assert notices == ("line 3: `bb` is used but never given a value, so it became an input "
                       "worth 1. Did you mean `b`?",)
    # the graph is still built, with the typo as an input
    program = compile_program(TYPO, {"bb": 1.0})
    assert program.output.value == 4.0 and {i.name for i in program.inputs} == {"a", "b", "bb"}


def test_no_did_you_mean_when_no_name_is_close():
    notices = unassigned_notices(describe("a = 4\ny = a * x"), {"a": 4.0, "x": 2.5})
    assert notices == ("line 2: `x` is used but never given a value, so it became an input "
                       "worth 2.5.",)


@pytest.mark.parametrize("text", [README_LINE, "y = a * b", "y = x ** 2 + sin(x)"])
def test_programs_whose_inputs_are_all_free_on_purpose_say_nothing(text):
    # No input is given a value and no name is close to an assigned one: the free names
    # are the program's inputs, as in the README's single line.
    values = {i.name: 1.0 for i in describe(text).inputs}
    assert unassigned_notices(describe(text), values) == ()


def test_a_free_name_close_to_an_assigned_one_is_said_even_without_declared_inputs():
    notices = unassigned_notices(describe("y = a * b\nz = y * yy"), dict.fromkeys("aby", 1.0)
                                 | {"yy": 1.0})
    assert notices == ("line 2: `yy` is used but never given a value, so it became an input "
                       "worth 1. Did you mean `y`?",)


def test_a_missing_value_names_the_close_name_too():
    with pytest.raises(ProgramError) as info:
        compile_program(TYPO)
    assert info.value.message.endswith("or give it a value (did you mean `b`?)")
