"""Your turn (issue 20, item 2) through the server: a practice link opens on a generated
exercise in practice mode, the page's New exercise (its trigger) puts the next seed's
exercise in place of the program, on the route stack at step 0, with the tasks the page
asks (AppTest)."""

from __future__ import annotations

import json

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

from autodiff.program.exercises import LEVELS, exercise
from components import state
from components.presets import POST_1
from tests.app.apptest import base, data, start, stepper
from tests.app.test_app_stepper import report_step


def ask_new_exercise(at: AppTest, level) -> AppTest:
    """What the page's New exercise (or N) sends: the trigger "exercise" with the level.
    AppTest has no setter for a component's trigger: it goes in as the browser sends it."""
    states = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = _make_trigger_id(stepper(at).proto.id, "events")
    widget.json_trigger_value = json.dumps([{"event": "exercise", "value": {"level": level}}])
    at._run(states)
    assert not at.exception, at.exception
    return at


def tasks(at: AppTest) -> dict[int, dict]:
    return {t["step"]: t for t in base(at)["first"]["tasks"]}


def test_a_practice_link_opens_on_an_exercise_in_practice_mode():
    at = start(mode="practice")
    assert at.text_area(key=state.PROGRAM).value == exercise(state.EXERCISE_LEVEL, 1)
    sent = data(at)
    assert sent["mode"] == "practice" and sent["exercise"] == [state.EXERCISE_LEVEL, 1]
    assert sent["start"] == 0 and base(at)["algorithm"] == "route-stack"
    assert len(base(at)["keys"]) == LEVELS[state.EXERCISE_LEVEL][1]
    # the first pops are worked (no task), then the route value, then more of each pop
    asked = {k: t["asks"] for k, t in tasks(at).items()}
    assert min(asked) == 3 and asked[3] == ["route"]
    assert asked[base(at)["last"]] == ["route", "gradient", "pushed"]


def test_new_exercise_shows_the_next_seeds_exercise_at_step_0_on_the_route_stack():
    at = start(mode="practice", algorithm="topological")
    report_step(at, 2)
    ask_new_exercise(at, 3)
    assert at.text_area(key=state.PROGRAM).value == exercise(3, 2)
    assert data(at)["exercise"] == [3, 2] and data(at)["start"] == 0
    assert at.session_state[state.STEP] == 0
    assert base(at)["algorithm"] == "route-stack" and len(base(at)["keys"]) == 8
    ask_new_exercise(at, 1)
    assert at.text_area(key=state.PROGRAM).value == exercise(1, 3)
    assert at.query_params["program"] == exercise(1, 3)
    # a three-node exercise has two pops: one worked, the second asks its route value
    assert {k: t["asks"] for k, t in tasks(at).items()} == {2: ["route"]}


def test_a_practice_link_with_a_program_practises_on_it():
    at = start(program=POST_1, mode="practice")
    assert at.text_area(key=state.PROGRAM).value == POST_1
    assert data(at)["mode"] == "practice" and data(at)["exercise"] is None
    last = tasks(at)[4]  # d→a: a's second route, a is an input
    assert last["parts"]["gradient"]["right"] == "11" and last["pushed"] == []
    assert last["hint"] == "∂d/∂a = 7"
