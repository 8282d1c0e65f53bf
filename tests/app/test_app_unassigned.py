"""A name used but never given a value (a typo such as `bb` beside `b`) is said under the
program and at the top of the stage, and the graph is still drawn with it as an input."""

from __future__ import annotations

from tests.app.apptest import base, start

TYPO = "a = 4\nb = 3\nc = a * bb"
SAID = ("line 3: `bb` is used but never given a value, so it became an input worth 1. "
        "Did you mean `b`?")


def test_a_typo_is_said_under_the_program_and_on_the_stage():
    at = start(program=TYPO)
    assert [w.value for w in at.sidebar.warning] == [SAID]
    assert [w.value for w in at.main.warning] == [SAID]
    assert {n["id"] for n in base(at)["nodes"]} == {"a", "bb", "c"}  # the graph is drawn
    at.number_input(key="value-bb").set_value(2.0).run()  # the notice says the value it has
    assert "became an input worth 2. Did you mean `b`?" in at.main.warning[0].value


def test_a_program_whose_inputs_are_all_free_says_nothing():
    at = start(program="(a / b - a) * (b / a + a + b) * (a - b)")
    assert not at.sidebar.warning and not at.main.warning
    at.text_area(key="program").input(TYPO).run()
    assert at.main.warning and at.sidebar.warning
    at.text_area(key="program").input("a = 4\nb = 3\nc = a * b").run()  # fixed: gone
    assert not at.sidebar.warning and not at.main.warning
