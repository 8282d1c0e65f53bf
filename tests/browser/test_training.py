"""The Training view in a real browser, offline: opened by URL, the post's demo run, the
progress bar seen, a loss curve drawn and the shown losses falling from the post's first;
the array engine's graph stepped backward with the stepper's buttons and keys."""

from __future__ import annotations

import re

import pytest

from tests.browser.charts import READABLE_PX, chart, texts

pytestmark = pytest.mark.browser

WAIT = 60_000
POST_FIRST_LOSS = 1711.1598338302542  # the post's demo at step 1 (seed 0, 50×10)


def cell_rows(page, has_text: str) -> list[list[str]]:
    return page.locator("table").filter(has_text=has_text).first.evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


def chart_marks(page) -> int:
    """Painted pixels of the chart's canvas, or drawn marks when it is an SVG."""
    return page.evaluate("""() => {
        const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
        if (!chart) return 0;
        const c = chart.querySelector('canvas');
        if (!c) return chart.querySelectorAll('svg path').length;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")


def test_the_posts_demo_trains_live_offline(page, app_server, save_screenshot):
    page.goto(app_server + "/?view=training")
    run = page.get_by_role("button", name="Run")
    run.wait_for(timeout=WAIT)
    page.get_by_text("1,609 scalar nodes").wait_for(timeout=WAIT)
    run.click()
    page.locator('[data-testid="stProgress"]').wait_for(timeout=WAIT)
    page.get_by_text("Done: 100 steps").wait_for(timeout=WAIT)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=WAIT)
    page.wait_for_function("() => document.querySelector("
                           "'[data-testid=\"stVegaLiteChart\"] canvas, "
                           "[data-testid=\"stVegaLiteChart\"] svg') !== null", timeout=WAIT)
    rows = cell_rows(page, "loss")
    header, body = rows[0], rows[1:]
    steps = [int(r[header.index("step")]) for r in body]
    losses = [float(r[header.index("loss")]) for r in body]
    assert steps[0] == 1 and steps[-1] == 100
    assert losses[0] == POST_FIRST_LOSS
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert chart_marks(page) > 0
    timing = cell_rows(page, "ms per step")
    assert len(timing) == 4  # header, naive, numpy, array: side by side
    assert {r[0].split(" ")[0] for r in timing[1:]} == {"naive", "numpy", "array"}
    page.get_by_text("faster on this run").wait_for(timeout=WAIT)  # the engines' ratio
    assert "view=training" in page.url and "steps=100" in page.url
    save_screenshot(page, "trained", full_page=True)


SIZES = [{"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
SIZE_IDS = ["1280x720", "1024x768"]


def assert_readable_ticks(page, where: str) -> list[str]:
    """Every text of the loss chart at 14 px or more, and each tick label a short number."""
    drawn = chart(page)
    small = [(t["text"], round(t["px"], 1)) for t in drawn["text"] if t["px"] < READABLE_PX]
    assert small == [], f"{where}: text under {READABLE_PX} px: {small}"
    ticks = [t["text"] for t in texts(drawn, "role-axis-label")]
    assert ticks, where
    # a short number: 1,800 or 0.25 or 1e-30 or 5.6e+247, never 2.00000000000…
    short = re.compile(r"^-?(\d{1,3}(,\d{3})*(\.\d+)?|\d(\.\d{1,3})?e[+-]\d+)$")
    assert all(short.match(t) and len(t.replace(",", "")) <= 8 for t in ticks), (where, ticks)
    return [t["text"] for t in texts(drawn, "role-axis-title")]


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_a_diverging_descent_stops_with_a_warning_and_readable_ticks(page, app_server,
                                                                      save_screenshot):
    # issue 18: at 0.5 the loss climbed to 5.6e247 with no word, ticks read 2.00000000000…
    page.goto(app_server + "/?view=training&lrate=0.5")
    page.get_by_role("button", name="Run").click()
    alert = page.get_by_role("alert").filter(has_text="the descent diverges")
    alert.wait_for(timeout=WAIT)
    said = alert.inner_text()
    assert "at step 2" in said and "learning rate 0.5:" in said
    assert "try 0.05 or smaller" in said
    page.get_by_text("Stopped at step 2 of 100").wait_for(timeout=WAIT)
    assert assert_readable_ticks(page, "linear") == ["step", "loss"]
    save_screenshot(page, "diverged", full_page=False)
    page.get_by_text("Log scale").click()  # the switch redraws the same run, log scale
    page.wait_for_function("() => [...document.querySelectorAll("
                           "'[data-testid=\"stVegaLiteChart\"] text')]"
                           ".some(t => t.textContent === 'loss (log scale)')", timeout=WAIT)
    assert "loss (log scale)" in assert_readable_ticks(page, "log")
    assert page.get_by_role("alert").filter(has_text="the descent diverges").count() == 1


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_the_posts_descent_on_a_log_scale(page, app_server, save_screenshot):
    page.goto(app_server + "/?view=training&lrate=0.01")  # falls to 1e-30: log shows it all
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Done: 100 steps").wait_for(timeout=WAIT)
    assert page.get_by_role("alert").filter(has_text="diverges").count() == 0
    assert_readable_ticks(page, "linear")
    page.get_by_text("Log scale").click()
    page.wait_for_function("() => [...document.querySelectorAll("
                           "'[data-testid=\"stVegaLiteChart\"] text')]"
                           ".some(t => t.textContent === '1e-30')", timeout=WAIT)
    assert_readable_ticks(page, "log")
    page.locator('[data-testid="stVegaLiteChart"]').scroll_into_view_if_needed()
    save_screenshot(page, "log-scale", full_page=False)


def graph_nodes(page, count: int) -> dict:
    """Wait until the stepper draws ``count`` nodes; their labels by id."""
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    page.wait_for_function("(n) => globalThis.adNetwork !== undefined && "
                           "globalThis.adNetwork.body.data.nodes.getIds().length === n",
                           arg=count, timeout=WAIT)
    return page.evaluate("() => Object.fromEntries(globalThis.adNetwork.body.data.nodes.get()"
                         ".map(n => [n.id, n.label]))")


def test_the_array_graph_steps_backward_with_the_stepper(page, app_server, save_screenshot):
    page.goto(app_server + "/?view=training")
    labels = graph_nodes(page, 7)  # x, y, W and four ops, not 1,609 scalar nodes
    assert labels["W"].startswith("W: 50×10") and labels["x"].startswith("x: 50")
    page.locator('#ad-counter[data-step="0"]').wait_for(timeout=WAIT)
    for _ in range(3):  # the stepper's own button, three pops: down to x @ W
        page.locator("[data-act=next]").click()
    page.locator('#ad-counter[data-step="3"]').wait_for(timeout=WAIT)
    assert page.locator("#ad-counter").inner_text().startswith("Step 3 of 6")
    stack = cell_rows(page, "route")
    top = stack[1]
    assert top[1] == "W" and top[2].startswith("50×10 [")  # a route value: its shape, entries
    assert "xᵀ @ g" in page.locator("#ad-narration").inner_text()
    page.locator(".ad-net").scroll_into_view_if_needed()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("End")  # the keys step it as they step a program
    page.locator('#ad-counter[data-step="6"]').wait_for(timeout=WAIT)
    assert "done" in page.locator("#ad-narration").inner_text()
    save_screenshot(page, "array-graph", full_page=False)


def test_the_tiny_layer_graph_is_drawn(page, app_server, save_screenshot):
    page.goto(app_server + "/?view=training")
    graph_nodes(page, 7)
    page.get_by_text("naive engine, a 3×2 layer").click()
    labels = graph_nodes(page, 32)
    assert "w12" in labels
    page.locator(".ad-net").scroll_into_view_if_needed()
    save_screenshot(page, "tiny-layer", full_page=False)
    page.locator(".ad-net").scroll_into_view_if_needed()
    save_screenshot(page, "tiny-layer", full_page=False)
