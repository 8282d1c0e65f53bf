"""On a student's phone (issue 20, item 8), 390×844: the sidebar starts closed, so the stage
is what the page opens on, and nothing is wider than the screen; the graph fills its box (no
empty band above or below it), Back and Next are thumb-sized, and the wheel or a swipe over
the graph scrolls the page (Streamlit's scrolling element, stMain) unless the student chose
Move graph."""

from __future__ import annotations

import pytest

from components.presets import POST_1, POST_3
from tests.browser.pages import WAIT, open_app, wait_for_step
from tests.conftest import install_offline_guard

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > 391
                 && !e.closest('[data-testid=stSidebar]'))
    .map(e => e.className || e.tagName).slice(0, 5)"""


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("program", [POST_1, POST_3], ids=["post-1", "post-3"])
def test_the_phone_opens_on_the_stage(page, app_server, save_screenshot, program):
    open_app(page, app_server, program=program)
    wait_for_step(page, 0)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_attribute("aria-expanded") != "true"
    assert sidebar.bounding_box() is None or sidebar.bounding_box()["x"] + \
        sidebar.bounding_box()["width"] <= 1  # off screen
    canvas = page.locator(".ad-net canvas").bounding_box()
    assert 0 <= canvas["y"] < PHONE["height"] - 200  # the graph is on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(WIDER) == []
    save_screenshot(page, "opened", full_page=False)


SCROLLED = "() => document.querySelector('[data-testid=stMain]').scrollTop"
# the graph's drawn extent inside its box, in screen px
DRAWN = """() => {
    const net = globalThis.adNetwork, box = document.querySelector('.ad-net canvas');
    const ids = net.body.data.nodes.getIds();
    let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    for (const id of ids) {
        const b = net.getBoundingBox(id);
        const a = net.canvasToDOM({x: b.left, y: b.top});
        const z = net.canvasToDOM({x: b.right, y: b.bottom});
        top = Math.min(top, a.y); bottom = Math.max(bottom, z.y);
        left = Math.min(left, a.x); right = Math.max(right, z.x);
    }
    return {top, bottom, left, right, width: box.clientWidth, height: box.clientHeight,
            scale: net.getScale()};
}"""


def settled(page) -> None:
    page.wait_for_function("globalThis.adStepper && globalThis.adStepper.settled()", timeout=WAIT)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_graph_fills_its_box_and_back_and_next_are_thumb_sized(page, app_server,
                                                                   save_screenshot):
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    settled(page)
    drawn = page.evaluate(DRAWN)
    # the post's first example is readable whole: drawn across the box's width, and the box
    # as tall as the drawing (it was a 521-px box with the graph in its middle 230 px)
    assert drawn["right"] - drawn["left"] >= 0.85 * drawn["width"]
    assert drawn["bottom"] - drawn["top"] >= 0.75 * drawn["height"], drawn
    # fitted, and so readable (text of 14 px or more)
    assert page.evaluate("globalThis.adStepper.mode()") == "fit"
    canvas = page.locator(".ad-net canvas").bounding_box()
    assert canvas["y"] + canvas["height"] <= PHONE["height"]  # the whole stage on the first screen
    for act in ("back", "next"):
        box = page.locator(f".ad-bar [data-act={act}]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, act
    save_screenshot(page, "stage", full_page=False)


def wheel_over_graph(page, dy: int = 300) -> None:
    canvas = page.locator(".ad-net canvas").bounding_box()
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    page.mouse.wheel(0, dy)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_wheel_over_the_graph_scrolls_the_page_until_move_graph_is_chosen(page, app_server):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    settled(page)
    scale = page.evaluate("globalThis.adNetwork.getScale()")
    assert page.evaluate(SCROLLED) == 0
    move = page.locator(".ad-where [data-act=move]")
    assert move.is_visible() and move.get_attribute("aria-pressed") == "false"
    wheel_over_graph(page)
    page.wait_for_function(f"({SCROLLED})() > 0", timeout=WAIT)
    assert page.evaluate("globalThis.adNetwork.getScale()") == scale  # the graph stayed put
    move.click()
    assert move.get_attribute("aria-pressed") == "true"
    scrolled = page.evaluate(SCROLLED)
    wheel_over_graph(page, -300)  # now the wheel zooms the graph, and the page stays
    page.wait_for_function(f"globalThis.adNetwork.getScale() !== {scale}", timeout=WAIT)
    assert page.evaluate(SCROLLED) == scrolled


def test_a_swipe_over_the_graph_scrolls_the_page_on_a_touch_phone(browser, app_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  service_workers="block")
    try:
        blocked = install_offline_guard(context)
        page = context.new_page()
        open_app(page, app_server, program=POST_3)
        wait_for_step(page, 0)
        settled(page)
        scale = page.evaluate("globalThis.adNetwork.getScale()")
        canvas = page.locator(".ad-net canvas").bounding_box()
        cdp = context.new_cdp_session(page)
        # a finger drawn 250 px up over the graph, through Chromium's touch input
        x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] * 0.7
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, 11):
            cdp.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * i}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_function(f"({SCROLLED})() > 0", timeout=WAIT)
        assert page.evaluate("globalThis.adNetwork.getScale()") == scale
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate(WIDER) == []
        assert not blocked
    finally:
        context.close()
