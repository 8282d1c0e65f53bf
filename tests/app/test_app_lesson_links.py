"""Lesson links (issue 20, item 4): a link fixes the program, values, step, algorithm, the
mode and which controls are hidden; the share section builds such a link (AppTest)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from components import state
from components.presets import MISCONCEPTIONS, POST_1, meeting_step
from tests.app.apptest import start


def query_of(link: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(link.split("?", 1)[1]).items()}


def test_a_lesson_link_hides_the_controls_it_names_and_keeps_its_mode_and_step():
    at = start(program=POST_1, step="2", mode="predict", hide="editor,algorithm")
    assert not at.sidebar.text_area and not at.sidebar.number_input  # no editor
    assert not [r for r in at.radio if r.key == state.ALGORITHM]
    assert at.radio(key=state.ORDER).value == 1  # not hidden: still there
    assert at.session_state[state.MODE] == "predict"
    assert at.session_state[state.STEP] == 2
    assert at.query_params["mode"] == "predict" and at.query_params["hide"] == "editor,algorithm"


def test_a_lesson_link_may_hide_the_derivative_order():
    at = start(program=POST_1, hide="order")
    assert not [r for r in at.radio if r.key == state.ORDER]
    assert at.radio(key=state.ALGORITHM).value == "route-stack"
    assert at.sidebar.text_area(key=state.PROGRAM).value == POST_1


def test_without_a_lesson_link_everything_is_there():
    at = start(program=POST_1)
    assert at.sidebar.text_area(key=state.PROGRAM).value == POST_1
    assert at.radio(key=state.ALGORITHM).value == "route-stack"
    assert at.session_state[state.MODE] == "watch" and at.session_state[state.HIDDEN] == ()


def test_the_share_section_builds_the_lesson_link():
    at = start(program=POST_1, step="2")
    at.session_state[state.EXPORTS] = True  # the section opened, as a click opens it
    at.run()
    plain = query_of(at.code[0].value)
    assert plain["step"] == "2" and "mode" not in plain and "hide" not in plain
    at.radio(key=state.LESSON_MODE).set_value("predict")
    at.checkbox(key=state.LESSON_HIDE_PREFIX + "editor").check()
    at.run()
    lesson = query_of(at.code[0].value)
    assert (lesson["mode"], lesson["hide"], lesson["step"]) == ("predict", "editor", "2")
    assert lesson["program"] == POST_1


@pytest.mark.parametrize(("hide", "hidden"), [
    ("editor,algorithm", ("editor", "algorithm")),
    ("algorithm, editor,,nonsense", ("editor", "algorithm")),  # HIDEABLE's order, junk out
    ("", ()), (None, ()),
])
def test_hidden_controls_are_read_leniently(hide, hidden):
    assert state.parse_hidden(hide) == hidden


def test_a_lesson_view_goes_to_the_url_and_back():
    view = state.View(POST_1, {"a": 4.0}, 2, "route-stack", "practice", ("editor",))
    assert view.to_query()["mode"] == "practice" and view.to_query()["hide"] == "editor"
    assert state.View.from_query(view.to_query()) == view
    assert state.View.from_query({"mode": "sleep"}).mode is None


def test_a_classic_mistakes_example_opens_predicting_just_before_routes_meet():
    label = next(iter(MISCONCEPTIONS))  # x * x at 3: both routes to x, the second at step 2
    assert meeting_step(MISCONCEPTIONS[label]) == 2
    at = start(program=POST_1, step="3")
    at.selectbox(key=state.PRESET).select(label).run()
    assert at.sidebar.text_area(key=state.PROGRAM).value == MISCONCEPTIONS[label]
    assert at.session_state[state.STEP] == 1
    data = json.loads(next(e for e in at.get("bidi_component")
                           if e.proto.component_name == "ad_stepper").proto.json)
    assert data["predict_asked"] == 1 and data["start"] == 1
