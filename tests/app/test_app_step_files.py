"""Share and export's step range (issue 21, item 4): the slideshow, the handout and the step
tables are offered for a range of steps, the whole pass by default, at most MAX_STEPS at once
(said, and the buttons off, beyond it)."""

from __future__ import annotations

from autodiff.trace.step_table import MAX_STEPS
from components.presets import POST_1
from tests.app.apptest import start

LONG = "\n".join(["x = 0.5"] + ["x = sin(x*x + x)"] * 8)  # 6,561 pops
FILES = ["Slideshow (HTML)", "Handout (HTML)", "Step table (Markdown)", "Step table (LaTeX)"]


def _opened(**params):
    at = start(**params)
    at.session_state["exports"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def _buttons(at) -> dict[str, bool]:
    """Each step file's button: whether it is disabled."""
    return {b.proto.label: b.proto.disabled for b in at.get("download_button")
            if b.proto.label in FILES}


def test_the_whole_pass_is_chosen_by_default():
    at = _opened(program=POST_1)
    assert at.slider(key="export_steps").value == (0, 4)
    assert _buttons(at) == dict.fromkeys(FILES, False)
    assert not at.warning


def test_a_long_walk_starts_with_as_many_steps_as_a_file_takes_and_says_the_cap():
    at = _opened(program=LONG)
    assert at.slider(key="export_steps").value == (0, MAX_STEPS - 1)
    at.slider(key="export_steps").set_value((100, 600)).run()
    assert [w.value for w in at.warning] == [
        f"501 steps chosen: a slideshow, handout or step table holds at most {MAX_STEPS} "
        f"steps. Choose fewer (e.g. 100–{100 + MAX_STEPS - 1})."]
    assert _buttons(at) == dict.fromkeys(FILES, True)
