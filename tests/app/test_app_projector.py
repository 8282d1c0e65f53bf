"""The app's side of "readable from the back of the room" (AppTest, no JavaScript): the
skipped-line notices beside the program, the build error at the top of the stage over the
last good graph (marked stale), presenter view from the URL, one name per input, and the
algorithm switch landing on the matching moment."""

from __future__ import annotations

import csv
import io

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from autodiff.trace.export import ledger_csv
from components.presets import POST_1, POST_3
from components.switch import matching_step
from tests.app.apptest import base, data, start
from tests.app.test_app_stepper import report_step


def test_skipped_lines_are_listed_under_the_program():
    text = (POST_1 + "\nimport math\nprint(d)\ngradients = get_gradients(d)")
    at = start(program=text)
    notices = "\n".join(c.value for c in at.sidebar.code)
    assert "line 5: import skipped" in notices
    assert "line 6: print(...) skipped" in notices
    assert "line 7: get_gradients(d) skipped" in notices
    assert any("Skipped lines" in c.value for c in at.sidebar.caption)
    assert not at.main.code  # nothing of it on the stage


def test_no_notices_for_a_program_without_skipped_lines():
    at = start(program=POST_1)
    assert not at.sidebar.code


def test_a_bad_program_is_said_at_the_top_of_the_stage_over_the_last_good_graph():
    at = start()
    assert data(at)["stale"] is False
    at.text_area(key="program").input("a = Var(4)\nb = Var(3)\nc = log(a, b)").run()
    stage_code = [c.value for c in at.main.code]
    assert stage_code and "line 3" in stage_code[0] and "^" in stage_code[0]
    assert any("last program that worked" in e.value for e in at.main.error)
    assert data(at)["stale"] is True  # the page dims the graph and says it is the old one
    assert {n["id"] for n in base(at)["nodes"]} == {"a", "b", "c", "d"}
    at.text_area(key="program").input(POST_1).run()
    assert data(at)["stale"] is False and not at.main.error


def test_present_in_the_url_opens_presenter_view():
    assert data(start())["present"] is False
    assert data(start(present="1"))["present"] is True


def test_a_rebound_input_keeps_its_name_everywhere():
    text = "y = 0.1\ny = y*y + y\ny = y*y + y\ny = y*y + y"
    at = start(program=text)
    assert at.number_input(key="value-y").label == "y"  # the number field
    assert not [n for n in at.number_input if n.label.startswith("y_")]
    b = base(at)
    nodes = {n["id"]: n for n in b["nodes"]}
    assert nodes["y"]["label"].startswith("input y = 0.1")  # the graph
    assert b["keys"][b["output"]] == "y_3"  # later bindings are numbered, never the input
    last = b["last"]
    report_step(at, last)
    say = make_trace(compile_program(text).graph, ROUTE_STACK).state(last).narration
    assert say.startswith("Pop (y, ") and "y's gradient" in say  # the narration
    rows = list(csv.DictReader(io.StringIO(ledger_csv(
        make_trace(compile_program(text).graph, ROUTE_STACK), last))))
    assert {r["node"] for r in rows} >= {"y", "y_1", "y_2"}  # the export
    assert all(r["route"].endswith("→y") for r in rows if r["node"] == "y")


def test_switching_algorithm_lands_on_the_matching_moment():
    at = start(program=POST_3)
    graph = compile_program(POST_3).graph
    route, topo = make_trace(graph, ROUTE_STACK), make_trace(graph, TOPOLOGICAL)
    report_step(at, 20)
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    want = matching_step(route, 20, topo)
    assert want not in (0, 20, topo.last_index)
    assert at.session_state["step"] == want and data(at)["start"] == want
    at.radio(key="algorithm").set_value(ROUTE_STACK).run()
    assert at.session_state["step"] == matching_step(topo, want, route)
    report_step(at, route.last_index)  # the end stays the end
    at.radio(key="algorithm").set_value(TOPOLOGICAL).run()
    assert at.session_state["step"] == topo.last_index
    report_step(at, 0)
    at.radio(key="algorithm").set_value(ROUTE_STACK).run()
    assert at.session_state["step"] == 0


def test_the_switch_says_its_rule():
    at = start()
    assert "the start stays the start" in at.radio(key="algorithm").help
