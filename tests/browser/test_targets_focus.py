"""Targets and focus (issue 20, item 7; WCAG 2.2's 2.5.8 and 2.4.11): every control of the
stepper is 24 px or more each way, in predict mode too, and the keyboard's focus never lands
on a part of the stepper under Streamlit's header bar (68 px over the top of the scrolling
page on a phone), nor on one that shows no focus ring."""

from __future__ import annotations

import pytest

from components.presets import POST_1, POST_3
from tests.browser.pages import WAIT, blur, open_app, wait_for_step

pytestmark = pytest.mark.browser

SMALL = """() => [...document.querySelectorAll(
        '.ad-stepper button, .ad-stepper select, .ad-stepper input, .ad-stepper [tabindex="0"]')]
    .filter(e => e.getClientRects().length)
    .map(e => [e.dataset.act || e.dataset.tab || e.dataset.quiz || e.dataset.choice || e.className,
               e.getBoundingClientRect()])
    .filter(([, r]) => r.width < 24 || r.height < 24)
    .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`)"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720},
                                      {"width": 1024, "height": 768}], ids=["1280x720", "1024x768"])
def test_every_control_of_the_stepper_is_24_px_or_more(page, app_server):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    assert page.evaluate(SMALL) == []
    blur(page)
    page.keyboard.press("q")  # predict mode, asking: the answer field, its buttons, the choices
    page.keyboard.press("ArrowRight")
    page.locator("#ad-quiz-choices [data-choice]").first.wait_for(timeout=WAIT)
    assert page.evaluate(SMALL) == []


FOCUSED = """() => {
    const e = document.activeElement, r = e.getBoundingClientRect(), style = getComputedStyle(e);
    return {inStepper: Boolean(e.closest('.ad-stepper')),
            name: e.dataset.act || e.dataset.tab || e.className, top: r.top, bottom: r.bottom,
            ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            bar: document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom};
}"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["phone"])
def test_the_focus_is_never_under_the_header_bar_and_always_ringed(page, app_server):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    # from the panels at the foot of the page, Shift+Tab back up through the whole stepper
    page.evaluate("""() => { const main = document.querySelector('[data-testid=stMain]');
        main.scrollTop = main.scrollHeight; document.querySelector('.ad-panels').focus(); }""")
    seen = []
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inStepper"]:
            break
        seen.append(focused["name"])
        assert focused["top"] >= focused["bar"], f"{focused['name']} is under the header bar"
        assert focused["ring"], f"{focused['name']} shows no focus ring"
    assert {"steps", "ledger", "tour", "legend", "predict", "next"} <= set(seen), seen


def focused_as_read(page) -> dict:
    """The focused element as a screen reader gets it: Chromium's accessibility node."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Accessibility.enable")
    handle = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
    node = cdp.send("DOM.describeNode", {"objectId": handle["result"]["objectId"]})["node"]
    return cdp.send("Accessibility.getPartialAXTree", {"backendNodeId": node["backendNodeId"],
                                                       "fetchRelatives": False})["nodes"][0]


def test_the_question_is_said_where_predict_mode_puts_the_focus(page, app_server):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    blur(page)
    page.keyboard.press("q")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.id === 'ad-quiz-input'", timeout=WAIT)
    read = focused_as_read(page)
    prompt = page.locator("#ad-quiz-prompt").inner_text()
    assert prompt.startswith("Pop along d→c")
    assert read["name"]["value"].startswith("Your answer")
    assert read["description"]["value"] == prompt  # said with the field as it takes the focus
    assert page.locator("#ad-quiz-prompt").get_attribute("aria-live") == "assertive"
    assert page.locator("#ad-narration").get_attribute("aria-live") == "polite"  # the reveal


BAND = "getComputedStyle(document.querySelector('[data-testid=stHeader]')).backgroundColor"


def test_the_header_band_is_clear_at_the_top_and_white_once_the_page_scrolls(page, app_server):
    """The page passes under the band's buttons (the menu, a lecturer's Start a class) when
    scrolled: the band turns white then, and stays clear over the top controls at the top."""
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    assert page.evaluate(BAND) == "rgba(0, 0, 0, 0)"
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 300")
    page.wait_for_function(f"{BAND} === 'rgb(255, 255, 255)'", timeout=WAIT)
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 0")
    page.wait_for_function(f"{BAND} === 'rgba(0, 0, 0, 0)'", timeout=WAIT)
