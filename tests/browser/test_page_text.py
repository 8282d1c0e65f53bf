"""What a step's text says, on the page (issue 18, items 5, 9, 11, 13), in Chromium: one way
to write a number in the node labels, the stack, the narration and the ledger, a negative
term subtracted, a constant named alike by its node and the narration, a long route cut the
same in the narration and the ledger (hover: all of it), a kink named in the Gradients check."""

from __future__ import annotations

import pytest

from autodiff.trace import ROUTE_KEEP
from components.presets import POST_2, SHARED
from tests.browser.pages import (
    WAIT,
    assert_shows,
    expected,
    open_app,
    shown,
    trace_of,
    wait_for_step,
)

pytestmark = pytest.mark.browser

CHAIN = "\n".join(["x = 0.5", *["x = sin(x) + 0.1"] * 30, "y = x"])


def stepper_text(page) -> str:
    return page.evaluate("document.querySelector('.ad-stepper').textContent")


def test_one_number_is_written_one_way_and_a_negative_term_is_subtracted(page, app_server,
                                                                        save_screenshot):
    trace = trace_of(POST_2)
    open_app(page, app_server, program=POST_2, step=7)
    wait_for_step(page, 7)
    seen = shown(page)
    assert_shows(seen, expected(trace, 7))  # every panel, as Python writes it
    assert "b's gradient becomes 5.889e+4 - 4.402e+4 = 1.486e+4." in seen["narration"]
    ledger = {row[0]: row[2] for row in seen["ledger"]}
    assert ledger["b"] == "b = 5.889e+4 (y→add4→neg2→b) - 4.402e+4 (y→mul3→add3→b) = 1.486e+4"
    assert seen["nodes"]["b"][1].endswith("▶ grad 1.486e+4")
    assert seen["nodes"]["add4"][1].endswith("grad -5.889e+4")
    text = stepper_text(page)
    assert "+ -" not in text and "−" not in text and "58888" not in text
    save_screenshot(page, "post2-step7-one-number", full_page=False)


def test_a_long_route_is_cut_alike_in_the_narration_and_the_ledger(page, app_server,
                                                                  save_screenshot):
    trace = trace_of(CHAIN)
    last = trace.last_index
    route = trace.state(last).popped.route
    cut = "→".join((route[0], "…", *route[-(ROUTE_KEEP - 2):]))
    open_app(page, app_server, program=CHAIN, step=last)
    wait_for_step(page, last)
    seen = shown(page)
    assert f" along {cut}: " in seen["narration"]
    assert f"({cut})" in {row[0]: row[2] for row in seen["ledger"]}["x"]
    hover = page.evaluate("""(cut) => [...document.querySelectorAll('#ad-ledger .ad-term')]
        .filter(t => t.textContent.includes(cut)).map(t => t.title)""", f"({cut})")
    assert hover == ["→".join(route)]  # hover the term: the whole route
    save_screenshot(page, "chain-last-step-route-cut", full_page=False)


def test_a_ledger_route_wraps_after_an_arrow_never_inside_a_name(page, app_server,
                                                                 save_screenshot):
    """A route too long for its column breaks after an arrow, as the narration's does: each
    line of the route ends with "→" (or is its last), so no name is cut in two."""
    page.set_viewport_size({"width": 1024, "height": 768})
    trace = trace_of(CHAIN)
    open_app(page, app_server, program=CHAIN, step=trace.last_index)
    wait_for_step(page, trace.last_index)
    lines = page.evaluate("""() => [...document.querySelectorAll('#ad-ledger .ad-route')].map(
        route => {
            const text = document.createRange(), seen = new Map();
            for (const node of route.childNodes) {
                if (node.nodeType !== Node.TEXT_NODE) continue;
                for (let i = 0; i < node.length; i++) {
                    text.setStart(node, i); text.setEnd(node, i + 1);
                    const top = Math.round(text.getClientRects()[0]?.top ?? -1);
                    seen.set(top, (seen.get(top) || '') + node.data[i]);
                }
            }
            return [...seen.values()];
        })""")
    wrapped = [route for route in lines if len(route) > 1]
    assert wrapped, "no route in the ledger is long enough to wrap at 1024×768"
    cut = [line for route in wrapped for line in route[:-1] if not line.endswith("→")]
    assert cut == []
    save_screenshot(page, "ledger-route-wraps-after-arrows", full_page=False)


def test_a_constant_has_one_name_on_its_node_and_in_the_narration(page, app_server):
    program = "x = 3\ny = 2*x + 1*x"
    trace = trace_of(program)
    k = next(s.index for s in trace.states() if s.popped and s.popped.node == "const2")
    open_app(page, app_server, program=program, step=k)
    wait_for_step(page, k)
    seen = shown(page)
    assert seen["narration"].startswith("Pop (const2, ")
    assert "const2 is the constant 1" in seen["narration"]
    popped = [key for key, (state, _) in seen["nodes"].items() if state == "popped"]
    assert popped == ["const2"]
    assert seen["nodes"]["const2"][1].split("\n")[0] == "const2 = 1"
    assert seen["nodes"]["const1"][1].split("\n")[0] == "const1 = 2"


def test_the_gradients_check_names_a_kink_and_what_the_engine_uses(page, app_server,
                                                                  save_screenshot):
    open_app(page, app_server, program="x = 0\ny = relu(x)")
    wait_for_step(page, 0)
    page.get_by_role("tab", name="Gradients check").click()
    panel = page.locator("#ad-gradients")
    panel.get_by_text("is at a kink").wait_for(timeout=WAIT)
    rows = {row[0]: row for row in shown(page)["gradients"]}
    assert rows["x"][2:] == ["0", "0.5", "✗ kink"]
    note, why_not = panel.locator(".ad-kink").all_inner_texts()
    assert note == ("✗ kink (x): y = relu(x) is at a kink: relu has no derivative at 0; "
                    "the engine uses 0 there (as micrograd does).")
    assert why_not.startswith("A central difference averages the slopes")
    save_screenshot(page, "relu-at-0-kink", full_page=False)


def test_a_ledger_line_with_more_routes_than_written_reads_as_pythons(page, app_server):
    trace = trace_of(SHARED)
    last = trace.last_index
    open_app(page, app_server, program=SHARED, step=last)
    wait_for_step(page, last)
    want = expected(trace, last)["ledger"]
    assert shown(page)["ledger"] == want
    x = {row[0]: row[2] for row in want}["x"]
    assert " + … 73 more = " in x and "+ -" not in x
