"""The pyvis side: vis data built with pyvis's Network, and the offline standalone HTML."""

from __future__ import annotations

import json
import re

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, make_trace
from components import graph_view
from components import view_model as vm
from components.presets import POST_1, POST_3, PRESETS


def step(text: str, k: int):
    graph = compile_program(text).graph
    trace = make_trace(graph, ROUTE_STACK)
    return graph, trace.state(k), vm.layout(graph)


def test_to_vis_goes_through_pyvis_and_keeps_every_style():
    graph, state, pos = step(POST_1, 3)
    nodes, edges, options = graph_view.to_vis(graph, state, pos)
    assert [n["id"] for n in nodes] == ["a", "b", "c", "d"]
    assert {(e["from"], e["to"]) for e in edges} == {("c", "a"), ("c", "b"), ("d", "a"),
                                                     ("d", "c")}
    a = next(n for n in nodes if n["id"] == "a")
    assert a["state"] == "popped" and a["x"] == pos["a"][0] and a["y"] == pos["a"][1]
    assert all(isinstance(n["label"], str) for n in nodes)
    assert all(isinstance(e["label"], str) for e in edges)
    assert options["physics"]["enabled"] is False
    json.dumps([nodes, edges, options])  # plain data: it crosses to the browser as JSON


def test_the_payload_per_step_is_small():
    graph, state, pos = step(POST_3, 5)
    nodes, edges, options = graph_view.to_vis(graph, state, pos)
    assert len(json.dumps([nodes, edges, options])) < 30_000


def test_graph_key_follows_the_shape_not_the_values():
    g1 = compile_program(POST_1).graph
    g2 = compile_program(POST_1, {"a": 9}).graph
    g3 = compile_program(POST_1 + "\ne = d * b").graph
    assert graph_view.graph_key(g1) == graph_view.graph_key(g2)
    assert graph_view.graph_key(g1) != graph_view.graph_key(g3)


@pytest.mark.parametrize("label", list(PRESETS))
def test_standalone_html_works_offline(label):
    graph = compile_program(PRESETS[label]).graph
    trace = make_trace(graph, ROUTE_STACK, max_steps=20_000)
    html = graph_view.standalone_html(graph, trace.state(min(2, trace.last_index)),
                                      vm.layout(graph))
    for banned in ("cdnjs", "jsdelivr", "bootstrap", "unpkg", "googleapis"):
        assert banned not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "lib/bindings" not in html.split("<script>", 1)[0]  # no relative script either
    assert "vis.Network" in html
    assert "new vis.DataSet" in html
    assert len(html) > 400_000  # vis-network is in line


def test_standalone_html_escapes_labels():
    # The parser allows only identifiers, but the engine takes any name, and titles hold
    # formulas: a name that tries to close the script and open a heading must stay text.
    from autodiff import Mul, Var
    from autodiff.core.graph import snapshot

    hostile = "</script><h1>x"
    graph = snapshot(Mul(Var(2.0, name=hostile), Var(3.0, name="b"), name="y"))
    state = make_trace(graph, ROUTE_STACK).state(1)
    html = graph_view.standalone_html(graph, state, vm.layout(graph))
    data = html[html.index("new vis.DataSet"):]
    assert "</script" not in data.split("</script>", 1)[0]  # the data's script is not closed
    assert "<h1" not in html  # neither the name nor pyvis's own (unescaped) heading
    assert "\\u003c/script\\u003e\\u003ch1\\u003ex" in data  # the name is there, escaped


def test_vis_source_is_read_from_the_installed_pyvis():
    source = graph_view.vis_source()
    assert graph_view.VIS_JS.is_file() and "pyvis" in str(graph_view.VIS_JS)
    assert len(source) > 400_000 and "Network" in source
