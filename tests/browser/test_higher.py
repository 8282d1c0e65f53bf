"""Higher derivatives in a real browser: the post's third example switched to order 2 draws
the graph of ∂y/∂a; its backward pass stepped to the end gives ∂²y/∂a², which matches the
central difference of ∂y/∂a in the gradients panel and in the derivatives table."""

from __future__ import annotations

import pytest

from autodiff.graph import snapshot
from autodiff.higher import derivative
from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, fmt, make_trace
from components.model import APP_MAX_STEPS
from components.presets import POST_3
from tests.browser.pages import WAIT, blur, open_app, shown, wait_for_step

pytestmark = pytest.mark.browser


def first_derivative_trace():
    program = compile_program(POST_3)
    a = program.graph.engine["a"]
    d = derivative(program.output, a, 1)
    d.name = "dy_da"
    return make_trace(snapshot(d), ROUTE_STACK, max_steps=APP_MAX_STEPS), \
        derivative(program.output, a, 2).value


def test_order_2_of_the_third_example_stepped_to_the_end(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    page.get_by_role("radiogroup", name="Derivative order").get_by_text(
        "f″", exact=True).click()
    page.wait_for_function("() => globalThis.adNetwork.body.data.nodes.get('dy_da') !== null",
                           timeout=WAIT)
    trace, second = first_derivative_trace()
    wait_for_step(page, 0)
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, trace.last_index)
    rows = {row[0]: row for row in shown(page)["gradients"]}
    node, running, engine, estimate, agrees = rows["a"][:5]
    assert engine == fmt(second) and running.startswith(engine)  # ∂²y/∂a² = -961.789
    assert agrees == "✓ yes" and estimate == fmt(second)  # central difference of ∂y/∂a
    table = page.locator("[data-testid='stTable'] table")
    table.wait_for(timeout=WAIT)
    cells = [c.inner_text() for c in table.locator("tbody tr").nth(2).locator("th, td").all()]
    assert "∂²y/∂a²" in cells and fmt(second) in cells and "✓ yes" in cells
    assert "order=2" in page.url
    save_screenshot(page, "order-2-end", full_page=False)
    table.scroll_into_view_if_needed()
    save_screenshot(page, "order-2-table", full_page=False)
