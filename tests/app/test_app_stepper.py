"""The app's behaviour through Streamlit's AppTest: the stepper's payload (every step the page
replays), the step the page reports, presets, bad programs, values, the algorithm switch, the
route limit, the URL. (AppTest runs no JavaScript: stepping itself is checked in tests/browser.)

Stepping causes no script run: the payload holds every step, and the page writes ?step= into
the address itself. It tells the server its step (the component's state {"step": [id, k]}) just
before a control outside the stepper reruns, and after each step while the share link is
open; that reruns the stage fragment to move the URL and the share link, and sends the very
same payload again."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components.presets import POST_1, POST_2, POST_3, PRESETS, SHARED
from tests.app.apptest import base, data, gradients, start, stepper


def click(at: AppTest, key: str, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key=key).click().run()
        assert not at.exception, at.exception
    return at








def report_step(at: AppTest, step: int) -> AppTest:
    """What the page sends when it tells its step: the component's state {"step": [the
    payload's id, k]}. AppTest has no setter for a custom component, so the widget state
    goes in as the browser sends it."""
    states: WidgetStates = at._tree.get_widget_states()
    widget = states.widgets.add()
    widget.id = stepper(at).proto.id
    widget.json_value = json.dumps({"step": [data(at)["id"], step]})
    at._run(states)
    assert not at.exception, at.exception
    return at




def test_the_payload_holds_every_step_of_the_first_example():
    at = start()
    assert at.text_area(key="program").value == POST_1
    trace = make_trace(compile_program(POST_1).graph, ROUTE_STACK)
    b = base(at)
    assert b["windows"] == [[0, 5]] and b["last"] == 4
    steps = b["first"]["steps"]
    assert steps["say"] == [s.narration for s in trace.states()]
    keys, cells = b["keys"], b["first"]["cells"]
    popped = [keys[cells["node"][c]] if c >= 0 else None for c in steps["pop"]]
    assert popped == [None, "c", "b", "a", "a"]
    assert b["counts"] == {"pops": 4, "visits": 3}
    grads = gradients(at)
    assert grads["a"]["engine"] == "11" and grads["a"]["agree"] == "✓ yes"
    assert data(at)["start"] == 0


def test_a_reported_step_moves_the_url_and_sends_the_same_payload():
    at = start()
    before = stepper(at).proto.json
    report_step(at, 3)
    assert at.session_state["step"] == 3
    assert at.query_params["step"] == "3"
    assert stepper(at).proto.json == before  # nothing rebuilt, nothing new to send
    at.session_state["exports"] = True
    at.run()
    assert any("?program=" in c.value and "step=3" in c.value for c in at.code)
    opened = stepper(at).proto.json  # open, the page is asked to tell every step; nothing else
    assert json.loads(opened) == {**json.loads(before), "reports": True}
    report_step(at, 4)
    assert at.query_params["step"] == "4" and stepper(at).proto.json == opened


def test_a_reported_step_past_the_end_is_clamped():
    at = start()
    report_step(at, 99)
    assert at.session_state["step"] == 4 and at.query_params["step"] == "4"


@pytest.mark.parametrize("label", list(PRESETS))
def test_each_preset_loads_with_its_payload(label):
    at = start()
    at.selectbox(key="preset").set_value(label).run()
    assert not at.exception
    text = PRESETS[label]
    assert at.text_area(key="program").value == text
    graph = compile_program(text).graph
    trace = make_trace(graph, ROUTE_STACK, max_steps=20_000)
    b = base(at)
    assert {n["id"] for n in b["nodes"]} == {n.key for n in graph.nodes}
    assert b["last"] == trace.last_index
    for node in graph.nodes:
        if node.op == "var":
            assert gradients(at)[node.key]["agree"] == "✓ yes"


def test_the_posts_second_example_matches_the_printed_gradients():
    at = start(program=POST_2)
    grads = gradients(at)
    assert grads["a"]["engine"] == "-1.533e+5"  # the post: -153284.83150602411
    assert grads["b"]["engine"] == "3815"  # the post: 3815.0389441500993


def test_the_posts_third_example_pasted_with_its_numerical_check_differentiates_y():
    # As the post prints it: `gradients = get_gradients(y)` names the output, so the
    # numerical-check lines after it (the last one assigns numerical_grad_c) change nothing.
    text = (POST_3 + "\n\ngradients = get_gradients(y)\n\n"
            'print("The partial derivative of y with respect to a =", gradients[a])\n'
            "delta = Var(1e-8)\n"
            "numerical_grad_a = (f(a + delta, b, c) - f(a, b, c)) / delta\n"
            "numerical_grad_c = (f(a, b, c + delta) - f(a, b, c)) / delta\n\n"
            'print("The numerical estimate for c =", numerical_grad_c.value)\n')
    at = start(program=text)
    ids = set(base(at)["keys"])
    assert "y" in ids and "delta" not in ids and "numerical_grad_c" not in ids
    grads = gradients(at)
    exact = compile_program(text).output
    assert exact.value == compile_program(POST_3).output.value
    assert (grads["a"]["engine"], grads["b"]["engine"], grads["c"]["engine"]) == (
        "60.85", "872.2", "-3.285")  # the post: 60.85353612046653, 872.23..., -3.28...


def test_a_bad_program_shows_the_caret_and_keeps_the_last_graph():
    at = start()
    report_step(at, 2)
    before = base(at)
    at.text_area(key="program").input("a = Var(4)\nb = Var(3)\nc = log(a, b)").run()
    assert not at.exception
    assert at.error, "the error is said"
    message = at.sidebar.code[0].value
    assert "line 3" in message and "^" in message and "log" in message
    assert {n["id"] for n in base(at)["nodes"]} == {n["id"] for n in before["nodes"]}
    assert at.session_state["step"] == 2  # a typo does not lose the lecturer's place
    at.text_area(key="program").input("a = Var(4)\nb = Var(3)\nc = log(a * b)").run()
    assert not at.error
    assert {n["id"] for n in base(at)["nodes"]} == {"a", "b", "mul1", "c"}
    assert data(at)["start"] == 0  # a new graph starts at step 0


def test_a_value_that_breaks_an_op_keeps_the_last_graph():
    at = start(program="x = 2\ny = log(x)")
    at.number_input(key="value-x").set_value(-1.0).run()
    assert not at.exception and at.error
    assert "log" in at.sidebar.code[0].value
    labels = {n["id"]: n["label"] for n in base(at)["nodes"]}
    assert labels["x"].startswith("input x = 2")


def test_changing_a_value_reevaluates_the_same_graph_at_the_same_step():
    at = start()
    report_step(at, 4)
    positions = {n["id"]: (n["x"], n["y"]) for n in base(at)["nodes"]}
    at.number_input(key="value-a").set_value(5.0).run()
    assert not at.exception
    nodes = {n["id"]: n for n in base(at)["nodes"]}
    assert {k: (n["x"], n["y"]) for k, n in nodes.items()} == positions
    assert nodes["a"]["label"].startswith("input a = 5")
    assert gradients(at)["a"]["engine"] == "13"  # d = a(a + b): 2a + b
    assert data(at)["start"] == 4  # the new payload starts where the page was


def test_the_algorithm_switch_sends_the_other_trace():
    at = start(program=SHARED)
    graph = compile_program(SHARED).graph
    routes = make_trace(graph, ROUTE_STACK).total_steps
    assert base(at)["counts"] == {"pops": routes, "visits": len(graph.nodes) - 1}
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    assert not at.exception
    b = base(at)
    assert b["algorithm"] == TOPOLOGICAL and b["last"] == len(graph.nodes) - 1
    assert all(row["agree"] == "✓ yes" for row in b["gradients"] if row["agree"] != "—")


def test_too_many_routes_are_counted_and_the_topological_way_offered():
    lines = ["x = 0.5"] + ["x = sin(x*x + x)"] * 12  # 3**12 routes to x
    at = start(program="\n".join(lines))
    warning = at.warning[0].value
    routes = make_trace(compile_program("\n".join(lines)).graph, ROUTE_STACK).total_steps
    assert f"{routes:,}" in warning and "topological" in warning.lower()
    b = base(at)
    assert b["last"] == 20_000 and not b["steppable"]
    assert b["windows"][0] == [0, 200] and b["windows"][-1][1] == 20_001
    assert len(b["first"]["steps"]["say"]) == 200  # the rest comes when the page asks
    click(at, "use_topological")
    assert at.session_state["algorithm"] == TOPOLOGICAL
    assert not at.warning


def test_query_parameters_restore_a_view():
    at = start(program=POST_3, values="a:43,b:3,c:2.5", step="7", algorithm=ROUTE_STACK)
    assert at.text_area(key="program").value == POST_3
    assert at.session_state["step"] == 7 and data(at)["start"] == 7
    assert at.number_input(key="value-c").value == 2.5
    topo = start(program=POST_1, step="2", algorithm=TOPOLOGICAL)
    assert topo.radio(key="algorithm").value == TOPOLOGICAL
    assert data(topo)["start"] == 2


def test_a_step_past_the_end_in_the_url_is_clamped():
    at = start(program=POST_1, step="99")
    assert at.session_state["step"] == 4 and data(at)["start"] == 4


def test_the_url_follows_the_view():
    at = start()
    report_step(at, 2)
    assert at.query_params["step"] == "2"
    assert at.query_params["algorithm"] == ROUTE_STACK
    assert at.query_params["values"] == "a=4,b=3"
    assert at.query_params["program"] == POST_1


def test_the_builder_appends_a_line_to_the_program():
    at = start()
    at.selectbox(key="build_op").set_value("a × b").run()
    at.selectbox(key="build_a").set_value("d").run()
    at.selectbox(key="build_b").set_value("b").run()
    at.text_input(key="build_name").input("e").run()
    click(at, "build_append")
    assert at.text_area(key="program").value == POST_1 + "\ne = d * b"
    assert {n["id"] for n in base(at)["nodes"]} == {"a", "b", "c", "d", "e"}
    at.selectbox(key="build_op").set_value("sin(a)").run()
    at.selectbox(key="build_a").set_value("(new input)").run()
    click(at, "build_append")
    *_, new_input, line = at.text_area(key="program").value.splitlines()
    name = new_input.split(" = ")[0]
    assert new_input == f"{name} = 1"
    assert line.endswith(f" = sin({name})")
    assert not at.error


def test_downloads_are_offered_when_the_section_is_open():
    at = start()
    assert not at.get("download_button")  # closed: nothing is made
    at.session_state["exports"] = True
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("?program=" in c.value and "step=0" in c.value for c in at.code)
    assert labels == ["Trace (JSON)", "Route ledger (CSV)", "Graph (HTML, offline)",
                      "Slideshow (HTML)", "Handout (HTML)", "Step table (Markdown)",
                      "Step table (LaTeX)"]


def test_follow_and_fit_reach_the_page():
    at = start()
    assert data(at)["follow"] is False
    at.toggle(key="follow").set_value(True).run()
    assert data(at)["follow"] is True
    fit = data(at)["fit"]
    click(at, "fit_graph")
    assert data(at)["fit"] == fit + 1 and data(at)["follow"] is False
