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


#: the popped node (the output at step 0), its route parent and the nodes it pushed, as the
#: page marks them (node and edge states); which of them are not wholly inside the canvas; the
#: zoom at which all of them fit with FRAME_MARGIN px around them
FRAMED_JS = """(margin) => {
    const net = globalThis.adNetwork, canvas = document.querySelector('.ad-net canvas');
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const nodes = net.body.data.nodes.get(), edges = net.body.data.edges.get();
    const popped = nodes.find(n => n.state === 'popped');
    const from = popped ? popped.id : nodes.find(n => !edges.some(e => e.to === n.id)).id;
    const pair = [from], pushed = [];
    for (const e of edges) {
        if (e.state === 'route' && e.to === from && !pair.includes(e.from)) pair.push(e.from);
        if (e.state === 'pushed' && e.from === from && !pushed.includes(e.to)) pushed.push(e.to);
    }
    const box = id => net.getBoundingBox(id);
    const out = [...pair, ...pushed].filter(id => {
        const tl = net.canvasToDOM({x: box(id).left, y: box(id).top});
        const br = net.canvasToDOM({x: box(id).right, y: box(id).bottom});
        return tl.x < -0.5 || tl.y < -0.5 || br.x > w + 0.5 || br.y > h + 0.5;
    });
    const fits = ids => {
        const bs = ids.map(box);
        const span = (lo, hi) => Math.max(...bs.map(hi)) - Math.min(...bs.map(lo));
        return Math.min((w - 2 * margin) / span(b => b.left, b => b.right),
                        (h - 2 * margin) / span(b => b.top, b => b.bottom));
    };
    const s = globalThis.adStepper;
    return {step: Number(document.querySelector('.ad-net').dataset.step), mode: s.mode(),
            pair, pushed, out, fitsAll: fits([...pair, ...pushed]),
            least: s.minScale(), scale: net.getScale()};
}"""
FRAME_MARGIN = 16  # px the page keeps between the framed nodes and the canvas's edge (stepper.js)


def framed(page) -> dict:
    """What the step on screen frames, and whether it is in view (FRAMED_JS)."""
    return page.evaluate(FRAMED_JS, FRAME_MARGIN)


def least_px(page) -> float:
    """The least text size the view may show now: READABLE_PX for the whole graph; following,
    READABLE_PX too, unless the step's nodes fit only at a smaller zoom (the page zooms out for
    them: tests/browser/test_graph_room.py checks that step by step)."""
    if page.evaluate("globalThis.adStepper.mode()") != "follow":
        return READABLE_PX
    return min(READABLE_PX, framed(page)["fitsAll"] * MIN_FONT)


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
