"""The Steps tab, the canvas's text alternative (issue 20, item 7): at every step of the post's
third example its current row says what the graph shows, the node popped (the one drawn
popped), its route (the edges drawn thick) and value (the narration's pair), and the node's
gradient (its label); the tab is reached and opened with the keyboard."""

from __future__ import annotations

import re

import pytest

from autodiff.trace import ROUTE_KEEP, fmt, route_text
from components.presets import POST_1, POST_3
from tests.browser.pages import WAIT, blur, open_app, trace_of, wait_for_step

pytestmark = pytest.mark.browser

READ = """() => {
    const row = document.querySelector('#ad-steps tr[aria-current=step]');
    const nodes = globalThis.adNetwork.body.data.nodes.get();
    return {
        step: Number(document.querySelector('#ad-steps').dataset.step),
        row: [...row.cells].map(c => c.textContent),
        rows: document.querySelectorAll('#ad-steps tbody tr').length,
        popped: nodes.filter(n => n.state === 'popped').map(n => [n.id, n.label]),
        route: globalThis.adNetwork.body.data.edges.get().filter(e => e.state === 'route')
            .map(e => e.from + '>' + e.to),
        narration: document.querySelector('#ad-narration').textContent,
    };
}"""


def route_drawn(edges: list[str], output: str) -> list[str]:
    """The route the thick edges draw, from the output down (x*x draws two edges per pair)."""
    step = dict(edge.split(">") for edge in edges)
    keys = [output]
    while keys[-1] in step:
        keys.append(step[keys[-1]])
    return keys


def test_the_steps_tab_opens_with_the_keyboard_and_lists_the_start(page, app_server):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    tab = page.locator(".ad-tabs [data-tab=steps]")
    assert tab.get_attribute("role") == "tab" and tab.inner_text() == "Steps"
    tab.focus()
    page.keyboard.press("Enter")
    page.locator("#ad-steps").wait_for(state="visible", timeout=WAIT)
    assert tab.get_attribute("aria-selected") == "true"
    shown = page.evaluate(READ)
    assert shown["row"] == ["▶ 0", "y", "y", "1", "1 ✓"] and shown["rows"] == 1


def test_the_current_row_matches_the_graph_at_every_step_of_the_third_example(
        page, app_server, save_screenshot):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    page.locator(".ad-tabs [data-tab=steps]").click()
    blur(page)
    for k in range(1, trace.last_index + 1):
        page.keyboard.press("ArrowRight")
        for selector in (".ad-net", "#ad-narration", "#ad-steps"):  # the ledger's tab is hidden
            page.locator(f'{selector}[data-step="{k}"]').wait_for(timeout=WAIT)
        shown = page.evaluate(READ)
        number, node, route, value, gradient = shown["row"]
        assert number == f"▶ {k}"
        [(popped, label)] = shown["popped"]  # the one node drawn popped
        assert node == popped, f"step {k}"
        drawn = route_drawn(shown["route"], trace.graph.output)
        assert drawn[-1] == node and route == route_text(drawn, ROUTE_KEEP), f"step {k}"
        assert f"({node}, {value})" in shown["narration"], f"step {k}"
        assert re.search(r"grad (\S+)", label).group(1) == gradient.removesuffix(" ✓")
        entry = trace.state(k).popped
        assert (node, value) == (entry.node, fmt(entry.value)) and tuple(drawn) == entry.route
        assert shown["rows"] == min(k + 1, 12)
    save_screenshot(page, "last-step", full_page=False)


def test_in_forward_mode_the_rows_give_each_visit_its_tangent(page, app_server):
    """Forward mode's rows: the node visited and its tangent in this pass (d's is 11 in a's
    pass and 4 in b's), never the backward pass's 1 at the output."""
    open_app(page, app_server, program=POST_1, algorithm="forward", step="3")
    wait_for_step(page, 3)
    page.locator(".ad-tabs [data-tab=steps]").click()
    page.locator('#ad-steps[data-step="3"]').wait_for(timeout=WAIT)
    head = page.evaluate("[...document.querySelectorAll('#ad-steps th')].map(c => c.textContent)")
    assert head == ["step", "visited", "route", "tangent", "tangent in this pass"]
    assert page.evaluate(READ)["row"] == ["▶ 3", "d", "d", "11", "11 ✓"]
    blur(page)
    page.keyboard.press("End")
    page.locator('#ad-steps[data-step="6"]').wait_for(timeout=WAIT)
    assert page.evaluate(READ)["row"] == ["▶ 6", "d", "d", "4", "4 ✓"]
