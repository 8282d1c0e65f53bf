"""Small pure helpers of the UI: the URL's values, the builder's lines, the presets."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from components import editor, state
from components.presets import DEFAULT_PROGRAM, POST_1, POST_2, POST_3, PRESETS, preset_named


def test_values_round_trip_through_the_url():
    values = {"a": 4.0, "b": 3.0, "c": 0.1, "w": -2.5e-7}
    text = state.format_values(values)
    assert text.startswith("a:4,b:3,")
    assert state.parse_values(text) == values


@pytest.mark.parametrize("text", ["", "a", "a:", ":3", "a:x", "a:nan", "a:inf"])
def test_malformed_values_are_skipped(text):
    assert state.parse_values(text) == {}


def test_share_query_holds_the_whole_view():
    query = state.share_query(POST_1, {"a": 4.0, "b": 3.0}, 4, "route-stack")
    assert query.startswith("?program=")
    assert "values=a:4,b:3" in query and "step=4" in query
    assert "algorithm=route-stack" in query


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
    from components import panels
    from components import view_model as vm

    graph = compile_program(POST_1).graph
    trace = make_trace(graph, ROUTE_STACK)
    document = json.loads(panels._json(trace))
    assert document  # the schema is the export module's; here: it is JSON
    html = panels._html(graph, trace, 4, vm.layout(graph))
    assert "vis.Network" in html and "cdnjs" not in html
    from autodiff.export import ledger_csv

    assert "d→c→a" in ledger_csv(trace, 4) or "d,c,a" in ledger_csv(trace, 4)


def test_the_view_model_needs_neither_streamlit_nor_pyvis():
    import subprocess
    import sys

    code = ("import sys, components.view_model, components.presets; "
            "assert 'streamlit' not in sys.modules, 'streamlit'; "
            "assert 'pyvis' not in sys.modules, 'pyvis'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert result.returncode == 0, result.stderr
