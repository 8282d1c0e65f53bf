"""The app in a real browser, offline: the graph is painted, Next (click and → key) moves the
step in place, zoom survives a step, a shared link opens at its step, the layout fits a
1280×720 projector. The `page` fixture fails any test whose page tried to leave 127.0.0.1.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from autodiff.program import compile_program
from components.presets import POST_1, POST_2, POST_3, PRESETS

pytestmark = pytest.mark.browser

WAIT = 30_000  # ms: first page load on a busy 2-core machine


def graph_host(page):
    return page.locator(".ad-net")


def wait_for_step(page, step: int) -> None:
    page.locator(f'.ad-net[data-step="{step}"]').wait_for(timeout=WAIT)
    page.get_by_text(f"Step {step} of", exact=False).first.wait_for(timeout=WAIT)
    # and the rest of the page has been drawn (no placeholders left)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=WAIT)


def open_app(page, url: str, **params) -> None:
    page.goto(url + ("/?" + urlencode(params) if params else "/"))
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    page.wait_for_function("() => globalThis.adNetwork !== undefined", timeout=WAIT)


def painted_pixels(page) -> int:
    return page.evaluate("""() => {
        const c = document.querySelector('.ad-net canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")


def test_first_example_painted_and_steps_by_click_and_key(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    assert painted_pixels(page) > 5000
    save_screenshot(page, "step0", full_page=False)

    page.get_by_role("button", name="Next").click()
    wait_for_step(page, 1)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 2)
    page.keyboard.press("End")
    wait_for_step(page, 4)
    save_screenshot(page, "end", full_page=False)
    text = page.locator("body").inner_text()
    assert "a = 4 (d→c→a) + 7 (d→a) = 11" in text
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, 3)
    page.keyboard.press("Home")
    wait_for_step(page, 0)
    # the same vis.Network the whole time: updated in place, never rebuilt
    assert page.evaluate("globalThis.adNetworkCreated") == 1


def test_zoom_and_pan_survive_a_step(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    page.evaluate("""() => globalThis.adNetwork.moveTo(
        {scale: 1.7, position: {x: 40, y: 120}, animation: false})""")
    before = page.evaluate("""() => [globalThis.adNetwork.getScale(),
                                     globalThis.adNetwork.getViewPosition()]""")
    # sample the canvas on every animation frame while stepping: it must never be blank
    page.evaluate("""() => {
        window.__frames = []; window.__sampling = true;
        const sample = () => {
            const c = document.querySelector('.ad-net canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 16) if (d[i] > 0) n++;
            window.__frames.push(n);
            if (window.__sampling) requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
    }""")
    page.get_by_role("button", name="Next").click()
    wait_for_step(page, 1)
    page.get_by_role("button", name="Next").click()
    wait_for_step(page, 2)
    page.get_by_role("button", name="Back").click()
    wait_for_step(page, 1)
    frames = page.evaluate("() => { window.__sampling = false; return window.__frames; }")
    assert len(frames) > 10 and min(frames) > 500  # no blank frame between steps
    after = page.evaluate("""() => [globalThis.adNetwork.getScale(),
                                    globalThis.adNetwork.getViewPosition()]""")
    assert after[0] == pytest.approx(before[0])
    assert after[1]["x"] == pytest.approx(before[1]["x"])
    assert after[1]["y"] == pytest.approx(before[1]["y"])
    assert painted_pixels(page) > 5000  # not blank after the update
    save_screenshot(page, "zoomed", full_page=False)


def test_shared_link_opens_at_its_step(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_3, values="a:43,b:3,c:2", step=7,
             algorithm="route-stack")
    wait_for_step(page, 7)
    popped = page.evaluate("""() => globalThis.adNetwork.body.data.nodes.get()
                                  .filter(n => n.state === 'popped').map(n => n.id)""")
    assert len(popped) == 1
    assert page.locator("textarea").first.input_value() == POST_3
    save_screenshot(page, "post3-step7", full_page=False)


def test_topological_link_and_values(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_1, values="a:5,b:3", step=3,
             algorithm="topological")
    wait_for_step(page, 3)
    values = page.evaluate("""() => globalThis.adNetwork.body.data.nodes.get()
                                 .map(n => [n.id, n.label])""")
    labels = dict(values)
    assert "a = 5" in labels["a"]
    assert "= 40" in labels["d"]  # 5 × (5 + 3)
    save_screenshot(page, "topological", full_page=False)


@pytest.mark.parametrize("program", [POST_1, POST_2, POST_3], ids=["post1", "post2", "post3"])
def test_graph_controls_and_stack_fit_a_projector(page, app_server, save_screenshot, program):
    open_app(page, app_server, program=program, step=1)
    wait_for_step(page, 1)
    height = page.viewport_size["height"]
    graph_box = graph_host(page).bounding_box()
    next_box = page.get_by_role("button", name="Next").bounding_box()
    stack_box = page.get_by_text("Stack", exact=False).first.bounding_box()
    top_entry = page.locator("table").filter(has_text="route").locator("tbody tr").first
    entry_box = top_entry.bounding_box()  # the top of the stack itself, not only its title
    for box in (graph_box, next_box, stack_box, entry_box):
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 1
    save_screenshot(page, "projector", full_page=False)


@pytest.mark.parametrize("label", list(PRESETS))
def test_each_preset_is_drawn_and_fits(page, app_server, save_screenshot, label):
    open_app(page, app_server, program=PRESETS[label], step=2)
    wait_for_step(page, 2)
    assert painted_pixels(page) > 5000
    drawn = page.evaluate("() => globalThis.adNetwork.body.data.nodes.getIds().length")
    assert drawn == len(compile_program(PRESETS[label]).graph.nodes)
    # the whole graph is in view: every node's box lies inside the canvas
    inside = page.evaluate("""() => {
        const net = globalThis.adNetwork, box = document.querySelector('.ad-net');
        const w = box.clientWidth, h = box.clientHeight;
        return net.body.data.nodes.getIds().every(id => {
            const b = net.getBoundingBox(id);
            const tl = net.canvasToDOM({x: b.left, y: b.top});
            const br = net.canvasToDOM({x: b.right, y: b.bottom});
            return tl.x >= -1 && tl.y >= -1 && br.x <= w + 1 && br.y <= h + 1;
        });
    }""")
    assert inside
    save_screenshot(page, full_page=False)


def test_a_new_value_redraws_in_place(page, app_server, save_screenshot):
    open_app(page, app_server, step=2)
    wait_for_step(page, 2)
    page.evaluate("""() => globalThis.adNetwork.moveTo(
        {scale: 1.3, position: {x: 10, y: 60}, animation: false})""")
    field = page.get_by_role("spinbutton", name="a")
    field.fill("5")
    field.press("Enter")
    page.wait_for_function("""() => globalThis.adNetwork.body.data.nodes.get('a')
                                   .label.startsWith('input a = 5')""", timeout=WAIT)
    assert page.evaluate("globalThis.adNetwork.getScale()") == pytest.approx(1.3)
    assert page.evaluate("globalThis.adNetworkCreated") == 1
    assert page.evaluate("globalThis.adNetwork.body.data.nodes.get('d').label").startswith(
        "d = a × c = 40")
    wait_for_step(page, 2)  # the step is kept
    save_screenshot(page, full_page=False)


def test_hovering_an_edge_shows_its_local_derivative_formula(page, app_server, save_screenshot):
    open_app(page, app_server)
    wait_for_step(page, 0)
    point = page.evaluate("""() => {
        const net = globalThis.adNetwork;
        const p = net.canvasToDOM(net.body.edges['d>a#0'].edgeType.getPoint(0.45));
        const r = document.querySelector('.ad-net').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y};
    }""")
    page.mouse.move(point["x"], point["y"])
    page.mouse.move(point["x"] + 2, point["y"] + 1)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=WAIT)
    assert tooltip.inner_text() == "∂d/∂a = c = 7"
    save_screenshot(page, full_page=False)


def test_follow_mode_zooms_to_each_pop_and_fit_shows_all(page, app_server, save_screenshot):
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    fitted = page.evaluate("globalThis.adNetwork.getScale()")
    page.get_by_text("Follow the pop", exact=False).click()
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Next").click()
    wait_for_step(page, 1)
    page.wait_for_timeout(600)  # the zoom is animated
    scale, popped_box = page.evaluate("""() => {
        const net = globalThis.adNetwork;
        const id = net.body.data.nodes.get().find(n => n.state === 'popped').id;
        const b = net.getBoundingBox(id);
        return [net.getScale(), [net.canvasToDOM({x: b.left, y: b.top}),
                                 net.canvasToDOM({x: b.right, y: b.bottom})]];
    }""")
    assert scale == pytest.approx(0.8, rel=0.05) and scale > fitted
    width, height = page.evaluate(
        "() => [document.querySelector('.ad-net').clientWidth, "
        "document.querySelector('.ad-net').clientHeight]")
    top_left, bottom_right = popped_box  # the popped node is wholly in view
    assert top_left["x"] >= 0 and top_left["y"] >= 0
    assert bottom_right["x"] <= width and bottom_right["y"] <= height
    save_screenshot(page, "follow", full_page=False)
    page.get_by_role("button", name="Fit the whole graph").click()
    page.wait_for_function(f"() => globalThis.adNetwork.getScale() < {fitted * 1.05}",
                           timeout=WAIT)
    assert page.evaluate("globalThis.adNetworkCreated") == 1
