"""The clicker always steps (issue 18, item 1): after any sidebar or stage control is chosen
with the mouse the stepper has the keys again, PageDown/PageUp never scroll the page or the
sidebar, the program box gives the keys back on Ctrl+Enter and on Esc, and a number field
on Enter (its rerun leaves the page on its step). The rule that decides (components/keys.mjs)
has its own node tests (tests/components/keys.test.mjs)."""

from __future__ import annotations

import pytest

from components.editor import preset_short
from components.presets import POST_1, POST_3, PRESETS
from tests.browser.pages import expected, open_app, trace_of, wait_for_step, wait_for_url_step

pytestmark = pytest.mark.browser

SIZES = [{"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
SIZE_IDS = ["1280x720", "1024x768"]
START = "x = 2\ny = x * x * x"  # no preset, so choosing each preset changes the program

SCROLLED_JS = """() => [document.querySelector('[data-testid=stSidebarContent]').scrollTop,
                        document.querySelector('[data-testid=stMain]').scrollTop,
                        document.scrollingElement.scrollTop]"""


def counter_reads(page, text: str) -> None:
    # null-safe: while Streamlit redraws the stage for a new program the counter may be absent
    page.wait_for_function("(text) => document.querySelector('#ad-counter')?.textContent === text",
                           arg=text)


def choose_preset(page, label: str) -> None:
    """Open the Example box and click the preset, as a lecturer does with the mouse."""
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name=preset_short(label), exact=True).click()


def steps_with_each_key(page, keys=("PageDown", "ArrowRight", " ")) -> None:
    """Each key is one step further, and nothing scrolled."""
    scrolled = page.evaluate(SCROLLED_JS)
    start = page.evaluate("globalThis.adStepper.shown()")
    for k, key in enumerate(keys, start=1):
        page.keyboard.press(key)
        wait_for_step(page, start + k)
    assert page.evaluate(SCROLLED_JS) == scrolled, f"{keys} scrolled the sidebar or the page"


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_after_choosing_each_preset_with_the_mouse_the_keys_step(page, app_server,
                                                                 save_screenshot):
    open_app(page, app_server, program=START)
    wait_for_step(page, 0)
    for label, program in PRESETS.items():
        choose_preset(page, label)
        counter_reads(page, expected(trace_of(program), 0)["counter"])  # the preset is drawn
        wait_for_step(page, 0)
        steps_with_each_key(page)
        page.keyboard.press("PageUp")
        wait_for_step(page, 2)
    save_screenshot(page, full_page=False)


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_after_choosing_the_algorithm_a_switch_or_an_order_the_keys_step(page, app_server):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    page.get_by_text("Topological", exact=True).click()
    counter_reads(page, "Step 0 of 3 · 4 pops, 3 visits")
    steps_with_each_key(page, ("ArrowRight", " "))
    page.get_by_text("Follow the pop", exact=False).click()
    page.wait_for_function("globalThis.adStepper.mode() === 'follow'")
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, 1)
    steps_with_each_key(page, ("PageDown",))
    counter = page.locator("#ad-counter").inner_text()
    page.get_by_text("f″", exact=True).click()  # the second derivative: a new graph
    page.wait_for_function("(c) => document.querySelector('#ad-counter').textContent !== c "
                           "&& globalThis.adStepper.shown() === 0", arg=counter)
    steps_with_each_key(page, ("ArrowRight", "PageDown"))


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_after_a_value_typed_and_applied_with_enter_the_keys_step(page, app_server,
                                                                  save_screenshot):
    """Enter applies the value and hands the keys back; the rerun it starts (with the step the
    server last heard, not yet the one the page stands on) leaves the page where it was."""
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    steps_with_each_key(page, ("ArrowRight", "PageDown"))
    value = page.get_by_role("spinbutton", name="b")  # typed at once: step 2 is not reported yet
    value.fill("5")
    value.press("Enter")
    page.wait_for_function("() => globalThis.adNetwork.body.data.nodes.get('b')"
                           ".label.startsWith('input b = 5')")
    wait_for_step(page, 2)
    steps_with_each_key(page, (" ", "PageDown", "ArrowRight"))
    wait_for_url_step(page, 5)  # the server follows the page
    wait_for_step(page, 5)
    save_screenshot(page, full_page=False)


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_ctrl_enter_and_esc_give_the_keys_back_from_the_program_box(page, app_server,
                                                                  save_screenshot):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    program = page.get_by_role("textbox", name="Program")
    program.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\ne = d * 2")
    page.keyboard.press("Control+Enter")  # applies the program: a new graph, at step 0
    grown = POST_1 + "\ne = d * 2"
    counter_reads(page, expected(trace_of(grown), 0)["counter"])
    page.keyboard.press(" ")
    wait_for_step(page, 1)
    assert program.input_value() == grown  # Space stepped, it typed nothing
    program.click()
    page.keyboard.press("Escape")
    page.keyboard.press(" ")
    wait_for_step(page, 2)
    assert program.input_value() == grown
    value = page.get_by_role("spinbutton", name="a")  # a number field gives them back too
    value.click()
    page.keyboard.press("Escape")
    steps_with_each_key(page, (" ", "PageDown"))
    save_screenshot(page, full_page=False)


def test_typing_in_the_program_or_a_number_field_keeps_every_key(page, app_server):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    program = page.get_by_role("textbox", name="Program")
    program.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("  # f p")  # a comment: the program, applied on leaving, still builds
    page.keyboard.press("ArrowRight")
    page.keyboard.press("PageDown")
    assert program.input_value() == POST_1 + "  # f p"
    page.keyboard.press("Escape")  # applied: typing waits for its rerun, which redraws the fields
    page.wait_for_function("() => new URLSearchParams(location.search).get('program')"
                           ".endsWith('# f p')")
    value = page.get_by_role("spinbutton", name="b")
    value.fill("")
    page.keyboard.type("5")
    page.keyboard.press("ArrowLeft")
    assert value.input_value() == "5"
    assert page.evaluate("globalThis.adStepper.shown()") == 0
