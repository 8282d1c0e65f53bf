"""The app's panels and flows in a real browser, offline: the gradients beside the engine, a
bad program, the route limit, the offline HTML download, the builder."""

from __future__ import annotations

import pytest

from components.presets import POST_1
from tests.browser.pages import WAIT, blur, open_app, shown, wait_for_step

pytestmark = pytest.mark.browser


def painted_pixels(page, selector: str = ".ad-net canvas") -> int:
    return page.evaluate("""(selector) => {
        const c = document.querySelector(selector);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""", selector)


def test_keyboard_to_the_end_shows_the_posts_gradients(page, app_server, save_screenshot):
    """The first example, stepped to the end with the keyboard; the panels below the graph."""
    open_app(page, app_server)
    wait_for_step(page, 0)
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, 4)
    rows = {row[0]: row for row in shown(page)["gradients"]}
    assert rows["a"][1:5] == ["11 ✓", "11", "11", "✓ yes"]
    assert rows["b"][1:3] == ["4 ✓", "4"] and rows["c"][1:3] == ["4 ✓", "4"]
    page.locator("#ad-ledger").scroll_into_view_if_needed()
    page.get_by_text("a = 4 (d→c→a) + 7 (d→a) = 11").wait_for(timeout=WAIT)
    save_screenshot(page, "done-scrolled", full_page=False)


def test_a_bad_program_keeps_the_last_graph(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    box = page.get_by_role("textbox", name="Program")
    box.fill("a = Var(4)\nb = Var(3)\nc = log(a, b)")
    box.press("Control+Enter")
    page.locator("[data-testid=stSidebar]").get_by_text("can't be built").wait_for(timeout=WAIT)
    code = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").inner_text()
    assert "line 3" in code and "^" in code
    assert painted_pixels(page) > 5000
    ids = page.evaluate("() => globalThis.adNetwork.body.data.nodes.getIds()")
    assert sorted(ids) == ["a", "b", "c", "d"]
    save_screenshot(page, "error", full_page=False)


def test_too_many_routes_offers_the_topological_way(page, app_server, save_screenshot):
    program = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 12)
    open_app(page, app_server, program=program)
    page.get_by_text("would pop", exact=False).wait_for(timeout=WAIT)
    save_screenshot(page, "limit", full_page=False)
    page.get_by_role("button", name="Use the topological algorithm").click()
    page.locator('.ad-net[data-algorithm="topological"]').wait_for(timeout=WAIT)
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, 36)


def test_the_graph_download_works_offline(page, app_server, save_screenshot, tmp_path):
    open_app(page, app_server, program=POST_1, step=3)
    wait_for_step(page, 3)
    page.get_by_text("Share and export").click()
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("button", name="Graph (HTML, offline)").click()
    path = tmp_path / "graph.html"
    download.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert "cdnjs" not in html and "jsdelivr" not in html and "bootstrap" not in html
    viewer = page.context.new_page()  # under the same offline guard
    viewer.set_content(html)
    viewer.locator("#mynetwork canvas").wait_for(timeout=WAIT)
    viewer.wait_for_function("""() => {
        const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n > 5000;
    }""", timeout=WAIT)
    save_screenshot(viewer, "standalone", full_page=False)
    viewer.close()


def test_the_builder_appends_a_line_by_clicking(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    page.get_by_text("Build by clicking").click()
    page.get_by_role("button", name="Append line").wait_for(timeout=WAIT)
    save_screenshot(page, "builder", full_page=False)
    page.get_by_role("button", name="Append line").click()
    page.wait_for_function(
        "() => globalThis.adNetwork && globalThis.adNetwork.body.data.nodes.length === 5",
        timeout=WAIT)
    text = page.get_by_role("textbox", name="Program").input_value()
    assert text.startswith(POST_1) and text.splitlines()[-1] == "x = d + a"
    page.get_by_text("Route stack (post)").wait_for(timeout=WAIT)
    assert page.get_by_role("radio", name="Route stack (post)").is_checked()
    page.get_by_role("button", name="Append line").click()  # builds on the new output
    page.wait_for_function(
        "() => globalThis.adNetwork && globalThis.adNetwork.body.data.nodes.length === 6",
        timeout=WAIT)
    last = page.get_by_role("textbox", name="Program").input_value().splitlines()[-1]
    assert last.endswith(" = x + a")
    save_screenshot(page, "built", full_page=False)
