"""An accessibility scan of the page (issue 20, item 7): axe-core, served from the project's
own copy (tests/browser/vendor/axe-core), finds no serious or critical violation at a
lecture's window and on a phone, at the start and a few pops in."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.presets import POST_1, POST_3
from tests.browser.pages import WAIT, blur, open_app, wait_for_step

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCAN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


def serious_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(SCAN)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720},
                                      {"width": 390, "height": 844}], ids=["1280x720", "phone"])
@pytest.mark.parametrize("program", [POST_1, POST_3], ids=["post-1", "post-3"])
def test_no_serious_or_critical_violation(page, app_server, save_screenshot, program):
    open_app(page, app_server, program=program)
    wait_for_step(page, 0)
    blur(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_for_step(page, 3)
    found = serious_violations(page)
    save_screenshot(page, "scanned", full_page=False)
    assert found == []


def test_with_the_letter_keys_off_letters_do_nothing_and_the_keys_still_step(page, app_server):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    page.locator(".st-key-letter_keys label").first.click()  # the sidebar's switch, off
    page.wait_for_function("globalThis.adStepper.letters() === false", timeout=WAIT)
    blur(page)
    page.keyboard.press("v")
    page.keyboard.press("l")
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 1)
    assert not page.evaluate("document.body.classList.contains('ad-present')")
    assert page.locator("#ad-legend").is_hidden()
    page.keyboard.press("PageDown")
    wait_for_step(page, 2)
    page.locator(".st-key-letter_keys label").first.click()  # on again: V presents
    page.wait_for_function("globalThis.adStepper.letters() === true", timeout=WAIT)
    blur(page)
    page.keyboard.press("v")
    page.wait_for_function("document.body.classList.contains('ad-present')", timeout=WAIT)


STEP_AND_LOOK = """() => {
    window.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
    return {step: globalThis.adStepper.shown(), still: globalThis.adStepper.settled(),
            mode: globalThis.adStepper.mode()};
}"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_moves_the_view_at_once(page, app_server, motion):
    page.emulate_media(reduced_motion=motion)
    open_app(page, app_server, program=POST_3)  # followed at 1280x720: each step moves the view
    wait_for_step(page, 0)
    blur(page)
    page.wait_for_function("globalThis.adStepper.settled()", timeout=WAIT)
    seen = page.evaluate(STEP_AND_LOOK)
    assert seen["step"] == 1 and seen["mode"] == "follow"
    assert seen["still"] is (motion == "reduce")  # no animation left running, or one under way
