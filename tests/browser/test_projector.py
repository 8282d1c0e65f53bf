"""Readable from the back of the room (issue 11), in Chromium at 1280×720 and 1024×768: the
graph's text never under 14 px on screen (the page follows the pop when the whole graph would
be smaller), vis-network's drawing clean, nothing clipped, the ledger in view at the end of the
post's examples; the whole-graph key, the legend, presenter view, a resize, the build error
over the dimmed last good graph, the skipped-line notices, 150 % zoom."""

from __future__ import annotations

import random

import pytest

from components import drawing
from components.presets import POST_1, POST_3, PRESETS
from tests.browser.pages import WAIT, blur, open_app, trace_of, wait_for_step
from tests.browser.projector import clipped, in_view, label_px, least_px, settle, view

pytestmark = pytest.mark.browser

SIZES = [{"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
SIZE_IDS = ["1280x720", "1024x768"]


def random_program(seed: int) -> str:
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(rng.randint(1, 3))]
    lines = [f"{n} = {rng.randint(1, 9) / 4}" for n in names]
    for i in range(rng.randint(4, 12)):
        a, b = rng.choice(names), rng.choice(names)
        lines.append(f"h{i} = " + rng.choice([f"{a} * {b}", f"{a} + {b}", f"sin({a})",
                                              f"{a} * 0.5 + {b}", f"tanh({a}) * {b}"]))
        names.append(f"h{i}")
    lines.append(f"y = {' + '.join(names[-2:])}")
    return "\n".join(lines)


PROGRAMS = {**{label.split(":")[0]: text for label, text in PRESETS.items()},
            **{f"random {seed}": random_program(seed) for seed in (3, 7, 12)}}


def check_readable(page, where: str) -> None:
    settle(page)
    px = label_px(page)
    seen = view(page)
    assert px >= least_px(page) - 0.05, f"{where}: graph text {px:.1f} px in mode {seen['mode']}"
    if seen["mode"] == "fit":
        assert seen["all"], f"{where}: fitted but a node is out of view"
    else:
        assert seen["mode"] == "follow" and seen["popped"] is not False, where


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_every_graph_is_readable_clean_and_unclipped(page, app_server, save_screenshot,
                                                      viewport, name):
    text = PROGRAMS[name]
    trace = trace_of(text)
    open_app(page, app_server, program=text, step=min(2, trace.last_index))
    wait_for_step(page, min(2, trace.last_index))
    check_readable(page, f"{name} step 2")
    assert drawing.page_problems(page) == []
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, trace.last_index)
    check_readable(page, f"{name} end")
    assert clipped(page) == []
    assert in_view(page, ".ad-narration") and in_view(page, "#ad-stack h4")
    assert in_view(page, "#ad-ledger h4")
    save_screenshot(page, name.replace(" ", "-").replace(",", ""), full_page=False)


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("program", [POST_1, POST_3], ids=["post1", "post3"])
def test_the_ledger_is_in_view_at_the_end_of_the_posts_examples(page, app_server, viewport,
                                                                 program):
    trace = trace_of(program)
    open_app(page, app_server, program=program, step=trace.last_index)
    wait_for_step(page, trace.last_index)
    assert page.evaluate("window.scrollY") == 0
    assert in_view(page, "#ad-ledger h4")
    assert in_view(page, "#ad-ledger tr.ad-now")  # the popped node's line: the lesson
    line = page.locator("#ad-ledger tr.ad-now td").nth(2).inner_text()
    assert line.replace("\n", " ").startswith("a = ")
    if program == POST_1:
        for row in range(3):  # every line of the first example
            assert in_view(page, f"#ad-ledger tbody tr:nth-child({row + 1})")
    # numbers never wrap: each number is one line tall
    heights = page.evaluate("""() => [...document.querySelectorAll('#ad-ledger .ad-num')]
        .map(e => e.getClientRects().length)""")
    assert heights and set(heights) == {1}


def test_the_stage_follows_the_window_and_the_sidebar(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    settle(page)
    height = page.evaluate("document.querySelector('.ad-net').clientHeight")
    bottom = page.evaluate("document.querySelector('.ad-stepper').getBoundingClientRect().bottom")
    assert 720 - 30 <= bottom <= 720  # the stage ends at the window's bottom
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(f"document.querySelector('.ad-net').clientHeight > {height + 150}",
                           timeout=WAIT)
    settle(page)
    assert label_px(page) >= least_px(page) - 0.05
    width = page.evaluate("document.querySelector('.ad-net').clientWidth")
    page.locator("[data-testid=stSidebar]").hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.wait_for_function(f"document.querySelector('.ad-net').clientWidth > {width + 150}",
                           timeout=WAIT)
    settle(page)
    assert view(page)["mode"] in ("fit", "follow") and label_px(page) >= least_px(page) - 0.05
    save_screenshot(page, "sidebar-closed", full_page=False)


def test_f_shows_the_whole_graph_and_follows_again(page, app_server, save_screenshot):
    open_app(page, app_server, program=PRESETS[list(PRESETS)[1]], step=3)
    wait_for_step(page, 3)
    settle(page)
    assert view(page)["mode"] == "follow"
    assert "(F)" in page.locator("#ad-view").inner_text()  # the page says which key
    assert "F whole graph" in page.locator("#ad-legend .ad-keys").inner_text()
    blur(page)
    page.keyboard.press("f")
    page.wait_for_function("globalThis.adStepper.mode() === 'overview'", timeout=WAIT)
    settle(page)
    assert view(page)["all"]
    save_screenshot(page, "overview", full_page=False)
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 4)
    assert view(page)["mode"] == "overview"  # stepping keeps the overview
    page.locator(".ad-bar").get_by_role("button", name="Follow", exact=True).click()
    page.wait_for_function("globalThis.adStepper.mode() === 'follow'", timeout=WAIT)
    settle(page)
    assert label_px(page) >= least_px(page) - 0.05 and view(page)["popped"]


def test_the_legend_explains_every_mark_and_the_keys(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    legend = page.locator("#ad-legend")
    assert legend.is_hidden()
    blur(page)
    page.keyboard.press("l")
    legend.wait_for(state="visible", timeout=WAIT)
    text = legend.inner_text()
    for mark in ("▶", "×2", "✓", "thick", "dashed", "…", "F whole graph", "V presenter"):
        assert mark in text, mark
    save_screenshot(page, "legend", full_page=False)
    page.get_by_role("button", name="Legend").click()
    legend.wait_for(state="hidden", timeout=WAIT)


def test_presenter_view_shows_the_graph_and_the_panels_only(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_3, present="1")
    page.wait_for_function("document.body.classList.contains('ad-present')", timeout=WAIT)
    wait_for_step(page, 0)
    for hidden in ("[data-testid=stSidebar]", "[data-testid=stRadio]",
                   "[data-testid=stExpander]", ".ad-slider", "[data-act=next]"):
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in (".ad-net", "#ad-narration", "#ad-stack", "#ad-ledger", "#ad-counter"):
        assert in_view(page, shown), shown
    blur(page)
    page.keyboard.press("l")  # the legend is there too
    page.locator("#ad-legend").wait_for(state="visible", timeout=WAIT)
    page.keyboard.press("End")
    wait_for_step(page, trace_of(POST_3).last_index)
    settle(page)
    assert label_px(page) >= least_px(page) - 0.05
    save_screenshot(page, "presenter", full_page=False)
    page.keyboard.press("v")
    page.wait_for_function("!document.body.classList.contains('ad-present')", timeout=WAIT)
    page.locator("[data-testid=stSidebar]").wait_for(state="visible", timeout=WAIT)


def test_a_bad_program_is_said_over_the_dimmed_last_good_graph(page, app_server,
                                                               save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    box = page.get_by_role("textbox", name="Program")
    box.fill("a = Var(4)\nb = Var(3)\nc = log(a, b)")
    box.press("Control+Enter")
    page.locator('.ad-stepper[data-stale="true"]').wait_for(timeout=WAIT)
    stage_error = page.locator("[data-testid=stMain] [data-testid=stCode]").first
    assert "line 3" in stage_error.inner_text() and "^" in stage_error.inner_text()
    assert in_view(page, "[data-testid=stMain] [data-testid=stCode]")
    assert page.evaluate("getComputedStyle(document.querySelector('.ad-net')).opacity") < "1"
    banner = page.evaluate("""getComputedStyle(document.querySelector('.ad-stage'), '::before')
                              .content""")
    assert "last program that worked" in banner
    save_screenshot(page, "stale", full_page=False)
    box.fill(POST_1)
    box.press("Control+Enter")
    page.locator('.ad-stepper[data-stale="false"]').wait_for(timeout=WAIT)


def test_skipped_lines_are_listed_beside_the_program(page, app_server, save_screenshot):
    text = POST_1 + "\nprint(d)\ngradients = get_gradients(d)"
    open_app(page, app_server, program=text)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Skipped lines").wait_for(timeout=WAIT)
    notes = sidebar.locator("[data-testid=stCode]").inner_text()
    assert "line 5: print(...) skipped" in notes and "line 6: get_gradients(d)" in notes
    save_screenshot(page, "notices", full_page=False)


@pytest.mark.parametrize("viewport", [{"width": 853, "height": 480}], ids=["150pct"])
def test_at_150_percent_zoom_every_control_is_whole(browser, app_server, save_screenshot,
                                                    viewport):
    """1280×720 at 150 % browser zoom: 853×480 CSS pixels at 1.5 device pixels each."""
    from tests.conftest import install_offline_guard

    context = browser.new_context(viewport=viewport, device_scale_factor=1.5)
    blocked = install_offline_guard(context)
    page = context.new_page()
    try:
        open_app(page, app_server, program=POST_3)
        wait_for_step(page, 0)
        assert clipped(page) == []
        for name in ("Home", "Back", "Next", "End", "Play", "Legend", "Present"):
            button = page.get_by_role("button", name=name, exact=False).first
            assert button.is_visible() and button.is_enabled() or name in ("Home", "Back")
        blur(page)
        page.get_by_role("button", name="Next").click()
        wait_for_step(page, 1)
        settle(page)
        assert label_px(page) >= least_px(page) - 0.05
        save_screenshot(page, "zoom150", full_page=False)
    finally:
        context.close()
    assert blocked == []
