"""On a student's phone (issue 20, item 8), 390×844: the sidebar starts closed, so the stage
is what the page opens on, and nothing is wider than the screen."""

from __future__ import annotations

import pytest

from components.presets import POST_1, POST_3
from tests.browser.pages import open_app, wait_for_step

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
