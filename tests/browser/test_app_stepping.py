"""The stepper in a real browser, offline: every step is drawn in the page (no server round
trip), keys are queued and never dropped, the graph and every panel show the same step as
autodiff.trace says, Play, the slider, a shared link and a reload. The `page` fixture fails
any test whose page tried to leave 127.0.0.1.
"""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import TOPOLOGICAL
from components.presets import POST_1, POST_2, POST_3, PRESETS
from tests.browser.pages import (
    WAIT,
    assert_shows,
    blur,
    expected,
    open_app,
    shown,
    trace_of,
    wait_for_step,
    wait_for_url_step,
)
from tests.browser.projector import READABLE_PX, label_px, settle, view

pytestmark = pytest.mark.browser


def graph_host(page):
    return page.locator(".ad-net")


def painted_pixels(page) -> int:
    return page.evaluate("""() => {
        const c = document.querySelector('.ad-net canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")


# every time the counter changes, what the graph and each panel show at that moment
RECORD_JS = """() => {
    window.__seen = [];
    const read = () => {
        const first = sel => { const r = document.querySelector(sel + ' tbody tr');
                               return r ? [...r.cells].map(c => c.textContent) : null; };
        const popped = globalThis.adNetwork.body.data.nodes.get()
            .filter(n => n.state === 'popped').map(n => n.id);
        window.__seen.push({counter: document.querySelector('#ad-counter').textContent,
            net: document.querySelector('.ad-net').dataset.step,
            narration: document.querySelector('#ad-narration').textContent,
            stack: first('#ad-stack'), popped});
    };
    new MutationObserver(read).observe(document.querySelector('#ad-counter'),
                                       {childList: true, characterData: true, subtree: true});
}"""


def test_twenty_fast_presses_land_twenty_steps_and_every_panel_agrees(page, app_server):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    assert_shows(shown(page), expected(trace, 0))
    page.evaluate(RECORD_JS)
    blur(page)
    for _ in range(20):  # no wait between presses
        page.keyboard.press("ArrowRight")
    wait_for_step(page, 20)
    seen = page.evaluate("window.__seen")
    assert [s["net"] for s in seen] == [str(k) for k in range(1, 21)]  # each step, in order
    for k, s in enumerate(seen, start=1):
        want = expected(trace, k)
        assert s["counter"] == want["counter"] and s["narration"] == want["narration"]
        assert s["stack"] == (want["stack"][0] if want["stack"] else None)
        assert s["popped"] == [trace.state(k).popped.node]
    # and back, one step at a time: everything drawn agrees with the trace
    for k in range(20, -1, -1):
        if k < 20:
            page.keyboard.press("ArrowLeft")
        wait_for_step(page, k)
        assert_shows(shown(page), expected(trace, k))


# a held-down arrow key: the browser repeats keydown (repeat=true) about 30 times a second
HOLD_JS = """([key, times, every]) => new Promise(done => {
    let sent = 0;
    const timer = setInterval(() => {
        document.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true,
                                                             repeat: sent > 0}));
        if (++sent === times) { clearInterval(timer); done(sent); }
    }, every);
})"""


def test_a_held_down_arrow_shows_every_step_of_the_third_example(page, app_server):
    trace = trace_of(POST_3)
    last = trace.last_index
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    page.evaluate(RECORD_JS)
    blur(page)
    page.evaluate(HOLD_JS, ["ArrowRight", last + 10, 33])  # held past the end
    wait_for_step(page, last)
    seen = page.evaluate("window.__seen")
    assert [s["net"] for s in seen] == [str(k) for k in range(1, last + 1)]  # none skipped
    assert [s["counter"] for s in seen] == [expected(trace, k)["counter"]
                                            for k in range(1, last + 1)]


def test_page_down_page_up_and_space(page, app_server):
    open_app(page, app_server)
    wait_for_step(page, 0)
    blur(page)
    page.keyboard.press("PageDown")
    wait_for_step(page, 1)
    page.keyboard.press("Space")
    wait_for_step(page, 2)
    page.keyboard.press("PageUp")
    wait_for_step(page, 1)
    page.keyboard.press("End")
    wait_for_step(page, 4)
    page.keyboard.press("Home")
    wait_for_step(page, 0)
    assert_shows(shown(page), expected(trace_of(POST_1), 0))


def test_keys_do_not_step_while_typing(page, app_server):
    open_app(page, app_server)
    wait_for_step(page, 0)
    box = page.get_by_role("textbox", name="Program")
    box.click()
    for key in ("End", "ArrowRight", "PageDown", "Home"):  # moves the caret, not the step
        box.press(key)
    wait_for_step(page, 0)
    field = page.get_by_role("spinbutton", name="a")
    field.click()
    field.press("ArrowRight")
    field.press("PageDown")
    blur(page)
    page.keyboard.press("ArrowRight")  # the proof that keys work once the typing is over
    wait_for_step(page, 1)
    assert shown(page)["step"] == 1


def test_play_advances_by_itself_and_stops_at_the_end(page, app_server, save_screenshot):
    # Play moves on every 0.5 s, so a passing step is recorded as it is drawn (waiting for
    # it afterwards would race the next one); only the end, where Play stops, is waited on.
    open_app(page, app_server)
    wait_for_step(page, 0)
    page.get_by_label("Seconds per step").select_option("0.5")
    page.evaluate(RECORD_JS)
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=WAIT)
    wait_for_step(page, 4)
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT)  # stopped by itself
    assert [s["net"] for s in page.evaluate("window.__seen")] == ["1", "2", "3", "4"]
    assert shown(page)["step"] == 4
    blur(page)
    page.evaluate("window.__seen = []")
    page.keyboard.press("p")  # at the end, P starts over
    page.get_by_role("button", name="Pause").wait_for(timeout=WAIT)
    page.wait_for_function("() => window.__seen.some(s => s.net === '1')", timeout=WAIT)
    page.keyboard.press("p")
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT)
    seen = [s["net"] for s in page.evaluate("window.__seen")]
    assert seen[0] == "0" and seen[1] == "1"  # started over from step 0
    assert page.evaluate("globalThis.adNetworkCreated") == 1
    save_screenshot(page, "played", full_page=False)


def test_the_slider_jumps_to_a_step(page, app_server):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    slider = page.locator("#ad-slider")
    slider.focus()
    slider.press("End")  # the range input's own key: no double step from the page's keys
    wait_for_step(page, trace.last_index)
    slider.press("ArrowLeft")
    wait_for_step(page, trace.last_index - 1)
    slider.evaluate("(s) => { s.value = '7'; s.dispatchEvent(new Event('input')); }")
    wait_for_step(page, 7)
    assert_shows(shown(page), expected(trace, 7))


def test_a_shared_link_and_a_reload_land_on_the_same_step(page, app_server):
    trace = trace_of(POST_3)
    open_app(page, app_server, program=POST_3, values="a:43,b:3,c:2", step=3,
             algorithm="route-stack")
    wait_for_step(page, 3)
    assert_shows(shown(page), expected(trace, 3))
    blur(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 5)
    wait_for_url_step(page, 5)  # reported to the server after the steps stop
    page.reload()
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    wait_for_step(page, 5)
    assert_shows(shown(page), expected(trace, 5))
    assert page.locator("textarea").first.input_value() == POST_3


def test_the_posts_first_example_walked_to_the_end(page, app_server, save_screenshot):
    """The post's numbers: a = 11 = 4 (d→c→a) + 7 (d→a), b = 4, c = 4."""
    trace = trace_of(POST_1)
    open_app(page, app_server)
    wait_for_step(page, 0)
    blur(page)
    for k in range(1, 5):
        page.keyboard.press("ArrowRight")
        wait_for_step(page, k)
        assert_shows(shown(page), expected(trace, k))
    view = shown(page)
    ledger = {row[0]: row[2] for row in view["ledger"]}
    assert ledger["a"] == "a = 4 (d→c→a) + 7 (d→a) = 11"
    rows = {row[0]: row for row in view["gradients"]}
    assert rows["a"][1:5] == ["11 ✓", "11", "11", "✓ yes"]
    assert rows["b"][1:3] == ["4 ✓", "4"] and rows["c"][1:3] == ["4 ✓", "4"]
    save_screenshot(page, "end", full_page=False)


@pytest.mark.parametrize("program", [POST_1, POST_2, POST_3], ids=["post1", "post2", "post3"])
def test_the_posts_examples_mid_walk_and_at_the_end_fit_a_projector(
        page, app_server, save_screenshot, program):
    trace = trace_of(program)
    middle = trace.last_index // 2
    open_app(page, app_server, program=program, step=middle)
    wait_for_step(page, middle)
    height = page.viewport_size["height"]
    for locator in (graph_host(page), page.get_by_role("button", name="Next"),
                    page.locator("#ad-counter"), page.locator("#ad-narration"),
                    page.locator("#ad-stack h4")):
        box = locator.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 1
    # large enough for the back of a room
    sizes = page.evaluate("""() => ['#ad-counter', '#ad-narration', '#ad-stack td', '#ad-ledger td']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert min(sizes) >= 16  # the graph's own text: tests/browser/test_projector.py
    save_screenshot(page, "middle", full_page=False)
    blur(page)
    page.keyboard.press("End")
    wait_for_step(page, trace.last_index)
    save_screenshot(page, "end", full_page=False)
    page.locator("#ad-ledger").scroll_into_view_if_needed()
    save_screenshot(page, "end-ledger", full_page=False)
    # nothing clipped: no panel or control row is wider than its box
    clipped = page.evaluate("""() => [...document.querySelectorAll(
            '.ad-bar, .ad-where, .ad-side, .ad-panel, .ad-narration')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.className)""")
    assert clipped == []


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
    blur(page)
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 2)
    page.get_by_role("button", name="◀ Back", exact=True).click()
    wait_for_step(page, 1)
    # three steps can take fewer frames than the check needs on a fast machine: sample a few
    # more of the stepped canvas (a blank one among them would fail all the same)
    page.wait_for_function("() => window.__frames.length > 10")
    frames = page.evaluate("() => { window.__sampling = false; return window.__frames; }")
    assert len(frames) > 10 and min(frames) > 500  # no blank frame between steps
    after = page.evaluate("""() => [globalThis.adNetwork.getScale(),
                                    globalThis.adNetwork.getViewPosition()]""")
    assert after[0] == pytest.approx(before[0])
    assert after[1]["x"] == pytest.approx(before[1]["x"])
    assert after[1]["y"] == pytest.approx(before[1]["y"])
    assert painted_pixels(page) > 5000  # not blank after the update
    save_screenshot(page, "zoomed", full_page=False)


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


@pytest.mark.parametrize("label", list(PRESETS))
def test_each_preset_is_drawn_and_fits(page, app_server, save_screenshot, label):
    open_app(page, app_server, program=PRESETS[label], step=2)
    wait_for_step(page, 2)
    assert painted_pixels(page) > 5000
    drawn = page.evaluate("() => globalThis.adNetwork.body.data.nodes.getIds().length")
    assert drawn == len(compile_program(PRESETS[label]).graph.nodes)
    # the whole graph is in view, or (when it would be too small to read) the popped node
    settle(page)
    seen = view(page)
    assert seen["all"] if seen["mode"] == "fit" else seen["popped"] is not False
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


def test_a_value_changed_within_the_report_delay_keeps_the_step(page, app_server):
    """The page tells the server its step 300 ms after the last key; a value applied before
    that reruns the server with the step it heard last (0). The graph stays on the step the
    keys reached, and the server learns it (URL, share link)."""
    open_app(page, app_server, program=POST_3)
    wait_for_step(page, 0)
    blur(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_for_step(page, 3)
    field = page.get_by_role("spinbutton", name="c")
    field.fill("5")
    field.press("Enter")
    page.wait_for_function("""() => globalThis.adNetwork.body.data.nodes.get('c')
                                   .label.startsWith('input c = 5')""", timeout=WAIT)
    wait_for_url_step(page, 3)
    wait_for_step(page, 3)
    assert_shows(shown(page), expected(trace_of(POST_3, values={"c": 5.0}), 3))
    page.get_by_text("Share and export").click()
    page.locator("[data-testid=stCode]").filter(has_text="step=3&").wait_for(timeout=WAIT)


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
    """The first example fits readable, so the page fits it; the sidebar's switch follows
    it anyway, and F fits it again."""
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    settle(page)
    assert page.evaluate("globalThis.adStepper.mode()") == "fit"
    page.get_by_text("Follow the pop", exact=False).click()
    page.wait_for_function("globalThis.adStepper.mode() === 'follow'", timeout=WAIT)
    page.get_by_role("button", name="Next").click()
    wait_for_step(page, 1)
    settle(page)
    seen = view(page)
    assert seen["mode"] == "follow" and seen["popped"]  # the popped node is wholly in view
    assert label_px(page) >= READABLE_PX - 0.05
    save_screenshot(page, "follow", full_page=False)
    blur(page)
    page.keyboard.press("f")  # fits in the page, no rerun
    page.wait_for_function("globalThis.adStepper.mode() === 'fit'", timeout=WAIT)
    settle(page)
    assert view(page)["all"]
    page.get_by_role("button", name="Fit the whole graph").click()  # the sidebar's button
    assert page.evaluate("globalThis.adNetworkCreated") == 1


def test_topological_steps_agree_with_the_trace(page, app_server):
    trace = trace_of(POST_2, TOPOLOGICAL)
    open_app(page, app_server, program=POST_2, algorithm=TOPOLOGICAL)
    wait_for_step(page, 0)
    blur(page)
    for k in range(trace.last_index + 1):
        if k:
            page.keyboard.press("ArrowRight")
        wait_for_step(page, k)
        assert_shows(shown(page), expected(trace, k))


def test_a_trace_at_the_stepping_limit_arrives_in_windows(page, app_server, save_screenshot):
    program = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 12)  # 3**12 routes to x
    trace = trace_of(program)
    open_app(page, app_server, program=program)
    page.get_by_text("would pop", exact=False).wait_for(timeout=WAIT)
    wait_for_step(page, 0)
    first = page.evaluate("globalThis.adStepper.loaded()")
    assert first < trace.last_index  # only the first window came with the page
    blur(page)
    page.keyboard.press("End")  # waits for the windows, then draws the last step
    page.wait_for_function(f"() => globalThis.adStepper.shown() === {trace.last_index}",
                           timeout=WAIT * 4)
    wait_for_step(page, trace.last_index)
    assert page.evaluate("globalThis.adStepper.loaded()") == trace.last_index + 1
    assert_shows(shown(page), expected(trace, trace.last_index))
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, trace.last_index - 1)
    save_screenshot(page, "limit", full_page=False)


def test_a_link_to_a_late_step_waits_for_its_window_and_keeps_its_step(page, app_server):
    program = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 12)
    trace = trace_of(program)
    page.add_init_script("""(() => {          // every step the URL is given, in order
        window.__urlSteps = [];
        for (const name of ['pushState', 'replaceState']) {
            const original = history[name].bind(history);
            history[name] = (state, title, url) => {
                if (url) window.__urlSteps.push(new URL(url, location.href)
                                                .searchParams.get('step'));
                return original(state, title, url);
            };
        }
    })()""")
    open_app(page, app_server, program=program, step=4321)
    wait_for_step(page, 4321)
    assert_shows(shown(page), expected(trace, 4321))
    blur(page)
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 4322)
    wait_for_url_step(page, 4322)
    steps = [s for s in page.evaluate("window.__urlSteps") if s is not None]
    assert set(steps) <= {"4321", "4322"}  # never a step drawn while the windows came
