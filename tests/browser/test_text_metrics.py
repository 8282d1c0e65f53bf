"""The room the layout keeps for each label is at least what Chromium draws: the advance widths
in ``components.text_metrics`` are measured again in the page's font, and every node and edge
label of every preset, at every step, is no wider than its box's budget (``box_width``,
``edge_label_width``). Too small a budget puts an edge through a box; too large a one shrinks
the whole graph on a projector."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, make_trace
from components import text_metrics as tm
from components import view_model as vm
from components.presets import PRESETS

pytestmark = pytest.mark.browser

MEASURE = """([face, size, texts]) => {
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${size}px ${face}`;
    return texts.map(text => context.measureText(text).width);
}"""


def measured(page, texts: list[str], size: float) -> list[float]:
    return page.evaluate(MEASURE, [tm.FONT_FACE, size, texts])


def test_the_advance_widths_are_the_fonts(page):
    chars = sorted(tm.GLYPH_EM)
    ems = [width / 1000 for width in measured(page, chars, 1000)]
    off = {c: (tm.GLYPH_EM[c], round(em, 4)) for c, em in zip(chars, ems, strict=True)
           if not em <= tm.GLYPH_EM[c] < em + 0.001}  # rounded up, never down
    assert off == {}
    assert max(ems) < tm.WIDE_EM  # a character not listed is counted wider than any listed


@pytest.mark.parametrize("label", list(PRESETS))
def test_every_label_at_every_step_fits_the_room_the_layout_keeps(page, label):
    graph = compile_program(PRESETS[label]).graph
    trace = make_trace(graph, ROUTE_STACK, max_steps=1000)
    positions = vm.layout(graph)
    consts = {n.key: n.value for n in graph.nodes if n.op == "const"}
    lines: dict[str, set] = {}
    edge_texts: dict[str, set] = {}
    for k in range(trace.last_index + 1):
        state = trace.state(k)
        for view in vm.node_views(graph, state, positions):
            lines.setdefault(view["id"], set()).update(view["label"].split("\n"))
        for view in vm.edge_views(graph, state):
            edge_texts.setdefault(view["id"], set()).add(view["label"])
    too_wide = []
    for key, texts in lines.items():
        widest, kept = max(measured(page, sorted(texts), vm.FONT_SIZE)), vm.label_width(
            graph[key], consts)
        if widest > kept:
            too_wide.append(f"{key}: {widest:.1f} px, kept {kept:.1f}")
    for edge_id, texts in edge_texts.items():
        user, rest = edge_id.split(">", 1)
        i = int(rest.rsplit("#", 1)[1])
        widest = max(measured(page, sorted(texts), vm.EDGE_FONT_SIZE))
        kept = vm.edge_label_width(graph[user], i)
        if widest > kept:
            too_wide.append(f"{edge_id}: {widest:.1f} px, kept {kept:.1f}")
    assert too_wide == []
