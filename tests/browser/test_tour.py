"""The first visit's tour (issue 20, item 6): on a real first visit it opens by itself, its
notes point at the graph, the step buttons, the stack, the ledger, the chain rule and predict
mode, each in the window beside its part, the keys walk it (Enter and → on, ← back, Esc
closes) with the focus in the note and back where it was after; it opens once per browser and
again from the Tour button. Automation (these tests' browser: navigator.webdriver) and lesson
links do not open it, so no other browser test meets it."""

from __future__ import annotations

import pytest

from components.presets import POST_1
from tests.browser.pages import WAIT, open_app, wait_for_step, wait_for_url_step

pytestmark = pytest.mark.browser

# what a person's browser says: the tour's rule leaves automation alone (tour.mjs)
A_PERSON = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false})"
TITLES = ["The graph", "Step through the backward pass", "The route stack", "The route ledger",
          "The chain rule", "Predict, then reveal"]
NOTE = """() => {
    const box = document.querySelector('.ad-tour');
    const target = document.querySelector('.ad-tour-target');
    const rect = e => e.getBoundingClientRect().toJSON();
    const focused = document.activeElement;
    return {at: globalThis.adStepper.tourNote(), hidden: box.hidden,
            title: box.querySelector('#ad-tour-title').textContent,
            box: rect(box), target: target && rect(target),
            targets: document.querySelectorAll('.ad-tour-target').length,
            focusInNote: box.contains(focused),
            focused: focused === document.body ? 'body' : focused.dataset.act || focused.className,
            view: {width: document.documentElement.clientWidth, height: innerHeight},
            band: document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom,
            step: globalThis.adStepper.shown()};
}"""
SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def note(page) -> dict:
    return page.evaluate(NOTE)


def wait_for_note(page, at: int) -> dict:
    page.wait_for_function("(at) => globalThis.adStepper && globalThis.adStepper.tourNote() === at",
                           arg=at, timeout=WAIT)
    return note(page)


def inside(rect: dict, view: dict) -> bool:
    return (rect["left"] >= 0 and rect["top"] >= 0 and rect["right"] <= view["width"]
            and rect["bottom"] <= view["height"])


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] \
        and b["top"] < a["bottom"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720},
                                      {"width": 1024, "height": 768},
                                      {"width": 390, "height": 844}],
                         ids=["1280x720", "1024x768", "phone"])
def test_a_first_visit_opens_the_tour_and_the_keys_walk_it(page, app_server, save_screenshot):
    page.add_init_script(A_PERSON)
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    shown = wait_for_note(page, 0)
    assert not shown["hidden"] and shown["focusInNote"] and shown["title"] == TITLES[0]
    save_screenshot(page, "note-1", full_page=False)
    for at, title in enumerate(TITLES):
        shown = wait_for_note(page, at)
        assert shown["title"] == title and shown["targets"] == 1 and shown["focusInNote"]
        assert inside(shown["box"], shown["view"]), f"note {at + 1} leaves the window"
        assert shown["box"]["top"] >= shown["band"], f"note {at + 1} is under the header band"
        target = shown["target"]  # the part it explains is in the window, beside the note
        assert target["bottom"] > 0 and target["top"] < shown["view"]["height"]
        if at > 0:  # the graph's note may lie over the graph; the others leave their part free
            assert not overlaps(shown["box"], target), f"note {at + 1} hides its part"
        if at == 1:
            save_screenshot(page, "note-2", full_page=False)
            page.keyboard.press("ArrowLeft")  # ← back a note, → on again
            wait_for_note(page, 0)
            page.keyboard.press("ArrowRight")
            wait_for_note(page, 1)
        page.keyboard.press("Enter" if at % 2 else "ArrowRight")
    shown = wait_for_note(page, -1)  # Done after the last note closes it
    assert shown["hidden"] and shown["targets"] == 0 and shown["focused"] == "body"
    assert shown["step"] == 0  # the keys walked the tour, not the steps


def test_it_opens_once_per_browser_and_again_from_the_tour_button(page, app_server,
                                                                  save_screenshot):
    page.add_init_script(A_PERSON)
    open_app(page, app_server, program=POST_1)
    wait_for_step(page, 0)
    wait_for_note(page, 0)
    page.keyboard.press("Escape")
    shown = wait_for_note(page, -1)
    assert shown["hidden"] and not shown["focusInNote"]
    page.keyboard.press("ArrowRight")  # the keys step again
    wait_for_step(page, 1)
    wait_for_url_step(page, 1)
    page.reload()
    page.locator(".ad-net canvas").wait_for(timeout=WAIT)
    wait_for_step(page, 1)
    page.evaluate(SETTLE)
    assert note(page)["at"] == -1  # seen in this browser: not again by itself
    button = page.locator(".ad-where [data-act=tour]")
    assert button.inner_text() == "? Tour"
    button.focus()
    page.keyboard.press("Enter")
    shown = wait_for_note(page, 0)
    assert shown["focusInNote"] and shown["title"] == TITLES[0]
    page.keyboard.press("Escape")
    shown = wait_for_note(page, -1)
    assert shown["focused"] == "tour" and shown["step"] == 1  # the focus is back on the button


@pytest.mark.parametrize("query", [{}, {"mode": "predict"}, {"hide": "editor"}],
                         ids=["automation", "predict-link", "hide-link"])
def test_automation_and_lesson_links_do_not_open_it(page, app_server, query):
    if query:
        page.add_init_script(A_PERSON)
    open_app(page, app_server, program=POST_1, **query)
    wait_for_step(page, 0)
    page.evaluate(SETTLE)
    shown = note(page)
    assert shown["at"] == -1 and shown["hidden"]
    assert page.evaluate("localStorage.getItem('ad-tour-seen')") is None
