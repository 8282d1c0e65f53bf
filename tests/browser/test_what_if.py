"""The classic mistakes and the Jacobian in a real browser, offline, at 1280×720 (issue 21,
items 2 and 3): each "what if" chosen with the mouse shows its numbers beside the right ones
and the check's ✗; the vanishing example shades its nodes; a program of two outputs shows its
Jacobian and steps the output chosen. Each reads what the page shows."""

from __future__ import annotations

import pytest

from components.presets import POST_1, VANISHING
from components.what_if import PALEST, SHADE_BANDS
from tests.browser.pages import WAIT, blur, open_app, wait_for_step
from tests.browser.test_accessibility import serious_violations  # axe-core, vendored

pytestmark = pytest.mark.browser

SQUARE = "x = 3\ny = x * x"
TWO = "a = 4\nb = 3\nc = a + b\nd = a * c\ne = sin(b) * a\noutputs = d, e"

TABLE_JS = """(column) => {
    const table = [...document.querySelectorAll('[data-testid=stTable] table')]
        .find(t => [...t.querySelectorAll('thead th')].some(th => th.textContent === column));
    if (!table) return null;
    const head = [...table.querySelectorAll('thead th')].map(th => th.textContent);
    return [head, ...[...table.querySelectorAll('tbody tr')]
        .map(r => [...r.querySelectorAll('th, td')].map(c => c.textContent))];
}"""


def table_with(page, column: str) -> dict[str, dict[str, str]]:
    """The table on the page with this column, as its rows read: first cell -> column -> text."""
    page.wait_for_function(f"() => ({TABLE_JS})({column!r}) !== null", timeout=WAIT)
    head, *rows = page.evaluate(TABLE_JS, column)
    return {row[0]: dict(zip(head[1:], row[1:], strict=True)) for row in rows}


def choose(page, key: str, option: str) -> None:
    """Open the select box (by its widget key) and click the option, as a lecturer does with
    the mouse."""
    box = page.locator(f".st-key-{key} [data-testid=stSelectbox] input[role=combobox]")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def choose_mistake(page, option: str) -> None:
    choose(page, "what_if", option)
    page.get_by_text(f"{option} is wrong:").wait_for(timeout=WAIT)


def test_overwrite_on_x_times_x_shows_3_beside_6_and_the_checks_cross(page, app_server,
                                                                      save_screenshot):
    open_app(page, app_server, program=SQUARE)
    wait_for_step(page, 0)
    choose_mistake(page, "Overwrite instead of add")
    rows = table_with(page, "overwrite instead of add")
    assert rows == {"x": {"right backward": "6", "overwrite instead of add": "3",
                          "routes popped": "3, 3", "central difference": "6",
                          "check": "✗ disagrees"}}
    assert page.get_by_text("it keeps only the last one.").is_visible()
    assert page.get_by_text("The central-difference check exposes it (✗) at x.").is_visible()
    save_screenshot(page, "what-if-overwrite", full_page=False)


def test_twice_without_zeroing_doubles_every_gradient(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    choose_mistake(page, "Backward twice without zeroing")
    rows = table_with(page, "backward twice without zeroing")
    assert {k: (r["right backward"], r["backward twice without zeroing"], r["check"])
            for k, r in rows.items()} == {"a": ("11", "22", "✗ disagrees"),
                                          "b": ("4", "8", "✗ disagrees"),
                                          "c": ("4", "8", "✗ disagrees")}
    assert page.get_by_text("every gradient is doubled").is_visible()
    save_screenshot(page, "what-if-twice", full_page=False)


def test_no_backward_yet_shows_0_everywhere_labelled(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    choose_mistake(page, "No backward yet")
    rows = table_with(page, "no backward yet (before the pass)")
    assert {k: r["no backward yet (before the pass)"] for k, r in rows.items()} == {
        "a": "0", "b": "0", "c": "0"}
    assert {r["check"] for r in rows.values()} == {"✗ disagrees"}
    label = page.locator("p", has_text="the graph before the backward pass")
    assert label.is_visible() and "every node's gradient is still 0" in label.inner_text()
    save_screenshot(page, "what-if-no-backward", full_page=False)


def test_the_vanishing_example_shades_its_nodes_and_names_the_shades(page, app_server,
                                                                     save_screenshot):
    open_app(page, app_server, program=VANISHING)
    wait_for_step(page, 0)
    note = page.locator(".ad-shade-note")
    assert "Vanishing gradients" in note.inner_text()
    assert [c.inner_text() for c in note.locator(".ad-shade").all()] == [
        "≥ 0.1", "≥ 0.01", "≥ 0.001", "≥ 0.0001", "< 0.0001"]
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, 8)
    nodes = page.evaluate("""() => Object.fromEntries(globalThis.adNetwork.body.data.nodes.get()
        .map(n => [n.id, [n.color.background, n.label]]))""")
    assert nodes["h7"][0] == SHADE_BANDS[0][1] and nodes["h1"][0] == PALEST  # x: popped
    assert nodes["h1"][1].endswith("✓ grad 2.805e-5")  # the number beside the shade
    save_screenshot(page, "vanishing", full_page=False)


def test_two_outputs_show_the_jacobian_and_step_the_output_chosen(page, app_server,
                                                                   save_screenshot):
    open_app(page, app_server, program=TWO)
    wait_for_step(page, 0)
    check = table_with(page, "a")
    assert check == {"d": {"a": "11", "b": "4"}, "e": {"a": "0.1411", "b": "-3.96"}}
    page.get_by_text("Reverse mode needs one backward pass per output: 2 passes").wait_for(
        timeout=WAIT)
    save_screenshot(page, "jacobian", full_page=False)
    choose(page, "output", "e")
    page.wait_for_function("""() => globalThis.adNetwork.body.data.nodes.get('e') !== null
        && globalThis.adNetwork.body.data.nodes.get('d') === null""", timeout=WAIT)
    blur(page)
    page.keyboard.press("End")
    page.locator("#ad-counter").wait_for(timeout=WAIT)
    page.wait_for_function("() => /^Step (\\d+) of \\1 /.test("
                           "document.querySelector('#ad-counter').textContent)", timeout=WAIT)
    labels = page.evaluate("""() => Object.fromEntries(globalThis.adNetwork.body.data.nodes.get()
        .map(n => [n.id, n.label]))""")
    assert "grad 0.1411" in labels["a"] and "grad -3.96" in labels["b"]  # e's row


def test_the_what_if_table_and_the_shades_legend_pass_an_accessibility_scan(page, app_server):
    open_app(page, app_server, program=VANISHING, what_if="overwrite")
    wait_for_step(page, 0)
    table_with(page, "overwrite instead of add")
    assert serious_violations(page) == []
