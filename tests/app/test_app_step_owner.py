"""Who owns the step (issue 22, a big class on one server): the program's page writes ?step=
into the address itself and tells the server its step only when a rerun uses it, so its
stepper is sent ``address`` and, only while the share link and downloads are open,
``reports`` (tell every step, for them to follow). The Training view's stepper keeps its
step in its component's state: it tells every step and writes no address. (What the page
does with them, and that stepping sends nothing: tests/browser/test_step_in_address.py.)"""

from __future__ import annotations

import json

from streamlit.proto.WidgetStates_pb2 import WidgetStates

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components import state
from components.presets import POST_3
from components.switch import matching_step
from tests.app.apptest import data, start, stepper


def tell_step(at, step: int, ident: str | None = None):
    """The page tells its step on the payload it shows (``ident``, default the one last
    sent) as the browser sends it: the component's state {"step": [payload id, k]}
    (AppTest has no setter for a custom component)."""
    states: WidgetStates = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = stepper(at).proto.id
    widget.json_value = json.dumps({"step": [ident or data(at)["id"], step]})
    at._run(states)
    assert not at.exception, at.exception
    return at


def test_the_program_stepper_writes_the_address_and_is_told_every_step_only_while_shared():
    at = start(program=POST_3, step=4)
    sent = data(at)
    assert sent["address"] is True and sent["reports"] is False and sent["start"] == 4
    at.session_state[state.EXPORTS] = True  # the section opened, as a click opens it
    at.run()
    assert data(at)["reports"] is True
    tell_step(at, 7)
    assert any("step=7&" in c.value for c in at.code)  # the share link at the page's step
    assert [b.proto.label for b in at.get("download_button")][1] == "Route ledger (CSV)"
    at.session_state[state.EXPORTS] = False
    at.run()
    assert data(at)["reports"] is False and at.query_params["step"] == "7"


def test_the_training_stepper_tells_every_step_and_writes_no_address():
    at = start(view="training")
    at.button(key="train_run").click().run()
    assert not at.exception, at.exception
    sent = data(at)
    assert sent["address"] is False and sent["reports"] is True


def test_the_algorithm_switch_maps_the_step_the_page_told_before_the_click():
    stack = make_trace(compile_program(POST_3).graph, ROUTE_STACK)
    sweep = make_trace(compile_program(POST_3).graph, TOPOLOGICAL)
    at = start(program=POST_3)
    tell_step(at, 9)  # told on the pointer's way to the switch, never while stepping
    assert at.session_state[state.STEP] == 9 and at.query_params["step"] == "9"
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    k = matching_step(stack, 9, sweep)
    assert 0 < k < sweep.last_index
    assert at.session_state[state.STEP] == k and data(at)["start"] == k
    assert at.query_params["step"] == str(k) and at.query_params["algorithm"] == TOPOLOGICAL
    assert data(at)["reports"] is False  # and the page steps on its own again, telling nothing


def test_the_same_step_told_again_on_another_payload_is_heard():
    """The component keeps the last state the page set: a step number told before, told
    again on a new payload (the other algorithm, a new graph), is still a change the server
    hears, since the page tells which payload it stands on."""
    stack = make_trace(compile_program(POST_3).graph, ROUTE_STACK)
    sweep = make_trace(compile_program(POST_3).graph, TOPOLOGICAL)
    at = start(program=POST_3)
    tell_step(at, 9)
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    assert at.session_state[state.STEP] == matching_step(stack, 9, sweep) != 9
    tell_step(at, 9)  # the page stepped to 9 of the sweep, then touched the switch
    assert at.session_state[state.STEP] == 9
    at.radio(key="algorithm").set_value(ROUTE_STACK).run()
    assert at.session_state[state.STEP] == matching_step(sweep, 9, stack)
    at.text_area(key="program").set_value(POST_3 + "\ne = y * 2").run()  # a new graph: 0
    assert at.session_state[state.STEP] == 0
    tell_step(at, 9)
    assert at.session_state[state.STEP] == 9


def test_a_step_told_on_a_payload_no_longer_shown_is_dropped():
    at = start(program=POST_3)
    shown = data(at)["id"]
    at.text_area(key="program").set_value(POST_3 + "\ne = y * 2").run()
    assert data(at)["id"] != shown
    tell_step(at, 5, ident=shown)  # told on the old graph, heard after the new one was sent
    assert at.session_state[state.STEP] == 0
    tell_step(at, 5)  # told on the graph shown
    assert at.session_state[state.STEP] == 5
