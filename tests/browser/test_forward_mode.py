"""Forward mode stepped in a real browser (issue 21, item 1): ``?algorithm=forward`` on the
post's first example, each of its two passes stepped with the keys from the inputs up; at
every step the page shows the tangents autodiff.trace computed (on the nodes, in the
Tangents tab), the narrated sum, the pass, and at each pass's end the result beside the
reverse gradient; the cost chart under the stepper is readable on a projector."""

from __future__ import annotations

import pytest

from autodiff.trace import FORWARD, fmt
from components.presets import POST_1
from tests.browser.charts import READABLE_PX, chart
from tests.browser.pages import blur, open_app, shown, trace_of, wait_for_step

pytestmark = pytest.mark.browser

GRADIENTS_JS = """() => [...document.querySelectorAll('#ad-gradients tbody tr')]
    .map(r => [...r.cells].map(c => c.textContent))"""


def tangents_on_nodes(view: dict) -> dict[str, str]:
    """Each node's tangent as its label's second line writes it (none before its visit)."""
    out = {}
    for key, (_, label) in view["nodes"].items():
        badge = label.split("\n")[1] if "\n" in label else ""
        out[key] = badge.split("tangent ")[1] if "tangent " in badge else ""
    return out


def test_stepping_both_passes_of_the_first_example_shows_every_tangent(page, app_server,
                                                                     save_screenshot):
    trace = trace_of(POST_1, FORWARD)
    open_app(page, app_server, algorithm="forward")
    wait_for_step(page, 0)
    blur(page)
    for k in range(1, trace.last_index + 1):
        page.keyboard.press("ArrowRight")
        wait_for_step(page, k)
        view, state = shown(page), trace.state(k)
        assert view["narration"] == state.narration
        p = trace.pass_of(k)
        assert view["counter"] == f"Step {k} of 6 · pass {p} of 2"
        # every node visited in this pass shows its tangent; the others show none yet
        assert tangents_on_nodes(view) == {
            key: fmt(state.gradients[key]) if key in state.complete else ""
            for key in ("a", "b", "c", "d")}
        ledger = {row[0]: row[2] for row in view["ledger"]}
        if k in (3, 6):
            save_screenshot(page, f"pass-{p}-end", full_page=False)
    # the end of pass 2 (seeded at b): ḋ = 7·0 + 4·1
    assert ledger["d"] == "d = 0 (a→d) + 4 (c→d) = 4"
    assert ledger["a"] == "a = 0 (not seeded) = 0" and ledger["b"] == "b = 1 (seeded) = 1"
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·0 + 4·1 = 4" in view["narration"]


def test_each_pass_ends_with_its_result_beside_the_reverse_gradient(page, app_server):
    open_app(page, app_server, algorithm="forward", step=3)
    wait_for_step(page, 3)
    view = shown(page)
    assert tangents_on_nodes(view)["d"] == "11"  # ∂d/∂a, pass 1's result
    ledger = {row[0]: row[2] for row in view["ledger"]}
    assert ledger["d"] == "d = 7 (a→d) + 4 (c→d) = 11"
    page.locator("[data-tab=gradients]").click()
    rows = page.evaluate(GRADIENTS_JS)
    assert rows == [["a", "11", "11", "11", "✓ yes"], ["b", "…", "4", "4", "✓ yes"]]
    page.locator("[data-tab=ledger]").click()
    blur(page)
    page.keyboard.press("ArrowRight")  # pass 2 starts: every tangent again from nothing
    wait_for_step(page, 4)
    view = shown(page)
    assert tangents_on_nodes(view) == {"a": "0", "b": "1", "c": "", "d": ""}
    ledger = {row[0]: row[2] for row in view["ledger"]}
    assert ledger["d"] == "d = 0 (not visited in this pass yet)"
    page.keyboard.press("End")
    wait_for_step(page, 6)
    page.locator("[data-tab=gradients]").click()
    assert page.evaluate(GRADIENTS_JS)[1] == ["b", "4", "4", "4", "✓ yes"]


def test_predict_says_it_follows_the_backward_passes(page, app_server):
    open_app(page, app_server, algorithm="forward")
    wait_for_step(page, 0)
    page.locator("[data-act=predict]").click()
    note = page.locator("#ad-quiz-result")
    assert "follow the backward passes" in note.text_content()
    assert page.evaluate("globalThis.adStepper.predicting()") is False


def test_the_cost_chart_is_readable_on_a_projector(page, app_server):
    open_app(page, app_server, algorithm="forward")
    page.locator('[data-testid="stVegaLiteChart"]').scroll_into_view_if_needed()
    drawn = chart(page)
    words = {t["text"] for t in drawn["text"]}
    assert {"more inputs, 1 output", "more outputs, 2 inputs", "forward mode",
            "reverse mode"} <= words
    assert min(t["px"] for t in drawn["text"]) >= READABLE_PX
    assert {line["dash"] for line in drawn["lines"]} >= {"10,5"}  # forward dashed
