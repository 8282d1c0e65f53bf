"""vis-network's own drawing of every preset is clean: no edge through a node box, no two
edge labels on each other, no label under a box (read from the live Network, not from our
model of it). The offline HTML of one step is enough; the app draws the same data."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, make_trace
from components import drawing, graph_view
from components import view_model as vm
from components.presets import PRESETS

pytestmark = pytest.mark.browser

DRAWN = "typeof network !== 'undefined' && network.body.nodeIndices.length > 0"


def draw(page, text: str, positions=None) -> None:
    graph = compile_program(text).graph
    state = make_trace(graph, ROUTE_STACK, max_steps=1000).state(2)
    page.set_content(graph_view.standalone_html(graph, state, positions or vm.layout(graph)))
    page.wait_for_function(DRAWN)


@pytest.mark.parametrize("label", list(PRESETS))
def test_vis_draws_every_preset_clean(page, save_screenshot, label):
    draw(page, PRESETS[label])
    assert drawing.page_problems(page, "network") == []
    save_screenshot(page, full_page=False)


def test_the_page_check_sees_a_crowded_drawing(page):
    text = "x = 2\nu = x*x\nv = u + x\ny = u*v + sin(u)"
    column = {k: (0, y) for k, (_, y) in vm.layout(compile_program(text).graph).items()}
    draw(page, text, column)
    found = drawing.page_problems(page, "network")
    assert "edge mul1→u runs through the box of v" in found
