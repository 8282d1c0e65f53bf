"""What a projector shows, read from the page: the on-screen size of the graph's text (vis's
own zoom × font size), what is clipped, whether an element is in the viewport (and in its
scrolling panel)."""

from __future__ import annotations

from components import view_model as vm
from tests.browser.pages import WAIT

MIN_FONT = min(vm.FONT_SIZE, vm.EDGE_FONT_SIZE)
READABLE_PX = 14

SETTLED = "() => globalThis.adStepper && globalThis.adStepper.settled()"


def settle(page) -> None:
    """The view has stopped moving (follow and fit animate)."""
    page.wait_for_function(SETTLED, timeout=WAIT)


def label_px(page) -> float:
    """The smallest text of the graph on screen, in CSS pixels."""
    return page.evaluate("globalThis.adNetwork.getScale()") * MIN_FONT


def least_px(page) -> float:
    """The least text size the view may show now: READABLE_PX for the whole graph; following,
    the lowest follow zoom's (the page zooms out under READABLE_PX only for a step whose nodes
    do not fit at it: tests/browser/test_graph_room.py checks that step by step)."""
    if page.evaluate("globalThis.adStepper.mode()") != "follow":
        return READABLE_PX
    return page.evaluate("globalThis.adStepper.followScale()") * MIN_FONT


def view(page) -> dict:
    """The view mode and whether the whole graph / the popped node is inside the canvas."""
    return page.evaluate("""() => {
        const net = globalThis.adNetwork, box = document.querySelector('.ad-net');
        const w = box.clientWidth, h = box.clientHeight;
        const inside = id => {
            const b = net.getBoundingBox(id);
            const tl = net.canvasToDOM({x: b.left, y: b.top});
            const br = net.canvasToDOM({x: b.right, y: b.bottom});
            return tl.x >= -1 && tl.y >= -1 && br.x <= w + 1 && br.y <= h + 1;
        };
        const nodes = net.body.data.nodes.get();
        const popped = nodes.find(n => n.state === 'popped');
        return {mode: globalThis.adStepper.mode(), all: nodes.every(n => inside(n.id)),
                popped: popped ? inside(popped.id) : null};
    }""")


CLIPPED_JS = """() => {
    const seen = e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden';
    const controls = [...document.querySelectorAll(
        '.ad-bar button, .ad-bar select, .ad-tab, .ad-counter, .ad-stepper th, .ad-num, ' +
        '[data-testid=stRadio] label, [data-testid=stButton] button, ' +
        '[data-testid=stSelectbox] input, ' +
        '[data-testid=stWidgetLabel]')].filter(seen);
    const panels = [...document.querySelectorAll(
        '.ad-bar, .ad-where, .ad-side, .ad-panel, .ad-panels, .ad-narration, .ad-legend')]
        .filter(seen);
    const name = e => (e.id ? '#' + e.id : e.className || e.tagName) + ' ' +
        JSON.stringify((e.textContent || '').trim().slice(0, 30));
    return [...controls, ...panels]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto')
        .map(name);
}"""


def clipped(page) -> list[str]:
    """Controls and panels whose content is wider than their box (cut or "…")."""
    return page.evaluate(CLIPPED_JS)


def in_view(page, selector: str) -> bool:
    """The element is wholly inside the window and inside every box that scrolls it."""
    return page.evaluate("""(selector) => {
        const e = document.querySelector(selector);
        if (!e || e.offsetParent === null) return false;
        const r = e.getBoundingClientRect();
        if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1)
            return false;
        for (let p = e.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (!/(auto|scroll|hidden)/.test(s.overflowY + s.overflowX)) continue;
            const q = p.getBoundingClientRect();
            if (r.top < q.top - 1 || r.bottom > q.bottom + 1) return false;
        }
        return true;
    }""", selector)
