"""Small pure helpers of the UI: the URL's values, the builder's lines, the presets."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from components import editor, state
from components.presets import DEFAULT_PROGRAM, POST_1, POST_2, POST_3, PRESETS, preset_named


def test_values_round_trip_through_the_url():
    values = {"a": 4.0, "b": 3.0, "c": 0.1, "w": -2.5e-7}
    text = state.format_values(values)
    assert text == "a=4,b=3,c=0.1,w=-2.5e-07"  # autodiff.values: the CLI's syntax
    assert state.parse_values(text) == values
    assert state.parse_values("a:4,b:3,c:0.1,w:-2.5e-7") == values  # an old link still opens


@pytest.mark.parametrize("text", ["", None, "a", "a:", ":3", "a:x", "a:nan", "a=inf", "a:1e400"])
def test_malformed_values_are_skipped(text):
    assert state.parse_values(text) == {}
    assert state.parse_values(f"b:2,{text},c=3") == {"b": 2.0, "c": 3.0}


def test_share_query_holds_the_whole_view():
    query = state.share_query(POST_1, {"a": 4.0, "b": 3.0}, 4, "route-stack")
    assert query.startswith("?program=")
    assert "&values=a=4,b=3&" in query and "step=4" in query
    assert "algorithm=route-stack" in query
    from urllib.parse import parse_qs  # an `=` inside a value is read back as part of it

    assert parse_qs(query[1:]) == {"program": [POST_1], "values": ["a=4,b=3"], "step": ["4"],
                                   "algorithm": ["route-stack"]}


def test_a_view_goes_to_the_url_and_back_unchanged():
    view = state.View(POST_1, {"a": 4.0, "b": 0.1}, 4, "topological")
    assert view.to_query() == {"program": POST_1, "values": "a=4,b=0.1", "step": "4",
                               "algorithm": "topological"}
    assert state.View.from_query(view.to_query()) == view


@pytest.mark.parametrize(("params", "view"), [
    ({}, state.View()),  # nothing asked: nothing set, step 0
    ({"program": "", "values": "", "step": "x", "algorithm": "newton"}, state.View()),
    ({"step": "-3"}, state.View(step=0)),
    ({"values": "a:4,b=oops,c=3"}, state.View(values={"a": 4.0, "c": 3.0})),  # old form read
])
def test_a_view_leaves_out_what_the_url_does_not_give_or_gives_badly(params, view):
    assert state.View.from_query(params) == view
    assert "program" not in view.to_query() and "algorithm" not in view.to_query()


def test_the_posts_examples_are_exact():
    assert POST_1 == "a = Var(4)\nb = Var(3)\nc = Add(a, b)\nd = Mul(a, c)"
    assert "    return (a / b - a) * (b / a + a + b) * (a - b)\n" in POST_2
    assert "    f = Sin(a * b) + Exp(c - (a / b))\n    return Log(f * f) * c\n" in POST_3
    assert DEFAULT_PROGRAM == POST_1 and list(PRESETS.values())[0] == POST_1


@pytest.mark.parametrize("label", list(PRESETS))
def test_every_preset_compiles(label):
    program = compile_program(PRESETS[label])
    assert len(program.graph.nodes) >= 3
    assert preset_named(PRESETS[label]) == label


def test_builder_lines_are_program_lines():
    assert editor.builder_line("a × b", "a", "c", "e") == "e = a * c"
    assert editor.builder_line("sin(a)", "d", None, "s") == "s = sin(d)"
    program = compile_program(POST_1 + "\n" + editor.builder_line("a ÷ b", "d", "b", "e"))
    assert program.graph.output == "e"
    assert program.output.value == pytest.approx(28 / 3)


def test_fresh_names_avoid_the_taken_ones():
    assert editor.fresh_name(()) == "x"
    assert editor.fresh_name(("x", "y")) == "z"
    assert editor.fresh_name(editor.NAME_POOL) == "t1"


def test_the_stepper_writes_text_never_html():
    """Narration, node names and numbers reach the page as text (textContent), so a program's
    text can never become markup there."""
    from components.stepper import assets

    js, _ = assets()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js
    assert "textContent" in js


def test_the_download_files_are_made():
    import json

    from autodiff.trace import ROUTE_STACK, make_trace
    from autodiff.trace.export import ledger_csv
    from components import panels
    from components import view_model as vm

    graph = compile_program(POST_1).graph
    trace = make_trace(graph, ROUTE_STACK)
    document = json.loads(panels._json(trace))  # the schema is the export module's
    assert (document["algorithm"], document["output"], document["total_steps"]) == (
        "route-stack", "d", 4)
    assert [(s["popped"], s["route"], s["gradient"]) for s in document["steps"]] == [
        ("c", ["d", "c"], 4), ("b", ["d", "c", "b"], 4), ("a", ["d", "c", "a"], 4),
        ("a", ["d", "a"], 11)]
    assert document["gradients"] == {"a": 11, "b": 4, "c": 4, "d": 1}
    html = panels._html(graph, trace, 4, vm.layout(graph))
    assert "vis.Network" in html and "cdnjs" not in html
    rows = ledger_csv(trace, 4).splitlines()  # what the CSV button hands over at step 4
    assert rows[1:3] == ["a,1,d→c→a,4 × 1,4.0,4.0", "a,2,d→a,7,7.0,11.0"]


def test_the_view_model_needs_neither_streamlit_nor_pyvis():
    import subprocess
    import sys

    code = ("import sys, components.view_model, components.presets; "
            "assert 'streamlit' not in sys.modules, 'streamlit'; "
            "assert 'pyvis' not in sys.modules, 'pyvis'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert result.returncode == 0, result.stderr


def test_the_builder_offers_each_name_once_and_the_output_by_its_name():
    # `y` is rebound: the graph keys its bindings y, y_1, y_2, but a typed line says `y`
    from autodiff.program import compile_program
    from components.editor import named_nodes, output_name

    graph = compile_program("x = 2.0\ny = x * x\ny = y * y + y\ny = sin(y)").graph
    assert graph.output == "y_2"
    assert named_nodes(graph) == ("x", "y")
    assert output_name(graph) == "y"
