"""Panels never clip (issue 18, item 4): at 1024×768 and 1280×720 no panel beside the graph
is wider than its box, for every preset and for a program of 16-character names, with the
route ledger and with the Gradients check (whose columns go on lines of their own when they
do not fit side by side). And the sidebar's follow switch and the stage's note say the same
thing (item 8)."""

from __future__ import annotations

import pytest

from components.presets import POST_1, POST_3, PRESETS
from tests.browser.pages import open_app, trace_of, wait_for_step
from tests.browser.projector import settle

pytestmark = pytest.mark.browser

SIZES = [{"width": 1024, "height": 768}, {"width": 1280, "height": 720}]
SIZE_IDS = ["1024x768", "1280x720"]
LONG_NAMES = ("learning_rate_ab = 0.5\nhidden_weight_01 = 1.5\n"
              "activation_sum_1 = learning_rate_ab * hidden_weight_01 + learning_rate_ab\n"
              "squashed_output1 = tanh(activation_sum_1) * hidden_weight_01")
PROGRAMS = {**{label.split(":")[0]: text for label, text in PRESETS.items()},
            "16-character names": LONG_NAMES}

# every panel beside the graph that is drawn, and by how many px its content is wider
WIDER_JS = """() => {
    const panels = [...document.querySelectorAll(
        '.ad-side, .ad-narration, #ad-stack, .ad-tabs, .ad-panels, #ad-ledger, #ad-gradients')]
        .filter(e => e.offsetParent !== null);
    const wider = panels.filter(e => e.scrollWidth > e.clientWidth)
        .map(e => `${e.id || e.className}: ${e.scrollWidth} > ${e.clientWidth}`);
    for (const t of document.querySelectorAll('.ad-side table')) {
        const box = t.parentElement;
        if (t.offsetParent !== null && t.offsetWidth > box.clientWidth)
            wider.push(`${t.className} in #${box.id}: ${t.offsetWidth} > ${box.clientWidth}`);
    }
    return {panels: panels.length, wider};
}"""


def assert_nothing_wider(page, where: str) -> None:
    for tab in ("Gradients check", "Route ledger"):  # the ledger last, as the page opens
        page.get_by_role("tab", name=tab).click()
        seen = page.evaluate(WIDER_JS)
        assert seen["panels"] >= 6 and not seen["wider"], f"{where}, {tab}: {seen['wider']}"


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_no_panel_is_wider_than_its_box(page, app_server, save_screenshot, name):
    last = trace_of(PROGRAMS[name]).last_index
    open_app(page, app_server, program=PROGRAMS[name], step=last // 2)
    wait_for_step(page, last // 2)
    assert_nothing_wider(page, f"step {last // 2}")
    page.keyboard.press("End")
    wait_for_step(page, last)
    assert_nothing_wider(page, f"step {last}")  # every running sum final: the widest
    save_screenshot(page, "ledger", full_page=False)
    page.get_by_role("tab", name="Gradients check").click()
    save_screenshot(page, "gradients", full_page=False)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}], ids=["1280x720"])
def test_the_follow_switch_and_the_stage_say_the_same(page, app_server, save_screenshot):
    """Off, the switch does not stop the page following a graph too small to read whole, so
    its label says it is for a graph that fits, and the stage says why it follows."""
    switch = page.get_by_role("switch", name="Follow the pop, even a graph that fits")
    note = page.locator("#ad-view")
    open_app(page, app_server, program=POST_3)  # too small to read whole at 1280×720
    wait_for_step(page, 0)
    settle(page)
    assert page.evaluate("globalThis.adStepper.mode()") == "follow"
    assert not switch.is_checked()
    assert note.inner_text() == "whole graph too small: following the pop (F)"
    save_screenshot(page, "by-itself", full_page=False)
    open_app(page, app_server, program=POST_1)  # fits: followed only when the switch asks
    wait_for_step(page, 0)
    settle(page)
    assert page.evaluate("globalThis.adStepper.mode()") == "fit" and note.is_hidden()
    page.get_by_text("Follow the pop, even a graph that fits").click()  # its label, as a mouse does
    page.wait_for_function("globalThis.adStepper.mode() === 'follow'")
    assert switch.is_checked()
    assert note.inner_text() == "following the pop (F), as the sidebar asks"
    save_screenshot(page, "asked", full_page=False)
