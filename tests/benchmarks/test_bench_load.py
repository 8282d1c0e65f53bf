"""The load benchmark's pure parts: percentiles, ids, the BackMsg it sends per design."""

from __future__ import annotations

import json
import math

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from autodiff.program import MAX_LINES, compile_program
from benchmarks import bench_load as bl

COMPONENT = "$$ID-0123abcd-graph-9f8e"


def test_percentiles_interpolate_between_ranks():
    assert bl.percentile([3, 1, 2], 50) == 2
    assert bl.percentile([1, 2, 3, 4], 50) == 2.5
    assert bl.percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert bl.percentile([7], 95) == 7
    assert math.isnan(bl.percentile([], 50))
    assert bl.summary([0.1, 0.3, 0.2]) == {"n": 3, "p50": 0.2, "p95": pytest.approx(0.29)}


def test_user_keys_keep_their_dashes():
    assert bl.user_key("$$ID-abc123-next") == "next"
    assert bl.user_key("$$ID-abc123-value-a") == "value-a"
    assert bl.user_key("$$ID-abc123-graph-9f8e") == "graph-9f8e"
    assert bl.user_key("$$ID-abc123") is None
    assert bl.user_key("plain") is None


def test_url_step():
    assert bl.url_step("program=x&step=12&algorithm=route-stack") == 12
    assert bl.url_step("program=x") is None
    assert bl.url_step("step=abc") is None


def test_a_rerun_message_carries_the_query_widgets_fragment_and_cache():
    msg = bl.rerun_message("step=3", "http://127.0.0.1:8501/", [bl.button_click("$$ID-1-next")],
                           fragment_id="frag", cached_hashes=["h1", "h2"])
    back = BackMsg()
    back.ParseFromString(msg.SerializeToString())
    cs = back.rerun_script
    assert cs.query_string == "step=3"
    assert cs.context_info.url == "http://127.0.0.1:8501/?step=3"
    assert cs.fragment_id == "frag"
    assert list(cs.cached_message_hashes) == ["h1", "h2"]
    (widget,) = cs.widget_states.widgets
    assert widget.id == "$$ID-1-next" and widget.trigger_value is True


def test_component_state_is_the_whole_state_as_json_under_the_component_id():
    widget_id, kind, value = bl.component_state(COMPONENT, {"step": 7})
    assert (widget_id, kind, json.loads(value)) == (COMPONENT, "json_value", {"step": 7})


def test_component_trigger_is_an_event_list_under_the_internal_trigger_id():
    widget_id, kind, value = bl.component_trigger(COMPONENT, "step", 7)
    assert widget_id == f"$$STREAMLIT_INTERNAL_KEY_{COMPONENT}__events"
    assert kind == "json_trigger_value"
    assert json.loads(value) == [{"event": "step", "value": 7}]


def test_trigger_id_matches_streamlits_own():
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    assert bl.trigger_id(COMPONENT) == _make_trigger_id(COMPONENT, "events")


def page(*elements: bl.Element) -> bl.Session:
    session = bl.Session("ws://127.0.0.1:1")
    for el in elements:
        session.elements[bl.user_key(el.id)] = el
    return session


def test_each_design_reports_a_step_its_own_way():
    session = page(bl.Element("$$ID-1-next", "stage", "button"),
                   bl.Element(COMPONENT, "stage", "bidi_component"))
    widgets, fragment = bl.StepReport("button").message(session, 5)
    assert widgets == [("$$ID-1-next", "trigger_value", True)] and fragment == "stage"
    widgets, _ = bl.StepReport("component", "graph-", "step").message(session, 5)  # a prefix
    assert widgets == [(COMPONENT, "json_value", '{"step": 5}')]
    widgets, _ = bl.StepReport("component", "graph-", "at", trigger=True).message(session, 5)
    assert widgets[0][0].endswith("__events") and json.loads(widgets[0][2])[0]["value"] == 5


def test_the_in_page_stepper_is_told_its_step_on_the_payload_it_shows():
    data = json.dumps({"id": "p:7", "base": '{"id": "not this one"}', "start": 0})
    assert bl.payload_id(data) == "p:7" and bl.payload_id("{}") == ""
    session = page(bl.Element(COMPONENT, "stage", "bidi_component", payload=bl.payload_id(data)))
    widgets, _ = bl.StepReport("component", "graph-").message(session, 5)
    assert widgets == [(COMPONENT, "json_value", '{"step": ["p:7", 5]}')]


def test_a_design_whose_element_is_not_on_the_page_is_unavailable():
    session = page(bl.Element("$$ID-1-next", "", "button"))
    assert bl.StepReport("button").available(session)
    assert not bl.StepReport("component").available(session)  # no "stepper" today
    # a key found but not a component does not count
    assert not bl.StepReport("component", "next").available(session)


def test_a_run_fails_unless_it_finished_cleanly_with_the_step_in_the_url():
    ok = bl.Run(0.1, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, "step=4")
    assert bl.failure(ok, 4) is None
    assert bl.failure(ok, 5) == "url_not_updated"
    assert bl.failure(bl.Run(0.1, ForwardMsg.FINISHED_WITH_COMPILE_ERROR, "step=4"), 4) \
        == "bad_status"
    assert bl.failure(bl.Run(0.1, ForwardMsg.FINISHED_SUCCESSFULLY, "", ["ValueError"]), None) \
        == "exception_shown"


def test_the_largest_program_is_within_the_limits():
    text = bl.largest_program()
    assert len(text.splitlines()) == MAX_LINES
    graph = compile_program(text, {"a": 0.9, "b": 0.4}).graph
    assert len(graph.nodes) > 2_400


def test_server_options_become_the_environment_names_streamlit_reads():
    assert bl.env_name("runner.postScriptGC") == "STREAMLIT_RUNNER_POST_SCRIPT_GC"
    assert bl.env_name("server.fileWatcherType") == "STREAMLIT_SERVER_FILE_WATCHER_TYPE"
    assert bl.env_name("global.minCachedMessageSize") == "STREAMLIT_GLOBAL_MIN_CACHED_MESSAGE_SIZE"


def test_the_debounce_is_read_from_the_stepper_script():
    js = (bl.REPO / "components" / "stepper.js").read_text()
    assert bl.debounce_seconds(js) == 0.3
    assert bl.debounce_seconds("const REPORT_MS = 450;  // quiet time") == 0.45
    with pytest.raises(ValueError):
        bl.debounce_seconds("const OTHER = 1;")


def test_think_time_is_the_pages_own_pace_per_design():
    assert bl.think_times("debounce,0", 0.3) == ["debounce", "0"]
    with pytest.raises(ValueError):
        bl.think_times("debounce,fast", 0.3)
    assert bl.think_seconds("debounce", "component", 0.3) == 0.3
    assert bl.think_seconds("debounce", "button", 0.3) == 0.0  # a click is sent at once
    assert bl.think_seconds("0.5", "button", 0.3) == 0.5


def row(open_p95=1.0, step_p95=0.2, errors=None, unavailable=0) -> dict:
    return {"open": {"p95": open_p95}, "step": {"p95": step_p95}, "errors": errors or {},
            "unavailable": unavailable}


def test_only_the_new_design_at_the_pages_pace_is_judged():
    rows = {(100, "button", "debounce"): row(9.0, 9.0, {"step_bad_status": 3}),
            (100, "component", "0"): row(1.0, 2.0),  # a flood: printed, not judged
            (100, "component", "debounce"): row(2.9, 0.5)}
    assert bl.missed_goals(rows) == []
    rows[(50, "component", "debounce")] = row(3.5, 0.6, {"step_url_not_updated": 1})
    assert bl.missed_goals(rows) == [
        "50 sessions (think debounce): errors {'step_url_not_updated': 1}",
        "50 sessions (think debounce): open p95 3.50 s > 3 s",
        "50 sessions (think debounce): step p95 0.60 s > 0.5 s"]


def test_without_the_pages_pace_every_new_row_is_judged_and_a_missing_stepper_fails():
    assert bl.missed_goals({(10, "component", "0"): row(step_p95=0.7)}) == [
        "10 sessions (think 0): step p95 0.70 s > 0.5 s"]
    assert bl.missed_goals({(10, "component", "0"): row(unavailable=10)}) == [
        "10 sessions (think 0): no stepper on 10 pages"]
    assert bl.missed_goals({(1, "component", "0"): row(step_p95=math.nan)}) == [
        "1 sessions (think 0): step p95 nan s > 0.5 s"]


def stepped(open_p95=1.0, cpu_per_step=0.0, errors=None, unavailable=0, steps=1000) -> dict:
    return {"open": {"p95": open_p95}, "cpu_per_step": cpu_per_step, "errors": errors or {},
            "unavailable": unavailable, "resolution": bl.TICK / steps}


def test_stepping_judges_the_new_designs_opens_and_its_cpu_per_step():
    """Issue 22: 100 pages open at once p95 <= 1.5 s; a page stepping on its own costs the
    server no rerun (CPU per step about 0; today's Next, a rerun a step, is not judged)."""
    rows = {(100, "button"): stepped(9.0, 0.02),
            (100, "component"): stepped(1.5, 0.0004)}
    assert bl.missed_stepping_goals(rows) == []
    rows[(50, "component")] = stepped(1.6, 0.006, {"open_bad_status": 2})
    assert bl.missed_stepping_goals(rows) == [
        "50 sessions stepping: errors {'open_bad_status': 2}",
        "50 sessions stepping: open p95 1.60 s > 1.5 s",
        "50 sessions stepping: server CPU per step 6.00 ms > 0.5 ms"]
    assert bl.missed_stepping_goals({(1, "component"): stepped(unavailable=1)}) == [
        "1 sessions stepping: no stepper on 1 pages"]
    # one 10 ms tick over 10 steps is all /proc can tell from nothing: not a miss
    assert bl.missed_stepping_goals({(1, "component"): stepped(cpu_per_step=0.001,
                                                               steps=10)}) == []
