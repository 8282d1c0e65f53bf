"""The classic mistakes shown (issue 21, item 3), through AppTest: the "What if" switch runs a
deliberately wrong backward pass beside the right one and the central-difference check that
exposes it; the vanishing-gradients example shades its nodes by the size of their gradient."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from autodiff import gradients
from autodiff.program import compile_program
from components.presets import POST_1, POST_3, VANISHING, VANISHING_LABEL, WHAT_IF_EXAMPLES
from components.view_model import COMPLETE
from components.what_if import PALEST, SHADE_BANDS
from tests.app.apptest import base, start

SQUARE = "x = 3\ny = x * x"


def what_if(at: AppTest, mistake: str) -> AppTest:
    at.selectbox(key="what_if").set_value(mistake).run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page with this column."""
    [frame] = [t.value for t in at.table if column in t.value.columns]
    return frame


def rows(at: AppTest) -> dict[str, dict[str, str]]:
    """The What if table, node -> column -> text."""
    return table_with(at, "right backward").to_dict("index")


def text_of(at: AppTest) -> str:
    return "\n".join(e.value for e in (*at.markdown, *at.caption))




def test_the_switch_starts_on_the_right_backward_and_shows_no_table():
    at = start(program=SQUARE)
    assert at.selectbox(key="what_if").value == "right"
    assert not [t for t in at.table if "right backward" in t.value.columns]
    assert "marks ✗ where it goes wrong" in text_of(at)


def test_overwrite_on_x_times_x_at_3_gives_3_instead_of_6_and_the_check_says_cross():
    at = what_if(start(program=SQUARE), "overwrite")
    assert rows(at) == {"x": {"right backward": "6", "overwrite instead of add": "3",
                              "routes popped": "3, 3", "central difference": "6",
                              "check": "✗ disagrees"}}
    said = text_of(at)
    assert ("**Overwrite instead of add** is wrong: a node reached by several routes must add "
            "every route's value; set to each in turn, it keeps only the last one.") in said
    assert "The central-difference check exposes it (✗) at x." in said


def test_overwrite_on_the_posts_example_goes_wrong_only_where_routes_meet():
    table = rows(what_if(start(program=POST_1), "overwrite"))
    assert table["a"]["right backward"] == "11" and table["a"]["routes popped"] == "4, 7"
    assert table["a"]["overwrite instead of add"] == "7"  # the last route popped, d→a
    assert table["a"]["check"] == "✗ disagrees"
    assert [table[k]["check"] for k in ("b", "c")] == ["✓ agrees", "✓ agrees"]


def test_overwrite_does_no_harm_where_every_node_has_one_route():
    at = what_if(start(program="x = 0.5\ny = sin(exp(x))"), "overwrite")
    assert {row["check"] for row in rows(at).values()} == {"✓ agrees"}
    assert "Here it does no harm: no node is reached by more than one route." in text_of(at)


@pytest.mark.parametrize("program", [POST_1, POST_3])
def test_twice_without_zeroing_doubles_every_gradient(program):
    at = what_if(start(program=program), "twice")
    built = compile_program(program)
    right = {node.name: g for node, g in gradients(built.output).items() if node.name}
    table = rows(at)
    assert set(table) >= {i.name for i in built.inputs}
    for node, row in table.items():
        assert float(row["backward twice without zeroing"]) == pytest.approx(
            2 * float(row["right backward"]), rel=1e-3)
        assert row["check"] == "✗ disagrees"
        if node in right:
            assert float(row["right backward"]) == pytest.approx(right[node], rel=1e-3)
    assert "gradients accumulate" in text_of(at)


def test_no_backward_yet_shows_0_everywhere_labelled_as_the_graph_before_the_pass():
    at = what_if(start(program=POST_1), "no_backward")
    table = rows(at)
    assert list(table) == ["a", "b", "c"]
    assert {row["no backward yet (before the pass)"] for row in table.values()} == {"0"}
    assert [table[k]["right backward"] for k in "abc"] == ["11", "4", "4"]
    assert {row["check"] for row in table.values()} == {"✗ disagrees"}
    said = text_of(at)
    assert "This is **the graph before the backward pass**: every node's gradient is still 0" \
        in said
    assert "read before it has run, every gradient is still 0." in said


@pytest.mark.parametrize("label", list(WHAT_IF_EXAMPLES))
def test_each_what_if_example_opens_with_its_mistake(label):
    at = start()
    at.selectbox(key="preset").set_value(label).run()
    assert not at.exception, at.exception
    program, mistake = WHAT_IF_EXAMPLES[label]
    assert at.selectbox(key="what_if").value == mistake
    assert any(e.value.startswith("**") and "is wrong:" in e.value for e in at.markdown)
    assert table_with(at, "right backward").shape[0] >= 1
    assert start(program=program).selectbox(key="what_if").value == mistake  # its link too


def complete_backgrounds(b: dict) -> dict[str, str]:
    """Node key -> the background the page gives it once its gradient is complete."""
    return {key: b["looks"][looks["complete"]]["color"]["background"]
            for key, looks in zip(b["keys"], b["node_looks"], strict=True)}


def test_the_vanishing_example_shades_each_node_by_its_gradients_size():
    at = start()
    at.selectbox(key="preset").set_value(VANISHING_LABEL).run()
    assert not at.exception, at.exception
    assert at.toggle(key="shade").value is True
    shades = complete_backgrounds(base(at))
    bands = dict((least, colour) for least, colour in SHADE_BANDS)
    built = compile_program(VANISHING)
    sizes = {node.name: abs(g) for node, g in gradients(built.output).items()}
    assert sizes["x"] < 1e-5  # the gradient vanishes down the chain
    assert shades["h7"] == bands[1e-1] and shades["h5"] == bands[1e-2]
    assert shades["h4"] == bands[1e-3] and shades["h2"] == bands[1e-4]
    assert shades["h1"] == shades["x"] == PALEST
    # the text cue: a complete node's label gives its gradient, the note the bands in words
    assert {m["badge"] for m in base(at)["marks"] if m["complete"]} >= {"✓ grad {g}"}
    note = " ".join(h.proto.body for h in at.get("html"))
    assert "≥ 0.1" in note and "&lt; 0.0001" in note and "Vanishing gradients" in note


def test_shading_is_off_for_other_programs_and_the_switch_turns_it_on():
    at = start(program=POST_1)
    assert at.toggle(key="shade").value is False
    assert set(complete_backgrounds(base(at)).values()) == {COMPLETE[0]}  # the usual look
    at.toggle(key="shade").set_value(True).run()
    assert not at.exception, at.exception
    assert set(complete_backgrounds(base(at)).values()) == {SHADE_BANDS[0][1]}  # 1, 11, 4, 4


def test_the_url_holds_the_mistake_and_a_link_opens_with_it():
    at = what_if(start(program=SQUARE), "overwrite")
    assert at.query_params["what_if"] == "overwrite"
    at = start(program=POST_1, what_if="twice")
    assert at.selectbox(key="what_if").value == "twice"
    assert rows(at)["a"]["backward twice without zeroing"] == "22"
    what_if(at, "right")
    assert "what_if" not in at.query_params
    assert start(program=POST_1, what_if="eval").selectbox(key="what_if").value == "right"
