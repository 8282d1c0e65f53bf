"""The app's behaviour through Streamlit's AppTest: presets, the step buttons, what the panels
and the graph data say at a step, bad programs, values, the algorithm switch, Play, the URL.
(AppTest runs no JavaScript: the drawing itself is checked in tests/browser.)"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components.presets import POST_1, POST_2, POST_3, PRESETS, SHARED

APP = Path(__file__).resolve().parents[2] / "app.py"


def start(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str, times: int = 1) -> AppTest:
    for _ in range(times):
        at.button(key=key).click().run()
        assert not at.exception, at.exception
    return at


def graph_data(at: AppTest) -> dict:
    element = next(e for e in at.get("bidi_component") if e.proto.component_name == "ad_graph")
    return json.loads(element.proto.json)


def graph_id(at: AppTest) -> str:
    element = next(e for e in at.get("bidi_component") if e.proto.component_name == "ad_graph")
    return element.proto.id


def popped(at: AppTest) -> list[str]:
    return [n["id"] for n in graph_data(at)["nodes"] if n["state"] == "popped"]


def table_with(at: AppTest, column: str):
    return next(t.value for t in at.table if column in t.value.columns)


def ledger(at: AppTest) -> dict[str, str]:
    frame = table_with(at, "ledger")
    return dict(zip(frame["node"], frame["ledger"], strict=True))


def gradients(at: AppTest) -> dict[str, dict]:
    frame = table_with(at, "engine")
    return {row["node"]: row for row in frame.to_dict("records")}


def test_the_posts_first_example_steps_to_a_11():
    at = start()
    assert at.text_area(key="program").value == POST_1
    assert at.session_state["step"] == 0
    assert any("Step 0 of 4" in m.value for m in at.markdown)
    click(at, "next", 4)
    assert at.session_state["step"] == 4
    assert popped(at) == ["a"]
    assert ledger(at)["a"] == "a = 4 (d→c→a) + 7 (d→a) = 11"
    grads = gradients(at)
    assert grads["a"]["running"] == "11 ✓" and grads["a"]["engine"] == "11"
    assert grads["b"]["running"] == "4 ✓" and grads["c"]["running"] == "4 ✓"
    assert all(row["agree"] == "✓ yes" for row in grads.values())
    assert "a's gradient becomes 4 + 7 = 11" in at.info[0].value
    assert at.button(key="next").disabled and at.button(key="end").disabled


def test_each_pop_of_the_first_example():
    at = start()
    expected = [("c", "d→c"), ("b", "d→c→b"), ("a", "d→c→a"), ("a", "d→a")]
    for k, (node, route) in enumerate(expected, start=1):
        click(at, "next")
        assert at.session_state["step"] == k
        assert popped(at) == [node]
        on_route = {(e["from"], e["to"]) for e in graph_data(at)["edges"]
                    if e["state"] == "route"}
        hops = route.split("→")
        assert on_route == set(zip(hops, hops[1:], strict=False))
    click(at, "back")
    assert at.session_state["step"] == 3 and popped(at) == ["a"]
    assert ledger(at)["a"] == "a = 4 (d→c→a) = 4"
    click(at, "reset")
    assert at.session_state["step"] == 0 and popped(at) == []
    click(at, "end")
    assert at.session_state["step"] == 4


def test_the_slider_jumps_to_a_step():
    at = start()
    at.slider(key="step").set_value(2).run()
    assert at.session_state["step"] == 2 and popped(at) == ["b"]


@pytest.mark.parametrize("label", list(PRESETS))
def test_each_preset_loads_and_steps(label):
    at = start()
    at.selectbox(key="preset").set_value(label).run()
    assert not at.exception
    text = PRESETS[label]
    assert at.text_area(key="program").value == text
    graph = compile_program(text).graph
    trace = make_trace(graph, ROUTE_STACK, max_steps=20_000)
    assert {n["id"] for n in graph_data(at)["nodes"]} == {n.key for n in graph.nodes}
    click(at, "next", 2)
    assert at.session_state["step"] == min(2, trace.last_index)
    assert popped(at) == [trace.state(min(2, trace.last_index)).popped.node]
    click(at, "end")
    assert at.session_state["step"] == trace.last_index
    grads = gradients(at)
    for node in graph.nodes:
        if node.op == "var":
            assert grads[node.key]["agree"] == "✓ yes"
            assert grads[node.key]["running"].endswith("✓")


def test_the_posts_second_example_matches_the_printed_gradients():
    at = start(program=POST_2)
    click(at, "end")
    grads = gradients(at)
    assert grads["a"]["engine"] == "-153285"  # the post: -153284.83150602411
    assert grads["b"]["engine"] == "3815.04"  # the post: 3815.0389441500993


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
    click(at, "end")
    ids = {n["id"] for n in graph_data(at)["nodes"]}
    assert "y" in ids and "delta" not in ids and "numerical_grad_c" not in ids
    grads = gradients(at)
    exact = compile_program(text).output
    assert exact.value == compile_program(POST_3).output.value
    assert (grads["a"]["engine"], grads["b"]["engine"], grads["c"]["engine"]) == (
        "60.8535", "872.233", "-3.28537")  # the post: 60.85353612046653, 872.23..., -3.28...


def test_a_bad_program_shows_the_caret_and_keeps_the_last_graph():
    at = start()
    click(at, "next", 2)
    before = graph_data(at)
    at.text_area(key="program").input("a = Var(4)\nb = Var(3)\nc = log(a, b)").run()
    assert not at.exception
    assert at.error, "the error is said"
    message = at.sidebar.code[0].value
    assert "line 3" in message and "^" in message and "log" in message
    after = graph_data(at)
    assert {n["id"] for n in after["nodes"]} == {n["id"] for n in before["nodes"]}
    assert at.session_state["step"] == 2  # a typo does not lose the lecturer's place
    # fixing it brings the new graph
    at.text_area(key="program").input("a = Var(4)\nb = Var(3)\nc = log(a * b)").run()
    assert not at.error
    assert {n["id"] for n in graph_data(at)["nodes"]} == {"a", "b", "mul1", "c"}


def test_a_value_that_breaks_an_op_keeps_the_last_graph():
    at = start(program="x = 2\ny = log(x)")
    at.number_input(key="value-x").set_value(-1.0).run()
    assert not at.exception and at.error
    assert "log" in at.sidebar.code[0].value
    labels = {n["id"]: n["label"] for n in graph_data(at)["nodes"]}
    assert labels["x"].startswith("input x = 2")


def test_changing_a_value_reevaluates_the_same_graph_in_place():
    at = start()
    click(at, "end")
    key_before = graph_id(at)
    positions = {n["id"]: (n["x"], n["y"]) for n in graph_data(at)["nodes"]}
    at.number_input(key="value-a").set_value(5.0).run()
    assert not at.exception
    assert graph_id(at) == key_before  # same component instance: zoom and pan survive
    nodes = {n["id"]: n for n in graph_data(at)["nodes"]}
    assert {k: (n["x"], n["y"]) for k, n in nodes.items()} == positions
    assert nodes["a"]["label"].startswith("input a = 5")
    assert gradients(at)["a"]["engine"] == "13"  # d = a(a + b): 2a + b
    assert at.session_state["step"] == 4  # a value change keeps the step


def test_the_algorithm_switch_shows_both_counts():
    at = start(program=SHARED)
    routes = make_trace(compile_program(SHARED).graph, ROUTE_STACK).total_steps
    nodes = len(compile_program(SHARED).graph.nodes)
    assert any(f"{routes:,} pops" in m.value and f"{nodes - 1} visits" in m.value
               for m in at.markdown)
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    assert not at.exception
    click(at, "end")
    graph = compile_program(SHARED).graph
    assert at.session_state["step"] == len(graph.nodes) - 1
    assert all(row["agree"] == "✓ yes" for row in gradients(at).values()
               if row["agree"] != "—")


def test_too_many_routes_are_counted_and_the_topological_way_offered():
    lines = ["x = 0.5"] + ["x = sin(x*x + x)"] * 12  # 3**12 routes to x
    at = start(program="\n".join(lines))
    warning = at.warning[0].value
    routes = make_trace(compile_program("\n".join(lines)).graph, ROUTE_STACK).total_steps
    assert f"{routes:,}" in warning and "topological" in warning.lower()
    click(at, "end")  # never hangs: only the first pops are stepped
    click(at, "use_topological")
    assert at.session_state["algorithm"] == TOPOLOGICAL
    assert not at.warning


def test_query_parameters_restore_a_view():
    at = start(program=POST_3, values="a:43,b:3,c:2.5", step="7", algorithm=ROUTE_STACK)
    assert at.text_area(key="program").value == POST_3
    assert at.session_state["step"] == 7
    assert at.number_input(key="value-c").value == 2.5
    trace = make_trace(compile_program(POST_3, {"c": 2.5}).graph, ROUTE_STACK)
    assert popped(at) == [trace.state(7).popped.node]
    topo = start(program=POST_1, step="2", algorithm=TOPOLOGICAL)
    assert topo.radio(key="algorithm").value == TOPOLOGICAL
    assert topo.session_state["step"] == 2


def test_a_step_past_the_end_in_the_url_is_clamped():
    at = start(program=POST_1, step="99")
    assert at.session_state["step"] == 4


def test_the_url_follows_the_view():
    at = start()
    click(at, "next", 2)
    assert at.query_params["step"] == "2"
    assert at.query_params["algorithm"] == ROUTE_STACK
    assert at.query_params["values"] == "a:4,b:3"
    assert at.query_params["program"] == POST_1


def test_the_builder_appends_a_line_to_the_program():
    at = start()
    at.selectbox(key="build_op").set_value("a × b").run()
    at.selectbox(key="build_a").set_value("d").run()
    at.selectbox(key="build_b").set_value("b").run()
    at.text_input(key="build_name").input("e").run()
    click(at, "build_append")
    assert at.text_area(key="program").value == POST_1 + "\ne = d * b"
    assert {n["id"] for n in graph_data(at)["nodes"]} == {"a", "b", "c", "d", "e"}
    at.selectbox(key="build_op").set_value("sin(a)").run()
    at.selectbox(key="build_a").set_value("(new input)").run()
    click(at, "build_append")
    *_, new_input, line = at.text_area(key="program").value.splitlines()
    name = new_input.split(" = ")[0]
    assert new_input == f"{name} = 1"
    assert line.endswith(f" = sin({name})")
    assert not at.error


def test_play_steps_by_itself_and_stops_at_the_end():
    at = start()
    at.selectbox(key="speed").set_value(0.5).run()
    click(at, "play")
    assert at.session_state["playing"] is True
    for _ in range(40):
        time.sleep(0.5)
        at.run()
        if not at.session_state["playing"]:
            break
    assert at.session_state["step"] == 4
    assert at.session_state["playing"] is False
    assert at.button(key="play").label.startswith("Play")


def test_downloads_are_offered_when_the_section_is_open():
    at = start()
    assert not at.get("download_button")  # closed: nothing is made
    at.session_state["exports"] = True
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("?program=" in c.value and "step=0" in c.value for c in at.code)
    assert labels == ["Trace (JSON)", "Route ledger (CSV)", "Graph (HTML, offline)"]


def test_follow_and_fit_reach_the_drawing():
    at = start()
    assert graph_data(at)["follow"] is False
    at.toggle(key="follow").set_value(True).run()
    click(at, "next")
    data = graph_data(at)
    assert data["follow"] is True and data["focus"] == ["d", "c"]
    fit = data["fit"]
    click(at, "fit_graph")
    assert graph_data(at)["fit"] == fit + 1 and graph_data(at)["follow"] is False
