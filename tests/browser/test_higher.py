"""Higher derivatives in a real browser: the post's third example switched to order 2 draws
the graph of ∂y/∂a; its backward pass stepped to the end gives ∂²y/∂a², which matches the
central difference of ∂y/∂a in the gradients panel and in the derivatives table. At 1280×720
and 1024×768 with the sidebar open the order's radios keep to one row, and the plot of f and
its derivatives tells its curves apart by hue and dash, with a legend, in text of 14 px or
more."""

from __future__ import annotations

import pytest

from autodiff.core.graph import snapshot
from autodiff.higher import derivative
from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, fmt, make_trace
from components.model import APP_MAX_STEPS
from components.presets import POST_3
from tests.browser.charts import READABLE_PX, chart, texts
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


SIZES = [{"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
SIZE_IDS = ["1280x720", "1024x768"]
ONE_INPUT = "x = Var(1.5)\ny = sin(x) * x"

ROWS_JS = """() => {
    const group = document.querySelector('[role=radiogroup][aria-label="Derivative order"]');
    const top = el => Math.round(el.getBoundingClientRect().top);
    return {options: [...group.querySelectorAll('label')].map(l => [l.innerText, top(l)]),
            box: document.querySelector('.st-key-wrt input[role=combobox]').value};
}"""


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_the_order_radios_keep_to_one_row(page, app_server, save_screenshot):
    # issue 18: at 1024×768 f⁽⁵⁾ f⁽⁶⁾ wrapped to a second row of their own
    open_app(page, app_server, program=ONE_INPUT, order="6", wrt="x")
    wait_for_step(page, 0)
    sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert sidebar["x"] == 0 and sidebar["width"] >= 300  # open: the stage's narrowest
    seen = page.evaluate(ROWS_JS)
    labels = [label for label, _ in seen["options"]]
    assert labels == ["f′", "f″", "f‴", "f⁽⁴⁾", "f⁽⁵⁾", "f⁽⁶⁾"]
    rows = {top for _, top in seen["options"]}
    assert len(rows) == 1, f"the order's radios on {len(rows)} rows: {seen['options']}"
    assert seen["box"] == "∂/∂x"  # the input's box is still there (under them, if it must)
    save_screenshot(page, "order-6", full_page=False)


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_the_plot_tells_its_curves_apart_not_by_colour_alone(page, app_server,
                                                             save_screenshot):
    # issue 18: f and f′ were two similar blues, the ticks 13.5 px
    open_app(page, app_server, program=ONE_INPUT, order="6", wrt="x")
    plot = page.locator('[data-testid="stVegaLiteChart"]')
    plot.wait_for(timeout=WAIT)
    plot.scroll_into_view_if_needed()
    drawn = chart(page)
    small = [(t["text"], round(t["px"], 1)) for t in drawn["text"] if t["px"] < READABLE_PX]
    assert small == [], f"text under {READABLE_PX} px: {small}"
    legend = [t["text"] for t in texts(drawn, "role-legend-label")]
    assert legend == ["f", "f′", "f″", "f‴", "f⁽⁴⁾", "f⁽⁵⁾", "f⁽⁶⁾"]
    lines = drawn["lines"]
    assert len(lines) == 7
    assert len({line["stroke"] for line in lines}) == 7  # seven hues
    assert len({line["dash"] for line in lines}) == 7  # and seven dash patterns
    save_screenshot(page, "plot", full_page=False)
