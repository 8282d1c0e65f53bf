"""Your turn (issue 20, item 2) in the page, in Chromium with every request off 127.0.0.1
blocked: a practice link opens practising, the first pop is worked and shown, then each pop
asks more of the student (the route value, then its gradient, then the entries it pushes);
a right answer is marked right, a wrong one wrong with the answer and the mistake named; the
hint gives the local derivatives along the route; the score counts every part; New exercise
(or N) replaces the program with the next seed's exercise. Nothing is wider than a phone,
and axe-core finds no serious or critical violation in practice or predict mode."""

from __future__ import annotations

import pytest

from autodiff.program.exercises import exercise
from components import state
from components.presets import POST_1
from tests.browser.pages import WAIT, blur, open_app, trace_of, wait_for_step
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LECTURE = {"width": 1280, "height": 720}
VIEWPORTS = pytest.mark.parametrize("viewport", [LECTURE, PHONE], ids=["1280x720", "phone"])


def practising(page) -> None:
    page.wait_for_function("globalThis.adStepper.practising()", timeout=WAIT)


def asked(page, step: int) -> None:
    """→ opens the question of ``step`` (its first field has the focus)."""
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(k) => globalThis.adStepper.practiceAsking() === k", arg=step,
                           timeout=WAIT)
    assert page.evaluate("document.activeElement.id") == "ad-practice-route"


def check(page, step: int) -> str:
    """Enter checks the answers: the reveal, said as the step's narration."""
    page.keyboard.press("Enter")
    wait_for_step(page, step)
    return page.locator("#ad-narration").inner_text()


def no_wider_than_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    wide = page.evaluate("""(width) => [...document.querySelectorAll('.ad-practice *')]
        .filter(e => e.getBoundingClientRect().right > width + 0.5)
        .map(e => e.outerHTML.slice(0, 80))""", page.viewport_size["width"])
    assert wide == []


@VIEWPORTS
def test_practice_works_the_first_pop_then_asks_marks_hints_and_scores(page, app_server,
                                                                      save_screenshot):
    open_app(page, app_server, program=POST_1, mode="practice")
    wait_for_step(page, 0)
    practising(page)
    blur(page)
    page.keyboard.press("ArrowRight")  # step 1 is worked: the graph, ledger and route shown
    wait_for_step(page, 1)
    assert trace_of(POST_1).state(1).popped.node == "c"
    # the next pop asks: neither the stack nor the narration gives its value away
    assert set(page.locator("#ad-stack tbody td:nth-child(3)").all_inner_texts()) == {"?"}
    assert page.locator("#ad-narration").inner_text() == (
        "Worked: c popped along d→c. The entries it pushed are yours to work out: → asks.")
    assert "c = 4 (d→c) = 4" in page.locator("#ad-ledger").inner_text()

    asked(page, 2)  # d→c→b: the route value only
    assert page.locator("#ad-practice-gradient").is_hidden()
    page.keyboard.type("4")
    said = check(page, 2)
    assert said == "✓ Route value: Right: the parent's value 4 × the local derivative 1 = 4."
    assert page.locator("#ad-narration").get_attribute("data-verdict") == "right"

    asked(page, 3)  # d→c→a: the route value and a's gradient
    page.locator("[data-practice=hint]").click()
    hint = page.locator("#ad-practice-hint")
    assert hint.inner_text() == "Hint: the local derivatives along d→c→a: ∂d/∂c = 4, ∂c/∂a = 1."
    save_screenshot(page, "hint", full_page=False)
    page.locator("#ad-practice-route").fill("4")
    page.locator("#ad-practice-gradient").fill("5")  # 4 + 1: added instead of multiplied
    said = check(page, 3)
    assert said.startswith("✓ Route value: Right")
    assert ("✗ Gradient: Not quite: that added instead of multiplying. The answer is 4: "
            in said)
    assert page.locator("#ad-narration").get_attribute("data-verdict") == "wrong"

    asked(page, 4)  # d→a: every part; a is an input, so it pushes nothing
    assert page.locator("#ad-practice-nodes input").count() == 3  # a, b, c: not the output
    page.keyboard.type("7")
    page.locator("#ad-practice-gradient").fill("7")  # a's first route overwritten
    save_screenshot(page, "asking", full_page=False)
    page.locator("#ad-practice-gradient").press("Enter")
    wait_for_step(page, 4)
    said = page.locator("#ad-narration").inner_text()
    assert "✗ Gradient: Not quite: that overwrote instead of adding. The answer is 11" in said
    assert "✓ Pushed: right, the pop pushes nothing: a is an input" in said
    assert page.locator("#ad-practice-score").inner_text() == "Score: 4 of 6 parts right"
    save_screenshot(page, "revealed", full_page=False)
    no_wider_than_the_screen(page)


def test_new_exercise_and_n_replace_the_program_with_the_next_seeds(page, app_server):
    open_app(page, app_server, mode="practice")
    wait_for_step(page, 0)
    practising(page)
    assert page.evaluate("new URLSearchParams(location.search).get('program')") == exercise(
        state.EXERCISE_LEVEL, 1)
    page.locator("#ad-practice-level").select_option("3")
    page.locator("[data-practice=new]").click()
    program = "(text) => new URLSearchParams(location.search).get('program') === text"
    page.wait_for_function(program, arg=exercise(3, 2), timeout=WAIT)
    page.wait_for_function("globalThis.adNetwork.body.data.nodes.length === 8", timeout=WAIT)
    practising(page)
    wait_for_step(page, 0)
    blur(page)
    page.keyboard.press("n")
    page.wait_for_function(program, arg=exercise(3, 3), timeout=WAIT)
    practising(page)


@VIEWPORTS
@pytest.mark.parametrize("mode", ["practice", "predict"])
def test_no_serious_or_critical_violation_in_practice_or_predict_mode(page, app_server, mode,
                                                                      save_screenshot):
    open_app(page, app_server, program=POST_1, mode=mode)
    wait_for_step(page, 0)
    blur(page)
    if mode == "practice":  # its first pop is worked, the second asks (with the hint shown)
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 1)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("globalThis.adStepper.practiceAsking() === 2", timeout=WAIT)
        page.locator("[data-practice=hint]").click()
    else:  # the first pop asks
        page.keyboard.press("ArrowRight")
        page.wait_for_function("globalThis.adStepper.asking() === 1", timeout=WAIT)
    found = serious_violations(page)
    save_screenshot(page, "scanned", full_page=False)
    assert found == []
